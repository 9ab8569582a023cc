#!/usr/bin/env bash
# A throw-away 3-node NATS cluster with JetStream (R3-capable) on loopback for tests: routes between all
# nodes, file storage, data and logs in DIR.
#   scripts/nats-cluster.sh start DIR [BASEPORT]   clients on BASEPORT, +1, +2; routes on +100..+102;
#                                                  monitoring on +200..+202
#   scripts/nats-cluster.sh stop DIR               stops every process it started in DIR
#   scripts/nats-cluster.sh kill DIR PORT          SIGKILLs the node whose client port is PORT
# Uses /usr/sbin/nats-server (else nats-server from PATH). Waits until JetStream has a meta leader.
set -euo pipefail
cmd=${1:?usage: $0 start|stop|kill DIR [BASEPORT|PORT]}
dir=${2:?usage: $0 start|stop|kill DIR [BASEPORT|PORT]}
base=${3:-18400}
bin=/usr/sbin/nats-server
[ -x "$bin" ] || bin=$(command -v nats-server)

case "$cmd" in
  start)
    mkdir -p "$dir"
    routes="nats://127.0.0.1:$((base + 100)),nats://127.0.0.1:$((base + 101)),nats://127.0.0.1:$((base + 102))"
    echo "$base" >"$dir/baseport"
    for i in 0 1 2; do
      port=$((base + i))
      mkdir -p "$dir/n$i"
      "$bin" -a 127.0.0.1 -p "$port" -n "iios-n$i" -js -sd "$dir/n$i" \
        --cluster_name iios-test --cluster "nats://127.0.0.1:$((base + 100 + i))" --routes "$routes" \
        -m "$((base + 200 + i))" -P "$dir/node-$port.pid" -l "$dir/node-$port.log" &
      disown
    done
    for _ in $(seq 1 300); do
      ok=1
      for i in 0 1 2; do
        curl -fsS "http://127.0.0.1:$((base + 200 + i))/jsz" 2>/dev/null | grep -q '"leader"' || ok=0
      done
      [ $ok = 1 ] && { echo "cluster up: 127.0.0.1:$base,$((base + 1)),$((base + 2))"; exit 0; }
      sleep 0.1
    done
    echo "nats-cluster.sh: JetStream meta leader not elected (see $dir/*.log)" >&2
    exit 1
    ;;
  kill)
    port=${3:?usage: $0 kill DIR PORT}
    f="$dir/node-$port.pid"
    [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
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
  *) echo "usage: $0 start|stop|kill DIR [BASEPORT|PORT]" >&2; exit 2 ;;
esac
