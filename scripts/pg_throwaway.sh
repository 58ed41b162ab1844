#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster on 127.0.0.1 for tests (needs root, Debian's postgresql).
#   scripts/pg_throwaway.sh start DIR PORT   -> prints the DATABASE_URL
#   scripts/pg_throwaway.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
case "$cmd" in
  start)
    port=${3:-54329}
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    mkdir -p "$dir/sock"
    echo "$password" > "$dir/pwfile"
    chown -R postgres:postgres "$dir"; chmod 700 "$dir"
    runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --pwfile="$dir/pwfile" >"$dir/initdb.log"
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock -c fsync=off \
       -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    runuser -u postgres -- "$PGBIN/createdb" -h "$dir/sock" -p "$port" caseapp_test
    echo "postgresql+psycopg://postgres:$password@127.0.0.1:$port/caseapp_test"
    ;;
  stop)
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
