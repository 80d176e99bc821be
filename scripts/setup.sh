#!/usr/bin/env bash
# Installs what dmc needs on Debian 12 (when missing), then configures and builds it.
#   scripts/setup.sh [BUILD_DIR]        (default: build; honours DMC_CMAKE_ARGS)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}

PACKAGES=(
  cmake ninja-build g++ git                         # toolchain
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools  # MLIR 19, lit, FileCheck
  libfmt-dev nlohmann-json3-dev libgtest-dev libgmock-dev libomp-dev
  libdnnl-dev                                        # oneDNN sgemm: the benchmark's reference rate
  python3 python3-numpy python3-torch                # PyTorch references (Debian's /usr/bin/python3)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${DMC_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$(nproc)"
