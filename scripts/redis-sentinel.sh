#!/usr/bin/env bash
# A throw-away Sentinel set on loopback for tests: 1 master, 1 replica, 3 sentinels (master name
# "mymaster", quorum 2), data and logs in DIR, no persistence.
#   scripts/redis-sentinel.sh start DIR [BASEPORT]   master BASEPORT, replica +1, sentinels +2..+4
#   scripts/redis-sentinel.sh stop DIR               stops every process it started in DIR
# Uses redis-server from PATH (sentinels run as `redis-server FILE --sentinel`).
set -euo pipefail
cmd=${1:?usage: $0 start|stop DIR [BASEPORT]}
dir=${2:?usage: $0 start|stop DIR [BASEPORT]}
base=${3:-17100}

wait_ping() { # port
  for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "redis-sentinel.sh: nothing answers on 127.0.0.1:$1" >&2
  return 1
}

server() { # name port [extra args...]
  local name=$1 port=$2; shift 2
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/$name.pid" --logfile "$dir/$name.log" "$@"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    server master "$base"
    server replica "$((base + 1))" --replicaof 127.0.0.1 "$base"
    wait_ping "$base"; wait_ping "$((base + 1))"
    for i in 0 1 2; do
      port=$((base + 2 + i))
      cat > "$dir/sentinel-$i.conf" <<CONF
port $port
bind 127.0.0.1
daemonize yes
pidfile $dir/sentinel-$i.pid
logfile $dir/sentinel-$i.log
dir $dir
sentinel monitor mymaster 127.0.0.1 $base 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 5000
sentinel parallel-syncs mymaster 1
CONF
      redis-server "$dir/sentinel-$i.conf" --sentinel
    done
    for i in 0 1 2; do wait_ping "$((base + 2 + i))"; done
    # wait until the replica is in sync and every sentinel sees the other two
    for _ in $(seq 1 200); do
      link=$(redis-cli -p "$((base + 1))" info replication | tr -d '\r' | sed -n 's/^master_link_status://p')
      others=$(redis-cli -p "$((base + 2))" sentinel master mymaster | tr -d '\r' | awk 'p{print;exit} /^num-other-sentinels$/{p=1}')
      [ "$link" = up ] && [ "${others:-0}" -ge 2 ] && { echo "sentinel set up: master $base, sentinels $((base+2))-$((base+4))"; exit 0; }
      sleep 0.1
    done
    echo "redis-sentinel.sh: sentinel set did not converge (see $dir/*.log)" >&2
    exit 1
    ;;
  stop)
    for f in "$dir"/*.pid; do
      [ -e "$f" ] || continue
      pid=$(cat "$f")
      kill "$pid" 2>/dev/null || true
    done
    for f in "$dir"/*.pid; do
      [ -e "$f" ] || continue
      pid=$(cat "$f")
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$f"
    done
    ;;
  *) echo "usage: $0 start|stop DIR [BASEPORT]" >&2; exit 2 ;;
esac
