//===- ExpandLibraryNodes.cpp - library nodes to maps, memlets and tasklets ===//
//
// Replaces every `nn` op of an SDFG by maps, memlets and tasklets built in its place (one family of
// nodes per file in passes/expansions/), by the expansion of its `impl` attribute (or of the pass's
// `impl` option when it has none) in passes/expansions/Table.cpp; `library` nodes stay. All nodes are
// checked before anything is rewritten: a node without an expansion leaves the SDFG as it was, with a
// diagnostic on that node.
//
//===----------------------------------------------------------------------===//
#include "dialects/SDFG/MicroKernels.h"
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
/// The implementation of `op`: its `impl` attribute, else the pass's option.
StringRef implOf(Operation *op, StringRef fallback) {
  StringRef impl = dmc::nn::getImpl(op);
  return impl.empty() ? fallback : impl;
}

/// The expansion of `op` under `impl`, or null. The option `impl=tiled` (not an attribute) keeps its
/// meaning from before the table: the tiled form where a family has one, the pure one elsewhere.
ExpandFn expansionOf(Operation *op, StringRef impl, bool fromOption) {
  ExpandFn fn = findExpansion(op, impl);
  if (!fn && fromOption && impl == "tiled")
    fn = findExpansion(op, "pure");
  return fn;
}

/// The register tile named by the `register-tile` option ("auto" picks by the host's vector width) and
/// the block sizes, where given.
FailureOr<GemmTiling> gemmTiling(StringRef registerTile, int64_t tileM, int64_t tileN, int64_t tileK) {
  bool wide = false;
#if defined(__x86_64__) || defined(__i386__)
  wide = __builtin_cpu_supports("avx512f");
#endif
  GemmTiling t = defaultGemmTiling(wide);
  if (registerTile != "auto") {
    const dmc::sdfg::RegisterTile *found = nullptr;
    for (const dmc::sdfg::RegisterTile &r : dmc::sdfg::gemmRegisterTiles())
      if (std::to_string(r.rows) + "x" + std::to_string(r.cols) == registerTile)
        found = &r;
    if (!found)
      return failure();
    t.mr = found->rows, t.nr = found->cols, t.kernel = found->kernel.str();
    t.mc = (t.mc + t.mr - 1) / t.mr * t.mr;
    t.nc = (t.nc + t.nr - 1) / t.nr * t.nr;
  }
  if (tileM > 0)
    t.mc = tileM;
  if (tileN > 0)
    t.nc = tileN;
  if (tileK > 0)
    t.kc = tileK;
  return t;
}

struct ExpandLibraryNodes : dmc::impl::ExpandLibraryNodesBase<ExpandLibraryNodes> {
  using Base::Base;
  dmc::PassStatistic numExpanded{this, "nodes-expanded", "library nodes replaced by maps and tasklets"};

  void runOnOperation() override {
    dmc::sdfg::SDFGOp sdfg = getOperation();
    if (!dmc::nn::isImplName(impl)) {
      sdfg.emitError("expand-library-nodes: unknown implementation '")
          << impl << "' (available: " << dmc::nn::implNamesList() << ")";
      return signalPassFailure();
    }
    for (const std::string &f : only)
      if (llvm::none_of(families(), [&](const Family &known) { return known.name == f; })) {
        sdfg.emitError("expand-library-nodes: unknown family '")
            << f << "' in only= (available: " << familyNamesList() << ")";
        return signalPassFailure();
      }
    FailureOr<GemmTiling> tiling = gemmTiling(registerTile, tileM, tileN, tileK);
    if (failed(tiling)) {
      sdfg.emitError("expand-library-nodes: unknown register tile '") << registerTile << "' (auto, 12x32, 6x16)";
      return signalPassFailure();
    }
    if (tiling->mc <= 0 || tiling->mc % tiling->mr || tiling->nc <= 0 || tiling->nc % tiling->nr || tiling->kc <= 0) {
      sdfg.emitError("expand-library-nodes: tile-m must be a positive multiple of ")
          << tiling->mr << " and tile-n of " << tiling->nr << " (the register tile " << tiling->mr << "x"
          << tiling->nr << "), tile-k positive; got " << tiling->mc << ", " << tiling->nc << " and " << tiling->kc;
      return signalPassFailure();
    }
    AttentionTiling attention = defaultAttentionTiling(*tiling);
    if (attentionBlockQ > 0)
      attention.queries = attentionBlockQ;
    if (attentionBlockK > 0)
      attention.keys = attentionBlockK;
    if (attentionBlockQ < 0 || attentionBlockK < 0 || attention.keys % tiling->nr) {
      sdfg.emitError("expand-library-nodes: attention-block-q must be positive and attention-block-k a positive "
                     "multiple of ")
          << tiling->nr << " (the register tile " << tiling->mr << "x" << tiling->nr << "); got "
          << attention.queries << " and " << attention.keys;
      return signalPassFailure();
    }
    if (rowBlock < 0) {
      sdfg.emitError("expand-library-nodes: row-block must be positive (0: the default, ")
          << Expander::kDefaultRowBlock << "); got " << int64_t(rowBlock);
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
        StringRef chosen = implOf(&op, impl);
        if (chosen == "library") // stays, and becomes a runtime call
          continue;
        ExpandFn fn = expansionOf(&op, chosen, dmc::nn::getImpl(&op).empty());
        if (!fn) {
          auto diag = op.emitOpError("has no '") << chosen << "' expansion";
          if (const char *why = whyNotExpansion(&op, chosen))
            diag << " for this node: " << why;
          diag << " (available: " << joinNames(implementationsOf(&op)) << ")";
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
      e.gemmTiling = *tiling;
      e.attentionTiling = attention;
      if (rowBlock > 0)
        e.rowBlock = rowBlock;
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
