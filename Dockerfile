# One image for the Rasa server, the action server and the web page: the same pinned set as
# `make setup` (requirements.txt + constraints.txt, package-lock.json), and the same build
# steps as `make train`. Build: `make image` (docker build -t ahsct-assistant .).
FROM node:20-bookworm-slim AS widget
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM python:3.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONPATH=/app
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir "pip==$(sed -n 's/^pip==//p' constraints.txt)" \
 && pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
COPY --from=widget /app/node_modules ./node_modules
RUN python scripts/build_spacy_pipeline.py knowledge/ahsct.yml build/spacy \
 && rasa train --fixed-model-name ahsct --out models --quiet \
 && useradd --uid 10001 --no-create-home assistant && mkdir -p var && chown assistant var
USER 10001
EXPOSE 5005 5055 8080
# The Rasa server by default; docker-compose.yml and deploy/k8s/ run the others with their own command.
CMD ["python", "-m", "addons.server", "run", "--model", "models/ahsct.tar.gz", "--interface", "0.0.0.0", "--port", "5005", \
     "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"]
