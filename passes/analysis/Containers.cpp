//===- Containers.cpp - views, roots and accesses, for legality checks -----===//
#include "passes/analysis/Containers.h"
#include "passes/analysis/MapNests.h"

#include "dialects/NN/NNOps.h"

using namespace mlir;

namespace dmc {

bool isPrivateTransient(Value v) {
  auto alloc = v.getDefiningOp<sdfg::AllocOp>();
  return alloc && alloc.getLifetime() != sdfg::Lifetime::persistent;
}

Operation *soleOtherUser(Value v, Operation *except) {
  Operation *other = nullptr;
  for (Operation *user : v.getUsers()) {
    if (user == except)
      continue;
    if (other && other != user)
      return nullptr;
    other = user;
  }
  return other;
}

bool isSimpleMap(sdfg::MapOp m) {
  if (!isa<sdfg::StateOp>(m->getParentOp()) || llvm::any_of(m.getSteps(), [](int64_t s) { return s != 1; }))
    return false;
  for (Operation &op : m.getBodyBlock())
    if (!isa<sdfg::LoadOp, sdfg::StoreOp, sdfg::TaskletOp>(op))
      return false;
  return true;
}

bool sameSpace(sdfg::MapOp a, sdfg::MapOp b) {
  return a.getNumParams() == b.getNumParams() && a.getLowerBounds() == b.getLowerBounds() &&
         a.getUpperBounds() == b.getUpperBounds() && a.getSteps() == b.getSteps() &&
         a.getSchedule() == b.getSchedule() && llvm::equal(a.getLowerOperands(), b.getLowerOperands()) &&
         llvm::equal(a.getUpperOperands(), b.getUpperOperands());
}

bool collectAccesses(Operation *op, llvm::SmallPtrSetImpl<Value> &reads, llvm::SmallPtrSetImpl<Value> &writes) {
  if (isView(op))
    return true;
  if (auto node = dyn_cast<nn::LibraryNode>(op)) {
    for (Value v : node.getInputs())
      reads.insert(rootOf(v));
    for (Value v : node.getOutputs())
      writes.insert(rootOf(v));
    return true;
  }
  if (auto copy = dyn_cast<sdfg::CopyOp>(op)) {
    reads.insert(rootOf(copy.getSource()));
    writes.insert(rootOf(copy.getDest()));
    return true;
  }
  if (isa<sdfg::MapOp>(op)) {
    op->walk([&](sdfg::LoadOp l) { reads.insert(rootOf(l.getArray())); });
    op->walk([&](sdfg::StoreOp s) {
      writes.insert(rootOf(s.getArray()));
      if (s.getWcr())
        reads.insert(rootOf(s.getArray()));
    });
    return true;
  }
  return false;
}

bool rangeIsIndependent(Operation *from, Operation *to, ArrayRef<Value> readRoots, ArrayRef<Value> writtenRoots) {
  if (from->getBlock() != to->getBlock() || !from->isBeforeInBlock(to))
    return false;
  for (Operation *op = from->getNextNode(); op != to; op = op->getNextNode()) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    if (!collectAccesses(op, reads, writes))
      return false;
    for (Value r : readRoots)
      if (writes.contains(r))
        return false;
    for (Value w : writtenRoots)
      if (reads.contains(w) || writes.contains(w))
        return false;
  }
  return true;
}

/// The ops directly in a state holding a use of `root` or of a view of it for which `keep(use)` holds,
/// each once. Views are followed through their source operand; they access nothing themselves.
template <typename KeepUse>
static SmallVector<Operation *> stateOpsWithUses(Value root, KeepUse keep) {
  SmallVector<Operation *> ops;
  llvm::SmallPtrSet<Operation *, 8> seen;
  SmallVector<Value> values{root};
  while (!values.empty()) {
    Value v = values.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isView(user) && use.getOperandNumber() == 0) {
        values.push_back(user->getResult(0));
        continue;
      }
      if (!keep(use))
        continue;
      Operation *op = user;
      while (op && !isa_and_nonnull<sdfg::StateOp>(op->getParentOp()))
        op = op->getParentOp();
      if (op && seen.insert(op).second)
        ops.push_back(op);
    }
  }
  return ops;
}

SmallVector<Operation *> stateOpsUsing(Value root) {
  return stateOpsWithUses(root, [](OpOperand &) { return true; });
}

/// Whether `use` may write its container: a store's array, a library node's output, a copy's
/// destination, or any use whose meaning is not known here.
static bool mayWriteThrough(OpOperand &use) {
  Operation *user = use.getOwner();
  if (isa<sdfg::LoadOp>(user))
    return false;
  if (auto node = dyn_cast<nn::LibraryNode>(user))
    return llvm::is_contained(node.getOutputs(), use.get());
  if (auto copy = dyn_cast<sdfg::CopyOp>(user))
    return use.get() == copy.getDest();
  return true;
}

SmallVector<Operation *> stateOpsWriting(Value root) { return stateOpsWithUses(root, mayWriteThrough); }

SmallVector<Operation *> accessesInOneState(Value root) {
  SmallVector<Operation *> ops = stateOpsUsing(root);
  for (Operation *op : ops) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    // An op that uses the container without a known access to it could touch it in any way.
    if (!collectAccesses(op, reads, writes) || (!reads.contains(root) && !writes.contains(root)))
      return {};
    if (op->getBlock() != ops.front()->getBlock())
      return {};
  }
  llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ops;
}

/// A map nest that stores every element of `root` directly, without wcr, and loads none of it.
static bool mapWritesAll(sdfg::MapOp map, Value root) {
  auto nest = perfectNest(map);
  if (!nest)
    return false;
  bool stored = false;
  for (Operation &inner : *nest->body) {
    if (auto load = dyn_cast<sdfg::LoadOp>(inner); load && rootOf(load.getArray()) == root)
      return false;
    auto store = dyn_cast<sdfg::StoreOp>(inner);
    if (!store || rootOf(store.getArray()) != root)
      continue;
    if (store.getArray() != root || store.getWcr() || !storeCoversArray(store, *nest))
      return false;
    stored = true;
  }
  return stored;
}

bool writesAllWithoutReading(Operation *first, Value root) {
  if (auto map = dyn_cast_or_null<sdfg::MapOp>(first))
    return mapWritesAll(map, root);
  auto node = dyn_cast_or_null<nn::LibraryNode>(first);
  if (!node || llvm::any_of(node.getInputs(), [&](Value in) { return rootOf(in) == root; }))
    return false;
  return llvm::any_of(node.getOutputs(), [&](Value out) {
    while (out != root) {
      Operation *def = out.getDefiningOp();
      if (!sdfg::coversSource(def))
        return false;
      out = def->getOperand(0);
    }
    return true;
  });
}

} // namespace dmc
