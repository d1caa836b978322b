#!/usr/bin/env bash
# make image-test: builds the Dockerfile with podman (no Docker, no registry), starts the Rasa and
# action-server containers as a deployment would (read-only root, non-root user, a volume for
# var/), asks a question over REST and checks the answer, checks what the image holds, prints the
# build time and image size, and removes every container, pod and volume it started.
# The image itself is kept in build/podman/ for make compose-test (make clean-podman removes it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PROJECT_DIR"
PORT="${IMAGE_TEST_PORT:-15005}"
POD=ahsct-image-test
VOLUME=ahsct-image-test-var

cleanup() {
  podman pod rm --force --ignore "$POD" > /dev/null 2>&1 || true
  podman volume rm --force "$VOLUME" > /dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'log "image-test failed at line $LINENO"' ERR
cleanup
podman image exists "$IMAGE" || need_disk 8

"$PODMAN_DIR/base-images.sh"

log "building $IMAGE"
start=$SECONDS
podman build --quiet --layers --format docker \
  --build-arg PYTHON_IMAGE="$TEST_PYTHON_IMAGE" --build-arg NODE_IMAGE="$TEST_NODE_IMAGE" --build-arg MODEL=tested \
  -t "$IMAGE" . > "$PODMAN_ROOT/build.log" 2>&1 || { tail -40 "$PODMAN_ROOT/build.log"; exit 1; }
build_seconds=$((SECONDS - start))
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
log "built in ${build_seconds} s (cached layers count as built); image size $((size / 1000000)) MB"
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | awk -F'\t' '$1 !~ /^0B/ {printf "   %8s  %.90s\n", $1, $2}'

log "what the image holds"
podman run --rm -i --read-only --no-healthcheck "$IMAGE" python - <<'PY'
import importlib.util, os, pathlib, sys
problems = []
if os.getuid() == 0:
    problems.append("runs as root")
for module in ("pytest", "hypothesis", "mypy", "ruff", "playwright", "pip", "jaxlib"):
    if importlib.util.find_spec(module):
        problems.append(f"ships {module}")
for path in ("tests", "docs", "data", ".git", "/root/.cache/pip", "node_modules/.cache", "build/podman"):
    if os.path.exists(path):
        problems.append(f"ships {path}")
try:
    pathlib.Path("/app/written").write_text("x")
    problems.append("the root file system is writable")
except OSError:
    pass
print("image holds only run-time files, runs as uid", os.getuid(), "read-only root" if not problems else "")
sys.exit("; ".join(problems) if problems else 0)
PY

log "starting the action server and the Rasa server (pod $POD, port $PORT)"
podman volume create "$VOLUME" > /dev/null
podman pod create --name "$POD" -p "127.0.0.1:$PORT:5005" > /dev/null
# In one pod the two share loopback, so endpoints.yml's defaults apply: no variable is set.
podman run -d --pod "$POD" --name "$POD-actions" --read-only --no-healthcheck "$IMAGE" python -m actions > /dev/null
# Podman runs healthchecks from systemd timers, which this machine has not: it says so on stderr
# (dropped here); the check itself is run below with `podman healthcheck run`.
podman run -d --pod "$POD" --name "$POD-rasa" --read-only -v "$VOLUME:/app/var" "$IMAGE" \
  2> >(grep -v 'systemd connection' >&2) > /dev/null
start=$SECONDS
# Fail at once if a server stops, rather than waiting out the time limit.
( while sleep 2; do
    for name in rasa actions; do
      [ "$(podman inspect --format '{{.State.Running}}' "$POD-$name" 2>/dev/null)" = true ] || { echo "$name"; exit; }
    done
  done ) > "$PODMAN_ROOT/stopped" &
watcher=$!
"$PROJECT_DIR/.venv/bin/python" scripts/podman/ask.py "http://127.0.0.1:$PORT" --wait 300 --summary &
asker=$!
while kill -0 "$asker" 2> /dev/null && kill -0 "$watcher" 2> /dev/null; do sleep 1; done
if ! kill -0 "$watcher" 2> /dev/null; then
  kill "$asker" 2> /dev/null || true
  stopped=$(cat "$PODMAN_ROOT/stopped")
  log "the $stopped container stopped:"; podman logs --tail 30 "$POD-$stopped"; exit 1
fi
kill "$watcher" 2> /dev/null || true
wait "$asker" || { podman logs --tail 40 "$POD-rasa"; exit 1; }
log "answered $((SECONDS - start)) s after start"
if podman healthcheck run "$POD-rasa"; then health=healthy; else
  log "the image's healthcheck failed on a working server"; exit 1
fi
log "healthcheck: $health; image-test passed (build ${build_seconds} s, size $((size / 1000000)) MB)"
