//===- SubsetPropagation.h - the subset a memlet touches over a scope -----===//
//
// A memlet inside maps names one element per iteration (`%A[%i, %k + 1]`). Fusion legality, bounds
// checks and the movement report need the subset it touches over whole scopes: this utility eliminates
// the parameters of every map between the memlet and a given scope, giving per-dimension [min, max]
// ranges that are linear in the SDFG's symbols (and in the parameters of maps outside the scope).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_SUBSETPROPAGATION_H
#define DMC_SDFG_SUBSETPROPAGATION_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"
#include "llvm/ADT/MapVector.h"

#include <optional>

namespace dmc::sdfg {

/// constant + sum(coefficient * value) over index values (symbols or map parameters).
struct LinearExpr {
  int64_t constant = 0;
  llvm::MapVector<mlir::Value, int64_t> terms;

  static LinearExpr of(int64_t c) { return LinearExpr{c, {}}; }
  bool isConstant() const { return terms.empty(); }
  LinearExpr &add(const LinearExpr &other, int64_t scale = 1);
  /// Sign of the expression when every term's value is at least 1 (symbols are positive): +1 when
  /// provably >= 0 ... precisely: returns true when provably >= `bound` / < `bound`.
  bool provablyAtLeast(int64_t bound) const;
  bool provablyBelow(int64_t bound) const;
};

/// An inclusive range [min, max]; either end unknown when the expressions are not linear.
struct Range {
  std::optional<LinearExpr> min, max;
};

/// Converts `expr` over `operands` (dims first, then symbols) to a linear form; nullopt if non-linear.
std::optional<LinearExpr> toLinear(mlir::AffineExpr expr, mlir::ValueRange operands,
                                   unsigned numDims);

/// The range of `expr` over `operands` when the parameters of maps nested inside `scope` (or every map,
/// for a null scope) vary over their ranges.
Range propagateRange(mlir::AffineExpr expr, mlir::ValueRange operands, unsigned numDims,
                     mlir::Operation *scope = nullptr);

/// Per-dimension ranges of a load or store memlet over `scope`.
llvm::SmallVector<Range> memletSubset(mlir::Operation *memlet, mlir::Operation *scope = nullptr);

} // namespace dmc::sdfg

#endif
