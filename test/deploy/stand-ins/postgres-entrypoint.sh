#!/bin/bash
# The postgres stand-in's entrypoint: the behaviour of the official image's entrypoint that a
# compose file can see (see postgres.Dockerfile).
set -euo pipefail

if [ "${1:-}" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  # As the official 18 image: data kept at the pre-18 path would be silently ignored, so stop.
  if grep -q ' /var/lib/postgresql/data ' /proc/self/mountinfo; then
    echo 'Error: in 18+, mount the volume at /var/lib/postgresql (PGDATA is /var/lib/postgresql/18/docker), not at /var/lib/postgresql/data' >&2
    exit 1
  fi
  mkdir -p "$PGDATA"
  chown postgres:postgres /var/lib/postgresql "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo 'Error: Database is uninitialized and superuser password is not specified (POSTGRES_PASSWORD).' >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  if [ "$db" != postgres ]; then
    # Single-user mode: no server listens while the database is made.
    printf 'CREATE DATABASE "%s" OWNER "%s";\n' "$db" "$user" |
      postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "PostgreSQL init process complete (user $user, database $db)"
fi

exec postgres -D "$PGDATA"
