#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback, for the tests and the benchmarks.
#
#   scripts/test_servers.sh install                         # Debian's postgresql and redis-server, when missing
#   eval "$(scripts/test_servers.sh start DIR [--fast])"   # prints the export lines of TEST_POSTGRES_URL and TEST_REDIS_URL
#   scripts/test_servers.sh stop DIR
#
# Everything lives in DIR (data, sockets, logs) and goes with it. The cluster listens on
# 127.0.0.1 only and asks for a random password; --fast turns durability off (fsync), which a
# test run never needs. Debian's postgresql and redis-server packages must be installed.
# Root cannot run postgres: the cluster then runs as the postgres user the package created.
set -euo pipefail

usage="usage: $0 install | start DIR [--fast] | stop DIR"
command=${1:?$usage}
dir=${2:-}
fast=${3:-}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

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

install() {
  if [ -n "$pg_bin" ] && command -v redis-server >/dev/null; then
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q postgresql redis-server
}

start() {
  [ -n "$dir" ] || { echo "$usage" >&2; exit 2; }
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1; }
  mkdir -p "$dir/pg" "$dir/redis"
  if [ "$(id -u)" -eq 0 ]; then chmod o+x "$dir"; chown postgres: "$dir/pg"; fi
  local password pg_port redis_port
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  echo "$password" > "$dir/pg/.pwfile"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/pg/.pwfile"
  as_owner "$pg_bin/initdb" -D "$dir/pg/data" -U postgres --pwfile="$dir/pg/.pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log"
  rm -f "$dir/pg/.pwfile"
  pg_port=$(free_port)
  # shared_buffers as the README advises for a server: the benchmark's million quotes stay in memory.
  local options="-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$dir/pg -c max_connections=200"
  options="$options -c shared_buffers=2GB"
  if [ "$fast" = "--fast" ]; then
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  as_owner "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -o "$options" -w start >/dev/null
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$dir/redis" \
    --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
  echo "export TEST_POSTGRES_URL='postgresql+psycopg://postgres:$password@127.0.0.1:$pg_port/postgres'"
  echo "export TEST_REDIS_URL='redis://127.0.0.1:$redis_port/0'"
}

stop() {
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
  fi
  if [ -f "$dir/redis/redis.pid" ]; then
    kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  fi
}

case "$command" in
  install) install ;;
  start) start ;;
  stop) [ -n "$dir" ] || { echo "$usage" >&2; exit 2; }; stop ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
