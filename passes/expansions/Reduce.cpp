//===- Reduce.cpp - reduce_sum / reduce_max / reduce_mean -----------------===//
//
//   init:   map (out) omp { y = 0 (sum, mean) or -inf (max) }
//   reduce: map (kept dims) omp { map (reduced dims) { y[..] = x[..] wcr(sum | max) } }
//   mean:   map (out) omp { y = y / count(reduced dims) }
//
// With keepdims the reduced dims of y have size 1 and are indexed at 0; without, they vanish.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;

namespace dmc::expansions {

bool isReduce(Operation *op) { return isa<nn::ReduceSumOp, nn::ReduceMaxOp, nn::ReduceMeanOp>(op); }

ReduceAttrs reduceAttrsOf(Operation *op) {
  if (auto r = dyn_cast<nn::ReduceSumOp>(op))
    return {r.getAxes(), r.getKeepdims()};
  if (auto r = dyn_cast<nn::ReduceMaxOp>(op))
    return {r.getAxes(), r.getKeepdims()};
  auto r = cast<nn::ReduceMeanOp>(op);
  return {r.getAxes(), r.getKeepdims()};
}

LogicalResult expandReduce(Expander &e) {
  auto node = cast<nn::LibraryNode>(e.node);
  Value x = node.getInputs()[0], out = node.getOutputs()[0];
  auto [axes, keepdims] = reduceAttrsOf(e.node);
  bool isMax = isa<nn::ReduceMaxOp>(e.node), isMean = isa<nn::ReduceMeanOp>(e.node);

  Shape xs = shapeOf(x), os = shapeOf(out);
  Type type = elementOf(x);
  int64_t rank = xs.size();
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axes)
    reduced[*dmc::normalizeAxis(a, rank)] = true;
  Shape keptDims, reducedDims;
  for (int64_t d = 0; d < rank; ++d)
    (reduced[d] ? reducedDims : keptDims).push_back(xs[d]);

  e.map(os, sdfg::Schedule::omp, [&](ValueRange p) {
    Value init = e.tasklet1({}, [&](OpBuilder &b, ValueRange) -> SmallVector<Value> {
      return {floatConst(b, e.loc, type, isMax ? -std::numeric_limits<double>::infinity() : 0.0)};
    });
    e.store(init, out, identity(p));
  });

  e.map(keptDims, sdfg::Schedule::omp, [&](ValueRange kept) {
    e.map(reducedDims, sdfg::Schedule::sequential, [&](ValueRange red) {
      Indices xi, oi;
      unsigned k = 0, r = 0;
      for (int64_t d = 0; d < rank; ++d) {
        if (reduced[d]) {
          xi.push_back({red[r++], 0});
          if (keepdims)
            oi.push_back({Value(), 0});
        } else {
          xi.push_back({kept[k], 0});
          oi.push_back({kept[k++], 0});
        }
      }
      e.store(e.load(x, xi), out, oi, isMax ? sdfg::WCR::max : sdfg::WCR::sum);
    });
  });

  if (isMean) {
    SmallVector<Value> symbols = symbolOperands(e, reducedDims);
    e.map(os, sdfg::Schedule::omp, [&](ValueRange p) {
      SmallVector<Value> operands{e.load(out, identity(p))};
      operands.append(symbols);
      Value m = e.tasklet1(operands, [&](OpBuilder &b, ValueRange a) -> SmallVector<Value> {
        return {b.create<arith::DivFOp>(e.loc, a[0], countInTasklet(b, e.loc, type, reducedDims, a.drop_front()))};
      });
      e.store(m, out, identity(p));
    });
  }
  return success();
}

} // namespace dmc::expansions
