//===- ChooseSchedules.cpp - small maps run sequentially ------------------===//
//
// An OpenMP parallel loop costs a fork and a join (microseconds), which is more than a map of a few
// thousand scalar iterations takes to run. A top-level omp map whose whole nest (its own space times
// every nested map's) has a known iteration count below the threshold becomes sequential.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/MapNests.h"

namespace dmc {
#define GEN_PASS_DEF_CHOOSESCHEDULES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// Iterations of the whole nest: the map's space times the largest nested nest per iteration.
std::optional<int64_t> nestWork(sdfg::MapOp m) {
  auto own = constantTripCount(m);
  if (!own)
    return std::nullopt;
  int64_t inner = 1;
  for (Operation &op : m.getBodyBlock())
    if (auto nested = dyn_cast<sdfg::MapOp>(op)) {
      auto w = nestWork(nested);
      if (!w)
        return std::nullopt;
      inner += *w;
    }
  return *own * inner;
}

struct ChooseSchedules : dmc::impl::ChooseSchedulesBase<ChooseSchedules> {
  using Base::Base;
  dmc::PassStatistic numSequential{this, "maps-made-sequential", "omp maps with too little work made sequential"};
  void runOnOperation() override {
    getOperation().walk([&](sdfg::MapOp m) {
      if (!isa<sdfg::StateOp>(m->getParentOp()) || m.getSchedule() != sdfg::Schedule::omp)
        return;
      auto work = nestWork(m);
      if (work && *work < (int64_t)minParallelIterations) {
        m.changeSchedule(sdfg::Schedule::sequential);
        ++numSequential;
      }
    });
  }
};
} // namespace
