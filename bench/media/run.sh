#!/usr/bin/env bash
# Media load benchmark: N concurrent call pairs on loopback between two media engines
# (PCMU, 20 ms, both directions, jitter buffer on, recording off), N raised step by step.
# Writes JSON to bench/results/media-<UTC time>.json.
#
#   bench/media/run.sh [--steps 100,500,1000] [--seconds 10] [--warmup 3]
#                      [--clock-threads N]   (per engine; default: half the cores each)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -ntp -pl softphone-core test-compile
cpfile="$root/softphone-core/target/bench.classpath"
./mvnw -q -ntp -pl softphone-core dependency:build-classpath \
  -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
cp="softphone-core/target/classes:softphone-core/target/test-classes:$(cat "$cpfile")"
mkdir -p bench/results
out="bench/results/media-$(date -u +%Y%m%dT%H%M%SZ).json"
exec java -Xmx2g -XX:+UseParallelGC --add-exports java.management/sun.management=ALL-UNNAMED -cp "$cp" org.callchain.media.bench.MediaLoadBench \
  --out "$out" "$@"
