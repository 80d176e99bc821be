#!/usr/bin/env bash
# Peer comparison on a machine without MLIR: builds generated C++ (from `dmc compile --emit=cpp`) together
# with libdmcrt's kernels using the system compiler, then times every build against the graph's PyTorch
# reference, interleaved in one process.
#   scripts/peer_bench.sh samples/NAME.json GENERATED.cpp [MORE.cpp ...] [-- --bind S=N --repeat N --threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
graph=$1; shift
cpps=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do cpps+=("$1"); shift; done
[ $# -gt 0 ] && shift
out=${PEER_BUILD_DIR:-/tmp/dmc-peer}
mkdir -p "$out/rt"
flags="-O3 -march=native -fopenmp -fPIC -std=c++17 -Iruntime/include -Iruntime/src"
vector="-O3 -ffp-contract=fast -Wno-psabi"
# The runtime as runtime/CMakeLists.txt builds it, without the loader (generated code does not use it).
if [ ! -f "$out/rt/done" ]; then
  for src in alloc error sizes timer kernel_util kernels_matmul kernels_elementwise kernels_softmax kernels_norm \
             kernels_layout kernels_tiled tiled_generic ukernels tiled_avx512 tiled_avx2; do
    extra=""
    case $src in
      tiled_generic) extra="$vector" ;;
      tiled_avx512) extra="$vector -mavx512f -mfma" ;;
      tiled_avx2) extra="$vector -mavx2 -mfma" ;;
      ukernels) extra="-DDMCRT_HAVE_AVX512 -DDMCRT_HAVE_AVX2" ;;
    esac
    g++ $flags $extra -c runtime/src/$src.cpp -o "$out/rt/$src.o" &
  done
  wait
  touch "$out/rt/done"
fi
sos=()
for cpp in "${cpps[@]}"; do
  name=$(basename "$cpp" .cpp)
  g++ $flags -c "$cpp" -o "$out/$name.o" && g++ -shared -fopenmp "$out"/rt/*.o "$out/$name.o" -o "$out/$name.so" &
  sos+=(--so "$out/$name.so")
done
wait
"${PYTHON:-python3}" scripts/peer_bench.py "${sos[@]}" --graph "$graph" "$@"
