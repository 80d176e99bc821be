//===- LocalSymbolRanges.cpp - the values local symbols take in each state ===//
#include "dialects/SDFG/LocalSymbolRanges.h"
#include "dialects/SDFG/SDFGOps.h"

#include "llvm/ADT/StringMap.h"

#include <deque>

using namespace mlir;

namespace dmc::sdfg {
namespace {

using Env = llvm::DenseMap<Value, Range>; // local symbol -> range in free symbols

/// After this many changes of a state's ranges, bounds that still change are dropped.
constexpr unsigned kRoundsBeforeWidening = 3;
/// Rounds of narrowing after the fixpoint.
constexpr unsigned kNarrowingRounds = 2;

bool sameBound(const std::optional<LinearExpr> &a, const std::optional<LinearExpr> &b) {
  if (!a || !b)
    return !a && !b;
  LinearExpr d = *a;
  d.add(*b, -1);
  return !d.overflowed && d.constant == 0 && d.terms.empty();
}

bool sameRanges(const Env &a, const Env &b) {
  return llvm::all_of(a, [&](auto &entry) {
    const Range &other = b.lookup(entry.first);
    return sameBound(entry.second.min, other.min) && sameBound(entry.second.max, other.max);
  });
}

/// a <= b for every positive value of the free symbols.
bool provablyAtMost(const LinearExpr &a, const LinearExpr &b) {
  LinearExpr d = b;
  d.add(a, -1);
  return llvm::all_of(d.terms, [](auto &term) { return isFreeSymbol(term.first); }) && d.provablyAtLeast(0);
}

class Analysis {
public:
  explicit Analysis(SDFGOp sdfg) : sdfg(sdfg) {}

  DenseMap<StringRef, Env> run() {
    DenseMap<StringRef, Env> ranges;
    DenseMap<StringRef, unsigned> rounds;
    auto states = sdfg.getStates();
    if (states.empty())
      return ranges;
    Env initial; // the run function sets every local symbol to 0
    for (Value local : sdfg.getLocalSymbolArgs())
      initial[local] = Range{LinearExpr::of(0), LinearExpr::of(0)};
    StringRef start = (*states.begin()).getSymName();
    ranges[start] = initial;
    std::deque<StringRef> work{start};
    while (!work.empty()) {
      StringRef current = work.front();
      work.pop_front();
      Env env = ranges[current];
      for (EdgeOp edge : sdfg.getEdges()) {
        if (edge.getSrc() != current)
          continue;
        Env incoming = transfer(edge, env);
        auto [it, inserted] = ranges.try_emplace(edge.getDst(), incoming);
        if (!inserted) {
          Env joined = join(it->second, incoming);
          if (sameRanges(joined, it->second))
            continue;
          if (++rounds[edge.getDst()] > kRoundsBeforeWidening)
            joined = widen(it->second, joined);
          it->second = joined;
        }
        work.push_back(edge.getDst());
      }
    }
    // Narrowing: widening dropped bounds that the conditions restore (a loop body under `i < S` after
    // its guard's upper bound was dropped). Each round recomputes every state from its predecessors
    // (sound from sound ranges) and fills in only the dropped bounds.
    for (unsigned round = 0; round < kNarrowingRounds; ++round) {
      for (StateOp state : states) {
        auto it = ranges.find(state.getSymName());
        if (it == ranges.end())
          continue;
        std::optional<Env> incoming;
        if (state.getSymName() == start)
          incoming = initial;
        for (EdgeOp edge : sdfg.getEdges()) {
          auto src = ranges.find(edge.getSrc());
          if (edge.getDst() != state.getSymName() || src == ranges.end())
            continue;
          Env arriving = transfer(edge, src->second);
          incoming = incoming ? join(*incoming, arriving) : arriving;
        }
        if (!incoming)
          continue;
        for (auto &[local, range] : it->second) {
          const Range &computed = incoming->lookup(local);
          if (!range.min)
            range.min = computed.min;
          if (!range.max)
            range.max = computed.max;
        }
      }
    }
    return ranges;
  }

private:
  bool isLocal(Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && arg.getOwner()->getParentOp() == sdfg.getOperation() &&
           arg.getArgNumber() >= sdfg.getNumSymbols() &&
           arg.getArgNumber() < sdfg.getNumSymbols() + sdfg.getNumLocals();
  }

  /// An index value of an edge region as a linear form in free and local symbols; nullopt otherwise.
  std::optional<LinearExpr> linear(Value v) {
    if (isFreeSymbol(v) || isLocal(v)) {
      LinearExpr e;
      e.terms[v] = 1;
      return e;
    }
    Operation *def = v.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (auto c = dyn_cast<arith::ConstantOp>(def)) {
      if (auto i = dyn_cast<IntegerAttr>(c.getValue()); i && c.getType().isIndex())
        return LinearExpr::of(i.getInt());
      return std::nullopt;
    }
    if (!isa<arith::AddIOp, arith::SubIOp, arith::MulIOp>(def))
      return std::nullopt;
    auto lhs = linear(def->getOperand(0)), rhs = linear(def->getOperand(1));
    if (!lhs || !rhs)
      return std::nullopt;
    if (isa<arith::AddIOp>(def))
      return lhs->add(*rhs);
    if (isa<arith::SubIOp>(def))
      return lhs->add(*rhs, -1);
    if (rhs->isConstant())
      return LinearExpr::of(0).add(*lhs, rhs->constant);
    if (lhs->isConstant())
      return LinearExpr::of(0).add(*rhs, lhs->constant);
    return std::nullopt;
  }

