//===- RunConstantMapsOnce.cpp - work on constant inputs, once per handle --===//
//
// A model's weights are constant inputs: the handle loads them when it is created (dmc.constants), or the
// caller passes them to every run and says when they change (dmc.constant_arguments). The GEMM tile nest
// packs a weight into a persistent panel buffer before its blocks, and every run would pack the same
// values again. A map that reads only constant inputs and writes only such a buffer gets `once`, and
// the emitter runs it until a run of the handle succeeds (again after the caller changes a constant
// argument: a new address or dmc_NAME_constants_changed). The checks make the result the same as
// running it every time:
//   - every value the map uses from outside is a constant input or the buffer (no symbol, no other
//     container: the bounds and indices are the same on every run);
//   - it reads nothing but constant inputs, and writes only the buffer, a persistent `sdfg.alloc`
//     (not a view, so no other name of it);
//   - no other op writes the buffer, so what the map wrote is still there on the next run.
//
//===----------------------------------------------------------------------===//
#include "passes/PassStatistics.h"
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_RUNCONSTANTMAPSONCE
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {

/// The persistent buffer that `map` alone computes from constant inputs, or null.
Value constantResultOf(sdfg::SDFGOp sdfg, sdfg::MapOp map) {
  SmallPtrSet<Value, 4> reads, writes;
  if (!collectAccesses(map, reads, writes) || writes.size() != 1)
    return {};
  Value buffer = *writes.begin();
  auto alloc = buffer.getDefiningOp<sdfg::AllocOp>();
  // A persistent buffer of a symbolic shape is reallocated, empty, when the shape changes.
  if (!alloc || alloc.getLifetime() != sdfg::Lifetime::persistent ||
      llvm::any_of(alloc.getType().getShape(), [](const Dim &d) { return d.isSymbolic(); }))
    return {};
  if (!llvm::all_of(reads, [&](Value r) { return sdfg.isConstantInput(r); }))
    return {};
  // Everything the body uses from outside the map: the same on every run.
  bool closed = true;
  map.walk([&](Operation *op) {
    for (Value operand : op->getOperands()) {
      Operation *owner = operand.getParentBlock()->getParentOp();
      if (owner == map || map->isProperAncestor(owner))
        continue;
      if (operand != buffer && !sdfg.isConstantInput(operand))
        closed = false;
    }
  });
  return closed ? buffer : Value();
}

struct RunConstantMapsOnce : dmc::impl::RunConstantMapsOnceBase<RunConstantMapsOnce> {
  dmc::PassStatistic numOnce{this, "maps-run-once", "maps on constant inputs run once per handle"};
  void runOnOperation() override {
    sdfg::SDFGOp sdfg = getOperation();
    if (!llvm::any_of(sdfg.getInputArgs(), [&](BlockArgument a) { return sdfg.isConstantInput(a); }))
      return;
    // Who writes each container (roots), over every op directly in a state.
    DenseMap<Value, unsigned> writers;
    SmallVector<std::pair<sdfg::MapOp, Value>> candidates;
    for (auto state : sdfg.getStates())
      for (Operation &op : state.getBodyBlock()) {
        SmallPtrSet<Value, 4> reads, writes;
        if (!collectAccesses(&op, reads, writes)) {
          // An op of unknown accesses might write anything: nothing runs once.
          op.emitRemark("run-constant-maps-once: unknown accesses, no map runs once");
          return;
        }
        for (Value w : writes)
          ++writers[w];
        if (auto map = dyn_cast<sdfg::MapOp>(op))
          if (Value buffer = constantResultOf(sdfg, map))
            candidates.push_back({map, buffer});
      }
    for (auto [map, buffer] : candidates)
      if (writers.lookup(buffer) == 1 && !map.isOnce()) {
        map->setAttr(sdfg::MapOp::kOnceAttr, UnitAttr::get(map.getContext()));
        ++numOnce;
      }
  }
};

} // namespace
