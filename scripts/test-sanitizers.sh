#!/usr/bin/env bash
# ASan + UBSan: builds dmc, the runtime and the generated code with sanitizers (build-sanitize/), then runs
# the runtime's tests, every sample at -O0 to -O3 against its PyTorch reference, the hand-written graphs
# against NumPy, the malformed-graph corpus, and run-time sizes that overflow or cannot be allocated.
# Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-sanitize}
# The compiler itself is not sanitized (only the runtime, what links it and the generated code are, with -g:
# runtime/CMakeLists.txt), so it is built at -O1 without debug info: half the build time of RelWithDebInfo.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" \
      -DDMC_SANITIZE=ON > /dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target dmc dmc-raw-run dmcrt_tests
# allocator_may_return_null: an allocation too large to satisfy returns NULL, as without ASan, so that the
# runtime reports it (dmcrt_alloc_shape) instead of ASan stopping the process.
# intercept_tls_get_addr=0: LeakSanitizer of GCC 12 misreads the dynamic TLS blocks of a library loaded with
# dlopen (libdnnl, loaded by dmcrt_matmul_dnnl, with its OpenMP threads) on glibc 2.36, and its tracer dies
# with SIGSEGV at exit (google/sanitizers#1322); without it, dynamic TLS is not scanned, static TLS still is.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:allocator_may_return_null=1:intercept_tls_get_addr=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
export DMC_CACHE_DIR=$PWD/$BUILD_DIR/dmc-cache
"$BUILD_DIR/runtime/tests/dmcrt_tests" --gtest_brief=1 > "$BUILD_DIR/runtime-tests.log" 2>&1 \
  || { tail -50 "$BUILD_DIR/runtime-tests.log"; exit 1; }
tail -2 "$BUILD_DIR/runtime-tests.log"
# -O0 exercises the runtime kernels; -O1 the emitter's maps, memlets and tasklets; -O2 interchanged loop
# nests and views folded into memlets; -O3 the tiled kernels on strided views; the graphs tiled nests,
# collapsed maps (atomics) and selected layouts.
for level in 0 1 2 3; do
  /usr/bin/python3 test/backend/compare_samples.py "$BUILD_DIR/bin/dmc" -O$level --jobs "$(nproc)"
done
/usr/bin/python3 test/backend/compare_graphs.py --jobs "$(nproc)" "$BUILD_DIR/bin/dmc"
# The malformed corpus: every file must give a diagnostic and exit 1, never a sanitizer report.
failed=0
for f in test/lit/import/Inputs/malformed/*.json; do
  set +e
  "$BUILD_DIR/bin/dmc" import "$f" > /dev/null 2> "$BUILD_DIR/last.err"
  rc=$?
  set -e
  if [ $rc -gt 1 ] || grep -qE "Sanitizer|runtime error:" "$BUILD_DIR/last.err"; then
    echo "FAIL $f (exit $rc)"; cat "$BUILD_DIR/last.err"; failed=$((failed + 1))
  fi
done
echo "malformed corpus under sanitizers: $(ls test/lit/import/Inputs/malformed/*.json | wc -l) files, $failed failed"
[ $failed -eq 0 ]
# ONNX models truncated and corrupted (test/lit/onnx/malformed.test) under the sanitizers.
onnx_models=$(mktemp -d)
/usr/bin/python3 test/lit/onnx/Inputs/make_models.py "$onnx_models"
/usr/bin/python3 test/lit/onnx/Inputs/corrupt.py "$BUILD_DIR/bin/dmc" "$onnx_models/causal.onnx" "$onnx_models/external.onnx"
rm -rf "$onnx_models"
# Run-time sizes (test/lit/backend/run-sizes.test): symbol values that are not positive, overflow int64 or
# cannot be allocated are errors (exit 1), in dmc run and past the loader, never a sanitizer report.
sizes_dir=$BUILD_DIR/sizes
rm -rf "$sizes_dir"
failed=0
for level in 0 3; do
  for graph in samples/linear_attention.json test/lit/backend/Inputs/outer_sum.json; do
    lib=$sizes_dir/O$level/lib$(basename "$graph" .json).so
    "$BUILD_DIR/bin/dmc" compile "$graph" -O$level -o "$lib"
    for value in 72057594037927936 4611686018427387904 17592186044416 0 -3; do
      for cmd in "$BUILD_DIR/bin/dmc run $lib --bind S=$value" "$BUILD_DIR/bin/dmc-raw-run $lib $value"; do
        set +e
        $cmd > /dev/null 2> "$BUILD_DIR/last.err"
        rc=$?
        set -e
        # (ASan's "WARNING: AddressSanitizer failed to allocate" is the NULL return asked for above.)
        if [ $rc -ne 1 ] || grep -qE "ERROR: [A-Za-z]*Sanitizer|runtime error:" "$BUILD_DIR/last.err"; then
          echo "FAIL $cmd (exit $rc)"; cat "$BUILD_DIR/last.err"; failed=$((failed + 1))
        fi
      done
    done
  done
done
echo "run-time sizes under sanitizers: $failed failed"
[ $failed -eq 0 ]
