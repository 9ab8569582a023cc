#!/usr/bin/env bash
# A throw-away Redis Cluster on loopback for tests: 3 masters, no replicas, no persistence, data and
# logs in DIR.
#   scripts/redis-cluster.sh start DIR [BASEPORT]   masters on BASEPORT, +1, +2 (cluster bus +10000)
#   scripts/redis-cluster.sh stop DIR               stops every process it started in DIR
# Uses redis-server and redis-cli from PATH.
set -euo pipefail
cmd=${1:?usage: $0 start|stop DIR [BASEPORT]}
dir=${2:?usage: $0 start|stop DIR [BASEPORT]}
base=${3:-17200}

case "$cmd" in
  start)
    mkdir -p "$dir"
    nodes=()
    for i in 0 1 2; do
      port=$((base + i))
      mkdir -p "$dir/$port"
      redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/$port" \
        --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 2000 \
        --daemonize yes --pidfile "$dir/node-$port.pid" --logfile "$dir/node-$port.log"
      nodes+=("127.0.0.1:$port")
    done
    for i in 0 1 2; do
      for _ in $(seq 1 100); do redis-cli -p "$((base + i))" ping >/dev/null 2>&1 && break; sleep 0.05; done
    done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
      || { echo "redis-cluster.sh: cluster create failed (see $dir/create.log)" >&2; exit 1; }
    for _ in $(seq 1 200); do
      ok=1
      for i in 0 1 2; do
        state=$(redis-cli -p "$((base + i))" cluster info | tr -d '\r' | sed -n 's/^cluster_state://p')
        [ "$state" = ok ] || ok=0
      done
      [ $ok = 1 ] && { echo "cluster up: ${nodes[*]}"; exit 0; }
      sleep 0.1
    done
    echo "redis-cluster.sh: cluster did not reach state ok (see $dir/*.log)" >&2
    exit 1
    ;;
  stop)
    for f in "$dir"/*.pid; do
      [ -e "$f" ] || continue
      kill "$(cat "$f")" 2>/dev/null || true
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
