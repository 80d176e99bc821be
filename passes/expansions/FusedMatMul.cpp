//===- FusedMatMul.cpp - a matmul and its epilogue as map nests --------------===//
//
//   product:  MatMul.cpp's nest: acc = alpha * op(A) @ op(B)        (init map, wcr(sum) map)
//   epilogue: map (batch..., i, j) omp { C[..] = act(acc[..] + pre_scale * pre[bc]) + post_scale * post[bc] }
//
// acc is C itself, unless an input shares C's container (the runtime kernel allows `post` to be C: it
// reads each post element before writing that element of C): then the product goes to a transient, so
// that every input is read before C is written. pre and post broadcast to C as in NumPy. Without pre,
// post and activation there is no epilogue map. The activations are the element-wise nodes' tasklets.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"
#include "passes/analysis/Containers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace dmc::expansions {

bool isFusedMatMul(Operation *op) { return isa<nn::FusedMatMulOp>(op); }

LogicalResult expandFusedMatMul(Expander &e) {
  auto op = cast<nn::FusedMatMulOp>(e.node);
  ValueRange inputs = op.getInputs();
  Value out = op.getOutputs()[0];
  Value pre = op.getHasPre() ? inputs[2] : Value();
  Value post = op.getHasPost() ? inputs[op.getHasPre() ? 3 : 2] : Value();
  StringRef act = op.getActivation();
  Shape os = shapeOf(out);
  Type type = elementOf(out);

  bool aliased = llvm::any_of(inputs, [&](Value in) { return dmc::rootOf(in) == dmc::rootOf(out); });
  Contraction c;
  c.a = inputs[0];
  c.b = inputs[1];
  c.out = aliased ? e.transient(os, type, "acc") : out;
  c.transA = op.getTransposeA();
  c.transB = op.getTransposeB();
  c.alpha = op.getAlpha().convertToDouble();
  buildContraction(e, c);
  if (!pre && !post && act == "none" && c.out == out)
    return success();

  double preScale = op.getPreScale().convertToDouble(), postScale = op.getPostScale().convertToDouble();
  bool ok = true;
  e.map(os, sdfg::Schedule::omp, [&](ValueRange p) {
    SmallVector<Value> operands{e.load(c.out, identity(p))};
    for (Value addend : {pre, post})
      if (addend)
        operands.push_back(e.load(addend, broadcastIndices(shapeOf(addend), os, p)));
    Value r = e.tasklet1(operands, [&](OpBuilder &b, ValueRange args) -> SmallVector<Value> {
      auto scaled = [&](double scale, Value v) {
        return scale == 1.0 ? v : b.create<arith::MulFOp>(e.loc, floatConst(b, e.loc, type, scale), v).getResult();
      };
      Value v = args[0];
      args = args.drop_front();
      if (pre) {
        v = b.create<arith::AddFOp>(e.loc, v, scaled(preScale, args[0]));
        args = args.drop_front();
      }
      Value activated = activation(b, e.loc, act, v);
      if (!activated) { // the verifier admits only the known activations; stay safe all the same
        ok = false;
        activated = v;
      }
      if (post)
        activated = b.create<arith::AddFOp>(e.loc, activated, scaled(postScale, args[0]));
      return {activated};
    });
    e.store(r, out, identity(p));
  });
  if (!ok)
    return e.node->emitOpError("has an activation without a pure expansion: '") << act << "'";
  return success();
}

} // namespace dmc::expansions
