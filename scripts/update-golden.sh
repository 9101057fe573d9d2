#!/usr/bin/env bash
# Rewrites the stored expected outputs of tests/golden/ from the engine as built now. Run it only
# when a change is meant to change what the engine writes, look at the difference (git diff
# tests/golden/expected), and say in the commit why the outputs changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" --target sendplan sendplan_tests
SENDPLAN_UPDATE_GOLDEN=1 build/tests/sendplan_tests "[golden]"
git status --short tests/golden/expected
