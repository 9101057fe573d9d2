#!/usr/bin/env bash
# Installs the Debian 12 packages sendplan needs, only those missing. Run as root.
set -euo pipefail
packages=(
  build-essential cmake git pkg-config time
  libeigen3-dev libboost-random-dev libhdf5-dev libyaml-cpp-dev libcli11-dev libfmt-dev libxlsxwriter-dev libzip-dev
  catch2 libbenchmark-dev
  clang clang-tidy libclang-rt-14-dev libomp-dev
  python3-matplotlib python3-h5py python3-numpy python3-pandas python3-openpyxl
  chromium poppler-utils fonts-dejavu-core
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
