//===- FuseAttention.cpp - matmul -> softmax -> matmul into nn.attention --===//
//
//   scores = alpha * Q @ K^T ; probs = softmax(scale * scores + mask) ; O = probs @ V
//     ==>  O = attention(Q, K, V, mask) {scale = alpha * scale}
//
// The [.., Sq, Sk] scores and probabilities are the largest containers of an attention layer; the
// fused node computes them block by block (streaming softmax) and never stores them.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_FUSEATTENTION
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// The reader of `transient` when it is a private transient whose only users are `writer` and it.
Operation *soleReader(Value transient, Operation *writer) {
  return isPrivateTransient(transient) ? soleOtherUser(transient, writer) : nullptr;
}

bool tryFuse(nn::MatMulOp qk) {
  if (qk.getTransposeA() || !qk.getTransposeB())
    return false;
  Value scores = qk.getOutputs()[0];
  auto softmax = dyn_cast_or_null<nn::SoftmaxOp>(soleReader(scores, qk));
  if (!softmax || softmax.getInputs()[0] != scores)
    return false;
  int64_t rank = cast<sdfg::ArrayType>(scores.getType()).getRank(), axis = (int64_t)softmax.getAxis();
  if (axis != -1 && axis != rank - 1)
    return false;
  Value probs = softmax.getOutputs()[0];
  auto pv = dyn_cast_or_null<nn::MatMulOp>(soleReader(probs, softmax));
  if (!pv || pv.getInputs()[0] != probs || pv.getTransposeA() || pv.getTransposeB() ||
      pv.getAlpha().convertToDouble() != 1.0)
    return false;
  if (softmax->getBlock() != qk->getBlock() || pv->getBlock() != qk->getBlock() || !qk->isBeforeInBlock(softmax) ||
      !softmax->isBeforeInBlock(pv))
    return false;
  // The fused node reads Q, K and the mask where P V was: nothing in between may write them.
  Value q = qk.getInputs()[0], k = qk.getInputs()[1], v = pv.getInputs()[1], out = pv.getOutputs()[0];
  // Its inputs after Q, K, V are the softmax's after x: the additive mask, then the tensors that the mask
  // and score expressions read (the scores have the same shape, so the expressions mean the same).
  SmallVector<Value> read = {rootOf(q), rootOf(k)};
  for (Value extra : softmax.getInputs().drop_front())
    read.push_back(rootOf(extra));
  if (!rangeIsIndependent(qk, softmax, read, {}) || !rangeIsIndependent(softmax, pv, read, {}))
    return false;
  if (llvm::is_contained(read, rootOf(out)))
    return false;

  OpBuilder b(pv);
  SmallVector<Value> inputs = {q, k, v};
  llvm::append_range(inputs, softmax.getInputs().drop_front());
  float scale = qk.getAlpha().convertToFloat() * softmax.getScale().convertToFloat();
  b.create<nn::AttentionOp>(pv.getLoc(), inputs, ValueRange{out}, pv.getLabelAttr(), b.getF32FloatAttr(scale),
                            softmax.getCausalAttr(), softmax.getWindowAttr(), softmax.getStrideAttr(),
                            softmax.getGlobalTokensAttr(), softmax.getMaskExprAttr(), softmax.getScoreExprAttr(),
                            softmax.getExprTensorsAttr());
  pv->erase();
  softmax->erase();
  qk->erase();
  for (Value dead : {probs, scores})
    if (dead.use_empty())
      dead.getDefiningOp()->erase();
  return true;
}

struct FuseAttention : dmc::impl::FuseAttentionBase<FuseAttention> {
  dmc::PassStatistic numFused{this, "attentions-fused", "matmul, softmax, matmul chains fused into nn.attention"};
  void runOnOperation() override {
    // Each fusion erases Q K^T (the op visited), the softmax and P V after it: allowed by rewriteToFixpoint.
    rewriteToFixpoint<nn::MatMulOp>(getOperation(), countSuccesses(numFused, tryFuse));
  }
};
} // namespace
