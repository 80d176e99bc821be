//===- TileNest.cpp - building blocks of the tiled expansions -------------===//
#include "passes/expansions/TileNest.h"

#include <optional>

using namespace mlir;

namespace dmc::expansions {

AffineExpr AffineOperands::operator()(Value v) {
  auto it = llvm::find(values, v);
  if (it == values.end()) {
    values.push_back(v);
    return getAffineDimExpr(values.size() - 1, ctx);
  }
  return getAffineDimExpr(it - values.begin(), ctx);
}

IndexFn param(Value v) {
  return [v](AffineOperands &o) { return o(v); };
}

IndexFn constant(int64_t c) {
  return [c](AffineOperands &o) { return getAffineConstantExpr(c, o.ctx); };
}

AffineExpr dimExpr(Expander &e, AffineOperands &ops, const Dim &d) {
  return d.isSymbolic() ? ops(e.symbolValue(d)) : getAffineConstantExpr(d.value, e.b.getContext());
}

namespace {
/// The affine map of `exprs` over the operands they collect.
std::pair<AffineMap, SmallVector<Value>> affineMapOf(MLIRContext *ctx, ArrayRef<IndexFn> exprs) {
  AffineOperands ops{{}, ctx};
  SmallVector<AffineExpr> results;
  for (const IndexFn &f : exprs)
    results.push_back(f(ops));
  return {AffineMap::get(ops.values.size(), 0, results, ctx), ops.values};
}
} // namespace

sdfg::MapOp buildMap(Expander &e, ArrayRef<IndexFn> lower, ArrayRef<IndexFn> upper, sdfg::Schedule schedule) {
  auto [lb, lbOperands] = affineMapOf(e.b.getContext(), lower);
  auto [ub, ubOperands] = affineMapOf(e.b.getContext(), upper);
  auto m = e.b.create<sdfg::MapOp>(e.loc, lb, ub, SmallVector<int64_t>(lower.size(), 1), schedule, lbOperands,
                                   ubOperands);
  OpBuilder::InsertionGuard guard(e.b);
  Block *block = e.b.createBlock(&m.getBody());
  for (size_t i = 0; i < lower.size(); ++i)
    block->addArgument(e.b.getIndexType(), e.loc);
  return m;
}

sdfg::MapOp buildMap(Expander &e, ArrayRef<IndexFn> upper, sdfg::Schedule schedule) {
  return buildMap(e, SmallVector<IndexFn>(upper.size(), constant(0)), upper, schedule);
}

void forRange(Expander &e, IndexFn upper, sdfg::Schedule schedule, llvm::function_ref<void(Value)> body) {
  sdfg::MapOp m = buildMap(e, {upper}, schedule);
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToEnd(&m.getBodyBlock());
  body(m.getBodyBlock().getArgument(0));
}

namespace {
/// The expressions of a min (`isMin`) or max without repeats and, of its constants, only the smallest
/// (largest): the others never decide its value, and bounds proofs have the tighter one.
SmallVector<IndexFn> withoutDominated(MLIRContext *ctx, ArrayRef<IndexFn> exprs, bool isMin) {
  AffineOperands ops{{}, ctx};
  SmallVector<AffineExpr> values;
  std::optional<int64_t> best;
  for (const IndexFn &f : exprs) {
    values.push_back(f(ops));
    if (auto c = dyn_cast<AffineConstantExpr>(values.back()))
      if (!best || (isMin ? c.getValue() < *best : c.getValue() > *best))
        best = c.getValue();
  }
  SmallVector<IndexFn> kept;
  SmallVector<AffineExpr> keptValues;
  for (auto [f, x] : llvm::zip(exprs, values)) {
    auto c = dyn_cast<AffineConstantExpr>(x);
    if (llvm::is_contained(keptValues, x) || (c && c.getValue() != *best))
      continue;
    kept.push_back(f);
    keptValues.push_back(x);
  }
  return kept;
}
} // namespace

Value buildMin(Expander &e, ArrayRef<IndexFn> exprs) {
  auto [map, operands] = affineMapOf(e.b.getContext(), withoutDominated(e.b.getContext(), exprs, true));
  return e.b.create<sdfg::MinOp>(e.loc, e.b.getIndexType(), map, operands);
}

Value buildMax(Expander &e, ArrayRef<IndexFn> exprs) {
  auto [map, operands] = affineMapOf(e.b.getContext(), withoutDominated(e.b.getContext(), exprs, false));
  return e.b.create<sdfg::MaxOp>(e.loc, e.b.getIndexType(), map, operands);
}

Value loadAt(Expander &e, Value array, ArrayRef<IndexFn> indices) {
  auto [map, operands] = affineMapOf(e.b.getContext(), indices);
  return e.b.create<sdfg::LoadOp>(e.loc, elementOf(array), array, map, operands);
}

void storeAt(Expander &e, Value value, Value array, ArrayRef<IndexFn> indices) {
  auto [map, operands] = affineMapOf(e.b.getContext(), indices);
  e.b.create<sdfg::StoreOp>(e.loc, value, array, map, operands, sdfg::WCRAttr());
}

SmallVector<IndexFn> matrixIndices(const Shape &shape, const Shape &batchOut, ValueRange batch, IndexFn row,
                                   IndexFn col) {
  SmallVector<IndexFn> out;
  for (const Index &i : broadcastIndices(Shape(shape.begin(), shape.end() - 2), batchOut, batch))
    out.push_back(i.param ? param(i.param) : constant(0));
  out.push_back(row);
  out.push_back(col);
  return out;
}

SmallVector<IndexFn> addendIndices(const Shape &shape, const Shape &outShape, ValueRange batch, IndexFn row,
                                   IndexFn col) {
  SmallVector<IndexFn> full;
  for (Value b : batch)
    full.push_back(param(b));
  full.push_back(row);
  full.push_back(col);
  return broadcastIndexFns(shape, outShape, full);
}

SmallVector<IndexFn> broadcastIndexFns(const Shape &shape, const Shape &outShape, ArrayRef<IndexFn> full) {
  SmallVector<IndexFn> out;
  size_t lead = outShape.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    out.push_back(shape[i].isOne() && !outShape[lead + i].isOne() ? constant(0) : full[lead + i]);
  return out;
}

void callKernel(Expander &e, StringRef kernel, ValueRange ins, ValueRange outs,
                ArrayRef<SmallVector<IndexFn>> origins, ValueRange args) {
  SmallVector<Attribute> maps;
  SmallVector<Value> indices;
  for (const SmallVector<IndexFn> &origin : origins) {
    auto [map, operands] = affineMapOf(e.b.getContext(), origin);
    maps.push_back(AffineMapAttr::get(map));
    indices.append(operands);
  }
  e.b.create<sdfg::UKernelOp>(e.loc, e.b.getStringAttr(kernel), ins, outs, e.b.getArrayAttr(maps), indices, args);
}

void packPanels(Expander &e, const PanelPacking &p) {
  forRange(e, p.panels, sdfg::Schedule::sequential, [&](Value q) {
    int64_t width = p.width;
    Value w = buildMin(e, {constant(width), [&](AffineOperands &o) {
                             return p.edge(o) - p.origin(o) - o(q) * width;
                           }});
    // The loops run (depth, r): the panel is written contiguously and the source is read along W rows
    // (or columns) at once, each sequentially as the depth advances, as BLIS packs. Where the source is
    // contiguous along r too (its columns are the panel dimension), the inner loop is a vector loop.
    bool contiguousAlongR = !p.alongIsRow;
    auto inner = [&](Value r, Value depth) {
      IndexFn along = [&, q, r](AffineOperands &o) { return p.origin(o) + o(q) * width + o(r); };
      IndexFn deep = [&, depth](AffineOperands &o) { return p.depthOrigin(o) + o(depth); };
      Shape shape = shapeOf(p.source);
      Value v = loadAt(e, p.source, matrixIndices(shape, p.batchShape, p.batch, p.alongIsRow ? along : deep,
                                                  p.alongIsRow ? deep : along));
      if (p.value)
        v = p.value(v);
      IndexFn panel = p.panelBase ? IndexFn([&, q](AffineOperands &o) { return p.panelBase(o) + o(q); }) : param(q);
      storeAt(e, v, p.packed, {panel, param(depth), param(r)});
    };
    forRange(e, p.depth, sdfg::Schedule::sequential, [&](Value depth) {
      forRange(e, param(w), contiguousAlongR ? sdfg::Schedule::vector : sdfg::Schedule::sequential,
               [&](Value r) { inner(r, depth); });
    });
  });
}

} // namespace dmc::expansions
