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
/// True when some op of `body` uses a value defined in `block` at or after `first`: such a body cannot
/// move into `first` (a view created between the two maps would not exist there yet).
bool usesLaterValue(Operation *body, Operation *first) {
  bool later = false;
  body->walk([&](Operation *inner) {
    for (Value v : inner->getOperands())
      if (Operation *def = v.getDefiningOp(); def && def->getBlock() == first->getBlock() && !def->isBeforeInBlock(first))
        later = true;
  });
  return later;
}

/// Fuses the next map of `first`'s block that can join it; returns whether it did.
///
/// One forward scan: `blockedReads`/`blockedWrites` hold the roots that `first` and every op between it
/// and the candidate read and write. A candidate may move up into `first` when it writes none of them
/// and reads none of the blocked writes; one that cannot stays in between and blocks in turn. This is
/// the pairwise dependence test plus rangeIsIndependent, without rescanning the range per candidate.
///
/// The scan looks at most kScanLimit ops ahead: siblings worth fusing (projections of one input, maps
/// over one layer's tensors) sit close together, and an unbounded scan makes a chain of N maps cost
/// N^2 (a 5,000-node graph spent seconds here). Stopping early only forgoes fusions.
constexpr unsigned kScanLimit = 256;

bool tryFuse(sdfg::MapOp first) {
  if (!isSimpleMap(first))
    return false;
  llvm::SmallPtrSet<Value, 16> blockedReads, blockedWrites;
  collectAccesses(first, blockedReads, blockedWrites);
  unsigned scanned = 0;
  for (Operation *op = first->getNextNode(); op && scanned < kScanLimit; op = op->getNextNode(), ++scanned) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    if (!collectAccesses(op, reads, writes))
      return false; // unknown accesses: nothing moves past this op
    auto second = dyn_cast<sdfg::MapOp>(op);
    bool independent = llvm::none_of(reads, [&](Value v) { return blockedWrites.contains(v); }) &&
                       llvm::none_of(writes, [&](Value v) { return blockedReads.contains(v) || blockedWrites.contains(v); });
    if (second && independent && isSimpleMap(second) && sameSpace(first, second) && !usesLaterValue(second, first)) {
      for (auto [from, to] : llvm::zip(second.getParams(), first.getParams()))
        from.replaceAllUsesWith(to);
      first.getBodyBlock().getOperations().splice(first.getBodyBlock().end(), second.getBodyBlock().getOperations());
      second->erase();
      return true;
    }
    blockedReads.insert(reads.begin(), reads.end());
    blockedWrites.insert(writes.begin(), writes.end());
  }
  return false;
}

struct FuseSiblingMaps : dmc::impl::FuseSiblingMapsBase<FuseSiblingMaps> {
  dmc::PassStatistic numFused{this, "maps-fused", "maps merged into an earlier sibling map"};
  void runOnOperation() override {
    // One pass in block order: fusing into a map only adds accesses at its place, which blocks more, so
    // no map already visited could fuse afterwards, except with a map that a removed one brought within
    // kScanLimit ops of it; those fusions are forgone.
    getOperation().walk([&](sdfg::StateOp state) {
      for (Operation &op : state->getRegion(0).front())
        if (auto map = dyn_cast<sdfg::MapOp>(op))
          while (tryFuse(map))
            ++numFused;
    });
  }
};
} // namespace
