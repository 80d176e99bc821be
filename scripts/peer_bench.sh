#!/usr/bin/env bash
# Peer comparison on a machine without MLIR: builds generated C++ (from `dmc compile --emit=cpp`) together
# with libdmcrt's kernels using the system compiler, then times it against the graph's PyTorch reference.
#   scripts/peer_bench.sh GENERATED.cpp samples/NAME.json [--bind S=N ...] [--repeat N] [--threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
cpp=$1; graph=$2; shift 2
out=${PEER_BUILD_DIR:-/tmp/dmc-peer}
mkdir -p "$out"
flags="-O3 -march=native -fopenmp -fPIC -std=c++17 -Iruntime/include -Iruntime/src"
objs=()
for src in alloc error timer kernel_util kernels_matmul kernels_elementwise kernels_softmax kernels_norm \
           kernels_layout kernels_tiled tiled_generic; do
  extra=""
  case $src in
    kernels_tiled) extra="-DDMCRT_HAVE_AVX512" ;;
    tiled_generic) extra="-ffp-contract=fast -Wno-psabi" ;;
  esac
  g++ $flags $extra -c runtime/src/$src.cpp -o "$out/$src.o" &
  objs+=("$out/$src.o")
done
g++ $flags -mavx512f -ffp-contract=fast -c runtime/src/tiled_avx512.cpp -o "$out/tiled_avx512.o" &
objs+=("$out/tiled_avx512.o")
g++ $flags -c "$cpp" -o "$out/graph.o" &
wait
g++ -shared -fopenmp "${objs[@]}" "$out/graph.o" -o "$out/libgraph.so"
"${PYTHON:-python3}" scripts/peer_bench.py --so "$out/libgraph.so" --graph "$graph" "$@"
