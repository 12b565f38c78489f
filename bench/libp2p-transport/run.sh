#!/usr/bin/env bash
# Loopback transport figures (ping RTT p50/p99, one-stream throughput) of two Java libp2p hosts.
# Writes bench/results/libp2p-transport.json. Usage: bench/libp2p-transport/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -ntp -pl p2p-ledger -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
java -cp "p2p-ledger/target/test-classes:p2p-ledger/target/classes:$(cat "$cp_file")" \
  org.callchain.net.bench.TransportBench bench/results/libp2p-transport.json
