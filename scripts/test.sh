#!/usr/bin/env bash
# Sets up, builds and runs every test (lit + FileCheck, GoogleTest, PyTorch references) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
scripts/setup.sh "$BUILD_DIR"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
