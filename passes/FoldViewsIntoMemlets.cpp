//===- FoldViewsIntoMemlets.cpp - memlets index the container, not its view ===//
//
//   %t = transpose_view %x [1, 0]   load %t[%i, %j]           ==>   load %x[%j, %i]
//   %s = slice_view %x [0, 64]      load %s[%i, %j]           ==>   load %x[%i, %j + 64]
//   %r = reshape_view %x : [S, 768] -> [S, 12, 64]   load %r[%i, %h, %d]   ==>   load %x[%i, %h * 64 + %d]
//
// After it, a memlet's subset is expressed on the container itself, as in DaCe, so what a map moves is
// read off the memlet. Views that only memlets used disappear; library nodes keep theirs (the runtime
// kernels take strided operands). A reshape folds where its dimension groups only merge (or keep) dims:
// splitting one index over several would need division and remainder in the address, so that view stays.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_FOLDVIEWSINTOMEMLETS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// Indices into a reshape view's source, from indices into the view; nullopt unless every group of
/// dims with equal element counts maps several (or one) view dims onto one source dim.
std::optional<SmallVector<AffineExpr>> foldReshape(sdfg::ReshapeViewOp reshape, ArrayRef<AffineExpr> indices) {
  Shape view = reshape.getType().getShape(), source = reshape.getSource().getType().getShape();
  for (const Dim &d : view)
    if (d.isSymbolic())
      return std::nullopt;
  for (const Dim &d : source)
    if (d.isSymbolic())
      return std::nullopt;
  MLIRContext *ctx = reshape.getContext();
  SmallVector<AffineExpr> result;
  size_t i = 0;
  for (const Dim &target : source) {
    // Consume view dims (row-major) until their element count is the source dim's; a view dim that
    // would overshoot it splits across source dims.
    AffineExpr index = getAffineConstantExpr(0, ctx);
    int64_t count = 1;
    while (count < target.value) {
      if (i == view.size() || target.value % (count * view[i].value) != 0)
        return std::nullopt;
      index = index * view[i].value + indices[i];
      count *= view[i].value;
      ++i;
    }
    result.push_back(index);
  }
  for (; i < view.size(); ++i) // trailing size-1 view dims index nothing
    if (view[i].value != 1)
      return std::nullopt;
  return result;
}

/// Folds the views under a memlet's container into its index map, as far as they fold.
template <typename MemletOp>
bool foldMemlet(MemletOp memlet) {
  Value array = memlet.getArray();
  AffineMap map = memlet.getMap();
  SmallVector<AffineExpr> indices(map.getResults());
  bool changed = false;
  while (Operation *def = array.getDefiningOp()) {
    if (Value source = sdfg::toSourceIndices(def, indices, [](AffineExpr index, int64_t off) { return index + off; })) {
      array = source;
    } else if (auto r = dyn_cast<sdfg::ReshapeViewOp>(def)) {
      auto src = foldReshape(r, indices);
      if (!src)
        break;
      indices = *src;
      array = r.getSource();
    } else {
      break;
    }
    changed = true;
  }
  if (!changed)
    return false;
  memlet.getArrayMutable().assign(array);
  memlet.setMapAttr(AffineMapAttr::get(
      AffineMap::get(map.getNumDims(), map.getNumSymbols(), indices, memlet.getContext())));
  return true;
}

struct FoldViewsIntoMemlets : dmc::impl::FoldViewsIntoMemletsBase<FoldViewsIntoMemlets> {
  dmc::PassStatistic numMemlets{this, "memlets-folded", "loads and stores now indexing the container, not a view"};
  dmc::PassStatistic numViews{this, "views-erased", "views no longer used"};
  void runOnOperation() override {
    getOperation().walk([&](sdfg::LoadOp load) { numMemlets += foldMemlet(load); });
    // A wcr store keeps its view: resolve-write-conflicts proves a parallel iteration owns the element
    // it resolves into from indices that are plain parameters, which folding a reshape would combine.
    getOperation().walk([&](sdfg::StoreOp store) {
      if (!store.getWcr())
        numMemlets += foldMemlet(store);
    });
    // Views nothing uses any more (innermost first: a view may be the source of another).
    SmallVector<Operation *> views;
    getOperation().walk([&](Operation *op) {
      if (isView(op))
        views.push_back(op);
    });
    for (Operation *view : llvm::reverse(views))
      if (view->use_empty()) {
        view->erase();
        ++numViews;
      }
  }
};
} // namespace
