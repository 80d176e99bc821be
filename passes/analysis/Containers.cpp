//===- Containers.cpp - views, roots and accesses, for legality checks -----===//
#include "passes/analysis/Containers.h"

#include "dialects/NN/NNOps.h"

using namespace mlir;

namespace dmc {

bool isView(Operation *op) { return isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(op); }

Value rootOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isView(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

bool isPrivateTransient(Value v) {
  auto alloc = v.getDefiningOp<sdfg::AllocOp>();
  return alloc && alloc.getLifetime() != sdfg::Lifetime::persistent;
}

bool isContiguous(Value v) {
  while (auto reshape = v.getDefiningOp<sdfg::ReshapeViewOp>())
    v = reshape.getSource();
  return !v.getDefiningOp() || isa<sdfg::AllocOp>(v.getDefiningOp());
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

} // namespace dmc
