//===- EliminateLayoutCopies.cpp - nn.transpose / nn.reshape into views ---===//
//
// A transpose or reshape node copies its whole input. Where the data can instead be seen in the other
// layout, the copy goes and one of the two containers becomes a view of the other:
//
//  - backward (the producer writes the final layout): when X is a private transient written only by a
//    node that writes strided views in place (fused_matmul, attention) or by the stores of one map, and
//    read only by the layout node, X becomes the inverse view of Y and the producer writes Y directly;
//  - forward (the consumers read the original layout): when Y is a private transient written only by
//    the layout node and X is not written after it, Y becomes the view of X and Y's readers read X.
//
// Backward is tried first, so an attention writes its [B, H, S, D] output straight into the [B, S, E]
// buffer the output projection reads. A reshape view is only made of a contiguous container (an
// allocation, an argument or a chain of reshape views of one), so every view stays a strided layout.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_ELIMINATELAYOUTCOPIES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// Defined by an op at SDFG level (or an argument): a view of it can be placed right after it and
/// dominates every state.
bool definedAtSDFGLevel(Value v) {
  Operation *def = v.getDefiningOp();
  return !def || isa<sdfg::SDFGOp>(def->getParentOp());
}

/// Creates `source` seen through `layout`'s inverse (inverse = true) or through `layout` itself, at SDFG
/// level right after `source`'s definition; null when that view would not be a strided layout.
Value makeView(Operation *layout, Value source, Type resultType, bool inverse) {
  if (isa<nn::ReshapeOp>(layout) && !isContiguous(source))
    return {};
  if (!definedAtSDFGLevel(source))
    return {};
  OpBuilder b(layout->getContext());
  if (Operation *def = source.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(cast<BlockArgument>(source).getOwner());
  auto type = cast<sdfg::ArrayType>(resultType);
  if (auto t = dyn_cast<nn::TransposeOp>(layout)) {
    ArrayRef<int64_t> perm = t.getPermutation();
    SmallVector<int64_t> p(perm.begin(), perm.end());
    if (inverse)
      for (size_t i = 0; i < perm.size(); ++i)
        p[perm[i]] = (int64_t)i;
    return b.create<sdfg::TransposeViewOp>(layout->getLoc(), type, source, b.getDenseI64ArrayAttr(p));
  }
  return b.create<sdfg::ReshapeViewOp>(layout->getLoc(), type, source);
}

bool writesStridedOutputs(Operation *op) { return isa<nn::FusedMatMulOp, nn::AttentionOp>(op); }

/// The ancestor of `op` (or `op` itself) that sits directly in a state; null for an op outside every
/// state, such as a view at SDFG level.
Operation *inState(Operation *op) {
  for (; op; op = op->getParentOp())
    if (isa_and_nonnull<sdfg::StateOp>(op->getParentOp()))
      return op;
  return nullptr;
}

/// The one op that writes X when X's only other user is the layout node: a node that writes strided
/// views, or a map whose stores (through any view: sdfg::rootOffset resolves each element) are X's only
/// other uses. Null otherwise.
Operation *soleStridedProducer(Value x, Operation *layout) {
  if (Operation *node = soleOtherUser(x, layout)) {
    if (writesStridedOutputs(node) && !llvm::is_contained(cast<nn::LibraryNode>(node).getInputs(), x))
      return node;
    if (!isa<sdfg::StoreOp>(node))
      return nullptr;
  }
  Operation *map = nullptr;
  for (Operation *user : x.getUsers()) {
    if (user == layout)
      continue;
    if (!isa<sdfg::StoreOp>(user))
      return nullptr;
    Operation *top = inState(user);
    if (!isa_and_nonnull<sdfg::MapOp>(top) || (map && map != top))
      return nullptr;
    map = top;
  }
  return map;
}

/// Backward: X's producer writes Y through the inverse view.
bool tryBackward(Operation *layout, Value x, Value y) {
  if (!isPrivateTransient(x))
    return false;
  Operation *producer = soleStridedProducer(x, layout);
  if (!producer)
    return false;
  if (producer->getBlock() != layout->getBlock() || !producer->isBeforeInBlock(layout))
    return false;
  // The write of Y moves up from the layout node to the producer, which must not read Y itself.
  llvm::SmallPtrSet<Value, 8> reads, writes;
  if (!collectAccesses(producer, reads, writes) || reads.contains(rootOf(y)))
    return false;
  if (!rangeIsIndependent(producer, layout, {}, {rootOf(y)}))
    return false;
  Value view = makeView(layout, y, x.getType(), /*inverse=*/true);
  if (!view)
    return false;
  Operation *alloc = x.getDefiningOp();
  x.replaceAllUsesWith(view);
  layout->erase();
  alloc->erase();
  return true;
}

/// Forward: Y's readers read X through the view.
bool tryForward(Operation *layout, Value x, Value y) {
  if (!isPrivateTransient(y))
    return false;
  for (Operation *user : y.getUsers()) {
    if (user == layout || isa<sdfg::LoadOp>(user))
      continue;
    llvm::SmallPtrSet<Value, 4> reads, writes;
    if (isView(user) || isa<sdfg::StoreOp>(user) || !collectAccesses(user, reads, writes) || writes.contains(y))
      return false;
  }
  // X must keep its value from the layout node on: every write of X's root precedes it in its block.
  Value root = rootOf(x);
  bool laterWrite = llvm::any_of(stateOpsUsing(root), [&](Operation *op) {
    if (op == layout || (op->getBlock() == layout->getBlock() && op->isBeforeInBlock(layout)))
      return false;
    llvm::SmallPtrSet<Value, 4> reads, writes;
    return !collectAccesses(op, reads, writes) || writes.contains(root);
  });
  if (laterWrite)
    return false;
  Value view = makeView(layout, x, y.getType(), /*inverse=*/false);
  if (!view)
    return false;
  Operation *alloc = y.getDefiningOp();
  layout->erase();
  y.replaceAllUsesWith(view);
  alloc->erase();
  return true;
}

struct EliminateLayoutCopies : dmc::impl::EliminateLayoutCopiesBase<EliminateLayoutCopies> {
  dmc::PassStatistic numBackward{this, "copies-removed-backward",
                                 "layout copies removed: the producer writes the final layout"};
  dmc::PassStatistic numForward{this, "copies-removed-forward",
                                "layout copies removed: the readers see the input through a view"};
  void runOnOperation() override {
    SmallVector<Operation *> layouts;
    getOperation().walk([&](Operation *op) {
      if (isa<nn::TransposeOp, nn::ReshapeOp>(op))
        layouts.push_back(op);
    });
    // Each rewrite erases only its own layout node.
    for (Operation *layout : layouts) {
      auto node = cast<nn::LibraryNode>(layout);
      Value x = node.getInputs()[0], y = node.getOutputs()[0];
      if (tryBackward(layout, x, y))
        ++numBackward;
      else if (tryForward(layout, x, y))
        ++numForward;
    }
  }
};
} // namespace
