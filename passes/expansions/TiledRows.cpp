//===- TiledRows.cpp - softmax, layer norm and reductions as tile nests over rows ===//
//
// A row is X's elements along its last axis for fixed other indices. Rows are independent: blocks of
// BR rows (expand-library-nodes' row-block) of the second-to-last dim R run in parallel, each row on the
// row micro-kernels (dialects/SDFG/MicroKernels.h, runtime/include/dmc/runtime/ukernels.h):
//
//   map (lead..., rb) omp {                                    lead: the dims before the last two
//     %rows = sdfg.min (BR, R - rb*BR)   %n = the row length N
//     map (i) = (0) to (%rows) {                               row r = (lead..., rb*BR + i)
//       softmax:   map (j) vector { buf[j] = scale * X[r, j] + mask[..], or -inf where the generated mask drops (i, j) }
//                  ukernel softmax_row outs(buf[0], inv[0]) args(%n)
//                  map (j) vector { Y[r, j] = buf[j] * inv[0] }
//       layernorm: map (j) vector { buf[j] = X[r, j] }
//                  ukernel moments_row ins(buf[0]) outs(mean[0], var[0]) args(%n)
//                  var[0] = 1 / sqrt(var[0] + eps)
//                  map (j) vector { Y[r, j] = (buf[j] - mean[0]) * var[0] * gamma[j] + beta[j] }
//       reduce:    map (j) vector { buf[j] = X[r, j] }
//                  ukernel sum_row | max_row ins(buf[0]) outs(acc[0]) args(%n)
//                  Y[r(, 0)] = acc[0] (/ N for the mean)
//     }
//   }
//
// Each row is first copied (softmax: its scores computed) into a per-worker row buffer by a vector map,
// which reads X through any view; the kernels then see one contiguous row of their own, of rank 1
// whatever X's rank, and the row stays in L1 between the passes. Y is written by stores over the whole
// nest, so the passes after expansion see that it writes Y whole (make-transients-persistent). Rows
// cost the same, so the blocks are scheduled statically. A rank-1 X is one row: R is taken as 1.
//
// Only the last axis: a row along another axis would be gathered with a stride (whyNotTiledRows).
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/ExprLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;

