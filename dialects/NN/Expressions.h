//===- Expressions.h - the mask and score expressions of nn ops -----------===//
//
// nn.softmax and nn.attention carry `mask_expr` and `score_expr` as canonical text (dialects/Support/
// Expr.h). This rebuilds their scope from the op (i and j over the scores' last two dims, h over the one
// before, s the score, t0.. the last `expr_tensors` inputs) and checks them again: the verifier runs it,
// so a pass or an emitter only ever reads a tree that was checked against the op's own shapes.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_NN_EXPRESSIONS_H
#define DMC_NN_EXPRESSIONS_H

#include "dialects/Support/Expr.h"

#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"

namespace dmc::nn {

struct Expressions {
  std::optional<expr::Node> mask, score;
  bool any() const { return mask || score; }
};

/// Whether the op carries a mask or score expression.
inline bool hasExpressions(mlir::Operation *op) { return op->hasAttr("mask_expr") || op->hasAttr("score_expr"); }

/// Checks the op's expressions (an nn.softmax or nn.attention); errors go to the op.
mlir::LogicalResult verifyExpressions(mlir::Operation *op);
/// The checked trees of a verified op.
Expressions expressionsOf(mlir::Operation *op);
/// The tensors the expressions read (the op's last `expr_tensors` inputs).
mlir::OperandRange exprTensorsOf(mlir::Operation *op);

} // namespace dmc::nn

#endif
