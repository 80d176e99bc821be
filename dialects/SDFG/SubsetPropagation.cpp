//===- SubsetPropagation.cpp - the subset a memlet touches over a scope ---===//
#include "dialects/SDFG/SubsetPropagation.h"
#include "dialects/SDFG/SDFGOps.h"

using namespace mlir;

namespace dmc::sdfg {

LinearExpr &LinearExpr::add(const LinearExpr &other, int64_t scale) {
  constant += scale * other.constant;
  for (auto [value, coeff] : other.terms) {
    terms[value] += scale * coeff;
    if (terms[value] == 0)
      terms.erase(value);
  }
  return *this;
}

// Every term's value is >= 1 (symbols and the parameters left are positive sizes or non-negative
// indices; we only use terms that are symbols here, see callers), so positive coefficients can only
// raise the value above constant + sum(coefficients).
bool LinearExpr::provablyAtLeast(int64_t bound) const {
  int64_t least = constant;
  for (auto [value, coeff] : terms) {
    if (coeff < 0)
      return false;
    least += coeff;
  }
  return least >= bound;
}

bool LinearExpr::provablyBelow(int64_t bound) const {
  int64_t most = constant;
  for (auto [value, coeff] : terms) {
    if (coeff > 0)
      return false;
    most += coeff; // value >= 1 and coeff <= 0
  }
  return most < bound;
}

std::optional<LinearExpr> toLinear(AffineExpr expr, ValueRange operands, unsigned numDims) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return LinearExpr::of(c.getValue());
  if (auto d = dyn_cast<AffineDimExpr>(expr)) {
    LinearExpr e;
    e.terms[operands[d.getPosition()]] = 1;
    return e;
  }
  if (auto s = dyn_cast<AffineSymbolExpr>(expr)) {
    LinearExpr e;
    e.terms[operands[numDims + s.getPosition()]] = 1;
    return e;
  }
  auto bin = cast<AffineBinaryOpExpr>(expr);
  auto lhs = toLinear(bin.getLHS(), operands, numDims);
  auto rhs = toLinear(bin.getRHS(), operands, numDims);
  if (!lhs || !rhs)
    return std::nullopt;
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return lhs->add(*rhs);
  case AffineExprKind::Mul:
    if (rhs->isConstant())
      return LinearExpr::of(0).add(*lhs, rhs->constant);
    if (lhs->isConstant())
      return LinearExpr::of(0).add(*rhs, lhs->constant);
    return std::nullopt;
  default: // mod, floordiv, ceildiv: not linear
    return std::nullopt;
  }
}

namespace {
/// The map whose parameter `v` is, when that map lies inside `scope`.
std::pair<MapOp, unsigned> innerMapParam(Value v, Operation *scope) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg)
    return {};
  auto map = dyn_cast_or_null<MapOp>(arg.getOwner()->getParentOp());
  if (!map || (scope && !scope->isProperAncestor(map)))
    return {};
  return {map, arg.getArgNumber()};
}

/// Replaces parameters of maps inside `scope` by their smallest or largest value.
std::optional<LinearExpr> eliminateParams(LinearExpr e, Operation *scope, bool wantMax) {
  for (int guard = 0; guard < 64; ++guard) {
    auto it = llvm::find_if(e.terms, [&](auto &term) { return innerMapParam(term.first, scope).first; });
    if (it == e.terms.end())
      return e;
    auto [value, coeff] = *it;
    auto [map, index] = innerMapParam(value, scope);
    bool takeMax = (coeff > 0) == wantMax;
    AffineMap bounds = takeMax ? map.getUpperBounds() : map.getLowerBounds();
    ValueRange operands = takeMax ? map.getUpperOperands() : map.getLowerOperands();
    auto bound = toLinear(bounds.getResult(index), operands, bounds.getNumDims());
    if (!bound)
      return std::nullopt;
    if (takeMax)
      bound->constant -= 1; // upper bounds are exclusive
    e.terms.erase(value);
    e.add(*bound, coeff);
  }
  return std::nullopt;
}
} // namespace

Range propagateRange(AffineExpr expr, ValueRange operands, unsigned numDims, Operation *scope) {
  Range r;
  auto linear = toLinear(expr, operands, numDims);
  if (!linear)
    return r;
  r.min = eliminateParams(*linear, scope, /*wantMax=*/false);
  r.max = eliminateParams(*linear, scope, /*wantMax=*/true);
  return r;
}

SmallVector<Range> memletSubset(Operation *memlet, Operation *scope) {
  AffineMap map;
  ValueRange indices;
  if (auto load = dyn_cast<LoadOp>(memlet)) {
    map = load.getMap();
    indices = load.getIndices();
  } else {
    auto store = cast<StoreOp>(memlet);
    map = store.getMap();
    indices = store.getIndices();
  }
  SmallVector<Range> subset;
  for (AffineExpr e : map.getResults())
    subset.push_back(propagateRange(e, indices, map.getNumDims(), scope));
  return subset;
}

} // namespace dmc::sdfg