namespace dmc::expansions {
namespace {

/// Rows at most this long go into a stack buffer per worker; longer or symbolic ones into a heap buffer
/// per worker in the handle (a stack of 16 KiB stays well within an OpenMP thread's).
constexpr int64_t kMaxStackRow = 4096;

/// The parameters of one row of the nest, inside its row map.
struct Row {
  Expander &e;
  const Shape &xs;
  int64_t block;
  ValueRange lead;
  Value rb, i;
  Value n; // the row length, as a kernel argument
  /// The row's index along R: rb * BR + i.
  IndexFn along() const {
    return [rb = rb, i = i, bl = block](AffineOperands &o) { return o(rb) * bl + o(i); };
  }
  /// The indices of X's element `col` of this row (any container of X's shape).
  SmallVector<IndexFn> at(IndexFn col) const {
    SmallVector<IndexFn> idx;
    for (Value l : lead)
      idx.push_back(param(l));
    if (xs.size() >= 2)
      idx.push_back(along());
    idx.push_back(col);
    return idx;
  }
};

/// A transient of lifetime `scope` (one per worker of the block map): on the stack when small and
/// constant, else in the handle.
Value workerBuffer(Expander &e, const Dim &size, StringRef name) {
  Value x = e.transient({size}, e.b.getF32Type(), name);
  auto alloc = cast<sdfg::AllocOp>(x.getDefiningOp());
  alloc.setLifetime(sdfg::Lifetime::scope);
  if (!size.isSymbolic() && size.value <= kMaxStackRow)
    alloc.setStorage(sdfg::Storage::stack);
  return x;
}

/// The block map over the rows of `xs` (reduced along its last axis), with `perRow` building the body
/// of the row map.
void buildRows(Expander &e, const Shape &xs, llvm::function_ref<void(const Row &)> perRow) {
  const int64_t bl = e.rowBlock;
  const size_t rank = xs.size();
  const Dim r = rank >= 2 ? xs[rank - 2] : Dim::constant(1), N = xs.back();
  SmallVector<IndexFn> uppers;
  for (size_t d = 0; d + 2 < rank; ++d)
    uppers.push_back(dimFn(e, xs[d]));
  uppers.push_back([&](AffineOperands &o) { return dimExpr(e, o, r).ceilDiv(bl); });
  sdfg::MapOp blocks = buildMap(e, uppers, sdfg::Schedule::omp);
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToEnd(&blocks.getBodyBlock());
  ValueRange params = blocks.getBodyBlock().getArguments();
  Value rb = params.back();
  Value rows = buildMin(e, {constant(bl), [&](AffineOperands &o) { return dimExpr(e, o, r) - o(rb) * bl; }});
  Value n = N.isSymbolic() ? e.symbolValue(N) : buildMin(e, {constant(N.value)});
  forRange(e, param(rows), sdfg::Schedule::sequential,
           [&](Value i) { perRow(Row{e, xs, bl, params.drop_back(), rb, i, n}); });
}

/// buf[j] = X[row, j]: the row where the kernels can read it.
void stageRow(const Row &row, Value x, Value buf) {
  forRange(row.e, dimFn(row.e, row.xs.back()), sdfg::Schedule::vector,
           [&](Value j) { storeAt(row.e, loadAt(row.e, x, row.at(param(j))), buf, {param(j)}); });
}

} // namespace

const char *whyNotTiledRows(Operation *op) {
  auto node = cast<nn::LibraryNode>(op);
  if (!elementOf(node.getInputs()[0]).isF32())
    return "the row micro-kernels run on f32 only";
  int64_t rank = shapeOf(node.getInputs()[0]).size();
  if (auto softmax = dyn_cast<nn::SoftmaxOp>(op); softmax && *normalizeAxis(softmax.getAxis(), rank) != rank - 1)
    return "it normalises along an axis other than the last: the tiled form streams contiguous rows";
  if (isReduce(op)) {
    ArrayRef<int64_t> axes = reduceAttrsOf(op).axes;
    if (axes.size() != 1 || *normalizeAxis(axes[0], rank) != rank - 1)
      return "it reduces axes other than the last one alone: the tiled form streams contiguous rows";
  }
  return nullptr; // layer norm is along the last axis by definition (its verifier)
}

LogicalResult expandSoftmaxTiled(Expander &e) {
  auto op = cast<nn::SoftmaxOp>(e.node);
  if (const char *why = whyNotTiledRows(op))
    return op.emitOpError("cannot be tiled: ") << why;
  Value x = op.getInputs()[0], out = op.getOutputs()[0];
  Value mask = op.getAdditiveMask();
  Shape xs = shapeOf(x);
  const GeneratedMask gen = generatedMaskOf(op);
  const nn::Expressions exprs = nn::expressionsOf(op);
  const float scale = op.getScale().convertToFloat();
  Type f32 = e.b.getF32Type();
  Value buf = workerBuffer(e, xs.back(), "row");
  Value inv = workerBuffer(e, Dim::constant(1), "inv");
  buildRows(e, xs, [&](const Row &row) {
    // The scores, as the pure expansion computes them (Softmax.cpp): scale * x + mask, -inf where the
    // generated mask drops the position (query: the row's index along R, key: j).
    forRange(e, dimFn(e, xs.back()), exprLoopSchedule(exprs), [&](Value j) {
      SmallVector<IndexFn> idx = row.at(param(j));
      SmallVector<Value> operands{loadAt(e, x, idx)};
      if (mask)
        operands.push_back(loadAt(e, mask, broadcastIndexFns(shapeOf(mask), xs, idx)));
      if (gen.any())
        operands.append({row.rb, row.i, j});
      // The expressions' i is the row's index along R, j the key, h the dim before R.
      ExprSite site;
      site.i = {row.rb, row.block, row.i};
      site.j.base = j;
      if (xs.size() >= 3)
        site.h.base = row.lead.back();
      size_t numGenerated = gen.any() ? 3 : 0, numExprs = exprs.any() ? numExprOperands(exprs, site) : 0;
      if (exprs.any())
        appendExprOperands(e, exprs, nn::exprTensorsOf(op), site, operands);
      Value s = e.tasklet1(operands, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        Value v = args[0];
        if (scale != 1.0f)
          v = bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, f32, scale), v);
        if (mask)
          v = bb.create<arith::AddFOp>(e.loc, v, args[1]);
        if (exprs.any())
          v = applyExprs(bb, e.loc, exprs, site, args.take_back(numExprs), v);
        if (gen.any()) {
          ValueRange idx = args.drop_back(numExprs).take_back(numGenerated);
          Value start = bb.create<arith::MulIOp>(e.loc, idx[0], indexConst(bb, e.loc, row.block));
          Value query = bb.create<arith::AddIOp>(e.loc, start, idx[1]);
          if (Value keep = keptByMask(gen, bb, e.loc, query, idx[2]))
            v = bb.create<arith::SelectOp>(e.loc, keep, v,
                                           floatConst(bb, e.loc, f32, -std::numeric_limits<double>::infinity()));
        }
        return {v};
      });
      storeAt(e, s, buf, {param(j)});
    });
    callKernel(e, "softmax_row", {}, {buf, inv}, {{constant(0)}, {constant(0)}}, {row.n});
    // inv is 0 for a row with nothing kept, whose buf is zeros: it outputs 0.
    forRange(e, dimFn(e, xs.back()), sdfg::Schedule::vector, [&](Value j) {
      Value p = e.tasklet1({loadAt(e, buf, {param(j)}), loadAt(e, inv, {constant(0)})},
                           [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
                             return {bb.create<arith::MulFOp>(e.loc, args[0], args[1])};
                           });
      storeAt(e, p, out, row.at(param(j)));
    });
  });
  return success();
}

