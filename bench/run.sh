#!/usr/bin/env bash
# Builds in Release and runs the benchmarks: the projection engine alone (Google Benchmark) and the
# whole baseline run through the CLI (wall time and peak memory from /usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" --target bench_projection sendplan
./build/bench/bench_projection --benchmark_counters_tabular=true
out="$(mktemp -d)"
for threads in 1 2; do
  /usr/bin/time -f "cli baseline 10000 draws, ${threads} thread(s): %e s wall, %M KiB peak" \
    ./build/sendplan run scenarios/baseline.yaml --draws 10000 --threads "$threads" --quiet --out "$out/r$threads" > /dev/null
done
rm -rf "$out"
