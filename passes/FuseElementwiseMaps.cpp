//===- FuseElementwiseMaps.cpp - vertical fusion of element-wise map chains ===//
//
// A producer map P that writes a transient T element-wise (identity index, no wcr) and a later consumer
// map C of the same iteration space that reads T only at the same identity index become one map: P's
// loads and tasklets move to the start of C's body, C's loads of T are replaced by the value P stored,
// and T goes away. Every condition is checked before anything is changed; a candidate that fails one is
// left as it is.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace dmc {
#define GEN_PASS_DEF_FUSEELEMENTWISEMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// True when the memlet's index is exactly `params`, in order.
bool isIdentityAccess(AffineMap map, ValueRange indices, ValueRange params) {
  return map.isIdentity() && map.getNumDims() == params.size() && map.getNumSymbols() == 0 &&
         llvm::equal(indices, params);
}

/// Fuses the producer map `p` into its consumer if every condition holds; returns whether it did.
bool tryFuse(sdfg::MapOp p) {
  if (!isSimpleMap(p))
    return false;
  // Exactly one store, to a state- or sdfg-lifetime transient, at the identity index, without wcr.
  sdfg::StoreOp store;
  for (Operation &op : p.getBodyBlock())
    if (auto s = dyn_cast<sdfg::StoreOp>(op)) {
      if (store)
        return false;
      store = s;
    }
  if (!store || store.getWcr())
    return false;
  auto alloc = store.getArray().getDefiningOp<sdfg::AllocOp>();
  if (!alloc || alloc.getLifetime() == sdfg::Lifetime::persistent)
    return false;
  if (!isIdentityAccess(store.getMap(), store.getIndices(), p.getParams()))
    return false;
  // Every use of T: P's store, or a load directly in one consumer map C (views, copies, library nodes
  // and any other access rule fusion out).
  sdfg::MapOp c;
  SmallVector<sdfg::LoadOp> loads;
  for (OpOperand &use : alloc.getResult().getUses()) {
    Operation *user = use.getOwner();
    if (user == store.getOperation())
      continue;
    auto load = dyn_cast<sdfg::LoadOp>(user);
    if (!load)
      return false;
    auto parent = dyn_cast<sdfg::MapOp>(load->getParentOp());
    if (!parent || parent == p || (c && parent != c))
      return false;
    c = parent;
    loads.push_back(load);
  }
  if (!c || c->getBlock() != p->getBlock() || !p->isBeforeInBlock(c))
    return false;
  if (!isSimpleMap(c) || !sameSpace(p, c))
    return false;
  for (sdfg::LoadOp load : loads)
    if (!isIdentityAccess(load.getMap(), load.getIndices(), c.getParams()))
      return false;
  // P's reads move down to C: nothing between them, nor C itself, may write what P reads. Only maps
  // (and views) may stand between; the writers of P's roots are found through their use lists, so a
  // long distance between P and C costs a walk over the ops, not over their bodies.
  for (Operation *op = p->getNextNode(); op != c.getOperation(); op = op->getNextNode())
    if (!isView(op) && !isa<sdfg::MapOp>(op))
      return false; // library nodes, copies, ...: not analysed, so not moved across
  llvm::SmallPtrSet<Value, 8> readByP;
  for (auto load : p.getBodyBlock().getOps<sdfg::LoadOp>())
    readByP.insert(rootOf(load.getArray()));
  for (Value root : readByP)
    for (Operation *op : stateOpsWriting(root))
      if (op->getBlock() == p->getBlock() && p->isBeforeInBlock(op) && !c->isBeforeInBlock(op))
        return false;

  // Rewrite: P's loads and tasklets go to the front of C's body, on C's parameters.
  Value stored = store.getValue();
  Block &cBody = c.getBodyBlock();
  Operation *front = &cBody.front();
  for (Operation &op : llvm::make_early_inc_range(p.getBodyBlock()))
    if (&op != store.getOperation())
      op.moveBefore(front);
  for (auto [pp, cp] : llvm::zip(p.getParams(), c.getParams()))
    pp.replaceAllUsesWith(cp);
  for (sdfg::LoadOp load : loads) {
    load.getResult().replaceAllUsesWith(stored);
    load->erase();
  }
  store->erase();
  p->erase();
  if (alloc->use_empty())
    alloc->erase();
  return true;
}

struct FuseElementwiseMaps : dmc::impl::FuseElementwiseMapsBase<FuseElementwiseMaps> {
  dmc::PassStatistic numFused{this, "maps-fused", "producer maps fused into their consumer map"};
  void runOnOperation() override {
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<sdfg::MapOp> maps;
      getOperation().walk([&](sdfg::MapOp m) {
        if (isa<sdfg::StateOp>(m->getParentOp()))
          maps.push_back(m);
      });
      // A fusion erases only the producer it was called on, so the rest of the list stays valid.
      for (sdfg::MapOp m : maps)
        if (tryFuse(m)) {
          changed = true;
          ++numFused;
        }
    }
  }
};
} // namespace
