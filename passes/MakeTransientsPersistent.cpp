//===- MakeTransientsPersistent.cpp - keep heap transients across calls ---===//
//
// A heap transient of lifetime `sdfg` is allocated (and zeroed by dmcrt_alloc) on every call; for the
// megabyte-sized intermediates of an attention layer that is page faults and a memset per call. A
// `persistent` transient lives in the handle instead and is allocated once. Its contents then survive
// from one call to the next, so the pass only applies where no call can observe them: every access to
// the transient is in one state, and the first one is a library node that writes all of it (as an
// output, directly or through a transpose or reshape view) without reading it.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_MAKETRANSIENTSPERSISTENT
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// `v` shows every element of `root`: the root itself, or transpose and reshape views of it.
bool coversAll(Value v, Value root) {
  while (v != root) {
    Operation *def = v.getDefiningOp();
    if (!isa_and_nonnull<sdfg::TransposeViewOp, sdfg::ReshapeViewOp>(def))
      return false;
    v = def->getOperand(0);
  }
  return true;
}

bool firstAccessWritesAll(sdfg::AllocOp alloc) {
  Value root = alloc.getResult();
  auto sdfg = alloc->getParentOfType<sdfg::SDFGOp>();
  Operation *first = nullptr;
  bool oneState = true, known = true;
  sdfg.walk([&](sdfg::StateOp state) {
    for (Operation &op : state->getRegion(0).front()) {
      llvm::SmallPtrSet<Value, 8> reads, writes;
      if (!collectAccesses(&op, reads, writes)) {
        known = false;
        continue;
      }
      if (!reads.contains(root) && !writes.contains(root))
        continue;
      if (first && first->getBlock() != op.getBlock())
        oneState = false;
      if (!first)
        first = &op;
    }
  });
  if (!known || !oneState || !first)
    return false;
  auto node = dyn_cast<nn::LibraryNode>(first);
  if (!node || llvm::any_of(node.getInputs(), [&](Value in) { return rootOf(in) == root; }))
    return false;
  return llvm::any_of(node.getOutputs(), [&](Value out) { return coversAll(out, root); });
}

struct MakeTransientsPersistent : dmc::impl::MakeTransientsPersistentBase<MakeTransientsPersistent> {
  void runOnOperation() override {
    for (auto alloc : getOperation().getBodyBlock().getOps<sdfg::AllocOp>())
      if (alloc.getStorage() == sdfg::Storage::heap && alloc.getLifetime() == sdfg::Lifetime::sdfg &&
          firstAccessWritesAll(alloc))
        alloc.setLifetime(sdfg::Lifetime::persistent);
  }
};
} // namespace
