#!/usr/bin/env bash
# Installs the Debian 12 packages higgsuq needs to build and test, only those missing.
# Idempotent; run as root. Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libxgboost-dev xgboost            # xgboost: Debian's CMake config names /usr/bin/xgboost
  libtorch-dev libopenblas0-openmp  # LibTorch 1.13 (CPU); OpenBLAS: Debian's Recommends, else netlib BLAS
  libhdf5-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libeigen3-dev libboost-math-dev libtbb-dev
  libopenmpi-dev openmpi-bin
  libhepmc3-dev libfastjet-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-iminuit python3-numpy python3-h5py
  chromium                          # headless rendering check of `higgsuq report`
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root to install packages" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
