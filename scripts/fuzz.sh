#!/usr/bin/env bash
# libFuzzer on the graph importer, the ONNX importer and the .mlir parser + verifiers (docs/testing.md):
#   scripts/fuzz.sh [SECONDS]      (default 60 per target; the ONNX target 2/3 of that)
# Environment: DMC_FUZZ_TARGETS (default "fuzz-import-json fuzz-import-onnx fuzz-parse-mlir"), DMC_FUZZ_BUILD_DIR (default
# build-fuzz), DMC_CMAKE_ARGS (extra configure arguments, e.g. a compiler launcher), DMC_FUZZ_ONNX_SECONDS
# (default 2/3 of SECONDS: building compiler/onnx adds ~45 s on two cores, so with 40 s of fuzzing the
# ONNX target adds less than 90 s to CI's run).
# Installs clang-19 and its libFuzzer (Debian packages) when missing, builds the targets with
# -fsanitize=fuzzer,address,undefined in build-fuzz/, builds the seed corpus (samples, hand-written
# SDFGs, lit inputs, the malformed-graph corpus and the ONNX lit models), then runs each target for SECONDS, one after the
# other. A crash, sanitizer report, timeout or oracle finding (test/libfuzzer/FuzzOracle.h) fails the run
# and leaves the input in BUILD_DIR/crashes/. Inputs that found new coverage accumulate in BUILD_DIR/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
ONNX_SECONDS=${DMC_FUZZ_ONNX_SECONDS:-$((SECONDS_PER_TARGET * 2 / 3))}
BUILD_DIR=${DMC_FUZZ_BUILD_DIR:-build-fuzz}
read -ra TARGETS <<< "${DMC_FUZZ_TARGETS:-fuzz-import-json fuzz-import-onnx fuzz-parse-mlir}"

# clang-19 matches LLVM/MLIR 19; libomp-19-dev because the runtime is configured (not built) with it;
# python3-onnx writes the ONNX seeds.
PACKAGES=(clang-19 libclang-rt-19-dev libomp-19-dev python3-onnx python3-numpy)
scripts/install-packages.sh fuzz "${PACKAGES[@]}"

# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
  -DDMC_FUZZ=ON -DDMC_BUILD_TESTS=OFF ${DMC_CMAKE_ARGS:-} > /dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${TARGETS[@]}"

# Seeds are rebuilt from the sources each run; the lit files of several cases (`// -----`) give one seed
# per case.
SEEDS=$BUILD_DIR/seeds
rm -rf "$SEEDS" && mkdir -p "$SEEDS/fuzz-import-json" "$SEEDS/fuzz-import-onnx" "$SEEDS/fuzz-parse-mlir" \
  "$BUILD_DIR/crashes"
cp samples/*.json test/lit/import/Inputs/*.json test/lit/import/Inputs/malformed/*.json "$SEEDS/fuzz-import-json/"
# The ONNX lit models (written by a script, so the tree holds no binary files); the external-data ones
# only as their .onnx, since the target reads each input alone.
/usr/bin/python3 test/lit/onnx/Inputs/make_models.py "$BUILD_DIR/onnx-models" > /dev/null
cp "$BUILD_DIR"/onnx-models/*.onnx "$SEEDS/fuzz-import-onnx/"
for f in samples/mlir/*.mlir test/backend/graphs/*.mlir $(find test/lit -name '*.mlir' | sort); do
  awk -v out="$SEEDS/fuzz-parse-mlir/$(echo "$f" | tr / _)" \
    '/^\/\/ -----/ { n++; next } { print > (out "." n ".mlir") }' n=0 "$f"
done
echo "fuzz: seeds: $(find "$SEEDS/fuzz-import-json" -type f | wc -l) graphs," \
  "$(find "$SEEDS/fuzz-import-onnx" -type f | wc -l) ONNX models," \
  "$(find "$SEEDS/fuzz-parse-mlir" -type f | wc -l) .mlir cases"

# Dictionaries: the fixed syntax plus the words the importer and the dialects actually use.
cp test/libfuzzer/json.dict "$BUILD_DIR/fuzz-import-json.dict"
grep -ohE '"[A-Za-z_][A-Za-z0-9_]*"' compiler/importer/*.cpp | sort -u >> "$BUILD_DIR/fuzz-import-json.dict"
# ONNX: the op and attribute names the translator knows (protobuf stores them as plain strings).
grep -ohE '"[A-Za-z_][A-Za-z0-9_]*"' compiler/onnx/*.cpp | sort -u > "$BUILD_DIR/fuzz-import-onnx.dict"
cp test/libfuzzer/mlir.dict "$BUILD_DIR/fuzz-parse-mlir.dict"
cat "$SEEDS"/fuzz-parse-mlir/* | grep -ohE '(\b(sdfg|nn|arith|math)\.|[!#]sdfg\.)[a-z_]+' | sort -u \
  | sed 's/.*/"&"/' >> "$BUILD_DIR/fuzz-parse-mlir.dict"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
failed=0
for target in "${TARGETS[@]}"; do
  corpus=$BUILD_DIR/corpus/$target
  mkdir -p "$corpus"
  log=$BUILD_DIR/$target.log
  seconds=$SECONDS_PER_TARGET
  [ "$target" = fuzz-import-onnx ] && seconds=$ONNX_SECONDS
  echo "fuzz: $target for ${seconds}s (log: $log)"
  set +e
  "$BUILD_DIR/bin/$target" "$corpus" "$SEEDS/$target" -dict="$BUILD_DIR/$target.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$BUILD_DIR/crashes/$target-" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  set -e
  grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
  if [ $rc -ne 0 ]; then
    echo "fuzz: $target FAILED (exit $rc):"; grep -E "ERROR|finding|Test unit written|^SUMMARY" "$log" || tail -30 "$log"
    failed=$((failed + 1))
  fi
done
[ $failed -eq 0 ] && echo "fuzz: ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET}s each (fuzz-import-onnx ${ONNX_SECONDS}s), no crash"
[ $failed -eq 0 ]
