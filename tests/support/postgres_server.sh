#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (the ctest fixture of CMakeLists.txt; by hand:
# `tests/support/postgres_server.sh start DIR`, then `export CUSTLENS_TEST_POSTGRES=$(cat DIR/url)`,
# and `tests/support/postgres_server.sh stop DIR`).
#
#   start DIR  initdb + pg_ctl from /usr/lib/postgresql/*/bin (the newest) in a new temporary
#              folder, as the current user or, under root, as the `postgres` system user the
#              Debian package creates; listens on 127.0.0.1 only, on a free port, its unix socket
#              in that folder; trust authentication for the superuser `custlens`; durability off
#              (fsync, full-page writes), as nothing of it is kept. Writes DIR/url
#              (postgresql://custlens@127.0.0.1:PORT/postgres) and DIR/pgdir (the folder).
#   stop DIR   stops that server (immediate) and removes its folder and DIR.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres_server: no PostgreSQL server in /usr/lib/postgresql/*/bin (Debian package" \
       "postgresql; scripts/install-deps.sh installs it)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: under root the server runs as `postgres`.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$action" in
  start)
    mkdir -p "$dir"
    rm -f "$dir/url"
    if [ -f "$dir/pgdir" ]; then "$0" stop "$dir" || true; mkdir -p "$dir"; fi
    pgdir=$(as_owner mktemp -d "${TMPDIR:-/tmp}/custlens-postgres.XXXXXX")
    echo "$pgdir" >"$dir/pgdir"
    if ! as_owner "$bin/initdb" -D "$pgdir/data" -U custlens --auth=trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1; then
      echo "postgres_server: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    # A port found free can be taken before the server binds it: a few tries.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 30 -s \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off \
              -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB \
              -c max_connections=60" start; then
        echo "postgresql://custlens@127.0.0.1:$port/postgres" >"$dir/url"
        exit 0
      fi
    done
    echo "postgres_server: pg_ctl start failed:" >&2
    as_owner cat "$pgdir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pgdir" ]; then
      pgdir=$(cat "$dir/pgdir")
      case "$pgdir" in
        */custlens-postgres.*)
          as_owner "$bin/pg_ctl" -D "$pgdir/data" -m immediate -s stop >/dev/null 2>&1 || true
          rm -rf "$pgdir"
          ;;
      esac
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
