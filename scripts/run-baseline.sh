#!/usr/bin/env bash
# Installs what is missing, builds sendplan (Release), runs the baseline scenario on the shipped data
# and draws its plots. Results go to results/baseline/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" --target sendplan
# The run lists every file it wrote and draws the plots (into results/baseline/plots/).
./build/sendplan run scenarios/baseline.yaml --out results/baseline
