//===- ExpandLibraryNodes.cpp - library nodes to maps, memlets and tasklets ===//
//
// Replaces every `nn` op of an SDFG by maps, memlets and tasklets built in its place (one family of
// nodes per file in passes/expansions/). All nodes are checked before anything is rewritten: a node
// without an expansion leaves the SDFG as it was, with a diagnostic on that node.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "dialects/SDFG/MicroKernels.h"
#include "passes/expansions/Expansions.h"

#include <functional>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace dmc {
#define GEN_PASS_DEF_EXPANDLIBRARYNODES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc::expansions;

namespace {
using ExpandFn = std::function<LogicalResult(Expander &)>;

/// The node families (the names of the `only` option) and their pure expansions.
struct Family {
  StringRef name;
  bool (*matches)(Operation *);
  LogicalResult (*pure)(Expander &); // null: no pure expansion
};
bool isFusedMatMul(Operation *op) { return isa<dmc::nn::FusedMatMulOp>(op); }
const Family kFamilies[] = {
    {"elementwise", isElementwise, expandElementwise}, {"matmul", isMatMul, expandMatMul},
    {"softmax", isSoftmax, expandSoftmax},             {"layernorm", isLayerNorm, expandLayerNorm},
    {"reduce", isReduce, expandReduce},                {"layout", isLayout, expandLayout},
    {"fused_matmul", isFusedMatMul, nullptr},
};

const Family *familyOf(Operation *op) {
  for (const Family &f : kFamilies)
    if (f.matches(op))
      return &f;
  return nullptr;
}

/// The expansion of a node under `impl`, or null: `tiled` differs from `pure` for MatMul (which becomes
/// an nn.fused_matmul) and nn.fused_matmul (a tile nest over micro-kernels).
ExpandFn expansionOf(Operation *op, StringRef impl, const GemmTiling &tiling) {
  const Family *family = familyOf(op);
  if (!family)
    return nullptr;
  if (impl == "tiled" && isa<dmc::nn::MatMulOp>(op))
    return expandMatMulTiled;
  if (impl == "tiled" && isa<dmc::nn::FusedMatMulOp>(op))
    return [tiling](Expander &e) { return expandFusedMatMulTiled(e, tiling); };
  return family->pure ? ExpandFn(family->pure) : ExpandFn();
}

/// The register tile named by the `register-tile` option: "auto" picks by the host's vector width.
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
    FailureOr<GemmTiling> tiling = gemmTiling(registerTile, tileM, tileN, tileK);
    if (failed(tiling)) {
      sdfg.emitError("expand-library-nodes: unknown register tile '") << registerTile << "' (auto, 12x32, 6x16)";
      return signalPassFailure();
    }
    if (tiling->mc % tiling->mr || tiling->nc % tiling->nr) {
      sdfg.emitError("expand-library-nodes: tile-m must be a multiple of ")
          << tiling->mr << " and tile-n of " << tiling->nr << " (the register tile " << tiling->mr << "x"
          << tiling->nr << "), got " << tiling->mc << " and " << tiling->nc;
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
        ExpandFn fn = expansionOf(&op, impl, *tiling);
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
