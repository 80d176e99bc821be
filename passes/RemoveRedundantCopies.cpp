//===- RemoveRedundantCopies.cpp - arrays that only copy another become views ===//
//
//   %t = alloc ; copy(%x -> %t) ; ... reads %t ...        ==>   ... reads transpose_view(%x) ...
//   %t = alloc ; ... writes %t ... ; copy(%t -> %y)        ==>   ... writes transpose_view(%y) ...
//
// A copy is an `sdfg.copy` or a map nest whose body only loads an element and stores it, every index
// being one parameter, over the whole destination and the whole source: the destination is a transpose
// (or the identity) of the source. DaCe's redundant-array removal: when the destination only repeats the source (forward)
// or the source is only written to be copied (backward), one array suffices, the other becomes a view
// of it, and the copy's read and write of every element disappear.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"
#include "passes/analysis/MapNests.h"

namespace dmc {
#define GEN_PASS_DEF_REMOVEREDUNDANTCOPIES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// `dest[i] = source[j]` for all i, with source == transpose_view(dest-shaped, permutation) of source.
struct Copy {
  Operation *op;
  Value source, dest;
  SmallVector<int64_t> permutation; // of the view of `source` that equals `dest`
};

std::optional<Copy> asCopy(Operation *op) {
  if (auto copy = dyn_cast<sdfg::CopyOp>(op)) {
    SmallVector<int64_t> identity;
    for (int64_t i = 0; i < copy.getDest().getType().getRank(); ++i)
      identity.push_back(i);
    return Copy{op, copy.getSource(), copy.getDest(), identity};
  }
  auto map = dyn_cast<sdfg::MapOp>(op);
  auto nest = map ? perfectNest(map) : std::nullopt;
  if (!nest || nest->body->getOperations().size() != 2)
    return std::nullopt;
  auto load = dyn_cast<sdfg::LoadOp>(nest->body->front());
  auto store = dyn_cast<sdfg::StoreOp>(nest->body->back());
  if (!load || !store || store.getValue() != load.getResult() || store.getWcr())
    return std::nullopt;
  auto srcPos = paramPositions(load.getMap(), load.getIndices(), nest->params);
  auto dstPos = paramPositions(store.getMap(), store.getIndices(), nest->params);
  size_t n = nest->params.size();
  if (!srcPos || !dstPos || srcPos->size() != n || dstPos->size() != n)
    return std::nullopt;
  // The nest covers the destination exactly, each parameter indexing one of its dims.
  if (!storeCoversArray(store, *nest))
    return std::nullopt;
  // dest[.., i_d = param dstPos[d], ..] = source[.., param srcPos[s], ..]: the view's dim d is the
  // source's dim s with srcPos[s] == dstPos[d].
  SmallVector<int64_t> permutation;
  for (unsigned p : *dstPos) {
    auto it = llvm::find(*srcPos, p);
    if (it == srcPos->end()) // the source repeats a parameter (a diagonal), which is no transpose
      return std::nullopt;
    permutation.push_back(it - srcPos->begin());
  }
  // Only a copy of the whole source (a transpose of it) lets one array stand for the other; a nest
  // over a leading part of the source (a slice from 0) is no such copy.
  Shape source = load.getArray().getType().getShape(), dest = store.getArray().getType().getShape();
  for (auto [d, s] : llvm::enumerate(permutation))
    if (!(source[s] == dest[d]))
      return std::nullopt;
  return Copy{op, load.getArray(), store.getArray(), permutation};
}

bool isIdentity(ArrayRef<int64_t> permutation) {
  for (auto [i, p] : llvm::enumerate(permutation))
    if (static_cast<int64_t>(i) != p)
      return false;
  return true;
}

/// True when every user of `v` (through transpose and slice views) reads or writes it element-wise or
/// takes strided views: it may become a strided view without new copies appearing.
bool acceptsStridedView(Value v) {
  return llvm::all_of(v.getUsers(), [](Operation *user) {
    if (sdfg::isPerDimensionView(user))
      return acceptsStridedView(user->getResult(0));
    return isa<sdfg::LoadOp, sdfg::StoreOp, sdfg::CopyOp, nn::FusedMatMulOp, nn::AttentionOp>(user);
  });
}

/// Where a view of `base` can replace `replaced` (an allocation) in all its uses: at SDFG level after
/// base's definition and the allocation, or, when base is defined in the state of `anchor`, right before
/// `anchor` provided every use is in that state at or after `anchor`.
std::optional<OpBuilder> viewInsertionPoint(Value base, Operation *anchor, Value replaced) {
  Block *sdfgBody = replaced.getDefiningOp()->getBlock();
  Operation *def = base.getDefiningOp();
  bool atSdfgLevel = !def || def->getBlock() == sdfgBody;
  Operation *after = replaced.getDefiningOp();
  if (atSdfgLevel && def && after->isBeforeInBlock(def))
    after = def;
  if (!atSdfgLevel && (def->getBlock() != anchor->getBlock() || !def->isBeforeInBlock(anchor)))
    return std::nullopt;
  for (Operation *user : replaced.getUsers()) {
    if (atSdfgLevel) {
      Operation *top = sdfgBody->findAncestorOpInBlock(*user);
      if (!top || !after->isBeforeInBlock(top))
        return std::nullopt;
    } else {
      Operation *top = anchor->getBlock()->findAncestorOpInBlock(*user);
      if (!top || top->isBeforeInBlock(anchor))
        return std::nullopt;
    }
  }
  OpBuilder b(anchor->getContext());
  if (atSdfgLevel)
    b.setInsertionPointAfter(after);
  else
    b.setInsertionPoint(anchor);
  return b;
}

/// Replaces the allocation `replaced` by `base` seen through `permutation` (no view for the identity)
/// and erases the copy; false, changing nothing, when no place for the view dominates every use.
bool replaceByView(const Copy &copy, Value replaced, Value base, ArrayRef<int64_t> permutation,
                   Operation *anchor) {
  bool strided = !isIdentity(permutation) || !isContiguous(base);
  if (strided && !acceptsStridedView(replaced))
    return false;
  auto b = viewInsertionPoint(base, anchor, replaced);
  if (!b)
    return false;
  Value view = isIdentity(permutation)
                   ? base
                   : b->create<sdfg::TransposeViewOp>(copy.op->getLoc(), replaced.getType(), base,
                                                      b->getDenseI64ArrayAttr(permutation));
  copy.op->erase();
  replaced.replaceAllUsesWith(view);
  replaced.getDefiningOp()->erase();
  return true;
}

SmallVector<int64_t> inverse(ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> inv(permutation.size());
  for (auto [i, p] : llvm::enumerate(permutation))
    inv[p] = i;
  return inv;
}

/// Forward: the destination, a private transient only written by the copy, becomes a view of the source.
bool removeDestination(const Copy &copy) {
  Value dest = copy.dest, srcRoot = rootOf(copy.source);
  if (!isPrivateTransient(dest))
    return false;
  SmallVector<Operation *> accesses = accessesInOneState(dest);
  if (accesses.empty() || accesses.front() != copy.op)
    return false;
  for (Operation *op : ArrayRef(accesses).drop_front()) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    collectAccesses(op, reads, writes);
    if (writes.contains(dest) || writes.contains(srcRoot))
      return false;
  }
  // Nothing between the copy and the last read of the destination changes the source.
  if (accesses.size() > 1 && !rangeIsIndependent(copy.op, accesses.back(), {srcRoot}, {}))
    return false;
  return replaceByView(copy, dest, copy.source, copy.permutation, copy.op);
}

