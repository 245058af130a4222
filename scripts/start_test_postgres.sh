#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for the store tests, or stop one.
#
#   url=$(scripts/start_test_postgres.sh)          # prints the database URL on stdout
#   COACHING_TEST_PG_URL=$url pytest tests/test_store.py tests/test_access.py tests/test_retention.py
#   scripts/start_test_postgres.sh --stop          # stops it and removes its folder
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 only (a free
# port) with trust authentication, and runs as a non-root user (the Debian
# "postgres" user when started as root). Installs Debian's postgresql if missing.
set -euo pipefail

STATE_FILE="${TMPDIR:-/tmp}/coaching-test-postgres.dir"

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] && command -v initdb >/dev/null; then dir=$(dirname "$(command -v initdb)"); fi
    echo "$dir"
}

stop_cluster() {
    [ -f "$STATE_FILE" ] || { echo "no test cluster is running" >&2; return 0; }
    local dir
    dir=$(cat "$STATE_FILE")
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$STATE_FILE"
    echo "stopped the test cluster in $dir" >&2
}

if [ "${1:-}" = "--stop" ]; then stop_cluster; exit 0; fi

if [ -z "$(pg_bin)" ]; then
    echo "installing postgresql (Debian package)..." >&2
    apt-get install -y postgresql >/dev/null
fi
BIN=$(pg_bin)
[ -f "$STATE_FILE" ] && stop_cluster

DIR=$(mktemp -d "${TMPDIR:-/tmp}/coaching-pg.XXXXXX")
chmod 755 "$DIR"
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$DIR"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner "$BIN/initdb" -D "$DIR/data" --username=coaching --auth=trust --encoding=UTF8 \
    --no-instructions >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
echo "$DIR" >"$STATE_FILE"
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U coaching coaching_test

echo "test cluster in $DIR on 127.0.0.1:$PORT; stop it with: $0 --stop" >&2
echo "postgresql+psycopg://coaching@127.0.0.1:$PORT/coaching_test"
