#!/usr/bin/env bash
# Sets up, builds and runs every test: ctest (lit + FileCheck, GoogleTest, runtime tests, PyTorch
# references, every sample at -O0..-O3 against its reference), then the ASan+UBSan job
# (scripts/test-sanitizers.sh). DMC_SKIP_SANITIZERS=1 skips the latter for a quicker local run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
scripts/setup.sh "$BUILD_DIR"
if [ "${DMC_SKIP_SANITIZERS:-0}" != 1 ]; then
  scripts/test-sanitizers.sh
fi
# ctest last: its summary ("100% tests passed, 0 tests failed out of N") closes the output.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
