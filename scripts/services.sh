#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback, for tests, CI and people trying runr's queue.
#
#   scripts/services.sh install                 install postgresql / redis-server from Debian if missing
#                                               (as root: apt-get update first; otherwise says what to run)
#   scripts/services.sh up [pg|redis|all] [--dir DIR] [--listen ADDR,...]
#                                               start fresh instances on free ports in DIR (default: a new
#                                               temp dir) and print, one per line, shell assignments:
#                                                 SVC_DIR=... DATABASE_URL=postgres://... REDIS_URL=redis://...
#                                               --listen adds addresses PostgreSQL/Redis also listen on
#                                               (e.g. the host side of a test network namespace)
#   scripts/services.sh restart-pg DIR          stop PostgreSQL at once (-m immediate) and start it again
#   scripts/services.sh restart-redis DIR       kill -9 Redis and start it again (append-only file: nothing acknowledged is lost)
#   scripts/services.sh stop-pg DIR | start-pg DIR
#   scripts/services.sh down DIR                stop everything started in DIR and remove DIR
#
# Everything binds 127.0.0.1 (plus --listen addresses); nothing outlives `down`. Both keep every
# acknowledged write across a crash of the server process (restart-pg / restart-redis):
# PostgreSQL keeps synchronous_commit on (off, an immediate stop loses the last commits it
# acknowledged — the fault test once lost a run's claim that way) but runs with fsync off, so not
# across a crash of the machine; Redis writes and fsyncs its append-only file before it answers
# (appendfsync always).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

die() { echo "services.sh: $*" >&2; exit 1; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
is_root() { [ "$(id -u)" = 0 ]; }

free_port() {
  node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close();});'
}

# Run a PostgreSQL binary as the cluster's owner: the postgres user when we are root (the server
# refuses to run as root), ourselves otherwise.
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

cmd_install() {
  local need=()
  [ -n "$(pg_bin)" ] || need+=(postgresql)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  is_root || die "missing ${need[*]}; install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}"
  # No default cluster: we only want the binaries.
  mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] || echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  # Debian starts a system redis on :6379 after install; we want only ours.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop redis-server >/dev/null 2>&1 || true; fi
  if [ -f /var/run/redis/redis-server.pid ]; then kill "$(cat /var/run/redis/redis-server.pid)" 2>/dev/null || true; fi
}

pg_data() { cat "$1/pg.path"; }

pg_start() {  # DIR
  local dir=$1 bin port listen data
  bin=$(pg_bin); port=$(cat "$dir/pg.port"); listen=$(cat "$dir/pg.listen"); data=$(pg_data "$dir")
  as_pg "$bin/pg_ctl" -D "$data/pg" -l "$data/pg.log" -w -t 60 start \
    -o "-c listen_addresses=$listen -p $port -c unix_socket_directories= -c fsync=off -c full_page_writes=off -c max_connections=300" >/dev/null
}

