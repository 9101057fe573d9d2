#!/usr/bin/env bash
# Fails if any function in src/ is over 60 lines or over 25 in cognitive complexity, as .clang-tidy
# sets them (Debian's clang-tidy). BUILD_DIR is a configured build with compile_commands.json
# (CMAKE_EXPORT_COMPILE_COMMANDS=ON) whose generated sources exist, e.g. the sanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: scripts/check-function-size.sh BUILD_DIR}"
log="$build/function-size.log"
command -v run-clang-tidy > /dev/null || { echo "run-clang-tidy not found: install Debian's clang-tidy (scripts/install-dependencies.sh)" >&2; exit 1; }
[[ -f "$build/compile_commands.json" ]] || { echo "$build/compile_commands.json not found: configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON" >&2; exit 1; }
run-clang-tidy -p "$build" -j "$(nproc)" -quiet "$PWD/src/" > "$log" 2>&1 || true
if grep -E 'warning:|error:' "$log" | sed 's/\x1b\[[0-9;]*m//g' | sed "s|$PWD/||" | sort -u | grep .; then
  echo
  echo "functions over the size or complexity limits above (.clang-tidy): split them along what they do" >&2
  exit 1
fi
echo "function size: every function in src/ within 60 lines and cognitive complexity 25"
