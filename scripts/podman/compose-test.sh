#!/usr/bin/env bash
# make compose-test: runs docker-compose.yml with podman-compose (pinned, .venv-compose) on the
# image make image-test built and on local PostgreSQL, Redis and nginx images made from Debian's
# packages (service-images.sh). Checks, through nginx: an answer; the conversation stored in
# PostgreSQL; one Rasa replica killed and the conversation going on; a pg_dump restored into a
# fresh database with the conversation in it. Then removes every container, pod, volume and
# network of the project.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PROJECT_DIR"
PROJECT=ahsct-compose-test
export HTTP_PORT="${COMPOSE_TEST_PORT:-18000}"
export POSTGRES_PASSWORD="test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CONVERSATION_ID_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export PUBLIC_URL="http://127.0.0.1:$HTTP_PORT"
COMPOSE=("$PROJECT_DIR/.venv-compose/bin/podman-compose" --project-name "$PROJECT" --file docker-compose.yml)
PY="$PROJECT_DIR/.venv/bin/python"

cleanup() {
  "${COMPOSE[@]}" down --volumes --timeout 5 > /dev/null 2>&1 || true
  # What a `down` can leave behind (a killed replica, the pod, the network): by the project label.
  podman rm --force --volumes $(podman ps -aq --filter "label=io.podman.compose.project=$PROJECT") > /dev/null 2>&1 || true
  podman pod rm --force "pod_$PROJECT" > /dev/null 2>&1 || true
  podman volume rm --force $(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT") > /dev/null 2>&1 || true
  podman network rm --force "${PROJECT}_default" > /dev/null 2>&1 || true
}
left_behind() {
  {
    podman ps -aq --filter "label=io.podman.compose.project=$PROJECT"
    podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT"
    podman pod ls -q --filter "name=$PROJECT"
    podman network ls -q --filter "name=$PROJECT"
  } | wc -l
}
trap cleanup EXIT
trap 'log "compose-test failed at line $LINENO"' ERR
cleanup

"$PODMAN_DIR/service-images.sh"
podman image exists "$IMAGE" || { echo "No $IMAGE: run make image-test first" >&2; exit 1; }
podman tag "$IMAGE" localhost/ahsct-assistant:latest

log "compose up (project $PROJECT, nginx on port $HTTP_PORT)"
start=$SECONDS
"${COMPOSE[@]}" up -d --no-build > "$PODMAN_ROOT/compose-up.log" 2>&1 || { tail -30 "$PODMAN_ROOT/compose-up.log"; exit 1; }
replicas=$(podman ps -q --filter "label=io.podman.compose.project=$PROJECT" --filter "label=com.docker.compose.service=rasa" | wc -l)
[ "$replicas" -eq 2 ] || { log "expected 2 Rasa replicas, found $replicas"; podman ps -a; exit 1; }

pg() { podman exec "${PROJECT}_postgres_1" psql -U rasa -d "${2:-rasa}" -tAc "$1"; }
user_turns() { pg "SELECT count(*) FROM events WHERE type_name = 'user'" "${1:-rasa}"; }
sender="compose-test-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
url="http://127.0.0.1:$HTTP_PORT"

# On failure, what nginx and the replicas said (nginx's error log names the upstream failure).
show_logs() { "${COMPOSE[@]}" logs --tail 40 nginx rasa 2>&1 | grep -v Deprecation; }
"$PY" scripts/podman/ask.py "$url" --sender "$sender" --wait 420 --summary --steady 20 || { show_logs; exit 1; }
log "answered through nginx $((SECONDS - start)) s after compose up"
# Podman runs healthchecks from systemd timers, which these machines lack: run each service's until
# it passes, within the 180 s start_period docker-compose.yml gives the Rasa replicas (nginx answers
# as soon as one replica is up; the other may still be loading the model).
for name in $(podman ps --format '{{.Names}}' --filter "label=io.podman.compose.project=$PROJECT" | sort); do
  deadline=$((SECONDS + 180))
  until podman healthcheck run "$name" > /dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { log "the healthcheck of $name failed for 180 s"; show_logs; exit 1; }
    sleep 2
  done
done
log "every service's healthcheck passes ($(podman ps -q --filter "label=io.podman.compose.project=$PROJECT" | wc -l) containers)"
[ "$(user_turns)" -ge 1 ] || { log "the conversation is not in PostgreSQL"; exit 1; }
log "the conversation is in PostgreSQL ($(user_turns) user turns)"

victim=$(podman ps --format '{{.Names}}' --filter "label=io.podman.compose.project=$PROJECT" --filter "label=com.docker.compose.service=rasa" | sort | sed -n 1p)
podman kill "$victim" > /dev/null
log "killed replica $victim"
before=$(user_turns)
for turn in "what are the risks:risks" "how long is the hospital stay:hospital_stay" \
  "can it affect fertility:fertility" "what is ahsct:what_is_ahsct"; do
  "$PY" scripts/podman/ask.py "$url" --sender "$sender" --message "${turn%%:*}" --expect "${turn##*:}" --wait 30 ||
    { log "the conversation did not go on after a replica was killed"; exit 1; }
done
[ "$(user_turns)" -eq $((before + 4)) ] || { log "expected $((before + 4)) user turns, found $(user_turns)"; exit 1; }
log "the conversation went on with one replica: 4 more turns answered and stored once each"

podman exec "${PROJECT}_postgres_1" pg_dump -U rasa --format=custom rasa > "$PODMAN_ROOT/backup.dump"
pg "CREATE DATABASE restored" > /dev/null
podman exec -i "${PROJECT}_postgres_1" pg_restore -U rasa -d restored --no-owner < "$PODMAN_ROOT/backup.dump"
[ "$(user_turns restored)" -eq "$(user_turns)" ] || { log "the restored database differs"; exit 1; }
log "pg_dump restored into a fresh database: $(user_turns restored) user turns, as in the original"
rm -f "$PODMAN_ROOT/backup.dump"

cleanup
trap - EXIT
[ "$(left_behind)" -eq 0 ] || { log "compose down left things behind"; exit 1; }
log "compose-test passed; nothing left behind"
