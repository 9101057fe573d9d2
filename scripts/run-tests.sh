#!/usr/bin/env bash
# Installs what is missing, builds everything (Release) and runs every test; then builds with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs the tests again under them; then fuzzes
# each input reader for 30 s (scripts/run-fuzz.sh; longer runs: give it more seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
jobs="$(nproc)"
# Each phase reports its wall time, so a slow phase shows in the log.
started=$SECONDS
phase() { echo "== $1: $((SECONDS - started)) s"; started=$SECONDS; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$jobs"
phase "Release build"
(cd build && ctest --output-on-failure -j "$jobs")
phase "Release tests"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DSENDPLAN_SANITIZE=ON -DSENDPLAN_BENCHMARKS=OFF > /dev/null
cmake --build build-sanitize -j "$jobs"
phase "sanitizer build"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs" -LE slow)
phase "sanitizer tests"
bash scripts/run-fuzz.sh 30
phase "fuzzing"
