//===- CollapseMaps.cpp - merge a map with the one map nested in it --------===//
//
//   map (b, h) omp { map (i) omp { ... } }   ==>   map (b, h, i) omp { ... }
//
// A map nested in a parallel map runs sequentially inside each parallel iteration; when the outer map
// holds nothing but it, and its bounds do not depend on the outer parameters, both are one iteration
// space. Collapsed, the parallel loop spans all of it (`collapse(3)`): 12 heads become 6144 rows to
// share among the threads. Sequential pairs collapse too (one loop nest op fewer to walk).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_COLLAPSEMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// `b`'s results after `a`'s, over a's operands then b's.
AffineMap concat(AffineMap a, AffineMap b) {
  SmallVector<AffineExpr> results(a.getResults());
  for (AffineExpr e : b.getResults())
    results.push_back(e.shiftDims(b.getNumDims(), a.getNumDims()));
  return AffineMap::get(a.getNumDims() + b.getNumDims(), 0, results, a.getContext());
}

bool tryCollapse(sdfg::MapOp outer) {
  Block &body = outer.getBodyBlock();
  auto inner = body.getOperations().size() == 1 ? dyn_cast<sdfg::MapOp>(body.front()) : sdfg::MapOp();
  if (!inner || inner.getSchedule() != outer.getSchedule() || outer.getSchedule() == sdfg::Schedule::vector)
    return false;
  for (sdfg::MapOp m : {outer, inner})
    if (m.getLowerBounds().getNumSymbols() || m.getUpperBounds().getNumSymbols())
      return false;
  auto usesOuter = [&](Value v) { return llvm::is_contained(outer.getParams(), v); };
  if (llvm::any_of(inner.getLowerOperands(), usesOuter) || llvm::any_of(inner.getUpperOperands(), usesOuter))
    return false;

  SmallVector<Value> lowerOperands(outer.getLowerOperands()), upperOperands(outer.getUpperOperands());
  llvm::append_range(lowerOperands, inner.getLowerOperands());
  llvm::append_range(upperOperands, inner.getUpperOperands());
  SmallVector<int64_t> steps(outer.getSteps());
  llvm::append_range(steps, inner.getSteps());
  OpBuilder b(outer);
  auto merged = b.create<sdfg::MapOp>(outer.getLoc(), concat(outer.getLowerBounds(), inner.getLowerBounds()),
                                      concat(outer.getUpperBounds(), inner.getUpperBounds()), steps,
                                      outer.getSchedule(), lowerOperands, upperOperands);
  Block *mergedBody = b.createBlock(&merged.getBody());
  for (sdfg::MapOp m : {outer, inner})
    for (BlockArgument param : m.getParams())
      param.replaceAllUsesWith(mergedBody->addArgument(b.getIndexType(), param.getLoc()));
  mergedBody->getOperations().splice(mergedBody->end(), inner.getBodyBlock().getOperations());
  outer->erase();
  return true;
}

struct CollapseMaps : dmc::impl::CollapseMapsBase<CollapseMaps> {
  dmc::PassStatistic numCollapsed{this, "maps-collapsed", "maps merged with the map that was all their body"};
  void runOnOperation() override {
    rewriteToFixpoint<sdfg::MapOp>(getOperation(), countSuccesses(numCollapsed, tryCollapse));
  }
};
} // namespace
