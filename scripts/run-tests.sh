#!/usr/bin/env bash
# Installs what is missing, builds everything (Release) and runs every test; then builds with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs the tests again under them; then fuzzes
# each input reader for 30 s (scripts/run-fuzz.sh; longer runs: give it more seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
jobs="$(nproc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DSENDPLAN_SANITIZE=ON -DSENDPLAN_BENCHMARKS=OFF > /dev/null
cmake --build build-sanitize -j "$jobs"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs" -LE slow)
bash scripts/run-fuzz.sh 30