pg_stop() {  # DIR
  local dir=$1 data
  [ -f "$dir/pg.path" ] || return 0
  data=$(pg_data "$dir")
  [ -f "$data/pg/postmaster.pid" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$data/pg" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
}

pg_up() {  # DIR LISTEN
  local dir=$1 listen=$2 bin port
  local data
  bin=$(pg_bin); [ -n "$bin" ] || die "PostgreSQL is not installed (scripts/services.sh install)"
  if is_root; then
    # The server runs as the postgres user, who may not reach DIR (a private temp root): its data
    # lives in a directory of its own under /tmp, named in DIR/pg.path and removed by `down`.
    data=$(mktemp -d /tmp/runr-pg.XXXXXX); chown postgres:postgres "$data"
  else
    data="$dir"
  fi
  echo "$data" > "$dir/pg.path"
  as_pg mkdir -m 700 "$data/pg"
  as_pg "$bin/initdb" -D "$data/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >/dev/null
  # Clients in test network namespaces connect over their veth: trust them like loopback.
  echo "host all all 0.0.0.0/0 trust" | as_pg tee -a "$data/pg/pg_hba.conf" >/dev/null
  for try in 1 2 3 4 5; do
    port=$(free_port); echo "$port" > "$dir/pg.port"; echo "$listen" > "$dir/pg.listen"
    if pg_start "$dir"; then break; fi
    [ "$try" = 5 ] && die "PostgreSQL did not start (see $data/pg.log)"
  done
  as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtc 'create database runr' >/dev/null
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/runr"
}

redis_start() {  # DIR
  local dir=$1 port listen
  port=$(cat "$dir/redis.port"); listen=$(cat "$dir/redis.listen")
  # Append-only file written before each reply (appendfsync always), so a restart — even a kill -9 —
  # keeps every acknowledged write. Not everysec: when its background fsync lags, Redis postpones
  # the write of the file by up to 2 s while it goes on answering, and a kill -9 then loses writes
  # it had acknowledged (a worker's claim or outcome: a run that never ends).
  redis-server --bind ${listen//,/ } --port "$port" --save '' --appendonly yes --appendfsync always --maxmemory-policy noeviction \
    --protected-mode no --daemonize yes --pidfile "$dir/redis/redis.pid" --dir "$dir/redis" --logfile "$dir/redis/redis.log"
  for _ in $(seq 200); do redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.05; done
  return 1
}

redis_kill() {  # DIR
  local dir=$1 pid
  [ -f "$dir/redis/redis.pid" ] || return 0
  pid=$(cat "$dir/redis/redis.pid")
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$dir/redis/redis.pid"
}

redis_up() {  # DIR LISTEN
  local dir=$1 listen=$2 port
  command -v redis-server >/dev/null || die "redis-server is not installed (scripts/services.sh install)"
  mkdir -p "$dir/redis"
  echo "$listen" > "$dir/redis.listen"
  for try in 1 2 3 4 5; do
    port=$(free_port); echo "$port" > "$dir/redis.port"
    if redis_start "$dir"; then break; fi
    redis_kill "$dir"
    [ "$try" = 5 ] && die "Redis did not start (see $dir/redis/redis.log)"
  done
  echo "REDIS_URL=redis://127.0.0.1:$port"
}

cmd_up() {
  local what=all dir='' listen=127.0.0.1
  while [ $# -gt 0 ]; do
    case $1 in
      pg|redis|all) what=$1 ;;
      --dir) dir=$2; shift ;;
      --listen) listen="127.0.0.1,$2"; shift ;;
      *) die "up: unknown argument $1" ;;
    esac
    shift
  done
  cmd_install
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/runr-svc.XXXXXX"); else mkdir -p "$dir"; fi
  dir=$(cd "$dir" && pwd)
  echo "SVC_DIR=$dir"
  case $what in
    pg) pg_up "$dir" "$listen" ;;
    redis) redis_up "$dir" "$listen" ;;
    all) pg_up "$dir" "$listen"; redis_up "$dir" "$listen" ;;
  esac
}

cmd_down() {
  local dir=${1:?down DIR}
  [ -d "$dir" ] || return 0
  pg_stop "$dir"
  if [ -f "$dir/pg.path" ] && [ "$(pg_data "$dir")" != "$dir" ]; then rm -rf "$(pg_data "$dir")"; fi
  if [ -f "$dir/redis.port" ]; then redis-cli -h 127.0.0.1 -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -f "$dir/redis/redis.pid" ]; then kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}

case ${1:-} in
  install) cmd_install ;;
  up) shift; cmd_up "$@" ;;
  down) cmd_down "${2:-}" ;;
  stop-pg) pg_stop "${2:?stop-pg DIR}" ;;
  start-pg) pg_start "${2:?start-pg DIR}" ;;
  restart-pg) pg_stop "${2:?restart-pg DIR}"; pg_start "$2" ;;
  restart-redis) redis_kill "${2:?restart-redis DIR}"; redis_start "$2" || die "Redis did not come back (see $2/redis/redis.log)" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
