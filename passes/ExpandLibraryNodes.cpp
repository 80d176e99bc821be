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
  GemmTiling t = defaultGemmTiling(hostHasWideVectors());
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

/// The block sizes one node is expanded with: the pass options', each overridden by the node's `tiles`.
struct Tilings {
  GemmTiling gemm;
  AttentionTiling attention;
  int64_t rows;

  Tilings withBlocksOf(Operation *node) const {
    Tilings t = *this;
    auto given = [&](StringRef name, int64_t &block) {
      if (int64_t value = dmc::nn::getTileParameter(node, name))
        block = value;
    };
    if (isa<dmc::nn::AttentionOp>(node)) {
      given("q", t.attention.queries);
      given("k", t.attention.keys);
    } else {
      given("m", t.gemm.mc);
      given("n", t.gemm.nc);
      given("k", t.gemm.kc);
      given("rows", t.rows);
    }
    return t;
  }

  /// Empty, or what is wrong, in the names of the pass options or (fromNode) of the `tiles` keys.
  std::string check(bool fromNode = false) const {
    auto name = [&](const char *option, const char *key) { return std::string(fromNode ? key : option); };
    std::string tile = std::to_string(gemm.mr) + "x" + std::to_string(gemm.nr);
    if (gemm.mc <= 0 || gemm.mc % gemm.mr || gemm.nc <= 0 || gemm.nc % gemm.nr || gemm.kc <= 0)
      return name("tile-m", "tiles m") + " must be a positive multiple of " + std::to_string(gemm.mr) + " and " +
             name("tile-n", "n") + " of " + std::to_string(gemm.nr) + " (the register tile " + tile + "), " +
             name("tile-k", "k") + " positive; got " + std::to_string(gemm.mc) + ", " + std::to_string(gemm.nc) +
             " and " + std::to_string(gemm.kc);
    if (attention.queries <= 0 || attention.keys <= 0 || attention.keys % gemm.nr)
      return name("attention-block-q", "tiles q") + " must be positive and " + name("attention-block-k", "k") +
             " a positive multiple of " + std::to_string(gemm.nr) + " (the register tile " + tile + "); got " +
             std::to_string(attention.queries) + " and " + std::to_string(attention.keys);
    if (rows <= 0)
      return name("row-block", "tiles rows") + " must be positive (0: the default, " +
             std::to_string(Expander::kDefaultRowBlock) + "); got " + std::to_string(rows);
    return "";
  }
};

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
    FailureOr<GemmTiling> gemm = gemmTiling(registerTile, tileM, tileN, tileK);
    if (failed(gemm)) {
      sdfg.emitError("expand-library-nodes: unknown register tile '") << registerTile << "' (auto, 12x32, 6x16)";
      return signalPassFailure();
    }
    Tilings options{*gemm, defaultAttentionTiling(*gemm), rowBlock > 0 ? rowBlock : Expander::kDefaultRowBlock};
    if (attentionBlockQ)
      options.attention.queries = attentionBlockQ;
    if (attentionBlockK)
      options.attention.keys = attentionBlockK;
    if (rowBlock < 0)
      options.rows = rowBlock;
    if (std::string error = options.check(); !error.empty()) {
      sdfg.emitError("expand-library-nodes: ") << error;
      return signalPassFailure();
    }
    struct Node {
      Operation *op;
      ExpandFn fn;
      Tilings tilings;
    };
    SmallVector<Node> nodes;
    bool ok = true;
    for (auto state : sdfg.getStates())
      for (Operation &op : state.getBodyBlock()) {
        if (!isa<dmc::nn::LibraryNode>(op))
          continue;
        const Family *family = familyOf(&op);
        if (!only.empty() && (!family || !llvm::is_contained(only, family->name.str())))
          continue;
        StringRef chosen = implOf(&op, impl);
        if (dmc::nn::isRuntimeCallImpl(chosen)) // stays, and becomes a runtime call
          continue;
        ExpandFn fn = expansionOf(&op, chosen, dmc::nn::getImpl(&op).empty());
        if (!fn) {
          auto diag = op.emitOpError("has no '") << chosen << "' expansion";
          if (const char *why = whyNotExpansion(&op, chosen))
            diag << " for this node: " << why;
          diag << " (available: " << joinNames(implementationsOf(&op)) << ")";
          ok = false;
        }
        Tilings tilings = options.withBlocksOf(&op);
        if (std::string error = tilings.check(/*fromNode=*/true); !error.empty()) {
          op.emitOpError(error);
          ok = false;
        }
        nodes.push_back({&op, fn, tilings});
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

    for (auto [op, fn, tilings] : nodes) {
      Operation *before = op->getPrevNode();
      Expander e(op, names);
      e.gemmTiling = tilings.gemm;
      e.attentionTiling = tilings.attention;
      e.rowBlock = tilings.rows;
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
