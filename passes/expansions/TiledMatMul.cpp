//===- TiledMatMul.cpp - nn.fused_matmul as a tile nest over micro-kernels ===//
//
// BLIS-style blocking, written as maps so the passes, the dumps and the movement report see it:
//
//   map (kb, g) omp { packed_b_all[kb*NP + g, p, r] = B[kb*KC + p, g*NR + r] }   a weight: B packed whole,
//                                                              once (when B has no batch dims, K and N
//                                                              are constants and several block rows read it)
//   map (batch..., mb, nb) omp {                               one C block of MC x NC per iteration
//     %rows = sdfg.min (MC, M - mb*MC)   %cols = ...           the block's extent, cut at C's edges
//     map (kb) {                                               K panels of depth KC, in order
//       %kc = sdfg.min (KC, K - kb*KC)
//       map (i, p) { packed_a[i floordiv MR, p, i mod MR] = A[.., mb*MC + i, kb*KC + p] }
//       map (p, j) { packed_b[j floordiv NR, p, j mod NR] = B[.., kb*KC + p, nb*NC + j] }   (unless whole)
//       map (jp, ip) { sdfg.ukernel "gemm_MRxNR" ins(packed_a[ip, 0, 0], packed_b[jp, 0, 0])
//                                                outs(acc[ip*MR, jp*NR]) args(%kc, %kb) }
//     }
//     map (i) { map (j) vector { acc = alpha*acc + pre_scale*pre }  ukernel act_row(acc[i, 0])
//               map (j) vector { C[.., mb*MC + i, nb*NC + j] = acc + post_scale*post } }
//   }
//
// packed_a, packed_b and acc are transients of lifetime `scope`: one buffer per worker of the omp map,
// allocated zeroed. packed_b_all is one persistent buffer; a panel past N's edge keeps what it held there
// (zeros). A partial block packs only its valid rows and columns; the register tiles at its edge then
// also compute rows and columns past the edge, from values an earlier block left in the padding (finite,
// or the allocation's zeros), and the epilogue never reads them.
//
//===----------------------------------------------------------------------===//
#include "dialects/SDFG/MicroKernels.h"
#include "passes/expansions/TileNest.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace dmc::expansions {
namespace {

int64_t activationCode(StringRef act) {
  return llvm::StringSwitch<int64_t>(act).Case("relu", 1).Case("gelu_erf", 2).Case("gelu_tanh", 3).Default(0);
}

} // namespace

