#!/usr/bin/env bash
# Resident memory of a headless node during N concurrent calls (issue 7: <= 200 MB for 100 calls
# with the launcher's JVM flags). One Anvil, two nodes made by `callchain init` and registered on
# it; node A places N concurrent calls (POST /calls, tone audio) to node B, which auto-answers.
# While the calls are up, the RSS of both node processes is sampled with `ps -o rss`.
# Writes bench/results/node-memory-<UTC>.json. Usage: bench/node-memory/run.sh [CALLS] [SECONDS]
# JVM flags and MALLOC_ARENA_MAX come from node/src/main/resources/callchain-jvm.env, as for the
# launcher (CALLCHAIN_JAVA_OPTS in the environment wins). PROFILE_DIR=DIR also turns on Native
# Memory Tracking and, half-way through the calls, saves each node's `jcmd VM.native_memory
# summary` (NMT=detail for `detail`), /proc/PID/smaps and smaps_rollup, `jcmd GC.heap_info`, a
# class histogram and thread names into DIR, and glibc's malloc_stats (via gdb) into the node's
# stderr (copied into DIR). With NMT=detail, bench/node-memory/account.py DIR/callee DIR/caller
# sums up where the resident memory goes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
calls="${1:-100}"
talk="${2:-30}"
jar="${JAR:-$root/node/target/callchain-node.jar}"
[ -f "$jar" ] || { echo "no $jar: build with ./mvnw -DskipTests -pl node -am package" >&2; exit 1; }
while IFS= read -r line; do # the launcher's loop: a variable already set wins
  case "$line" in '' | '#'*) continue ;; esac
  key="${line%%=*}" value="${line#*=}"
  value="${value#\"}" value="${value%\"}"
  [ -n "${!key:-}" ] || export "$key=$value"
done <"$root/node/src/main/resources/callchain-jvm.env"
read -r -a flags <<<"$CALLCHAIN_JAVA_OPTS"
node_flags=("${flags[@]}")
[ -z "${PROFILE_DIR:-}" ] || { mkdir -p "$PROFILE_DIR"; node_flags+=(-XX:NativeMemoryTracking="${NMT:-summary}"); }
cc() { java "${flags[@]}" -Dcallchain.home="$root" -jar "$jar" "$@"; }

work="$(mktemp -d /tmp/callchain-node-memory.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # file pattern seconds
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}

java "${flags[@]}" -Dcallchain.home="$root" -jar "$jar" chain start \
  >"$work/chain.out" 2>"$work/chain.err" &
pids+=($!) # the JVM itself (not a subshell), so SIGTERM reaches it and it stops its Anvil
wait_for "$work/chain.out" "Press Ctrl-C" 90
rpc=$(awk '/^RPC URL:/{print $3}' "$work/chain.out")
registry=$(awk '/^DeviceRegistry:/{print $2}' "$work/chain.out")
anchor=$(awk '/^LedgerAnchor:/{print $2}' "$work/chain.out")
# Anvil's first development key (public knowledge): the deployer, admin and registrar.
echo 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 >"$work/registrar.key"
echo "bench password" >"$work/pw"

init() { # name extra-args...
  local name=$1; shift
  cc init --dir "$work/$name" --sip-uri "sip:$name@127.0.0.1:$(free_port)" --password-file "$work/pw" \
    --p2p-port "$(free_port)" --control-port "$(free_port)" --rpc "$rpc" --chain-id 31337 \
    --registry "$registry" --anchor "$anchor" --play tone:440 "$@" >"$work/$name.init"
}
init a
peer_a=$(awk '/^peer /{print $2}' "$work/a.init")
p2p_a=$(grep -A1 'libp2p TCP port' "$work/a/node.yaml" | awk '/port:/{print $2}')
init b --auto-answer --bootstrap "/ip4/127.0.0.1/tcp/$p2p_a/p2p/$peer_a"
sed -i 's/rtp-ports: "20000-29999"/rtp-ports: "30000-39999"/' "$work/b/node.yaml"
for n in a b; do
  addr=$(awk '/^device /{print $2}' "$work/$n.init")
  uri=$(awk '/^sip /{print $2}' "$work/$n.init")
  cc device register "$addr" "$uri" --rpc "$rpc" --registry "$registry" --anchor "$anchor" \
    --key-file "$work/registrar.key" >/dev/null
  curl -s -H 'Content-Type: application/json' "$rpc" \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\"$addr\",\"0x56bc75e2d63100000\"]}" >/dev/null
