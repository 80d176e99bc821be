//===- Softmax.cpp - softmax with additive and generated masks --------------===//
//
// Rows are the elements along `axis` for fixed other indices. Two transients indexed by row:
//
//   init:  map (rows) omp { max[r] = -inf; sum[r] = 0 }
//   max:   map (rows) omp { map (l) { v = score(x, mask, i, j); max[r] = v wcr(max) } }
//   exp:   map (rows) omp { map (l) { p = v == -inf ? 0 : exp(v - max[r]); y[..] = p; sum[r] += p wcr(sum) } }
//   norm:  map (all) omp { y[..] = sum[r] > 0 ? y[..] / sum[r] : 0 }
//
// score = scale * x + mask, or -inf where the generated mask (causal / window / stride / global tokens,
// on the last two dims: i = query, j = key) drops the position. A dropped position gets exactly 0 and a
// row with nothing kept is all 0, as in the runtime's kernel.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/ExprLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;

namespace dmc::expansions {

bool isSoftmax(Operation *op) { return isa<nn::SoftmaxOp>(op); }

Value keptByMask(const GeneratedMask &gen, OpBuilder &b, Location loc, Value i, Value j) {
  using P = arith::CmpIPredicate;
  auto c = [&](int64_t v) { return indexConst(b, loc, v); };
  Value keep; // null: everything kept so far
  auto both = [&](Value cond) { keep = keep ? b.create<arith::AndIOp>(loc, keep, cond).getResult() : cond; };
  auto dist = [&]() -> Value { // |i - j|
    Value iGeJ = b.create<arith::CmpIOp>(loc, P::sge, i, j);
    return b.create<arith::SelectOp>(loc, iGeJ, b.create<arith::SubIOp>(loc, i, j), b.create<arith::SubIOp>(loc, j, i));
  };
  if (gen.causal)
    both(b.create<arith::CmpIOp>(loc, P::sle, j, i));
  Value d;
  if (int64_t window = gen.window; window >= 0)
    both(b.create<arith::CmpIOp>(loc, P::sle, d = dist(), c(window)));
  if (int64_t stride = gen.stride; stride > 0) {
    Value rem = b.create<arith::RemSIOp>(loc, d ? d : dist(), c(stride));
    both(b.create<arith::CmpIOp>(loc, P::eq, rem, c(0)));
  }
  if (keep && !gen.globalTokens.empty()) {
    // Global tokens keep their row and column whatever the other masks say (without other masks,
    // everything is kept anyway).
    Value global;
    auto either = [&](Value cond) { global = global ? b.create<arith::OrIOp>(loc, global, cond).getResult() : cond; };
    for (int64_t token : gen.globalTokens) {
      Value t = c(token);
      either(b.create<arith::CmpIOp>(loc, P::eq, i, t));
      either(b.create<arith::CmpIOp>(loc, P::eq, j, t));
    }
    keep = b.create<arith::OrIOp>(loc, keep, global);
  }
  return keep;
}

LogicalResult expandSoftmax(Expander &e) {
  auto op = cast<nn::SoftmaxOp>(e.node);
  SoftmaxSpec spec;
  spec.x = op.getInputs()[0];
  spec.mask = op.getAdditiveMask();
  spec.out = op.getOutputs()[0];
  spec.axis = op.getAxis();
  spec.scale = op.getScale().convertToDouble();
  spec.generated = generatedMaskOf(op);
  spec.exprs = nn::expressionsOf(op);
  spec.exprTensors = nn::exprTensorsOf(op);
  buildSoftmax(e, spec);
  return success();
}

void buildSoftmax(Expander &e, const SoftmaxSpec &spec) {
  Value x = spec.x, out = spec.out, mask = spec.mask;
  const GeneratedMask &gen = spec.generated;
  Shape xs = shapeOf(x);
  int64_t rank = xs.size(), axis = *dmc::normalizeAxis(spec.axis, rank);
  bool generated = gen.any();
  const nn::Expressions &exprs = spec.exprs;
  // The expressions' i, j, h: the last two dims and the one before.
  auto siteOf = [&](const Indices &idx) {
    ExprSite site;
    site.i.base = idx[rank - 2].param;
    site.j.base = idx[rank - 1].param;
    if (rank >= 3)
      site.h.base = idx[rank - 3].param;
    return site;
  };
  double scale = spec.scale;
  Type type = elementOf(x);
  double negInf = -std::numeric_limits<double>::infinity();

  Shape rows = xs;
  rows.erase(rows.begin() + axis);
  Value mx = e.transient(rows, type, "max");
  Value sum = e.transient(rows, type, "sum");
  // Full indices of x from row parameters and the position l along the axis.
  auto full = [&](ValueRange r, Value l) {
    Indices idx = identity(r);
    idx.insert(idx.begin() + axis, Index{l, 0});
    return idx;
  };
  // Loads x (and the mask) and collects the tasklet operands of `score`.
  auto scoreOperands = [&](ValueRange r, Value l) {
    Indices idx = full(r, l);
    SmallVector<Value> ops{e.load(x, idx)};
    if (mask) {
      SmallVector<Value> params;
      for (const Index &i : idx)
        params.push_back(i.param);
      ops.push_back(e.load(mask, broadcastIndices(shapeOf(mask), xs, params)));
    }
    if (generated) {
      ops.push_back(idx[rank - 2].param);
      ops.push_back(idx[rank - 1].param);
    }
    if (exprs.any())
      appendExprOperands(e, exprs, spec.exprTensors, siteOf(idx), ops);
    return ops;
  };
  // Consumes the arguments that scoreOperands produced; returns the score and the rest.
  auto score = [&](OpBuilder &b, ValueRange args) -> std::pair<Value, ValueRange> {
    Value v = args[0];
    args = args.drop_front();
    if (scale != 1.0)
      v = b.create<arith::MulFOp>(e.loc, floatConst(b, e.loc, type, scale), v);
    if (mask) {
      v = b.create<arith::AddFOp>(e.loc, v, args[0]);
      args = args.drop_front();
    }
    if (generated) {
      if (Value keep = keptByMask(gen, b, e.loc, args[0], args[1]))
        v = b.create<arith::SelectOp>(e.loc, keep, v, floatConst(b, e.loc, type, negInf));
      args = args.drop_front(2);
    }
    if (exprs.any()) {
      // Only the shape of the site matters here: which index operands there are.
      Indices idx(rank, Index{x, 0});
      ExprSite site = siteOf(idx);
      size_t n = numExprOperands(exprs, site);
      v = applyExprs(b, e.loc, exprs, site, args.take_front(n), v);
      args = args.drop_front(n);
    }
    return {v, args};
  };

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    auto init = e.tasklet({}, [&](OpBuilder &b, ValueRange) -> SmallVector<Value> {
      return {floatConst(b, e.loc, type, negInf), floatConst(b, e.loc, type, 0.0)};
    });
    e.store(init[0], mx, identity(r));
    e.store(init[1], sum, identity(r));
  });

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    e.map({xs[axis]}, sdfg::Schedule::sequential, [&](ValueRange l) {
      Value v = e.tasklet1(scoreOperands(r, l[0]), [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
        return {score(b, args).first};
      });
      e.store(v, mx, identity(r), sdfg::WCR::max);
    });
  });

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    e.map({xs[axis]}, sdfg::Schedule::sequential, [&](ValueRange l) {
      SmallVector<Value> operands = scoreOperands(r, l[0]);
      operands.push_back(e.load(mx, identity(r)));
      Value p = e.tasklet1(operands, [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
        auto [v, rest] = score(b, args);
        Value ninf = floatConst(b, e.loc, type, negInf);
        Value dropped = b.create<arith::CmpFOp>(e.loc, arith::CmpFPredicate::OEQ, v, ninf);
        Value ex = b.create<math::ExpOp>(e.loc, b.create<arith::SubFOp>(e.loc, v, rest[0]));
        return {b.create<arith::SelectOp>(e.loc, dropped, floatConst(b, e.loc, type, 0.0), ex)};
      });
      e.store(p, out, full(r, l[0]));
      e.store(p, sum, identity(r), sdfg::WCR::sum);
    });
  });

  e.map(xs, sdfg::Schedule::omp, [&](ValueRange p) {
    SmallVector<Value> rowParams(p.begin(), p.end());
    rowParams.erase(rowParams.begin() + axis);
    Value y = e.load(out, identity(p)), s = e.load(sum, identity(rowParams));
    Value q = e.tasklet1({y, s}, [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
      Value zero = floatConst(b, e.loc, type, 0.0);
      Value positive = b.create<arith::CmpFOp>(e.loc, arith::CmpFPredicate::OGT, args[1], zero);
      Value div = b.create<arith::DivFOp>(e.loc, args[0], args[1]);
      return {b.create<arith::SelectOp>(e.loc, positive, div, zero)};
    });
    e.store(q, out, identity(p));
  });
}

} // namespace dmc::expansions