LogicalResult expandFusedMatMulTiled(Expander &e) {
  const GemmTiling &t = e.gemmTiling;
  auto mm = cast<nn::FusedMatMulOp>(e.node);
  const sdfg::MicroKernel *kernel = sdfg::lookupMicroKernel(t.kernel);
  if (!kernel || t.mr <= 0 || t.nr <= 0 || t.mc % t.mr || t.nc % t.nr || t.kc <= 0)
    return e.node->emitOpError("tile sizes ") << t.mc << "x" << t.nc << "x" << t.kc << " do not fit the register tile "
                                              << t.mr << "x" << t.nr;
  Value a = mm.getInputs()[0], b = mm.getInputs()[1], c = mm.getOutputs()[0];
  size_t next = 2;
  Value pre = mm.getHasPre() ? mm.getInputs()[next++] : Value();
  Value post = mm.getHasPost() ? mm.getInputs()[next++] : Value();
  Shape as = shapeOf(a), bs = shapeOf(b), cs = shapeOf(c);
  if (!elementOf(c).isF32())
    return e.node->emitOpError("the tiled expansion runs on f32 only");
  bool ta = mm.getTransposeA(), tb = mm.getTransposeB();
  Dim M = cs[cs.size() - 2], N = cs[cs.size() - 1], K = ta ? as[as.size() - 2] : as[as.size() - 1];
  Shape batchShape(cs.begin(), cs.end() - 2);
  Type f32 = e.b.getF32Type();

  // A B shared by every block row (no batch dims of its own: a weight) of constant size is packed whole,
  // once, before the blocks, when more than one block row reads it; else each block packs its panels.
  bool packBOnce = bs.size() == 2 && !K.isSymbolic() && !N.isSymbolic() && K.value > 0 &&
                   (M.isSymbolic() || M.value > t.mc || !batchShape.empty());
  int64_t kPanels = packBOnce ? (K.value + t.kc - 1) / t.kc : 0, nPanels = packBOnce ? (N.value + t.nr - 1) / t.nr : 0;
  // A depth panel's row of B panels is padded to whole block columns: a block reads panels nb * NC/NR + jp
  // with jp < NC/NR, which the memlet bounds then prove in range also when the last block column is
  // partial (its jp stops early at run time, a bound they cannot relate to nb).
  int64_t paddedPanels = packBOnce ? (N.value + t.nc - 1) / t.nc * (t.nc / t.nr) : 0;
  Value packedA = e.transient({Dim::constant(t.mc / t.mr), Dim::constant(t.kc), Dim::constant(t.mr)}, f32, "packed_a");
  Value packedB =
      packBOnce ? e.transient({Dim::constant(kPanels * paddedPanels), Dim::constant(t.kc), Dim::constant(t.nr)}, f32,
                              "packed_b_all")
                : e.transient({Dim::constant(t.nc / t.nr), Dim::constant(t.kc), Dim::constant(t.nr)}, f32, "packed_b");
  Value acc = e.transient({Dim::constant(t.mc), Dim::constant(t.nc)}, f32, "acc");
  for (Value v : {packedA, acc})
    cast<sdfg::AllocOp>(v.getDefiningOp()).setLifetime(sdfg::Lifetime::scope);
  // The whole packing lives in the handle: every run writes each panel element the register tiles read
  // before they read it (the padding past N, never written, is only read into columns not stored).
  cast<sdfg::AllocOp>(packedB.getDefiningOp())
      .setLifetime(packBOnce ? sdfg::Lifetime::persistent : sdfg::Lifetime::scope);
  // packed_b_all[kb * paddedPanels + g] is B's panel g (columns g*NR...) of depth panel kb, one per iteration.
  auto packedPanelOfB = [paddedPanels](IndexFn kb, IndexFn g) -> IndexFn {
    return [=](AffineOperands &o) { return kb(o) * paddedPanels + g(o); };
  };
  if (packBOnce) {
    sdfg::MapOp packing = buildMap(e, {constant(kPanels), constant(nPanels)}, sdfg::Schedule::omp);
    OpBuilder::InsertionGuard guard(e.b);
    e.b.setInsertionPointToEnd(&packing.getBodyBlock());
    Value kb = packing.getBodyBlock().getArgument(0), g = packing.getBodyBlock().getArgument(1);
    IndexFn kOrigin = [&, kb](AffineOperands &o) { return o(kb) * t.kc; };
    Value kc = buildMin(e, {constant(t.kc), [&](AffineOperands &o) { return dimExpr(e, o, K) - kOrigin(o); }});
    PanelPacking pb;
    pb.depth = param(kc);
    pb.depthOrigin = kOrigin;
    pb.source = b, pb.packed = packedB, pb.alongIsRow = tb, pb.width = t.nr, pb.panels = constant(1);
    pb.edge = dimFn(e, N);
    pb.origin = [&, g](AffineOperands &o) { return o(g) * t.nr; };
    pb.panelBase = packedPanelOfB(param(kb), param(g));
    packPanels(e, pb);
  }

  // The omp map over (batch..., mb, nb).
  SmallVector<IndexFn> uppers;
  for (const Dim &d : batchShape)
    uppers.push_back(dimFn(e, d));
  uppers.push_back([&](AffineOperands &o) { return dimExpr(e, o, M).ceilDiv(t.mc); });
  uppers.push_back([&](AffineOperands &o) { return dimExpr(e, o, N).ceilDiv(t.nc); });
  sdfg::MapOp blocks = buildMap(e, uppers, sdfg::Schedule::omp);
  // Blocks at C's edges are partial, so cheaper: threads take blocks one at a time.
  blocks->setAttr(sdfg::MapOp::kDynamicAttr, e.b.getUnitAttr());
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToEnd(&blocks.getBodyBlock());
  ValueRange params = blocks.getBodyBlock().getArguments();
  ValueRange batch = params.drop_back(2);
  Value mb = params[params.size() - 2], nb = params.back();
  IndexFn rowOrigin = [&](AffineOperands &o) { return o(mb) * t.mc; };
  IndexFn colOrigin = [&](AffineOperands &o) { return o(nb) * t.nc; };
  Value rows = buildMin(e, {constant(t.mc), [&](AffineOperands &o) { return dimExpr(e, o, M) - rowOrigin(o); }});
  Value cols = buildMin(e, {constant(t.nc), [&](AffineOperands &o) { return dimExpr(e, o, N) - colOrigin(o); }});
  Value rowPanels = buildMin(e, {constant(t.mc / t.mr), [&](AffineOperands &o) {
                                   return (dimExpr(e, o, M) - rowOrigin(o)).ceilDiv(t.mr);
                                 }});
  Value colPanels = buildMin(e, {constant(t.nc / t.nr), [&](AffineOperands &o) {
                                   return (dimExpr(e, o, N) - colOrigin(o)).ceilDiv(t.nr);
                                 }});

  // K panels, in order: the first overwrites the accumulator, the others add to it.
  forRange(e, [&](AffineOperands &o) { return dimExpr(e, o, K).ceilDiv(t.kc); }, sdfg::Schedule::sequential,
           [&](Value kb) {
             IndexFn kOrigin = [&, kb](AffineOperands &o) { return o(kb) * t.kc; };
             Value kc = buildMin(e, {constant(t.kc), [&](AffineOperands &o) { return dimExpr(e, o, K) - kOrigin(o); }});
             PanelPacking pa;
             pa.batchShape = batchShape;
             pa.batch = batch;
             pa.depth = param(kc);
             pa.depthOrigin = kOrigin;
             // A's rows are the panels' rows; transposed, A is stored [K, M] and its panel dim is its last.
             pa.source = a, pa.packed = packedA, pa.alongIsRow = !ta, pa.width = t.mr, pa.panels = param(rowPanels);
             pa.edge = dimFn(e, M), pa.origin = rowOrigin;
             packPanels(e, pa);
             // B's columns are the panels' columns; B is stored [K, N] (panel dim last) unless transposed.
             if (!packBOnce) {
               PanelPacking pb = pa;
               pb.source = b, pb.packed = packedB, pb.alongIsRow = tb, pb.width = t.nr, pb.panels = param(colPanels);
               pb.edge = dimFn(e, N), pb.origin = colOrigin;
               packPanels(e, pb);
             }
             // Register tiles: each B panel stays in L1 while the A panels stream past it.
             sdfg::MapOp m = buildMap(e, {param(colPanels), param(rowPanels)}, sdfg::Schedule::sequential);
             OpBuilder::InsertionGuard g(e.b);
             e.b.setInsertionPointToEnd(&m.getBodyBlock());
             Value jp = m.getBodyBlock().getArgument(0), ip = m.getBodyBlock().getArgument(1);
             IndexFn bPanel = packBOnce ? packedPanelOfB(param(kb), [&, nb, jp](AffineOperands &o) {
               return o(nb) * (t.nc / t.nr) + o(jp);
             })
                                        : param(jp);
             callKernel(e, t.kernel, {packedA, packedB}, {acc},
                        {{param(ip), constant(0), constant(0)},
                         {bPanel, constant(0), constant(0)},
                         {[&](AffineOperands &o) { return o(ip) * t.mr; },
                          [&](AffineOperands &o) { return o(jp) * t.nr; }}},
                        {kc, kb});
           });

  // Epilogue, per row of the block while it is in cache.
  float alpha = mm.getAlpha().convertToFloat(), preScale = mm.getPreScale().convertToFloat(),
        postScale = mm.getPostScale().convertToFloat();
  int64_t act = activationCode(mm.getActivation());
  forRange(e, param(rows), sdfg::Schedule::sequential, [&](Value i) {
    IndexFn cRow = [&, i](AffineOperands &o) { return rowOrigin(o) + o(i); };
    auto overColumns = [&](llvm::function_ref<void(Value)> body) {
      forRange(e, param(cols), sdfg::Schedule::vector, body);
    };
    auto scaled = [&](OpBuilder &bb, Value x, float s) -> Value {
      return s == 1.0f ? x : bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, f32, s), x).getResult();
    };
    // Before the activation: alpha * acc + pre_scale * pre, kept in acc when an activation follows.
    auto preActivation = [&](Value j) -> Value {
      SmallVector<Value> operands{loadAt(e, acc, {param(i), param(j)})};
      if (pre) {
        IndexFn col = [&, j](AffineOperands &o) { return colOrigin(o) + o(j); };
        operands.push_back(loadAt(e, pre, addendIndices(shapeOf(pre), cs, batch, cRow, col)));
      }
      return e.tasklet1(operands, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        Value v = scaled(bb, args[0], alpha);
        if (pre)
          v = bb.create<arith::AddFOp>(e.loc, v, scaled(bb, args[1], preScale));
        return {v};
      });
    };
    auto store = [&](Value j, Value v) {
      IndexFn col = [&, j](AffineOperands &o) { return colOrigin(o) + o(j); };
      if (post) {
        Value p = loadAt(e, post, addendIndices(shapeOf(post), cs, batch, cRow, col));
        v = e.tasklet1({v, p}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
          return {bb.create<arith::AddFOp>(e.loc, args[0], scaled(bb, args[1], postScale))};
        });
      }
      storeAt(e, v, c, matrixIndices(cs, batchShape, batch, cRow, col));
    };
    if (act == 0) {
      overColumns([&](Value j) { store(j, preActivation(j)); });
      return;
    }
    overColumns([&](Value j) { storeAt(e, preActivation(j), acc, {param(i), param(j)}); });
    StringRef actKernel = act == 1 ? "relu_row" : act == 2 ? "gelu_erf_row" : "gelu_tanh_row";
    callKernel(e, actKernel, {}, {acc}, {{param(i), constant(0)}}, {cols});
    overColumns([&](Value j) { store(j, loadAt(e, acc, {param(i), param(j)})); });
  });
  return success();
}

bool hostHasWideVectors() {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

GemmTiling defaultGemmTiling(bool wideVectors) {
  GemmTiling t;
  const sdfg::RegisterTile &r = sdfg::gemmRegisterTiles()[wideVectors ? 0 : 1];
  t.mr = r.rows, t.nr = r.cols, t.kernel = r.kernel.str();
  t.mc = wideVectors ? 96 : 72;
  t.nc = 256;
  t.kc = 256;
  return t;
}

} // namespace dmc::expansions
