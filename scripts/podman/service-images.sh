#!/usr/bin/env bash
# Makes local stand-ins for the service images docker-compose.yml names (postgres:15, redis:7,
# nginx:1.25) from Debian's packages, on the local debian image (base-images.sh), for
# make compose-test. They take the same settings the official images document: POSTGRES_DB,
# POSTGRES_USER and POSTGRES_PASSWORD and a data directory at /var/lib/postgresql/data;
# redis-server and nginx in the foreground, nginx's configuration at /etc/nginx/nginx.conf, and
# curl beside nginx, as in the official image.
# Each is tagged with the name docker-compose.yml uses (and its docker.io/library/ form).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$PODMAN_DIR/base-images.sh"

context="$PODMAN_ROOT/service-context"

make_image() {  # name containerfile-body [extra file name] [extra file body]
  local name="$1"
  if podman image exists "localhost/$name"; then return; fi
  rm -rf "$context" && mkdir -p "$context"
  printf 'FROM %s\n%s\n' "$TEST_DEBIAN_IMAGE" "$2" > "$context/Containerfile"
  if [ $# -ge 4 ]; then printf '%s\n' "$4" > "$context/$3"; chmod +x "$context/$3"; fi
  podman build --quiet -t "localhost/$name" "$context" > "$PODMAN_ROOT/service-build.log" 2>&1 ||
    { tail -20 "$PODMAN_ROOT/service-build.log"; exit 1; }
  podman tag "localhost/$name" "docker.io/library/$name"
  log "made $name from Debian's packages"
}

make_image postgres:15 '
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-15 > /dev/null \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /var/lib/postgresql/data /run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER postgres
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' entrypoint.sh '#!/bin/sh
# As the official image: a new data directory gets POSTGRES_USER with POSTGRES_PASSWORD and the
# database POSTGRES_DB (default: the user name); connections from other containers need that password (scram-sha-256).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp); printf "%s" "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="${POSTGRES_USER:-postgres}" --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 > /dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=" -w start > /dev/null
  db="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
  if [ "$db" != postgres ]; then
    createdb --username="${POSTGRES_USER:-postgres}" "$db"
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop > /dev/null
fi
exec postgres -c listen_addresses="*"'

make_image redis:7 '
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server > /dev/null \
 && rm -rf /var/lib/apt/lists/*
USER redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]'

make_image nginx:1.25 '
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light curl > /dev/null \
 && rm -rf /var/lib/apt/lists/* && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]'
rm -rf "$context"
