#!/usr/bin/env bash
# Installs what is missing, builds everything (Release, GCC, warnings as errors) and runs every
# test; then builds with AddressSanitizer and UndefinedBehaviorSanitizer (clang, warnings as errors)
# and runs the tests again under them, all but the long end-to-end runs labelled slow; checks that
# no function is over the size limits (.clang-tidy) while it fuzzes each input reader for 20 s
# (scripts/run-fuzz.sh; longer runs: give it more seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
jobs="$(nproc)"
# Each phase reports its wall time, so a slow phase shows in the log.
started=$SECONDS
phase() { echo "== $1: $((SECONDS - started)) s"; started=$SECONDS; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSENDPLAN_WERROR=ON > /dev/null
cmake --build build -j "$jobs"
phase "Release build"
(cd build && ctest --output-on-failure -j "$jobs")
phase "Release tests"
# The sanitizer build uses clang (it builds this project about three times as fast as GCC with the
# sanitizers on); the stored-output tests check that both compilers write the same results.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DSENDPLAN_SANITIZE=ON -DSENDPLAN_BENCHMARKS=OFF -DSENDPLAN_WERROR=ON \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > /dev/null
cmake --build build-sanitize -j "$jobs"
phase "sanitizer build"
echo "Under the sanitizers, every test but these long end-to-end runs (label slow; they ran in Release above):"
(cd build-sanitize && ctest -N -L slow | sed -n 's/^ *Test *#[0-9]*: /  /p')
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$jobs" -LE slow)
phase "sanitizer tests"
# The size check parses every source again; it runs beside the fuzzers, whose runs are timed, so it
# costs them executions rather than the run minutes.
bash scripts/check-function-size.sh build-sanitize > build-sanitize/function-size.out 2>&1 &
size_check=$!
bash scripts/run-fuzz.sh 20
phase "fuzzing"
size_status=0
wait "$size_check" || size_status=$?
cat build-sanitize/function-size.out
((size_status == 0))
phase "function size"
