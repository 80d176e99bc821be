//===- ExpandLibraryNodes.cpp - library nodes to maps, memlets and tasklets ===//
//
// Replaces every `nn` op of an SDFG by maps, memlets and tasklets built in its place (one family of
// nodes per file in passes/expansions/). All nodes are checked before anything is rewritten: a node
// without an expansion leaves the SDFG as it was, with a diagnostic on that node.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace dmc {
#define GEN_PASS_DEF_EXPANDLIBRARYNODES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc::expansions;

namespace {
using ExpandFn = LogicalResult (*)(Expander &);

/// The node families (the names of the `only` option) and their pure expansions.
struct Family {
  StringRef name;
  bool (*matches)(Operation *);
  ExpandFn pure;
};
const Family kFamilies[] = {
    {"elementwise", isElementwise, expandElementwise}, {"matmul", isMatMul, expandMatMul},
    {"softmax", isSoftmax, expandSoftmax},             {"layernorm", isLayerNorm, expandLayerNorm},
    {"reduce", isReduce, expandReduce},                {"layout", isLayout, expandLayout},
};

const Family *familyOf(Operation *op) {
  for (const Family &f : kFamilies)
    if (f.matches(op))
      return &f;
  return nullptr;
}

/// The expansion of a node under `impl`, or null: `tiled` differs from `pure` for MatMul only.
ExpandFn expansionOf(Operation *op, StringRef impl) {
  const Family *family = familyOf(op);
  if (!family)
    return nullptr;
  if (impl == "tiled" && isa<dmc::nn::MatMulOp>(op))
    return expandMatMulTiled;
  return family->pure;
}

struct ExpandLibraryNodes : dmc::impl::ExpandLibraryNodesBase<ExpandLibraryNodes> {
  using Base::Base;
  dmc::PassStatistic numExpanded{this, "nodes-expanded", "library nodes replaced by maps and tasklets"};

  void runOnOperation() override {
    dmc::sdfg::SDFGOp sdfg = getOperation();
    if (impl != "pure" && impl != "tiled") {
      sdfg.emitError("expand-library-nodes: unknown implementation '") << impl << "' (available: pure, tiled)";
      return signalPassFailure();
    }
    for (const std::string &f : only)
      if (llvm::none_of(kFamilies, [&](const Family &known) { return known.name == f; })) {
        sdfg.emitError("expand-library-nodes: unknown family '")
            << f << "' in only= (available: elementwise, matmul, softmax, layernorm, reduce, layout)";
        return signalPassFailure();
      }
    SmallVector<std::pair<Operation *, ExpandFn>> nodes;
    bool ok = true;
    for (auto state : sdfg.getStates())
      for (Operation &op : state.getBodyBlock()) {
        if (!isa<dmc::nn::LibraryNode>(op))
          continue;
        const Family *family = familyOf(&op);
        if (!only.empty() && (!family || !llvm::is_contained(only, family->name.str())))
          continue;
        ExpandFn fn = expansionOf(&op, impl);
        if (!fn) {
          op.emitOpError("has no '") << impl << "' expansion";
          ok = false;
        }
        nodes.push_back({&op, fn});
      }
    if (!ok)
      return signalPassFailure();

    // Transient names must not clash with arguments or other transients (they become C++ names).
    llvm::StringSet<> names;
    for (unsigned i = 0; i < sdfg.getBodyBlock().getNumArguments(); ++i)
      names.insert(sdfg.getArgName(i));
    for (auto alloc : sdfg.getBodyBlock().getOps<dmc::sdfg::AllocOp>())
      if (alloc.getName())
        names.insert(*alloc.getName());

    for (auto [op, fn] : nodes) {
      Operation *before = op->getPrevNode();
      Expander e(op, names);
      if (failed(fn(e))) {
        // Remove what was built for this node: the ops between `before` and it, and its transients.
        while (op->getPrevNode() != before)
          op->getPrevNode()->erase();
        for (Operation *t : llvm::reverse(e.transients))
          t->erase();
        op->emitOpError("could not be expanded");
        return signalPassFailure();
      }
      op->erase();
      ++numExpanded;
    }
  }
};
} // namespace
