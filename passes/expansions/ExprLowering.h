//===- ExprLowering.h - mask and score expressions in tasklets (internal) ---===//
//
// The checked trees of an nn.softmax's or nn.attention's `mask_expr` and `score_expr`
// (dialects/NN/Expressions.h) as memlets and tasklet code: each tensor element the tree reads becomes an
// sdfg.load at affine indices (the tree's indices are affine by its checks, so the memlet verifier proves
// them in bounds), and the tree itself arith/math ops that the emitter prints like any tasklet's.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_EXPANSIONS_EXPRLOWERING_H
#define DMC_PASSES_EXPANSIONS_EXPRLOWERING_H

#include "dialects/NN/Expressions.h"
#include "passes/expansions/TileNest.h"

namespace dmc::expansions {

/// An index variable of the expressions: `base * scale + offset` (scale 0: `base` alone; `base` null:
/// the constant 0). Tile nests give the query as (block, rows per block, row in block).
struct IndexVar {
  mlir::Value base;
  int64_t scale = 0;
  mlir::Value offset;
  IndexFn fn() const;
};

/// Where the expressions are evaluated: i (query), j (key), h (head).
struct ExprSite {
  IndexVar i, j, h;
};

/// Appends to `operands` the tasklet operands the expressions need at `site`: the index values of i, j
/// and h, then one load per tensor element read (from `tensors`, the op's expression inputs).
void appendExprOperands(Expander &e, const nn::Expressions &exprs, mlir::ValueRange tensors, const ExprSite &site,
                        llvm::SmallVectorImpl<mlir::Value> &operands);
/// In the tasklet body: from the block arguments that appendExprOperands' operands became (`args`, in
/// that order), the score `s` rewritten by the score expression, then -inf where the mask expression
/// drops the position.
mlir::Value applyExprs(mlir::OpBuilder &b, mlir::Location loc, const nn::Expressions &exprs, const ExprSite &site,
                       mlir::ValueRange args, mlir::Value s);
/// The schedule of the innermost map that evaluates the expressions: sequential where they read a tensor,
/// else `vector`. GCC 12 at -O3 -march=native miscompiles a `#pragma omp simd` loop gathering a tensor
/// element at an index of both i and j (the BigBird sample at S=77, H=1: rows past 48 lost their random
/// blocks; the same loop without the pragma, which GCC still vectorises itself, is right).
sdfg::Schedule exprLoopSchedule(const nn::Expressions &exprs);
/// The number of operands appendExprOperands appends.
size_t numExprOperands(const nn::Expressions &exprs, const ExprSite &site);

} // namespace dmc::expansions

#endif
