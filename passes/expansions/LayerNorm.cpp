//===- LayerNorm.cpp - layer normalisation over the last dimension ----------===//
//
// Two row transients (rows = all dims but the last, of size N):
//
//   init:  map (rows) omp { mean[r] = 0; var[r] = 0 }
//   sum:   map (rows) omp { map (j) { mean[r] += x[r, j] wcr(sum) } }
//   mean:  map (rows) omp { mean[r] = mean[r] / N }
//   var:   map (rows) omp { map (j) { var[r] += (x[r, j] - mean[r])^2 wcr(sum) } }
//   norm:  map (rows, j) omp { y = (x - mean[r]) * (1 / sqrt(var[r] / N + eps)) * gamma[j] + beta[j] }
//
// The variance is the biased one (divided by N), computed in two passes like the runtime's kernel.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace dmc::expansions {

bool isLayerNorm(Operation *op) { return isa<nn::LayerNormOp>(op); }

LogicalResult expandLayerNorm(Expander &e) {
  auto op = cast<nn::LayerNormOp>(e.node);
  Value x = op.getInputs()[0], gamma = op.getInputs()[1], out = op.getOutputs()[0];
  Value beta = op.getInputs().size() > 2 ? op.getInputs()[2] : Value();
  Shape xs = shapeOf(x);
  Type type = elementOf(x);
  double eps = op.getEpsilon().convertToDouble();
  Shape rows(xs.begin(), xs.end() - 1);
  Shape last{xs.back()};
  Value mean = e.transient(rows, type, "mean");
  Value var = e.transient(rows, type, "var");
  SmallVector<Value> nSymbols = symbolOperands(e, last);
  auto withJ = [](ValueRange r, Value j) {
    Indices idx = identity(r);
    idx.push_back({j, 0});
    return idx;
  };

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    Value zero = e.tasklet1({}, [&](OpBuilder &b, ValueRange) -> SmallVector<Value> {
      return {floatConst(b, e.loc, type, 0.0)};
    });
    e.store(zero, mean, identity(r));
    e.store(zero, var, identity(r));
  });

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    e.map(last, sdfg::Schedule::sequential, [&](ValueRange j) {
      e.store(e.load(x, withJ(r, j[0])), mean, identity(r), sdfg::WCR::sum);
    });
  });

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    SmallVector<Value> operands{e.load(mean, identity(r))};
    operands.append(nSymbols);
    Value m = e.tasklet1(operands, [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
      Value n = countInTasklet(b, e.loc, type, last, args.drop_front());
      return {b.create<arith::DivFOp>(e.loc, args[0], n)};
    });
    e.store(m, mean, identity(r));
  });

  e.map(rows, sdfg::Schedule::omp, [&](ValueRange r) {
    e.map(last, sdfg::Schedule::sequential, [&](ValueRange j) {
      Value v = e.load(x, withJ(r, j[0])), m = e.load(mean, identity(r));
      Value sq = e.tasklet1({v, m}, [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
        Value d = b.create<arith::SubFOp>(e.loc, args[0], args[1]);
        return {b.create<arith::MulFOp>(e.loc, d, d)};
      });
      e.store(sq, var, identity(r), sdfg::WCR::sum);
    });
  });

  Shape all = rows;
  all.push_back(xs.back());
  e.map(all, sdfg::Schedule::omp, [&](ValueRange p) {
    ValueRange r = p.drop_back();
    Value j = p.back();
    SmallVector<Value> operands{e.load(x, identity(p)), e.load(mean, identity(r)), e.load(var, identity(r)),
                                e.load(gamma, {Index{j, 0}})};
    if (beta)
      operands.push_back(e.load(beta, {Index{j, 0}}));
    unsigned symbolsAt = operands.size();
    operands.append(nSymbols);
    Value y = e.tasklet1(operands, [&](OpBuilder &b, ValueRange a) -> SmallVector<Value> {
      Value n = countInTasklet(b, e.loc, type, last, a.drop_front(symbolsAt));
      Value variance = b.create<arith::DivFOp>(e.loc, a[2], n);
      Value denom = b.create<math::SqrtOp>(e.loc, b.create<arith::AddFOp>(e.loc, variance, floatConst(b, e.loc, type, eps)));
      Value inv = b.create<arith::DivFOp>(e.loc, floatConst(b, e.loc, type, 1.0), denom);
      Value v = b.create<arith::MulFOp>(e.loc, b.create<arith::SubFOp>(e.loc, a[0], a[1]), inv);
      v = b.create<arith::MulFOp>(e.loc, v, a[3]);
      if (beta)
        v = b.create<arith::AddFOp>(e.loc, v, a[4]);
      return {v};
    });
    e.store(y, out, identity(p));
  });
  return success();
}

} // namespace dmc::expansions
