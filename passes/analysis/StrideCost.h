//===- StrideCost.h - how far a memlet's address jumps per loop step ---===//
//
// The cost model behind interchange-maps and select-layouts. Only the innermost loop of a nest gets
// spatial locality: an access whose address moves by `s` elements per innermost step touches a new
// 64-byte cache line every 16/|s| steps (every step once |s| >= 16) and none when s = 0. The cost of a
// nest is the number of cache lines its memlets touch, estimated that way.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_ANALYSIS_STRIDECOST_H
#define DMC_PASSES_ANALYSIS_STRIDECOST_H

#include "dialects/SDFG/SDFGOps.h"

#include <optional>

namespace dmc {

/// Elements per 64-byte cache line, for 4-byte elements (the model's unit).
constexpr int64_t kLineElements = 16;

/// How much each index of the memlet's own container (load/store array) changes when `param` steps by
/// one; nullopt when an index is not linear in it (floordiv, mod, products).
std::optional<llvm::SmallVector<int64_t>> indexSteps(mlir::Operation *memlet, mlir::Value param);

/// The same steps seen at the root container, through transpose and slice views; nullopt through a
/// reshape view (its indices are not those of the root).
std::optional<llvm::SmallVector<int64_t>> rootIndexSteps(mlir::Operation *memlet, mlir::Value param);

/// Row-major strides of a static shape laid out in `order` (order[0] outermost dim); nullopt for a
/// symbolic dimension.
std::optional<llvm::SmallVector<int64_t>> stridesInOrder(const Shape &shape, llvm::ArrayRef<int64_t> order);

/// The address step of index steps `steps` in a layout with `strides`: their dot product.
int64_t linearStride(llvm::ArrayRef<int64_t> steps, llvm::ArrayRef<int64_t> strides);

/// Elements the memlet's storage address moves per step of `param`, views resolved by their strided
/// layout (sdfg::stridedLayout); nullopt when not known (symbolic strides, non-linear indices, a reshape
/// of a strided view).
std::optional<int64_t> addressStride(mlir::Operation *memlet, mlir::Value param);

/// Cache lines touched per step of a loop that moves an address by `stride` elements (1 when unknown).
double linesPerStep(std::optional<int64_t> stride);

/// Cache lines per step of `param` for all loads and stores directly in `body`.
double nestLinesPerStep(mlir::Block &body, mlir::Value param);

} // namespace dmc

#endif
