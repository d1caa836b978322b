# Sourced by the container test scripts (scripts/podman/*.sh). Podman with the project's own
# configuration and storage under build/podman/: the machine's own container configuration and
# images are never read or changed (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF,
# CONTAINERS_REGISTRIES_CONF point here).
set -euo pipefail
PODMAN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$PODMAN_DIR/../.." && pwd)"
PODMAN_ROOT="${PODMAN_ROOT:-$PROJECT_DIR/build/podman}"
mkdir -p "$PODMAN_ROOT"
export CONTAINERS_CONF="$PODMAN_DIR/containers.conf"
export CONTAINERS_STORAGE_CONF="$PODMAN_ROOT/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$PODMAN_ROOT/registries.conf"
cat > "$CONTAINERS_STORAGE_CONF" <<EOT
[storage]
driver = "overlay"
graphroot = "$PODMAN_ROOT/storage"
runroot = "$PODMAN_ROOT/run"
EOT
# No registry at all: every image is made here, so a name that is not local fails at once.
cat > "$CONTAINERS_REGISTRIES_CONF" <<EOT
unqualified-search-registries = []
short-name-mode = "disabled"
EOT

# Local stand-ins for the Dockerfile's base images (build arguments PYTHON_IMAGE and NODE_IMAGE).
TEST_DEBIAN_IMAGE=localhost/ahsct-test/debian:bookworm
TEST_PYTHON_IMAGE=localhost/ahsct-test/python:3.10-slim-bookworm
TEST_NODE_IMAGE=localhost/ahsct-test/node:20-bookworm-slim
IMAGE="${IMAGE:-localhost/ahsct-assistant:test}"

log() { printf '== %s\n' "$*"; }

# The image build and its layers take about 7 GB under build/podman/ (seen in a fresh clone: 7.1 GB
# after make test). Say so before a build that would otherwise fail minutes later inside pip with
# "No space left on device".
need_disk() {
  local want_gb=$1 free_kb
  free_kb=$(df -Pk "$PODMAN_ROOT" | awk 'NR == 2 {print $4}')
  if [ "$free_kb" -lt $((want_gb * 1024 * 1024)) ]; then
    log "only $((free_kb / 1024 / 1024)) GB free under $PODMAN_ROOT; the container tests need about $want_gb GB"
    log "(make clean-podman in other clones of this project frees their images)"
    exit 1
  fi
}
