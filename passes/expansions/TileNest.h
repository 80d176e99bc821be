//===- TileNest.h - building blocks of the tiled expansions (internal) ----===//
//
// Tile nests (TiledMatMul.cpp, TiledAttention.cpp, TiledRows.cpp) are maps whose bounds and memlet indices are affine
// expressions over symbols, enclosing parameters and tile extents (sdfg.min, sdfg.max). These helpers
// build them with the operands collected on the fly: an IndexFn turns an AffineOperands (the operand
// list of the map being built) into an expression.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_EXPANSIONS_TILENEST_H
#define DMC_PASSES_EXPANSIONS_TILENEST_H

#include "passes/expansions/Expansions.h"

#include <functional>

namespace dmc::expansions {

/// The operands of one affine map being built: each value becomes a dim the first time it is used.
struct AffineOperands {
  llvm::SmallVector<mlir::Value> values;
  mlir::MLIRContext *ctx;
  mlir::AffineExpr operator()(mlir::Value v);
};

using IndexFn = std::function<mlir::AffineExpr(AffineOperands &)>;
IndexFn param(mlir::Value v);
IndexFn constant(int64_t c);
/// The affine expression of a dimension of a shape (its symbol's value, or its constant).
mlir::AffineExpr dimExpr(Expander &e, AffineOperands &ops, const Dim &d);
inline IndexFn dimFn(Expander &e, const Dim &d) {
  return [&e, d](AffineOperands &o) { return dimExpr(e, o, d); };
}

/// A map over [lower_d, upper_d) with unit steps, lower and upper bounds affine over their own operands
/// (tile starts `sdfg.max` among the lower ones, tile extents `sdfg.min` among the upper ones), with an
/// empty body. The insertion point stays after the map.
sdfg::MapOp buildMap(Expander &e, llvm::ArrayRef<IndexFn> lower, llvm::ArrayRef<IndexFn> upper,
                     sdfg::Schedule schedule);
/// The same with constant-0 lower bounds.
sdfg::MapOp buildMap(Expander &e, llvm::ArrayRef<IndexFn> upper, sdfg::Schedule schedule);
/// A one-parameter map over [0, upper) whose body `body` builds (called with the parameter, the
/// insertion point inside the map); the insertion point stays after the map.
void forRange(Expander &e, IndexFn upper, sdfg::Schedule schedule, llvm::function_ref<void(mlir::Value)> body);

/// sdfg.min / sdfg.max of the expressions: a tile's extent or start.
mlir::Value buildMin(Expander &e, llvm::ArrayRef<IndexFn> exprs);
mlir::Value buildMax(Expander &e, llvm::ArrayRef<IndexFn> exprs);

/// A load of `array` at affine indices.
mlir::Value loadAt(Expander &e, mlir::Value array, llvm::ArrayRef<IndexFn> indices);
/// A store of `value` into `array` at affine indices.
void storeAt(Expander &e, mlir::Value value, mlir::Value array, llvm::ArrayRef<IndexFn> indices);

/// Indices of an operand of rank >= 2 whose last two dims are read at (row, col), its batch dims
/// broadcast to the batch parameters `batch` of an iteration space with batch shape `batchOut`.
llvm::SmallVector<IndexFn> matrixIndices(const Shape &shape, const Shape &batchOut, mlir::ValueRange batch,
                                         IndexFn row, IndexFn col);
/// Indices of an operand of shape `shape` that NumPy-broadcasts to `outShape`, at the element `full` (one
/// index per dim of `outShape`): a dim of 1 that stretches is read at 0.
llvm::SmallVector<IndexFn> broadcastIndexFns(const Shape &shape, const Shape &outShape, llvm::ArrayRef<IndexFn> full);
/// Indices of an addend broadcast to `outShape` (batch..., rows, cols) at its element (batch..., row, col).
llvm::SmallVector<IndexFn> addendIndices(const Shape &shape, const Shape &outShape, mlir::ValueRange batch,
                                         IndexFn row, IndexFn col);

/// An sdfg.ukernel call of `kernel`: tiles with their origins (each affine over its own operands) and
/// index arguments.
void callKernel(Expander &e, llvm::StringRef kernel, mlir::ValueRange ins, mlir::ValueRange outs,
                llvm::ArrayRef<llvm::SmallVector<IndexFn>> origins, mlir::ValueRange args);

/// Packs a block of a matrix operand into micro-panels of `width` for the GEMM micro-kernel:
/// packed[panelBase + q, p, r] = source element (along = origin + q*width + r, depth = depthOrigin + p) for the
/// panels q < `panels`, r < min(width, edge - origin - q*width) and p < `depth`. Past the edge the
/// panels keep what they held (the GEMM's rows or columns there are never read back). `alongIsRow` says
/// whether `along` indexes the source's rows (second-to-last dim) or its columns; the inner loop runs
/// along the source's contiguous dimension. `value` may rewrite each loaded element (a scale).
struct PanelPacking {
  mlir::Value source, packed;
  Shape batchShape;
  mlir::ValueRange batch;
  bool alongIsRow = true;
  int64_t width = 1;
  IndexFn panels, depth; // the number of panels, the panel depth
  IndexFn edge;           // the source's extent along `along` (the valid part ends there)
  IndexFn origin, depthOrigin;
  IndexFn panelBase;                              // the first panel's index in `packed`; null: 0
  std::function<mlir::Value(mlir::Value)> value; // null: copied as is
};
void packPanels(Expander &e, const PanelPacking &p);

} // namespace dmc::expansions

#endif
