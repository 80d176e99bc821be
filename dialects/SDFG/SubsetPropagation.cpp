//===- SubsetPropagation.cpp - the subset a memlet touches over a scope ---===//
#include "dialects/SDFG/SubsetPropagation.h"
#include "dialects/SDFG/SDFGOps.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <tuple>
#include <vector>

using namespace mlir;

namespace dmc::sdfg {

/// a += scale * b; true on overflow.
static bool addScaled(int64_t &a, int64_t b, int64_t scale) {
  int64_t product;
  return llvm::MulOverflow(b, scale, product) || llvm::AddOverflow(a, product, a);
}

LinearExpr &LinearExpr::add(const LinearExpr &other, int64_t scale) {
  overflowed |= other.overflowed || addScaled(constant, other.constant, scale);
  for (auto [value, coeff] : other.terms) {
    overflowed |= addScaled(terms[value], coeff, scale);
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
    if (coeff < 0 || llvm::AddOverflow(least, coeff, least))
      return false;
  }
  return !overflowed && least >= bound;
}

bool LinearExpr::provablyBelow(int64_t bound) const {
  int64_t most = constant;
  for (auto [value, coeff] : terms) {
    if (coeff > 0 || llvm::AddOverflow(most, coeff, most)) // value >= 1 and coeff <= 0
      return false;
  }
  return !overflowed && most < bound;
}

std::optional<LinearExpr> toLinear(AffineExpr expr, ValueRange operands, unsigned numDims) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return LinearExpr::of(c.getValue());
  if (auto d = dyn_cast<AffineDimExpr>(expr)) {
    if (d.getPosition() >= operands.size())
      return std::nullopt; // the op's verifier reports the arity mismatch
    LinearExpr e;
    e.terms[operands[d.getPosition()]] = 1;
    return e;
  }
  if (auto s = dyn_cast<AffineSymbolExpr>(expr)) {
    if (numDims + s.getPosition() >= operands.size())
      return std::nullopt;
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

bool isFreeSymbol(Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  auto sdfg = arg ? dyn_cast_or_null<SDFGOp>(arg.getOwner()->getParentOp()) : SDFGOp();
  return sdfg && arg.getArgNumber() < sdfg.getNumSymbols();
}

std::string LinearExpr::format(llvm::function_ref<std::string(Value)> nameOf) const {
  std::string out;
  auto append = [&](int64_t coeff, const std::string &name) {
    if (out.empty())
      out += coeff < 0 ? "-" : "";
    else
      out += coeff < 0 ? " - " : " + ";
    uint64_t magnitude = coeff < 0 ? 0 - (uint64_t)coeff : (uint64_t)coeff;
    if (name.empty())
      out += std::to_string(magnitude);
    else
      out += (magnitude == 1 ? "" : std::to_string(magnitude) + "*") + name;
  };
  for (auto [value, coeff] : terms)
    if (coeff)
      append(coeff, nameOf(value));
  if (constant != 0 || out.empty())
    append(constant, "");
  return out;
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

unsigned nestingDepth(Operation *op) {
  unsigned depth = 0;
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp())
    ++depth;
  return depth;
}

constexpr unsigned kMaxEliminations = 4096;
constexpr unsigned kMaxCandidates = 16;

/// The sdfg.min or sdfg.max that defines `v`, when it lies inside `scope`.
Operation *innerTileBound(Value v, Operation *scope) {
  Operation *def = v.getDefiningOp();
  if (!isa_and_nonnull<MinOp, MaxOp>(def) || (scope && !scope->isProperAncestor(def)))
    return nullptr;
  return def;
}

// Rounding divisions by b > 0 (no overflow: |a / b| <= |a|).
int64_t floorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && a < 0); }
int64_t ceilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0 && a > 0); }

/// Bounds of affine expressions over the iteration space of the maps inside `scope`.
///
/// relax(e) keeps map parameters but replaces each mod/floordiv/ceildiv term by a bound of it (over the
/// whole scope, so it no longer depends on parameters); eliminate() then replaces the parameters of a
/// linear form innermost first. Both are sound in their direction: for wantMax every value of the
/// original expression is <= the result (at the same parameter values, then over all of them).
class Bounder {
public:
  Bounder(Operation *scope, std::string *whyNot) : scope(scope), whyNot(whyNot) {}

  std::optional<LinearExpr> relaxPublic(AffineExpr expr, ValueRange operands, unsigned numDims, bool wantMax) {
    return relax(expr, operands, numDims, wantMax);
  }

