//===- Elementwise.cpp - binary ops with broadcasting, unary ops, scale, where ===//
//
// One parallel map over the output; inputs are read with NumPy broadcasting (a stretched dim of size 1
// is read at index 0). The tasklets follow the runtime's reference kernels operation by operation.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace dmc::expansions {

bool isElementwise(Operation *op) {
  return isa<nn::AddOp, nn::SubOp, nn::MulOp, nn::DivOp, nn::ExpOp, nn::TanhOp, nn::ErfOp, nn::ReluOp, nn::SqrtOp,
             nn::ReciprocalOp, nn::GeluOp, nn::EluOp, nn::ScaleOp, nn::WhereOp>(op);
}

namespace {
Value relu(OpBuilder &b, Location loc, Value x) {
  Value zero = floatConst(b, loc, x.getType(), 0.0);
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, zero);
  return b.create<arith::SelectOp>(loc, positive, x, zero);
}

Value gelu(OpBuilder &b, Location loc, Value x, bool tanhApproximation) {
  auto c = [&](double v) { return floatConst(b, loc, x.getType(), v); };
  Value inner;
  if (tanhApproximation) {
    // 0.5 x (1 + tanh(k (x + 0.044715 x^3))), k = sqrt(2 / pi)
    Value x3 = b.create<arith::MulFOp>(loc, b.create<arith::MulFOp>(loc, c(0.044715), x), x);
    x3 = b.create<arith::MulFOp>(loc, x3, x);
    Value arg = b.create<arith::MulFOp>(loc, c(std::sqrt(2.0 / M_PI)), b.create<arith::AddFOp>(loc, x, x3));
    inner = b.create<math::TanhOp>(loc, arg);
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    inner = b.create<math::ErfOp>(loc, b.create<arith::MulFOp>(loc, x, c(M_SQRT1_2)));
  }
  Value half = b.create<arith::MulFOp>(loc, c(0.5), x);
  return b.create<arith::MulFOp>(loc, half, b.create<arith::AddFOp>(loc, c(1.0), inner));
}

/// The scalar function of a unary node on `x` (a tasklet argument).
Value unary(Operation *node, OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return floatConst(b, loc, t, v); };
  return llvm::TypeSwitch<Operation *, Value>(node)
      .Case([&](nn::ExpOp) { return b.create<math::ExpOp>(loc, x); })
      .Case([&](nn::TanhOp) { return b.create<math::TanhOp>(loc, x); })
      .Case([&](nn::ErfOp) { return b.create<math::ErfOp>(loc, x); })
      .Case([&](nn::SqrtOp) { return b.create<math::SqrtOp>(loc, x); })
      .Case([&](nn::ReciprocalOp) { return b.create<arith::DivFOp>(loc, c(1.0), x); })
      .Case([&](nn::ReluOp) { return relu(b, loc, x); })
      .Case([&](nn::EluOp elu) {
        // x > 0 ? x : alpha * expm1(x)
        Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, c(0.0));
        Value em1 = b.create<math::ExpM1Op>(loc, x);
        Value neg = b.create<arith::MulFOp>(loc, c(elu.getAlpha().convertToDouble()), em1);
        return b.create<arith::SelectOp>(loc, positive, x, neg);
      })
      .Case([&](nn::ScaleOp scale) {
        Value ax = b.create<arith::MulFOp>(loc, c(scale.getAlpha().convertToDouble()), x);
        return b.create<arith::AddFOp>(loc, ax, c(scale.getBias().convertToDouble()));
      })
      .Case([&](nn::GeluOp g) { return gelu(b, loc, x, g.getTanhApproximation()); })
      .Default([](Operation *) { return Value(); });
}

Value binary(Operation *node, OpBuilder &b, Location loc, Value x, Value y) {
  return llvm::TypeSwitch<Operation *, Value>(node)
      .Case([&](nn::AddOp) { return b.create<arith::AddFOp>(loc, x, y); })
      .Case([&](nn::SubOp) { return b.create<arith::SubFOp>(loc, x, y); })
      .Case([&](nn::MulOp) { return b.create<arith::MulFOp>(loc, x, y); })
      .Case([&](nn::DivOp) { return b.create<arith::DivFOp>(loc, x, y); })
      .Default([](Operation *) { return Value(); });
}

/// nn.where: c != 0 ? x : y. UNE, as the runtime's `c != 0.0f`: NaN selects x, -0 selects y. A select, not
/// c*x + (1-c)*y, so an inf or NaN in the operand not chosen never reaches the output.
Value select(OpBuilder &b, Location loc, Value c, Value x, Value y) {
  Value zero = floatConst(b, loc, c.getType(), 0.0);
  Value chooseX = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, c, zero);
  return b.create<arith::SelectOp>(loc, chooseX, x, y);
}
} // namespace

Value activation(OpBuilder &b, Location loc, StringRef name, Value x) {
  if (name == "relu")
    return relu(b, loc, x);
  if (name == "gelu_erf" || name == "gelu_tanh")
    return gelu(b, loc, x, name == "gelu_tanh");
  return name == "none" ? x : Value();
}

LogicalResult expandElementwise(Expander &e) {
  auto node = cast<nn::LibraryNode>(e.node);
  Value out = node.getOutputs()[0];
  Shape outShape = shapeOf(out);
  size_t arity = node.getInputs().size();
  e.map(outShape, sdfg::Schedule::omp, [&](ValueRange p) {
    SmallVector<Value> values;
    for (Value in : node.getInputs())
      values.push_back(e.load(in, broadcastIndices(shapeOf(in), outShape, p)));
    Value r = e.tasklet1(values, [&](OpBuilder &b, ValueRange a) -> SmallVector<Value> {
      if (arity == 3)
        return {select(b, e.loc, a[0], a[1], a[2])};
      return {arity == 2 ? binary(e.node, b, e.loc, a[0], a[1]) : unary(e.node, b, e.loc, a[0])};
    });
    e.store(r, out, identity(p));
  });
  return success();
}

} // namespace dmc::expansions
