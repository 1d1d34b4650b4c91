#!/usr/bin/env bash
# Run a command beside a throw-away PostgreSQL server: a fresh cluster in a temporary folder,
# listening only on a Unix socket there (so several runs never collide), stopped and deleted
# afterwards. The command gets PGHOST, PGPORT and PGUSER. As root the server runs as the
# 'postgres' system user, as PostgreSQL requires.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/flashbuy-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300" start >/dev/null

export PGHOST="$dir" PGPORT=5432 PGUSER=postgres
unset PGPASSWORD PGDATABASE
"$@"
