//===- ResolveWriteConflicts.cpp - which maps run in parallel, which updates race =//
//
// Decides, for the emitter, how parallel maps execute and which wcr stores need synchronisation:
// - one parallel level per nest: an `omp` map inside another `omp` map becomes sequential (its
//   iterations run inside one iteration of the outer map's parallel loop);
// - a wcr store is marked `owned` when no two concurrently running iterations update its element
//   (sdfg::isOwnedByIteration; the store verifier rejects a mark that does not hold, so none is
//   removed). The emitter prints an atomic or critical update for every wcr store not marked `owned`.
//
//===----------------------------------------------------------------------===//
#include "dialects/SDFG/WriteOwnership.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

namespace dmc {
#define GEN_PASS_DEF_RESOLVEWRITECONFLICTS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
bool isInsideParallelMap(sdfg::MapOp map) {
  for (auto outer = map->getParentOfType<sdfg::MapOp>(); outer; outer = outer->getParentOfType<sdfg::MapOp>())
    if (outer.getSchedule() == sdfg::Schedule::omp)
      return true;
  return false;
}

struct ResolveWriteConflicts : dmc::impl::ResolveWriteConflictsBase<ResolveWriteConflicts> {
  void runOnOperation() override {
    // Outer maps first (pre-order), so an inner map sees its ancestors' final schedules.
    getOperation().walk<WalkOrder::PreOrder>([&](sdfg::MapOp map) {
      if (map.getSchedule() == sdfg::Schedule::omp && isInsideParallelMap(map))
        map.changeSchedule(sdfg::Schedule::sequential);
    });
    getOperation().walk([&](sdfg::StoreOp store) {
      if (store.getWcr() && sdfg::isOwnedByIteration(store))
        store.setOwned(true);
    });
  }
};
} // namespace