LogicalResult expandLayerNormTiled(Expander &e) {
  auto op = cast<nn::LayerNormOp>(e.node);
  if (const char *why = whyNotTiledRows(op))
    return op.emitOpError("cannot be tiled: ") << why;
  Value x = op.getInputs()[0], gamma = op.getInputs()[1], out = op.getOutputs()[0];
  Value beta = op.getInputs().size() > 2 ? op.getInputs()[2] : Value();
  Shape xs = shapeOf(x);
  const double eps = op.getEpsilon().convertToDouble();
  Type f32 = e.b.getF32Type();
  Value buf = workerBuffer(e, xs.back(), "row");
  Value mean = workerBuffer(e, Dim::constant(1), "mean");
  Value var = workerBuffer(e, Dim::constant(1), "var");
  buildRows(e, xs, [&](const Row &row) {
    stageRow(row, x, buf);
    callKernel(e, "moments_row", {buf}, {mean, var}, {{constant(0)}, {constant(0)}, {constant(0)}}, {row.n});
    // The variance becomes 1 / sqrt(var + eps) once per row, not once per element.
    Value rstd = e.tasklet1({loadAt(e, var, {constant(0)})}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
      Value denom = bb.create<math::SqrtOp>(e.loc, bb.create<arith::AddFOp>(e.loc, args[0], floatConst(bb, e.loc, f32, eps)));
      return {bb.create<arith::DivFOp>(e.loc, floatConst(bb, e.loc, f32, 1.0), denom)};
    });
    storeAt(e, rstd, var, {constant(0)});
    forRange(e, dimFn(e, xs.back()), sdfg::Schedule::vector, [&](Value j) {
      SmallVector<Value> operands{loadAt(e, buf, {param(j)}), loadAt(e, mean, {constant(0)}),
                                  loadAt(e, var, {constant(0)}), loadAt(e, gamma, {param(j)})};
      if (beta)
        operands.push_back(loadAt(e, beta, {param(j)}));
      Value y = e.tasklet1(operands, [&](OpBuilder &bb, ValueRange a) -> SmallVector<Value> {
        Value v = bb.create<arith::MulFOp>(e.loc, bb.create<arith::SubFOp>(e.loc, a[0], a[1]), a[2]);
        v = bb.create<arith::MulFOp>(e.loc, v, a[3]);
        if (beta)
          v = bb.create<arith::AddFOp>(e.loc, v, a[4]);
        return {v};
      });
      storeAt(e, y, out, row.at(param(j)));
    });
  });
  return success();
}

LogicalResult expandReduceTiled(Expander &e) {
  if (const char *why = whyNotTiledRows(e.node))
    return e.node->emitOpError("cannot be tiled: ") << why;
  auto node = cast<nn::LibraryNode>(e.node);
  Value x = node.getInputs()[0], out = node.getOutputs()[0];
  const bool keepdims = reduceAttrsOf(e.node).keepdims, isMean = isa<nn::ReduceMeanOp>(e.node);
  Shape xs = shapeOf(x);
  Type f32 = e.b.getF32Type();
  Value buf = workerBuffer(e, xs.back(), "row");
  Value acc = workerBuffer(e, Dim::constant(1), "acc");
  SmallVector<Value> countSymbols = symbolOperands(e, {xs.back()});
  buildRows(e, xs, [&](const Row &row) {
    stageRow(row, x, buf);
    callKernel(e, isa<nn::ReduceMaxOp>(e.node) ? "max_row" : "sum_row", {buf}, {acc}, {{constant(0)}, {constant(0)}},
               {row.n});
    Value v = loadAt(e, acc, {constant(0)});
    if (isMean) {
      SmallVector<Value> operands{v};
      operands.append(countSymbols);
      v = e.tasklet1(operands, [&](OpBuilder &bb, ValueRange a) -> SmallVector<Value> {
        return {bb.create<arith::DivFOp>(e.loc, a[0], countInTasklet(bb, e.loc, f32, {xs.back()}, a.drop_front()))};
      });
    }
    // Y's index is X's without the last (kept as 0 with keepdims).
    SmallVector<IndexFn> idx = row.at(constant(0));
    if (!keepdims)
      idx.pop_back();
    storeAt(e, v, out, idx);
  });
  return success();
}

} // namespace dmc::expansions
