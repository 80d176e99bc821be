//===- Attention.cpp - attention as scores, softmax and a second matmul ----===//
//
//   scores:  S = Q @ K^T                                 (MatMul.cpp's nest, into a transient [batch, Sq, Sk])
//   softmax: P = softmax(scale * S + mask) along Sk      (Softmax.cpp's maps: generated masks, dropped
//                                                          positions exactly 0, a row with nothing kept all 0)
//   output:  O = P @ V                                   (MatMul.cpp's nest)
//
// The scores are materialised: this is the reference form of the node, which the runtime's streaming
// kernel (and a tiled expansion) computes without them. Batch dims broadcast as in the runtime: S has the
// batch of Q and K, O that of S and V.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

#include "dialects/NN/ShapeInference.h"

using namespace mlir;

namespace dmc::expansions {

bool isAttention(Operation *op) { return isa<nn::AttentionOp>(op); }

LogicalResult expandAttention(Expander &e) {
  auto op = cast<nn::AttentionOp>(e.node);
  Value q = op.getInputs()[0], k = op.getInputs()[1], v = op.getInputs()[2], out = op.getOutputs()[0];
  Value mask = op.getAdditiveMask();
  Type type = elementOf(out);
  nn::InferredShape scoresShape = nn::inferMatMul(shapeOf(q), shapeOf(k), false, true);
  if (!scoresShape.ok()) // the verifier checked this shape
    return op.emitOpError(scoresShape.error);

  Value scores = e.transient(scoresShape.shape, type, "scores");
  Contraction qk;
  qk.a = q;
  qk.b = k;
  qk.out = scores;
  qk.transB = true;
  buildContraction(e, qk);

  Value probs = e.transient(scoresShape.shape, type, "probs");
  SoftmaxSpec softmax;
  softmax.x = scores;
  softmax.mask = mask;
  softmax.out = probs;
  softmax.scale = op.getScale().convertToDouble();
  softmax.generated = generatedMaskOf(op);
  softmax.exprs = nn::expressionsOf(op);
  softmax.exprTensors = nn::exprTensorsOf(op);
  buildSoftmax(e, softmax);

  Contraction pv;
  pv.a = probs;
  pv.b = v;
  pv.out = out;
  buildContraction(e, pv);
  return success();
}

} // namespace dmc::expansions