  std::optional<LinearExpr> bound(AffineExpr expr, ValueRange operands, unsigned numDims, bool wantMax) {
    auto relaxed = relax(expr, operands, numDims, wantMax);
    if (!relaxed)
      return std::nullopt;
    return eliminate(*relaxed, wantMax);
  }

  std::optional<LinearExpr> eliminate(LinearExpr e, bool wantMax) {
    SmallVector<LinearExpr, 4> all;
    if (!eliminateAll(std::move(e), wantMax, all))
      return std::nullopt;
    return all.front();
  }

  /// Every bound eliminate() can derive: one per choice among the expressions of the `sdfg.min` and
  /// `sdfg.max` values met (each is a sound bound; a proof may use whichever works). False on failure.
  bool eliminateAll(LinearExpr e, bool wantMax, SmallVectorImpl<LinearExpr> &out, unsigned step = 0) {
    // Each step replaces the parameter of the innermost map left (or a min/max value defined in a map body,
    // before that map's own parameters) by a bound in symbols and parameters of strictly enclosing maps
    // (their bounds cannot use their own parameters), so this terminates; the cap only guards against IR
    // whose map verifier has not run yet.
    for (;; ++step) {
      if (step == kMaxEliminations) {
        fail("its map bounds refer to their own parameters");
        return false;
      }
      Value innermost;
      unsigned deepest = 0;
      for (auto [value, coeff] : e.terms) {
        unsigned depth = 0;
        if (auto [map, index] = innerMapParam(value, scope); map)
          depth = 2 * nestingDepth(map);
        else if (Operation *tileBound = innerTileBound(value, scope))
          depth = 2 * nestingDepth(tileBound) - 1;
        if (depth && depth >= deepest) {
          innermost = value;
          deepest = depth;
        }
      }
      if (!innermost) {
        if (out.size() < kMaxCandidates)
          out.push_back(e);
        return true;
      }
      int64_t coeff = e.terms.lookup(innermost);
      bool takeMax = (coeff > 0) == wantMax;
      if (Operation *tileBound = innerTileBound(innermost, scope)) {
        // min(a, b) <= a and <= b: in the direction of its upper bound, every expression is a bound;
        // max(a, b) >= a and >= b: likewise towards its lower bound.
        bool isMin = isa<MinOp>(tileBound);
        if (takeMax != isMin) {
          fail(isMin ? "the smallest value of a tile extent (sdfg.min) is not bounded"
                     : "the largest value of a tile start (sdfg.max) is not bounded");
          return false;
        }
        e.terms.erase(innermost);
        AffineMap m = isMin ? cast<MinOp>(tileBound).getMap() : cast<MaxOp>(tileBound).getMap();
        ValueRange operands = tileBound->getOperands();
        bool any = false;
        for (AffineExpr alternative : m.getResults()) {
          auto replacement = relax(alternative, operands, m.getNumDims(), isMin);
          if (!replacement)
            continue;
          LinearExpr forked = e;
          forked.add(*replacement, coeff);
          any |= eliminateAll(std::move(forked), wantMax, out, step + 1);
          if (out.size() >= kMaxCandidates)
            break;
        }
        return any;
      }
      auto [map, index] = innerMapParam(innermost, scope);
      // Every value of the parameter lies in [lower, upper - 1], whatever the step; an empty range has
      // no values, so any bound holds for it.
      AffineMap bounds = takeMax ? map.getUpperBounds() : map.getLowerBounds();
      ValueRange operands = takeMax ? map.getUpperOperands() : map.getLowerOperands();
      std::optional<LinearExpr> replacement = takeMax ? lastValue(map, index) : std::nullopt;
      if (!replacement) {
        replacement = relax(bounds.getResult(index), operands, bounds.getNumDims(), takeMax);
        if (!replacement)
          return false;
        if (takeMax)
          replacement->add(LinearExpr::of(-1)); // upper bounds are exclusive
      }
      e.terms.erase(innermost);
      e.add(*replacement, coeff);
    }
  }

private:
  /// The last value of a strided parameter, lower + step * floor((upper - 1 - lower) / step), when that
  /// is linear: when the step divides every coefficient of upper - lower (a tile loop `0 to 48 step
  /// 16` ends at 32, not 47). Otherwise nullopt, and upper - 1 bounds it.
  static std::optional<LinearExpr> lastValue(MapOp map, unsigned index) {
    int64_t step = map.getSteps()[index];
    if (step <= 1)
      return std::nullopt;
    auto lower = toLinear(map.getLowerBounds().getResult(index), map.getLowerOperands(),
                          map.getLowerBounds().getNumDims());
    auto upper = toLinear(map.getUpperBounds().getResult(index), map.getUpperOperands(),
                          map.getUpperBounds().getNumDims());
    if (!lower || !upper)
      return std::nullopt;
    LinearExpr span = *upper; // upper - 1 - lower = (multiple of step) + span.constant
    span.add(*lower, -1).add(LinearExpr::of(-1));
    if (span.overflowed || llvm::any_of(span.terms, [&](auto &term) { return term.second % step != 0; }))
      return std::nullopt;
    int64_t remainder = span.constant % step;
    if (remainder < 0)
      remainder += step;
    return upper->add(LinearExpr::of(-1 - remainder));
  }

