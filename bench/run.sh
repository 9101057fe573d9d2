#!/usr/bin/env bash
# Builds in Release and runs the benchmarks: the projection engine alone, demand only and with places
# allocated to the provision register (Google Benchmark), the whole baseline run through the CLI
# (with places), a one-area backtest and the all-authority backtest (wall time and peak memory from
# /usr/bin/time). Timings on a shared machine drift by a tenth from run to run: compare figures from
# interleaved runs.
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
# A backtest of one area at 1,000 draws (target: under 5 s), for the largest area: England.
/usr/bin/time -f "backtest England, origin 2021, horizon 4, 1000 draws: %e s wall, %M KiB peak" \
  ./build/sendplan backtest --data-dir data/dfe-national --area E92000001 --origin 2021 --horizon 4 --draws 1000 --quiet --out "$out/backtest.csv" > /dev/null
# Every authority in England from the national zips (target: under 10 minutes on 2 cores).
/usr/bin/time -f "backtest every authority, origins 2016..2021, horizon 4, 300 draws: %e s wall, %M KiB peak" \
  ./build/sendplan backtest --data-dir data/dfe-national --area all --origins 2016..2021 --horizon 4 --draws 300 --quiet --out "$out/all.csv" > /dev/null
rm -rf "$out"
