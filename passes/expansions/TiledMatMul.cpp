//===- TiledMatMul.cpp - nn.fused_matmul as a tile nest over micro-kernels ===//
//
// BLIS-style blocking, written as maps so the passes, the dumps and the movement report see it:
//
//   map (batch..., mb, nb) omp {                               one C block of MC x NC per iteration
//     %rows = sdfg.min (MC, M - mb*MC)   %cols = ...           the block's extent, cut at C's edges
//     map (kb) {                                               K panels of depth KC, in order
//       %kc = sdfg.min (KC, K - kb*KC)
//       map (i, p) { packed_a[i floordiv MR, p, i mod MR] = A[.., mb*MC + i, kb*KC + p] }
//       map (p, j) { packed_b[j floordiv NR, p, j mod NR] = B[.., kb*KC + p, nb*NC + j] }
//       map (jp, ip) { sdfg.ukernel "gemm_MRxNR" ins(packed_a[ip, 0, 0], packed_b[jp, 0, 0])
//                                                outs(acc[ip*MR, jp*NR]) args(%kc, %kb) }
//     }
//     map (i) { map (j) vector { acc = alpha*acc + pre_scale*pre }  ukernel act_row(acc[i, 0])
//               map (j) vector { C[.., mb*MC + i, nb*NC + j] = acc + post_scale*post } }
//   }
//
// packed_a, packed_b and acc are transients of lifetime `scope`: one buffer per worker of the omp map,
// allocated zeroed. A partial block packs only its valid rows and columns; the register tiles at its
// edge then also compute rows and columns past the edge, from values an earlier block left in the
// padding (finite, or the allocation's zeros), and the epilogue never reads them.
//
//===----------------------------------------------------------------------===//
#include "dialects/SDFG/MicroKernels.h"
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace dmc::expansions {
namespace {

/// A map over [lower_d, upper_d): constant lower bounds, upper bounds affine over `operands`. The
/// insertion point stays after the map.
sdfg::MapOp buildMap(Expander &e, ArrayRef<AffineExpr> lower, ArrayRef<AffineExpr> upper, ValueRange operands,
                     sdfg::Schedule schedule) {
  MLIRContext *ctx = e.b.getContext();
  auto lb = AffineMap::get(0, 0, lower, ctx);
  auto ub = AffineMap::get(operands.size(), 0, upper, ctx);
  auto m = e.b.create<sdfg::MapOp>(e.loc, lb, ub, SmallVector<int64_t>(lower.size(), 1), schedule, ValueRange{},
                                   operands);
  OpBuilder::InsertionGuard guard(e.b);
  Block *block = e.b.createBlock(&m.getBody());
  for (size_t i = 0; i < lower.size(); ++i)
    block->addArgument(e.b.getIndexType(), e.loc);
  return m;
}

/// Builds the rewrite inside one expansion: operands are collected as affine dims on the fly.
struct AffineOperands {
  SmallVector<Value> values;
  MLIRContext *ctx;
  AffineExpr operator()(Value v) {
    auto it = llvm::find(values, v);
    if (it == values.end()) {
      values.push_back(v);
      return getAffineDimExpr(values.size() - 1, ctx);
    }
    return getAffineDimExpr(it - values.begin(), ctx);
  }
};

/// The affine expression of a dimension of a shape.
AffineExpr dimExpr(Expander &e, AffineOperands &ops, const Dim &d) {
  return d.isSymbolic() ? ops(e.symbolValue(d)) : getAffineConstantExpr(d.value, e.b.getContext());
}

Value buildMin(Expander &e, ArrayRef<std::function<AffineExpr(AffineOperands &)>> exprs) {
  AffineOperands ops{{}, e.b.getContext()};
  SmallVector<AffineExpr> results;
  for (auto &f : exprs)
    results.push_back(f(ops));
  auto map = AffineMap::get(ops.values.size(), 0, results, e.b.getContext());
  return e.b.create<sdfg::MinOp>(e.loc, e.b.getIndexType(), map, ops.values);
}

/// A memlet whose indices are affine expressions.
template <typename Op, typename... Extra>
Operation *memlet(Expander &e, Value array, ArrayRef<std::function<AffineExpr(AffineOperands &)>> indices,
                  Extra... extra) {
  AffineOperands ops{{}, e.b.getContext()};
  SmallVector<AffineExpr> results;
  for (auto &f : indices)
    results.push_back(f(ops));
  auto map = AffineMap::get(ops.values.size(), 0, results, e.b.getContext());
  if constexpr (std::is_same_v<Op, sdfg::LoadOp>)
    return e.b.create<sdfg::LoadOp>(e.loc, elementOf(array), array, map, ops.values);
  else
    return e.b.create<sdfg::StoreOp>(e.loc, extra..., array, map, ops.values, sdfg::WCRAttr());
}

using IndexFn = std::function<AffineExpr(AffineOperands &)>;
IndexFn param(Value v) {
  return [v](AffineOperands &o) { return o(v); };
}
IndexFn constant(int64_t c) {
  return [c](AffineOperands &o) { return getAffineConstantExpr(c, o.ctx); };
}

/// Indices of an operand of rank >= 2 whose last two dims are read at (row, col), batch dims broadcast
/// to C's batch parameters.
SmallVector<IndexFn> matrixIndices(const Shape &shape, const Shape &batchOut, ValueRange batch, IndexFn row,
                                   IndexFn col) {
  SmallVector<IndexFn> out;
  for (const Index &i : broadcastIndices(Shape(shape.begin(), shape.end() - 2), batchOut, batch))
    out.push_back(i.param ? param(i.param) : constant(0));
  out.push_back(row);
  out.push_back(col);
  return out;
}

/// Indices of an addend broadcast to C's shape at C's element (batch..., row, col).
SmallVector<IndexFn> addendIndices(const Shape &shape, const Shape &cShape, ValueRange batch, IndexFn row,
                                   IndexFn col) {
  SmallVector<IndexFn> full;
  for (Value b : batch)
    full.push_back(param(b));
  full.push_back(row);
  full.push_back(col);
  SmallVector<IndexFn> out;
  size_t lead = cShape.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    out.push_back(shape[i].isOne() && !cShape[lead + i].isOne() ? constant(0) : full[lead + i]);
  return out;
}

int64_t activationCode(StringRef act) {
  return llvm::StringSwitch<int64_t>(act).Case("relu", 1).Case("gelu_erf", 2).Case("gelu_tanh", 3).Default(0);
}

} // namespace

LogicalResult expandFusedMatMulTiled(Expander &e) {
  const GemmTiling &t = e.gemmTiling;
  auto mm = cast<nn::FusedMatMulOp>(e.node);
  MLIRContext *ctx = e.b.getContext();
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

  Value packedA = e.transient({Dim::constant(t.mc / t.mr), Dim::constant(t.kc), Dim::constant(t.mr)}, f32, "packed_a");
  Value packedB = e.transient({Dim::constant(t.nc / t.nr), Dim::constant(t.kc), Dim::constant(t.nr)}, f32, "packed_b");
  Value acc = e.transient({Dim::constant(t.mc), Dim::constant(t.nc)}, f32, "acc");
  for (Value v : {packedA, packedB, acc})
    cast<sdfg::AllocOp>(v.getDefiningOp()).setLifetime(sdfg::Lifetime::scope);

  // The omp map over (batch..., mb, nb).
  AffineOperands top{{}, ctx};
  SmallVector<AffineExpr> zeros, uppers;
  for (const Dim &d : batchShape) {
    zeros.push_back(getAffineConstantExpr(0, ctx));
    uppers.push_back(dimExpr(e, top, d));
  }
  zeros.append(2, getAffineConstantExpr(0, ctx));
  uppers.push_back(dimExpr(e, top, M).ceilDiv(t.mc));
  uppers.push_back(dimExpr(e, top, N).ceilDiv(t.nc));
  sdfg::MapOp blocks = buildMap(e, zeros, uppers, top.values, sdfg::Schedule::omp);
  // Blocks at C's edges are partial, so cheaper: threads take blocks one at a time.
  blocks->setAttr(sdfg::MapOp::kDynamicAttr, e.b.getUnitAttr());
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToEnd(&blocks.getBodyBlock());
  ValueRange params = blocks.getBodyBlock().getArguments();
  ValueRange batch = params.drop_back(2);
  Value mb = params[params.size() - 2], nb = params.back();
  auto rowOrigin = [&](AffineOperands &o) { return o(mb) * t.mc; };
  auto colOrigin = [&](AffineOperands &o) { return o(nb) * t.nc; };
  Value rows = buildMin(e, {constant(t.mc), [&](AffineOperands &o) { return dimExpr(e, o, M) - rowOrigin(o); }});
  Value cols = buildMin(e, {constant(t.nc), [&](AffineOperands &o) { return dimExpr(e, o, N) - colOrigin(o); }});
  Value rowPanels = buildMin(e, {constant(t.mc / t.mr), [&](AffineOperands &o) {
                                   return (dimExpr(e, o, M) - rowOrigin(o)).ceilDiv(t.mr);
                                 }});
  Value colPanels = buildMin(e, {constant(t.nc / t.nr), [&](AffineOperands &o) {
                                   return (dimExpr(e, o, N) - colOrigin(o)).ceilDiv(t.nr);
                                 }});

  // K panels, in order: the first overwrites the accumulator, the others add to it.
  {
    AffineOperands ko{{}, ctx};
    AffineExpr kBlocks = dimExpr(e, ko, K).ceilDiv(t.kc);
    sdfg::MapOp kLoop = buildMap(e, {getAffineConstantExpr(0, ctx)}, {kBlocks}, ko.values, sdfg::Schedule::sequential);
    OpBuilder::InsertionGuard kGuard(e.b);
    e.b.setInsertionPointToEnd(&kLoop.getBodyBlock());
    Value kb = kLoop.getBodyBlock().getArgument(0);
    auto kOrigin = [&](AffineOperands &o) { return o(kb) * t.kc; };
    Value kc = buildMin(e, {constant(t.kc), [&](AffineOperands &o) { return dimExpr(e, o, K) - kOrigin(o); }});
    AffineExpr zero = getAffineConstantExpr(0, ctx);

    // Packing: panel q of width W holds rows (A) or columns (B) origin + q*W + r of the block, r < W,
    // as packed[q, p, r] for the panel's depth p < kc. The inner loop runs over r, so the panel is
    // written contiguously and the source is read along W rows (or columns) at once, each read
    // sequentially as p advances; where the source is contiguous along r too, it is a vector loop.
    auto pack = [&](Value source, const Shape &shape, bool panelsAlongRows, Value packed, Value panels, int64_t width,
                    const Dim &edge, std::function<AffineExpr(AffineOperands &)> origin) {
      AffineOperands qo{{}, ctx};
      AffineExpr panelsExpr = qo(panels);
      sdfg::MapOp q = buildMap(e, {zero}, {panelsExpr}, qo.values, sdfg::Schedule::sequential);
      OpBuilder::InsertionGuard g(e.b);
      e.b.setInsertionPointToEnd(&q.getBodyBlock());
      Value qv = q.getBodyBlock().getArgument(0);
      Value w = buildMin(e, {constant(width), [&](AffineOperands &o) {
                               return dimExpr(e, o, edge) - origin(o) - o(qv) * width;
                             }});
      // The stored operand's last dim is the panel dim unless its panels run along its rows.
      bool contiguousAlongR = !panelsAlongRows;
      AffineOperands io{{}, ctx};
      AffineExpr kcExpr = io(kc);
      sdfg::MapOp outer = buildMap(e, {zero}, {kcExpr}, io.values, sdfg::Schedule::sequential);
      e.b.setInsertionPointToEnd(&outer.getBodyBlock());
      AffineOperands jo{{}, ctx};
      AffineExpr innerExpr = jo(w);
      sdfg::MapOp inner = buildMap(e, {zero}, {innerExpr}, jo.values,
                                   contiguousAlongR ? sdfg::Schedule::vector : sdfg::Schedule::sequential);
      e.b.setInsertionPointToEnd(&inner.getBodyBlock());
      Value p = outer.getBodyBlock().getArgument(0), r = inner.getBodyBlock().getArgument(0);
      IndexFn along = [&, qv, r](AffineOperands &o) { return origin(o) + o(qv) * width + o(r); };
      IndexFn depth = [&, p](AffineOperands &o) { return kOrigin(o) + o(p); };
      // The stored matrix dims: panelsAlongRows means (along, depth) = (row, col).
      Value v = memlet<sdfg::LoadOp>(e, source,
                                     matrixIndices(shape, batchShape, batch, panelsAlongRows ? along : depth,
                                                   panelsAlongRows ? depth : along))
                    ->getResult(0);
      memlet<sdfg::StoreOp>(e, packed, {param(qv), param(p), param(r)}, v);
    };
    // A's rows are the panels' rows; transposed, A is stored [K, M] and its panel dim is its last.
    pack(a, as, /*panelsAlongRows=*/!ta, packedA, rowPanels, t.mr, M, rowOrigin);
    // B's columns are the panels' columns; B is stored [K, N] (panel dim last) unless transposed.
    pack(b, bs, /*panelsAlongRows=*/tb, packedB, colPanels, t.nr, N, colOrigin);
    // Register tiles: each B panel stays in L1 while the A panels stream past it.
    {
      AffineOperands po{{}, ctx};
      SmallVector<AffineExpr> ub{po(colPanels), po(rowPanels)};
      sdfg::MapOp m = buildMap(e, {zero, zero}, ub, po.values, sdfg::Schedule::sequential);
      OpBuilder::InsertionGuard g(e.b);
      e.b.setInsertionPointToEnd(&m.getBodyBlock());
      Value jp = m.getBodyBlock().getArgument(0), ip = m.getBodyBlock().getArgument(1);
      // Origins over (ip, jp) as dims 0 and 1 of each tile's map.
      auto d0 = getAffineDimExpr(0, ctx), c0 = getAffineConstantExpr(0, ctx);
      SmallVector<Attribute> origins{
          AffineMapAttr::get(AffineMap::get(1, 0, {d0, c0, c0}, ctx)),
          AffineMapAttr::get(AffineMap::get(1, 0, {d0, c0, c0}, ctx)),
          AffineMapAttr::get(AffineMap::get(2, 0, {d0 * t.mr, getAffineDimExpr(1, ctx) * t.nr}, ctx))};
      e.b.create<sdfg::UKernelOp>(e.loc, e.b.getStringAttr(t.kernel), ValueRange{packedA, packedB}, ValueRange{acc},
                                  e.b.getArrayAttr(origins), ValueRange{ip, jp, ip, jp}, ValueRange{kc, kb});
    }
  }

  // Epilogue, per row of the block while it is in cache.
  float alpha = mm.getAlpha().convertToFloat(), preScale = mm.getPreScale().convertToFloat(),
        postScale = mm.getPostScale().convertToFloat();
  int64_t act = activationCode(mm.getActivation());
  AffineExpr zero = getAffineConstantExpr(0, ctx);
  AffineOperands ro{{}, ctx};
  AffineExpr rowsExpr = ro(rows); // before ro.values is read
  sdfg::MapOp rowLoop = buildMap(e, {zero}, {rowsExpr}, ro.values, sdfg::Schedule::sequential);
  e.b.setInsertionPointToEnd(&rowLoop.getBodyBlock());
  Value i = rowLoop.getBodyBlock().getArgument(0);
  IndexFn cRow = [&](AffineOperands &o) { return rowOrigin(o) + o(i); };
  auto overColumns = [&](llvm::function_ref<void(Value)> body) {
    AffineOperands co{{}, ctx};
    AffineExpr colsExpr = co(cols); // before co.values is read
    sdfg::MapOp m = buildMap(e, {zero}, {colsExpr}, co.values, sdfg::Schedule::vector);
    OpBuilder::InsertionGuard g(e.b);
    e.b.setInsertionPointToEnd(&m.getBodyBlock());
    body(m.getBodyBlock().getArgument(0));
  };
  auto scaled = [&](OpBuilder &bb, Value x, float s) -> Value {
    return s == 1.0f ? x : bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, f32, s), x).getResult();
  };
  // Before the activation: alpha * acc + pre_scale * pre, kept in acc when an activation follows.
  auto preActivation = [&](Value j) -> Value {
    SmallVector<Value> operands{memlet<sdfg::LoadOp>(e, acc, {param(i), param(j)})->getResult(0)};
    if (pre) {
      IndexFn col = [&, j](AffineOperands &o) { return colOrigin(o) + o(j); };
      operands.push_back(memlet<sdfg::LoadOp>(e, pre, addendIndices(shapeOf(pre), cs, batch, cRow, col))->getResult(0));
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
      Value p = memlet<sdfg::LoadOp>(e, post, addendIndices(shapeOf(post), cs, batch, cRow, col))->getResult(0);
      v = e.tasklet1({v, p}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        return {bb.create<arith::AddFOp>(e.loc, args[0], scaled(bb, args[1], postScale))};
      });
    }
    memlet<sdfg::StoreOp>(e, c, matrixIndices(cs, batchShape, batch, cRow, col), v);
  };
  if (act == 0) {
    overColumns([&](Value j) { store(j, preActivation(j)); });
  } else {
    overColumns([&](Value j) { memlet<sdfg::StoreOp>(e, acc, {param(i), param(j)}, preActivation(j)); });
    StringRef actKernel = act == 1 ? "relu_row" : act == 2 ? "gelu_erf_row" : "gelu_tanh_row";
    auto origin = AffineMap::get(1, 0, {getAffineDimExpr(0, ctx), zero}, ctx);
    e.b.create<sdfg::UKernelOp>(e.loc, e.b.getStringAttr(actKernel), ValueRange{}, ValueRange{acc},
                                e.b.getArrayAttr({AffineMapAttr::get(origin)}), ValueRange{i}, ValueRange{cols});
    overColumns([&](Value j) { store(j, memlet<sdfg::LoadOp>(e, acc, {param(i), param(j)})->getResult(0)); });
  }
  return success();
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
