#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang in build-fuzz/ and runs each for SECONDS seconds from
# its seed corpus in tests/fuzz/corpus/. Fails if any harness finds a crash, a sanitizer report
# or an exception other than a refusal; what it found is left in build-fuzz/findings/<harness>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/run-fuzz.sh SECONDS}"
jobs="$(nproc)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DSENDPLAN_FUZZ=ON -DSENDPLAN_TESTS=OFF -DSENDPLAN_BENCHMARKS=OFF > /dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz
# Harnesses run side by side, as many at once as there are cores.
fuzz_one() {
  local name="$1" work="build-fuzz/corpus/$1" findings="build-fuzz/findings/$1"
  # The seeds stay as shipped; what the run learns goes to a corpus of its own.
  mkdir -p "$work" "$findings"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$work" "tests/fuzz/corpus/$name" 2> "build-fuzz/fuzz_$name.log"
}
names=(csv dfe scenario person_level)
declare -A pid_of
failed=()
for ((i = 0; i < ${#names[@]}; i += jobs)); do
  for name in "${names[@]:i:jobs}"; do
    echo "fuzz_$name: ${seconds}s"
    fuzz_one "$name" &
    pid_of[$name]=$!
  done
  for name in "${names[@]:i:jobs}"; do
    if ! wait "${pid_of[$name]}"; then
      failed+=("$name")
      tail -n 60 "build-fuzz/fuzz_$name.log"
    fi
    grep -E '^stat::number_of_executed_units|^Done ' "build-fuzz/fuzz_$name.log" | sed "s/^/fuzz_$name: /" || true
  done
done
if ((${#failed[@]})); then
  echo "fuzzing found problems in: ${failed[*]} (inputs in build-fuzz/findings/)" >&2
  exit 1
fi
echo "fuzzing: no findings"