done

for n in a b; do
  java "${node_flags[@]}" -Dcallchain.home="$root" -jar "$jar" node --config "$work/$n/node.yaml" \
    >"$work/$n.out" 2>"$work/$n.err" &
  pids+=($!)
  eval "pid_$n=$!"
done
wait_for "$work/a.out" "node ready" 90
wait_for "$work/b.out" "node ready" 90
control_a=$(sed -n 's/.* control \(http[^ ]*\).*/\1/p' "$work/a.out")
uri_b=$(awk '/^sip /{print $2}' "$work/b.init")
idle_a=$(ps -o rss= -p "$pid_a"); idle_b=$(ps -o rss= -p "$pid_b")

for i in $(seq "$calls"); do
  curl -s -m $((talk + 120)) -XPOST "$control_a/calls" \
    -d "{\"to\":\"$uri_b\",\"durationMillis\":$((talk * 1000))}" >"$work/call-$i.json" &
done
profile() { # name pid
  jcmd "$2" VM.native_memory "${NMT:-summary}" >"$PROFILE_DIR/$1-nmt.txt" 2>&1 || true
  cat "/proc/$2/smaps_rollup" >"$PROFILE_DIR/$1-smaps_rollup.txt"
  cat "/proc/$2/smaps" >"$PROFILE_DIR/$1-smaps.txt"
  jcmd "$2" GC.heap_info >"$PROFILE_DIR/$1-heap.txt" 2>&1 || true
  jcmd "$2" GC.class_histogram 2>&1 | head -40 >"$PROFILE_DIR/$1-histogram.txt" || true
  # glibc's own account of its arenas (in use vs taken from the OS), printed on the node's stderr
  ! command -v gdb >/dev/null || gdb -p "$2" -batch -ex 'handle SIGSEGV nostop noprint pass' \
    -ex 'call (void) malloc_stats()' >/dev/null 2>&1 || true
  for t in /proc/"$2"/task/*/comm; do cat "$t"; done | sed 's/[0-9]\+$/N/' | sort | uniq -c |
    sort -rn >"$PROFILE_DIR/$1-threads.txt"
}
max_a=0; max_b=0
for i in $(seq $((talk - 2))); do
  sleep 1
  if [ -n "${PROFILE_DIR:-}" ] && [ "$i" -eq $((talk / 2)) ]; then
    profile caller "$pid_a"; profile callee "$pid_b"
  fi
  a=$(ps -o rss= -p "$pid_a"); b=$(ps -o rss= -p "$pid_b")
  [ "$a" -gt "$max_a" ] && max_a=$a
  [ "$b" -gt "$max_b" ] && max_b=$b
done
threads_b=$(ps -o nlwp= -p "$pid_b")
[ -z "${PROFILE_DIR:-}" ] || cp "$work/a.err" "$PROFILE_DIR/caller.err"
[ -z "${PROFILE_DIR:-}" ] || cp "$work/b.err" "$PROFILE_DIR/callee.err"
while [ "$(jobs -rp | wc -l)" -gt 3 ]; do sleep 1; done
answered=$(cat "$work"/call-*.json | grep -o '"outcome":"ANSWERED"' | wc -l)
outcomes=$(for f in "$work"/call-*.json; do cat "$f"; echo; done | sed -n 's/.*"outcome":"\([A-Z_]*\)","sipCode":\([0-9]*\),"reason":"\([^"]*\)".*/\1 \2 \3/p' | sort | uniq -c | tr '\n' ';')
recorded=$(cat "$work"/call-*.json | grep -o '"leafIndex":[0-9]' | wc -l)

out="$root/bench/results/node-memory-$(date -u +%Y%m%dT%H%M%SZ).json"
cat >"$out" <<JSON
{
  "benchmark": "node-memory",
  "jvmFlags": "${node_flags[*]}",
  "mallocArenaMax": "${MALLOC_ARENA_MAX:-}",
  "concurrentCalls": $calls,
  "talkSeconds": $talk,
  "answered": $answered,
  "recordedByCaller": $recorded,
  "outcomes": "$outcomes",
  "idleRssKb": {"caller": $idle_a, "callee": $idle_b},
  "maxRssKbDuringCalls": {"caller": $max_a, "callee": $max_b},
  "calleeThreads": $threads_b,
  "cpus": $(nproc)
}
JSON
cat "$out"
