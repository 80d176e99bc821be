//===- SelectLayouts.cpp - store each transient in the order its loops walk it ===//
//
//   %t = alloc [I, J]   map (i) { map (j) { store %t[i, j] } }   map (j) { map (i) vector { load %t[i, j] } }
//     (the reading nest is the hot one)  ==>  %t' = alloc [J, I]; %t = transpose_view %t' [1, 0]
//
// A transient's dimension order is free: nothing outside the SDFG sees it. For every private transient
// whose every access is a load or store in a map (directly or through transpose and slice views), each
// order of its dims is priced with the stride cost model (analysis/StrideCost.h): for every loop body
// that touches it, the nest's iteration count times the cache lines of one step of the body's innermost
// loop, over all its memlets. The innermost loop is the one interchange-maps would then pick (the
// cheapest parameter of a perfect nest whose iterations commute), so layout and loop order are chosen
// together. The cheapest order wins when it beats the current one; the transient is allocated in it and
// its users see the old logical shape through a transpose view (fold-views-into-memlets then writes the
// permuted indices into the memlets).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"
#include "passes/analysis/MapNests.h"
#include "passes/analysis/StrideCost.h"

#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <limits>

namespace dmc {
#define GEN_PASS_DEF_SELECTLAYOUTS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
constexpr int64_t kMaxRank = 5; // 120 orders to price

/// A loop body that accesses the transient, with the parameters that could become its innermost loop
/// (every parameter of a perfect nest whose iterations commute, as interchange-maps would choose; the
/// current innermost one otherwise).
struct BodyUse {
  double iterations;
  SmallVector<double> otherLines;                    // per candidate: lines of the other memlets
  SmallVector<SmallVector<SmallVector<int64_t>>> steps; // per candidate, per memlet of the transient
};

/// The maps enclosing `body` have constant bounds; their total iteration count.
std::optional<double> iterationsOf(sdfg::MapOp map) {
  double iterations = 1;
  for (auto m = map; m; m = m->getParentOfType<sdfg::MapOp>()) {
    auto count = constantTripCount(m);
    if (!count)
      return std::nullopt;
    iterations *= *count;
  }
  return iterations;
}

/// The loads and stores reaching `v` through transpose and slice views; false when another user (a
/// library node, a copy, a reshape) appears.
bool collectMemlets(Value v, SmallVectorImpl<Operation *> &memlets) {
  for (Operation *user : v.getUsers()) {
    if (sdfg::isPerDimensionView(user)) {
      if (!collectMemlets(user->getResult(0), memlets))
        return false;
    } else if (isa<sdfg::LoadOp, sdfg::StoreOp>(user)) {
      memlets.push_back(user);
    } else {
      return false;
    }
  }
  return true;
}

/// One BodyUse per loop body holding memlets of `t`; false when a body's nest is not constant or a
/// memlet's indices are not linear.
bool collectBodyUses(Value t, SmallVectorImpl<BodyUse> &uses) {
  SmallVector<Operation *> memlets;
  if (!collectMemlets(t, memlets) || memlets.empty())
    return false;
  llvm::SetVector<Block *> bodies;
  for (Operation *m : memlets)
    bodies.insert(m->getBlock());
  for (Block *body : bodies) {
    auto map = cast<sdfg::MapOp>(body->getParentOp());
    auto iterations = iterationsOf(map);
    if (!iterations)
      return false;
    SmallVector<Value> candidates{map.getParams().back()};
    auto top = map;
    while (auto parent = top->getParentOfType<sdfg::MapOp>())
      top = parent;
    if (auto nest = perfectNest(top); nest && nest->body == body && iterationsCommute(*nest)) {
      candidates.clear();
      for (const NestParam &p : nest->params)
        candidates.push_back(p.value);
    }
    BodyUse use{*iterations, {}, {}};
    for (Value param : candidates) {
      double other = 0;
      SmallVector<SmallVector<int64_t>> steps;
      for (Operation &op : *body) {
        if (!isa<sdfg::LoadOp, sdfg::StoreOp>(op))
          continue;
        if (rootOf(op.getOperand(isa<sdfg::LoadOp>(op) ? 0 : 1)) != t) {
          other += linesPerStep(addressStride(&op, param));
          continue;
        }
        auto s = rootIndexSteps(&op, param);
        if (!s)
          return false;
        steps.push_back(*s);
      }
      use.otherLines.push_back(other);
      use.steps.push_back(std::move(steps));
    }
    uses.push_back(std::move(use));
  }
  return true;
}

/// Cache lines the bodies touch with the transient stored in `order`, each body running its cheapest
/// candidate innermost.
double price(ArrayRef<BodyUse> uses, const Shape &shape, ArrayRef<int64_t> order) {
  auto strides = stridesInOrder(shape, order);
  double lines = 0;
  for (const BodyUse &use : uses) {
    double best = std::numeric_limits<double>::infinity();
    for (auto [other, steps] : llvm::zip(use.otherLines, use.steps)) {
      double candidate = other;
      for (const SmallVector<int64_t> &s : steps)
        candidate += linesPerStep(linearStride(s, *strides));
      best = std::min(best, candidate);
    }
    lines += use.iterations * best;
  }
  return lines;
}

bool trySelect(sdfg::AllocOp alloc) {
  Value t = alloc.getResult();
  Shape shape = alloc.getType().getShape();
  int64_t rank = shape.size();
  if (!isPrivateTransient(t) || rank < 2 || rank > kMaxRank ||
      llvm::any_of(shape, [](const Dim &d) { return d.isSymbolic(); }))
    return false;
  SmallVector<BodyUse> accesses;
  if (!collectBodyUses(t, accesses))
    return false;
  SmallVector<int64_t> order, best;
  for (int64_t i = 0; i < rank; ++i)
    order.push_back(i);
  best = order;
  double current = price(accesses, shape, order), bestPrice = current;
  while (std::next_permutation(order.begin(), order.end())) {
    double p = price(accesses, shape, order);
    if (p < bestPrice) {
      bestPrice = p;
      best = order;
    }
  }
  if (bestPrice >= current)
    return false;
  // Allocate in `best` order (physical dim k is logical dim best[k]); users see the logical shape
  // through the inverse transpose.
  Shape physical;
  for (int64_t d : best)
    physical.push_back(shape[d]);
  SmallVector<int64_t> toLogical(rank);
  for (auto [k, d] : llvm::enumerate(best))
    toLogical[d] = k;
  OpBuilder b(alloc);
  auto stored = b.create<sdfg::AllocOp>(alloc.getLoc(), sdfg::ArrayType::get(alloc.getType().getElementType(), physical),
                                        alloc.getStorage(), alloc.getLifetime(), alloc.getNameAttr());
  auto view = b.create<sdfg::TransposeViewOp>(alloc.getLoc(), alloc.getType(), stored,
                                              b.getDenseI64ArrayAttr(toLogical));
  t.replaceAllUsesWith(view.getResult());
  alloc->erase();
  return true;
}

struct SelectLayouts : dmc::impl::SelectLayoutsBase<SelectLayouts> {
  dmc::PassStatistic numChanged{this, "layouts-changed", "transients stored in another dimension order"};
  void runOnOperation() override {
    for (auto alloc : llvm::make_early_inc_range(getOperation().getBodyBlock().getOps<sdfg::AllocOp>()))
      numChanged += trySelect(alloc);
  }
};
} // namespace
