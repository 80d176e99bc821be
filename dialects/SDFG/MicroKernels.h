//===- MicroKernels.h - the runtime micro-kernels sdfg.ukernel may call -----===//
//
// The one owner of what each micro-kernel touches and how it is called: the verifier proves its tiles in
// bounds from the extents here, the movement analysis counts them, the tiled expansions build calls that
// match, and the emitter prints the call from `call`. The functions live in libdmcrt
// (runtime/include/dmc/runtime/ukernels.h).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_MICROKERNELS_H
#define DMC_SDFG_MICROKERNELS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace dmc::sdfg {

/// The extent of a tile along one dimension: a constant, or the value of one of the call's arguments.
struct TileExtent {
  int64_t constant = 1;
  int arg = -1; // >= 0: the extent is args[arg]
  static TileExtent fixed(int64_t c) { return {c, -1}; }
  static TileExtent ofArg(int a) { return {0, a}; }
};

/// One operand of a micro-kernel: the tile it touches, and the layout it needs.
struct TileOperand {
  std::vector<TileExtent> extents; // one per dimension of the container
  /// Dimensions, counted from the last, whose sizes the kernel fixes (a packed panel's row length):
  /// `trailingDims[k]` is the size of dimension rank-1-k.
  std::vector<int64_t> trailingDims;
  /// The container must be a transient or argument of its own (no view), so its layout is row-major.
  bool packed = false;
  /// `extents` name the last dimensions only; any before them have extent 1 (a tile of one matrix of a
  /// batch, read in place).
  bool leadingUnitDims = false;
  /// The kernel reads rows of the tile through a row stride: the container may be a view, but its last
  /// dimension must be contiguous and its rows evenly spaced (a strided layout, sdfg::stridedLayout).
  bool stridedRows = false;
};

/// The extent of `spec`'s tile along each of the `rank` dimensions of its container; empty when the
/// rank does not fit the kernel.
std::vector<TileExtent> tileExtents(const TileOperand &spec, int64_t rank);

/// One item of the C call: an argument, an operand's tile pointer, the row stride (elements between
/// consecutive indices of the second-to-last dimension) of an operand, or a constant.
struct CallItem {
  enum Kind { Arg, Pointer, RowStride, Constant } kind;
  int64_t value; // the argument / operand index, or the constant
};

struct MicroKernel {
  llvm::StringRef name;     // sdfg.ukernel's `kernel`
  llvm::StringRef function; // the runtime's C function
  std::vector<TileOperand> inputs, outputs;
  std::vector<llvm::StringRef> argNames;
  std::vector<CallItem> call;
  /// Floating-point operations per call, given the argument values (the movement report's flop count).
  int64_t (*flops)(llvm::ArrayRef<int64_t> args) = nullptr;
};

/// The kernel named `name`, or null.
const MicroKernel *lookupMicroKernel(llvm::StringRef name);
/// Every kernel, for diagnostics.
llvm::ArrayRef<MicroKernel> microKernels();

/// The register tile (rows x columns of the accumulator) of a packed-panel GEMM kernel.
struct RegisterTile {
  int64_t rows, cols;
  llvm::StringRef kernel;
};
/// The GEMM kernels on packed panels, best first for wide vector units.
llvm::ArrayRef<RegisterTile> gemmRegisterTiles();
/// The kernel of the same register tile that reads A and B in place (rows with a row stride), or an
/// empty name.
llvm::StringRef gemmRowsKernel(llvm::StringRef packedKernel);

} // namespace dmc::sdfg

#endif