/// Backward: the source, a private transient written in full first and last used by the copy, becomes
/// a view of the destination.
bool removeSource(const Copy &copy) {
  Value source = copy.source, destRoot = rootOf(copy.dest);
  if (!isPrivateTransient(source))
    return false;
  SmallVector<Operation *> accesses = accessesInOneState(source);
  if (accesses.size() < 2 || accesses.back() != copy.op || !writesAllWithoutReading(accesses.front(), source))
    return false;
  // The destination is untouched while the source lives (its old values are overwritten by the copy).
  llvm::SmallPtrSet<Value, 8> reads, writes;
  collectAccesses(accesses.front(), reads, writes);
  if (reads.contains(destRoot) || writes.contains(destRoot) ||
      !rangeIsIndependent(accesses.front(), copy.op, {}, {destRoot}))
    return false;
  return replaceByView(copy, source, copy.dest, inverse(copy.permutation), accesses.front());
}

bool tryRemove(Operation *op) {
  if (!isa<sdfg::StateOp>(op->getParentOp()))
    return false;
  auto copy = asCopy(op);
  return copy && (removeDestination(*copy) || removeSource(*copy));
}

struct RemoveRedundantCopies : dmc::impl::RemoveRedundantCopiesBase<RemoveRedundantCopies> {
  dmc::PassStatistic numRemoved{this, "copies-removed", "copies whose transient became a view of the other array"};
  void runOnOperation() override {
    rewriteToFixpoint<Operation *>(getOperation(), countSuccesses(numRemoved, tryRemove));
  }
};
} // namespace
