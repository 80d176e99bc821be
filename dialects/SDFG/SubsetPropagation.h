//===- SubsetPropagation.h - the subset a memlet touches over a scope -----===//
//
// A memlet inside maps names one element per iteration (`%A[%i, %k + 1]`). Fusion legality, bounds
// checks and the movement report need the subset it touches over whole scopes: this utility eliminates
// the parameters of every map between the memlet and a given scope, giving per-dimension [min, max]
// ranges that are linear in the SDFG's symbols (and in the parameters of maps outside the scope).
//
// The ranges are sound over-approximations: every value the index takes lies in [min, max]. Parameters
// are eliminated innermost first, each replaced by its lower or upper bound according to the sign of its
// coefficient, so bounds that depend on outer parameters (triangular nests) are eliminated in turn and
// stay correlated with the index. `mod`, `floordiv` and `ceildiv` terms are replaced by ranges of their
// own (`x mod 16` lies in [0, 15]), which loses their correlation with the rest of the index.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_SUBSETPROPAGATION_H
#define DMC_SDFG_SUBSETPROPAGATION_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>

namespace dmc::sdfg {

/// constant + sum(coefficient * value) over index values (symbols or map parameters).
struct LinearExpr {
  int64_t constant = 0;
  llvm::MapVector<mlir::Value, int64_t> terms;
  /// Set when some arithmetic on the expression overflowed int64_t: its value is then meaningless.
  bool overflowed = false;

  static LinearExpr of(int64_t c) { return LinearExpr{c, {}}; }
  static LinearExpr term(mlir::Value v, int64_t coeff) {
    LinearExpr e;
    e.terms[v] = coeff;
    return e;
  }
  bool isConstant() const { return terms.empty(); }
  /// this += scale * other, with overflow recorded in `overflowed`.
  LinearExpr &add(const LinearExpr &other, int64_t scale = 1);
  /// True when the expression is provably >= `bound` / < `bound` given that every term's value is at
  /// least 1. Only meaningful when the terms are free symbols (positive sizes); callers check that.
  bool provablyAtLeast(int64_t bound) const;
  bool provablyBelow(int64_t bound) const;
  /// "2*S - T + 1", naming each term's value with `nameOf`.
  std::string format(llvm::function_ref<std::string(mlir::Value)> nameOf) const;
};

/// True for the free symbols of an SDFG (sizes, positive at run time); false for local symbols and map
/// parameters, whose sign is not known.
bool isFreeSymbol(mlir::Value v);

/// An inclusive range [min, max]; either end unknown when the expressions are not linear.
struct Range {
  std::optional<LinearExpr> min, max;
};

/// Converts `expr` over `operands` (dims first, then symbols) to a linear form; nullopt if non-linear.
std::optional<LinearExpr> toLinear(mlir::AffineExpr expr, mlir::ValueRange operands,
                                   unsigned numDims);

/// An upper (`wantMax`) or lower bound of `expr` over `operands` when the parameters of maps nested
/// inside `scope` (or of every map, for a null scope) vary over their ranges; nullopt when none is
/// found (a product of values, a division by something not provably positive). When `whyNot` is given,
/// it receives the reason.
std::optional<LinearExpr> boundOver(mlir::AffineExpr expr, mlir::ValueRange operands, unsigned numDims,
                                    mlir::Operation *scope, bool wantMax, std::string *whyNot = nullptr);

/// Every bound of `expr` the elimination can derive, all sound: one per choice among the expressions of
/// the `sdfg.min` values (upper bounds: a tile's extent is below each of them) and `sdfg.max` values
/// (lower bounds: a tile's start is above each) it meets, capped at 16. A proof holds when it holds for
/// any of them. Empty when none is found.
llvm::SmallVector<LinearExpr, 4> boundsOver(mlir::AffineExpr expr, mlir::ValueRange operands, unsigned numDims,
                                            mlir::Operation *scope, bool wantMax, std::string *whyNot = nullptr);

/// The range of `expr` over `operands` when the parameters of maps nested inside `scope` (or every map,
/// for a null scope) vary over their ranges: both ends of boundOver.
Range propagateRange(mlir::AffineExpr expr, mlir::ValueRange operands, unsigned numDims,
                     mlir::Operation *scope = nullptr);

/// Per-dimension ranges of a load or store memlet over `scope`.
llvm::SmallVector<Range> memletSubset(mlir::Operation *memlet, mlir::Operation *scope = nullptr);

} // namespace dmc::sdfg

#endif
