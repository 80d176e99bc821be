#!/usr/bin/env bash
# Sets up, builds and runs every test: ctest (lit + FileCheck, GoogleTest, runtime tests, PyTorch
# references, every sample at -O0..-O3 against its reference), the ASan+UBSan job
# (scripts/test-sanitizers.sh) and a one-minute libFuzzer run per target (scripts/fuzz.sh, ~5 minutes with
# its build). DMC_SKIP_SANITIZERS=1 and DMC_SKIP_FUZZ=1 skip those two for a quicker local run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
# Each phase's wall time, so that CI's log shows where its time goes (CI must stay well inside 90 minutes).
phase_start=$SECONDS
phase_done() { echo "test.sh: $1 took $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }
scripts/setup.sh "$BUILD_DIR"
phase_done setup
# dmc view's page: Chromium, node and the npm packages, then the bundle; its ctest must then run.
scripts/install-viewer-deps.sh "$BUILD_DIR"
phase_done viewer-deps
export DMC_REQUIRE_VIEWER=1
if [ "${DMC_SKIP_SANITIZERS:-0}" != 1 ]; then
  scripts/test-sanitizers.sh
  phase_done sanitizers
fi
if [ "${DMC_SKIP_FUZZ:-0}" != 1 ]; then
  scripts/fuzz.sh 60
  phase_done fuzz
fi
# ctest last: its summary ("100% tests passed, 0 tests failed out of N") closes the output.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
