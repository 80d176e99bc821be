//===- InterchangeMaps.cpp - the cheapest parameter goes innermost ---------===//
//
//   map (b, i, j) omp { map (k) { A[i, k]  B[k, j]  C[i, j] += } }
//     ==>  map (b, i) omp { map (k) { map (j) vector { ... } } }
//
// Only the innermost loop of a nest gets spatial locality. The stride cost model (analysis/StrideCost)
// estimates the cache lines each parameter's step touches, over every memlet of the nest; the cheapest
// parameter becomes the innermost loop (a vector map when each lane stores its own elements). The other
// parameters keep their order and their parallel or sequential role, so the parallel loop shrinks but
// never disappears, and wcr stores stay owned by one parallel iteration.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/MapNests.h"
#include "passes/analysis/StrideCost.h"

namespace dmc {
#define GEN_PASS_DEF_INTERCHANGEMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
bool tryInterchange(sdfg::MapOp top) {
  auto nest = perfectNest(top);
  if (!nest || nest->params.size() < 2)
    return false;
  size_t n = nest->params.size(), best = n - 1;
  double bestLines = nestLinesPerStep(*nest->body, nest->params[best].value);
  for (size_t i = 0; i + 1 < n; ++i) {
    double lines = nestLinesPerStep(*nest->body, nest->params[i].value);
    if (lines < bestLines) {
      best = i;
      bestLines = lines;
    }
  }
  if (best == n - 1 || !iterationsCommute(*nest))
    return false;
  const NestParam &chosen = nest->params[best];
  auto isParallel = [](const NestParam &p) { return p.parallel; };
  // Keep a parallel loop: moving the last omp parameter inwards would serialise the nest.
  if (isParallel(chosen) && llvm::count_if(nest->params, isParallel) == 1)
    return false;

  NewLevel parallel{sdfg::Schedule::omp, {}}, sequential{sdfg::Schedule::sequential, {}};
  for (size_t i = 0; i < n; ++i) {
    if (i == best)
      continue;
    const NestParam &p = nest->params[i];
    (isParallel(p) ? parallel : sequential).params.push_back({p.lower, p.upper, p.step, -1, p.value});
  }
  sdfg::Schedule innerSchedule = storesIndexedBy(*nest->body, chosen.value) && chosen.step == 1
                                     ? sdfg::Schedule::vector
                                     : sdfg::Schedule::sequential;
  NewLevel inner{innerSchedule, {{chosen.lower, chosen.upper, chosen.step, -1, chosen.value}}};
  SmallVector<NewLevel> levels;
  for (NewLevel *level : {&parallel, &sequential, &inner})
    if (!level->params.empty())
      levels.push_back(*level);
  rebuildNest(*nest, levels);
  return true;
}

struct InterchangeMaps : dmc::impl::InterchangeMapsBase<InterchangeMaps> {
  dmc::PassStatistic numInterchanged{this, "nests-interchanged", "map nests given another innermost parameter"};
  void runOnOperation() override {
    for (sdfg::MapOp m : topLevelMaps(getOperation()))
      numInterchanged += tryInterchange(m);
  }
};
} // namespace
