//===- FuseSiblingMaps.cpp - horizontal fusion of independent maps --------===//
//
//   map (i, j) { A }  ...  map (i, j) { B }   ==>   map (i, j) { A; B }
//
// Two maps of a state over the same space that share no data dependence become one: one parallel loop
// (one fork/join) instead of two, and containers both read are read in the same iteration, while in
// cache. Vertical chains are fuse-elementwise-maps' job; this pass takes maps that do not feed each other.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_FUSESIBLINGMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// Fuses the next map of `first`'s block that can join it; returns whether it did.
bool tryFuse(sdfg::MapOp first) {
  if (!isSimpleMap(first))
    return false;
  llvm::SmallPtrSet<Value, 8> firstReads, firstWrites;
  collectAccesses(first, firstReads, firstWrites);
  for (Operation *op = first->getNextNode(); op; op = op->getNextNode()) {
    auto second = dyn_cast<sdfg::MapOp>(op);
    if (!second || !isSimpleMap(second) || !sameSpace(first, second))
      continue;
    llvm::SmallPtrSet<Value, 8> reads, writes;
    collectAccesses(second, reads, writes);
    // No dependence between the two maps in either direction.
    bool dependent = llvm::any_of(reads, [&](Value v) { return firstWrites.contains(v); }) ||
                     llvm::any_of(writes, [&](Value v) { return firstReads.contains(v) || firstWrites.contains(v); });
    if (dependent)
      continue;
    // Its body moves into the first map: every value it uses from the state must already exist there
    // (a view created between the two maps would not).
    bool laterValue = false;
    second->walk([&](Operation *inner) {
      for (Value v : inner->getOperands())
        if (Operation *def = v.getDefiningOp(); def && def->getBlock() == first->getBlock() && !def->isBeforeInBlock(first))
          laterValue = true;
    });
    if (laterValue)
      continue;
    // The second map's reads and writes move up to the first: nothing in between may touch them.
    SmallVector<Value> movedReads(reads.begin(), reads.end()), movedWrites(writes.begin(), writes.end());
    if (!rangeIsIndependent(first, second, movedReads, movedWrites))
      continue;
    for (auto [from, to] : llvm::zip(second.getParams(), first.getParams()))
      from.replaceAllUsesWith(to);
    first.getBodyBlock().getOperations().splice(first.getBodyBlock().end(), second.getBodyBlock().getOperations());
    second->erase();
    return true;
  }
  return false;
}

struct FuseSiblingMaps : dmc::impl::FuseSiblingMapsBase<FuseSiblingMaps> {
  void runOnOperation() override {
    rewriteToFixpoint<sdfg::MapOp>(getOperation(), tryFuse);
  }
};
} // namespace
