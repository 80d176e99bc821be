//===- ChooseSchedules.cpp - small maps run sequentially ------------------===//
//
// An OpenMP parallel loop costs a fork and a join (microseconds), which is more than a map of a few
// thousand scalar iterations takes to run. A top-level omp map whose whole nest (its own space times
// every nested map's) has a known iteration count below the threshold becomes sequential.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

namespace dmc {
#define GEN_PASS_DEF_CHOOSESCHEDULES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// Iterations of `m`'s own space, when its bounds are constants.
std::optional<int64_t> tripCount(sdfg::MapOp m) {
  int64_t n = 1;
  for (unsigned i = 0; i < m.getNumParams(); ++i) {
    auto lb = dyn_cast<AffineConstantExpr>(m.getLowerBounds().getResult(i));
    auto ub = dyn_cast<AffineConstantExpr>(m.getUpperBounds().getResult(i));
    if (!lb || !ub)
      return std::nullopt;
    int64_t step = m.getSteps()[i];
    n *= std::max<int64_t>(0, (ub.getValue() - lb.getValue() + step - 1) / step);
  }
  return n;
}

/// Iterations of the whole nest: the map's space times the largest nested nest per iteration.
std::optional<int64_t> nestWork(sdfg::MapOp m) {
  auto own = tripCount(m);
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
  void runOnOperation() override {
    getOperation().walk([&](sdfg::MapOp m) {
      if (!isa<sdfg::StateOp>(m->getParentOp()) || m.getSchedule() != sdfg::Schedule::omp)
        return;
      auto work = nestWork(m);
      if (work && *work < (int64_t)minParallelIterations)
        m.setSchedule(sdfg::Schedule::sequential);
    });
  }
};
} // namespace