  std::optional<LinearExpr> fail(const Twine &reason) {
    if (whyNot && whyNot->empty())
      *whyNot = reason.str();
    return std::nullopt;
  }

  static std::string str(AffineExpr expr) {
    std::string s;
    llvm::raw_string_ostream os(s);
    expr.print(os);
    return s;
  }

  /// True when every term is a free symbol (>= 1) and the form is provably >= `least`.
  static bool provablyAtLeast(const LinearExpr &e, int64_t least) {
    return llvm::all_of(e.terms, [](auto &term) { return isFreeSymbol(term.first); }) &&
           e.provablyAtLeast(least);
  }

  /// A bound of floor(x / divisor) from a bound of x. floor(sum(a*v) + k) / c) <= sum(ceil(a/c)*v) +
  /// floor(k/c) when every v >= 0 (and >= with floor(a/c)); terms with a multiple of c are exact.
  std::optional<LinearExpr> divide(const LinearExpr &x, int64_t divisor, bool wantMax, AffineExpr where) {
    LinearExpr q = LinearExpr::of(floorDiv(x.constant, divisor));
    q.overflowed = x.overflowed;
    for (auto [value, coeff] : x.terms) {
      if (coeff % divisor == 0)
        q.terms[value] = coeff / divisor;
      else if (isFreeSymbol(value))
        q.terms[value] = wantMax ? ceilDiv(coeff, divisor) : floorDiv(coeff, divisor);
      else
        return fail("'" + str(where) + "' divides a value that may be negative");
      if (q.terms[value] == 0)
        q.terms.erase(value);
    }
    return q;
  }

  /// Memoised: a mod bounds its operand several times (its range, then itself), so nested mods would
  /// otherwise cost exponential time.
  std::optional<LinearExpr> relax(AffineExpr expr, ValueRange operands, unsigned numDims, bool wantMax) {
    RelaxKey key{expr.getAsOpaquePointer(), {}, numDims, wantMax};
    for (Value v : operands)
      key.operands.push_back(v.getAsOpaquePointer());
    if (auto it = relaxed.find(key); it != relaxed.end())
      return it->second;
    std::optional<LinearExpr> result = relaxUncached(expr, operands, numDims, wantMax);
    relaxed[key] = result;
    return result;
  }

