#!/usr/bin/env bash
# Runs Moat's JMH benchmarks and prints each figure as a ratio against its baseline (same run).
# Takes about 5 minutes on 2 cores. Results: benchmarks/target/benchmark-table.txt
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am install -DskipTests
./mvnw -B -q -pl benchmarks exec:exec
