#!/usr/bin/env bash
# shellcheck disable=SC2086  # $flags, $extra and $opt are option lists, split on purpose
# Peer comparison on a machine without MLIR: builds generated C++ (from `dmc compile --emit=cpp`) together
# with libdmcrt's kernels using the system compiler, then runs the peer benchmark (scripts/peers.py): every
# build against PyTorch eager, torch.compile, FlexAttention and ONNX Runtime, each in its own process.
#   scripts/peer_bench.sh samples/NAME.json GENERATED.cpp [MORE.cpp|BUILT.so ...] [-- DRIVER OPTIONS]
# The graph and the builds may come in any order; everything after `--` (or from the first option on)
# goes to scripts/peers.py: --bind S=N --threads T --rounds R --repeat N --json F --svg F --peers LIST ...
# Builds go to $PEER_BUILD_DIR (default /tmp/dmc-peer); the runtime's objects are rebuilt when its
# sources change. $PYTHON picks the interpreter (default python3: the one with PyTorch 2.x).
set -euo pipefail
graph=""
cpps=()
sos=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    -*) break ;;
    *.json) graph=$(realpath "$1") ;;
    *.cpp) cpps+=("$(realpath "$1")") ;;
    *.so) sos+=(--so "$(realpath "$1")") ;;
    *) echo "peer_bench.sh: $1 is neither a graph (.json), generated C++ (.cpp) nor a build (.so)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$graph" ]; then
  echo "usage: scripts/peer_bench.sh samples/NAME.json GENERATED.cpp [MORE.cpp ...] [-- --bind S=N --threads T ...]" >&2
  exit 2
fi
# Paths among the driver's options (--json, --svg) stay relative to where this was started.
start_dir=$PWD
cd "$(dirname "$0")/.."
root=$PWD
out=${PEER_BUILD_DIR:-/tmp/dmc-peer}
flags="-O3 -march=native -fopenmp -fPIC -std=c++17 -Iruntime/include -Iruntime/src"
vector="-O3 -ffp-contract=fast -Wno-psabi"
# The runtime as runtime/CMakeLists.txt builds it, without the loader (generated code does not use it),
# in a folder named by a hash of its sources and of the flags.
hash=$( (cat runtime/src/*.cpp runtime/src/*.inc runtime/src/*.h runtime/include/dmc/runtime/*.h 2>/dev/null; \
         echo "$flags $vector"; g++ --version) | sha256sum | cut -c1-16)
rt="$out/rt-$hash"
mkdir -p "$rt"
if [ ! -f "$rt/done" ]; then
  pids=()
  for src in alloc error sizes timer kernel_util kernels_matmul kernels_elementwise kernels_softmax kernels_norm \
             kernels_layout kernels_tiled kernels_dnnl tiled_generic ukernels tiled_avx512 tiled_avx2; do
    extra=""
    case $src in
      tiled_generic) extra="$vector" ;;
      tiled_avx512) extra="$vector -mavx512f -mfma" ;;
      tiled_avx2) extra="$vector -mavx2 -mfma" ;;
      ukernels) extra="-DDMCRT_HAVE_AVX512 -DDMCRT_HAVE_AVX2" ;;
      kernels_dnnl) extra="" ;;  # without oneDNN there: the dnnl implementation fails with a message
    esac
    g++ $flags $extra -c runtime/src/$src.cpp -o "$rt/$src.o" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  touch "$rt/done"
fi
pids=()
for cpp in "${cpps[@]}"; do
  name=$(basename "$cpp" .cpp)
  (g++ $flags -c "$cpp" -o "$out/$name.o" && g++ -shared -fopenmp "$rt"/*.o "$out/$name.o" -o "$out/$name.so") &
  pids+=($!)
  sos+=(--so "$out/$name.so")
done
for pid in "${pids[@]}"; do wait "$pid"; done
cd "$start_dir"
exec "${PYTHON:-python3}" "$root/scripts/peers.py" --graph "$graph" "${sos[@]}" "$@"