  std::optional<LinearExpr> relaxUncached(AffineExpr expr, ValueRange operands, unsigned numDims,
                                          bool wantMax) {
    if (isa<AffineConstantExpr, AffineDimExpr, AffineSymbolExpr>(expr))
      return toLinear(expr, operands, numDims);
    auto bin = cast<AffineBinaryOpExpr>(expr);
    AffineExpr lhs = bin.getLHS(), rhs = bin.getRHS();
    auto constantOf = [](AffineExpr e) -> std::optional<int64_t> {
      if (auto c = dyn_cast<AffineConstantExpr>(e))
        return c.getValue();
      return std::nullopt;
    };
    switch (expr.getKind()) {
    case AffineExprKind::Add: {
      auto l = relax(lhs, operands, numDims, wantMax);
      auto r = l ? relax(rhs, operands, numDims, wantMax) : std::nullopt;
      if (!r)
        return std::nullopt;
      return l->add(*r);
    }
    case AffineExprKind::Mul: {
      std::optional<int64_t> c = constantOf(rhs);
      AffineExpr other = lhs;
      if (!c) {
        c = constantOf(lhs);
        other = rhs;
      }
      if (!c)
        return fail("'" + str(expr) + "' multiplies two values");
      auto r = relax(other, operands, numDims, *c >= 0 ? wantMax : !wantMax);
      if (!r)
        return std::nullopt;
      return LinearExpr::of(0).add(*r, *c);
    }
    case AffineExprKind::Mod: {
      // Euclidean: x mod m lies in [0, m - 1] for m >= 1; it is x itself when x already lies there.
      auto modMax = bound(rhs, operands, numDims, /*wantMax=*/true);
      auto modMin = modMax ? bound(rhs, operands, numDims, /*wantMax=*/false) : std::nullopt;
      if (!modMin || !provablyAtLeast(*modMin, 1))
        return fail("'" + str(expr) + "' takes a modulus that is not provably positive");
      LinearExpr top = *modMax;
      top.add(LinearExpr::of(-1));
      auto xMin = bound(lhs, operands, numDims, false);
      auto xMax = xMin ? bound(lhs, operands, numDims, true) : std::nullopt;
      if (xMin && xMax && provablyAtLeast(*xMin, 0) && provablyAtLeast(LinearExpr(top).add(*xMax, -1), 0))
        return relax(lhs, operands, numDims, wantMax);
      if (!wantMax)
        return LinearExpr::of(0);
      if (xMin && xMax && provablyAtLeast(*xMin, 0) && xMax->isConstant() && top.isConstant())
        return LinearExpr::of(std::min(xMax->constant, top.constant));
      return top;
    }
    case AffineExprKind::FloorDiv:
    case AffineExprKind::CeilDiv: {
      std::optional<int64_t> c = constantOf(rhs);
      if (!c) {
        // By a value >= 1: a non-negative x gives a quotient in [0, x].
        auto divisorMin = bound(rhs, operands, numDims, /*wantMax=*/false);
        auto xMin = bound(lhs, operands, numDims, /*wantMax=*/false);
        if (!divisorMin || !provablyAtLeast(*divisorMin, 1) || !xMin || !provablyAtLeast(*xMin, 0))
          return fail("'" + str(expr) + "' divides a value that may be negative by a non-constant");
        return wantMax ? bound(lhs, operands, numDims, /*wantMax=*/true) : LinearExpr::of(0);
      }
      if (*c <= 0)
        return fail("'" + str(expr) + "' divides by a non-positive constant");
      auto x = bound(lhs, operands, numDims, wantMax);
      if (!x)
        return std::nullopt;
      if (expr.getKind() == AffineExprKind::CeilDiv)
        x->add(LinearExpr::of(*c - 1)); // ceil(x / c) = floor((x + c - 1) / c)
      return divide(*x, *c, wantMax, expr);
    }
    default:
      return fail("'" + str(expr) + "' is not affine");
    }
  }

  struct RelaxKey {
    const void *expr;
    std::vector<const void *> operands;
    unsigned numDims;
    bool wantMax;
    bool operator<(const RelaxKey &o) const {
      return std::tie(expr, operands, numDims, wantMax) < std::tie(o.expr, o.operands, o.numDims, o.wantMax);
    }
  };

  Operation *scope;
  std::string *whyNot;
  std::map<RelaxKey, std::optional<LinearExpr>> relaxed;
};
} // namespace

std::optional<LinearExpr> boundOver(AffineExpr expr, ValueRange operands, unsigned numDims,
                                    Operation *scope, bool wantMax, std::string *whyNot) {
  auto result = Bounder(scope, whyNot).bound(expr, operands, numDims, wantMax);
  if (result && result->overflowed) {
    if (whyNot && whyNot->empty())
      *whyNot = "its coefficients overflow 64-bit integers";
    return std::nullopt;
  }
  return result;
}

SmallVector<LinearExpr, 4> boundsOver(AffineExpr expr, ValueRange operands, unsigned numDims, Operation *scope,
                                      bool wantMax, std::string *whyNot) {
  Bounder bounder(scope, whyNot);
  SmallVector<LinearExpr, 4> all;
  auto relaxed = bounder.relaxPublic(expr, operands, numDims, wantMax);
  if (!relaxed || !bounder.eliminateAll(*relaxed, wantMax, all))
    return {};
  llvm::erase_if(all, [](const LinearExpr &e) { return e.overflowed; });
  if (all.empty() && whyNot && whyNot->empty())
    *whyNot = "its coefficients overflow 64-bit integers";
  return all;
}

Range propagateRange(AffineExpr expr, ValueRange operands, unsigned numDims, Operation *scope) {
  Range r;
  r.min = boundOver(expr, operands, numDims, scope, /*wantMax=*/false);
  r.max = boundOver(expr, operands, numDims, scope, /*wantMax=*/true);
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
