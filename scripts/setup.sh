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
  python3-pytest python3-venv python3-pip python3-setuptools python3-wheel  # the Python package's tests
  libonnx-dev libprotobuf-dev libonnx-testdata python3-onnx  # ONNX import and its tests (docs/onnx.md)
)
scripts/install-packages.sh setup "${PACKAGES[@]}"

# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${DMC_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$(nproc)"