  /// A bound of `e` in free symbols, each local replaced by an end of its range.
  static std::optional<LinearExpr> bound(const LinearExpr &e, const Env &env, bool wantMax) {
    if (e.overflowed) // its constant wrapped: no bound can be built from it
      return std::nullopt;
    LinearExpr result = LinearExpr::of(e.constant);
    for (auto [value, coeff] : e.terms) {
      if (isFreeSymbol(value)) {
        result.add(LinearExpr::term(value, coeff));
        continue;
      }
      auto it = env.find(value);
      if (it == env.end())
        return std::nullopt;
      const std::optional<LinearExpr> &end = (coeff > 0) == wantMax ? it->second.max : it->second.min;
      if (!end)
        return std::nullopt;
      result.add(*end, coeff);
    }
    if (result.overflowed)
      return std::nullopt;
    return result;
  }

  /// Narrows `env` by `lhs <= rhs` where one side is a local symbol plus a constant.
  void narrow(Env &env, const LinearExpr &lhs, const LinearExpr &rhs) {
    auto single = [&](const LinearExpr &e) -> Value {
      if (e.terms.size() != 1 || e.terms.front().second != 1 || !isLocal(e.terms.front().first))
        return {};
      return e.terms.front().first;
    };
    if (Value local = single(lhs)) { // local <= rhs - c
      LinearExpr limit = rhs;
      limit.add(LinearExpr::of(lhs.constant), -1);
      if (auto max = bound(limit, env, /*wantMax=*/true); max && (!env[local].max || provablyAtMost(*max, *env[local].max)))
        env[local].max = max;
    }
    if (Value local = single(rhs)) { // local >= lhs - c
      LinearExpr limit = lhs;
      limit.add(LinearExpr::of(rhs.constant), -1);
      if (auto min = bound(limit, env, /*wantMax=*/false); min && (!env[local].min || provablyAtMost(*env[local].min, *min)))
        env[local].min = min;
    }
  }

  /// Narrows `env` by a condition known to hold; conditions it does not understand narrow nothing.
  void assume(Env &env, Value condition) {
    Operation *def = condition.getDefiningOp();
    if (auto both = dyn_cast_or_null<arith::AndIOp>(def)) {
      assume(env, both.getLhs());
      assume(env, both.getRhs());
      return;
    }
    auto cmp = dyn_cast_or_null<arith::CmpIOp>(def);
    if (!cmp)
      return;
    auto lhs = linear(cmp.getLhs()), rhs = linear(cmp.getRhs());
    if (!lhs || !rhs)
      return;
    auto minusOne = [](LinearExpr e) { return e.add(LinearExpr::of(-1)); };
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::slt: narrow(env, *lhs, minusOne(*rhs)); break;
    case arith::CmpIPredicate::sle: narrow(env, *lhs, *rhs); break;
    case arith::CmpIPredicate::sgt: narrow(env, *rhs, minusOne(*lhs)); break;
    case arith::CmpIPredicate::sge: narrow(env, *rhs, *lhs); break;
    case arith::CmpIPredicate::eq:
      narrow(env, *lhs, *rhs);
      narrow(env, *rhs, *lhs);
      break;
    default: break; // unsigned and != comparisons: no narrowing
    }
  }

  /// The ranges on arrival over `edge` from a state with ranges `env`: the condition held for the old
  /// values, and the assignments are computed from them.
  Env transfer(EdgeOp edge, Env env) {
    if (YieldOp yield = yieldOf(edge.getCondition()); yield && yield.getValues().size() == 1)
      assume(env, yield.getValues()[0]);
    Env after = env;
    YieldOp yield = yieldOf(edge.getAssignments());
    for (auto [index, name] : llvm::enumerate(edge.getAssign().getAsValueRange<StringAttr>())) {
      Value local = sdfg.lookupSymbolArg(name);
      if (!local || !isLocal(local))
        continue; // the edge's verifier rejects it
      auto e = yield && index < yield.getValues().size() ? linear(yield.getValues()[index]) : std::nullopt;
      after[local] = e ? Range{bound(*e, env, false), bound(*e, env, true)} : Range{};
    }
    return after;
  }

  /// The sdfg.yield ending a region, if it has one (edges may not be verified yet).
  static YieldOp yieldOf(Region &region) {
    if (region.empty() || region.front().empty())
      return {};
    return dyn_cast<YieldOp>(region.front().back());
  }

  static Env join(const Env &a, const Env &b) {
    Env joined;
    for (auto &[local, range] : a) {
      const Range &other = b.lookup(local);
      Range r;
      if (range.min && other.min)
        r.min = provablyAtMost(*range.min, *other.min)   ? range.min
                : provablyAtMost(*other.min, *range.min) ? other.min
                                                         : std::nullopt;
      if (range.max && other.max)
        r.max = provablyAtMost(*other.max, *range.max)   ? range.max
                : provablyAtMost(*range.max, *other.max) ? other.max
                                                         : std::nullopt;
      joined[local] = r;
    }
    return joined;
  }

  /// Drops the bounds that moved from `old` to `joined`.
  static Env widen(const Env &old, Env joined) {
    for (auto &[local, range] : joined) {
      const Range &before = old.lookup(local);
      if (!sameBound(range.min, before.min))
        range.min = std::nullopt;
      if (!sameBound(range.max, before.max))
        range.max = std::nullopt;
    }
    return joined;
  }

  SDFGOp sdfg;
};
} // namespace

DenseMap<Value, Range> localSymbolRanges(SDFGOp sdfg, StateOp state) {
  DenseMap<StringRef, Env> all = Analysis(sdfg).run();
  DenseMap<Value, Range> result;
  auto it = all.find(state.getSymName());
  if (it != all.end())
    result = it->second;
  return result;
}

} // namespace dmc::sdfg
