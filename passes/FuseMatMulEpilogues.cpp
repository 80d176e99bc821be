//===- FuseMatMulEpilogues.cpp - matmuls and their element-wise consumers --===//
//
// Every nn.matmul becomes an nn.fused_matmul (the tiled micro-kernel contraction), which then absorbs
// the element-wise nodes that consume its result, in the order the epilogue applies them:
//
//   C = alpha * A @ B  ->  scale (alpha *= s)  ->  add/sub (pre)  ->  gelu / relu  ->  add/sub (post)
//
// Each absorbed node removes one full write and read of C's size. An absorption needs C to be a private
// transient read only by that node, and nothing between the two nodes to write what either reads or
// touch what the consumer writes (the fused node reads and writes at the consumer's position).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

#include "dialects/NN/ShapeInference.h"

namespace dmc {
#define GEN_PASS_DEF_FUSEMATMULEPILOGUES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
Shape shapeOf(Value v) { return cast<sdfg::ArrayType>(v.getType()).getShape(); }

/// The epilogue of a fused_matmul while it is being built.
struct Epilogue {
  float alpha = 1.0f, preScale = 1.0f, postScale = 1.0f;
  Value pre, post;
  StringRef activation = "none";
};

/// The fused node that replaces `anchor`, reading A and B, writing `out`.
nn::FusedMatMulOp build(Operation *anchor, Value a, Value b, Value out, bool transA, bool transB,
                        const Epilogue &e, StringAttr label) {
  OpBuilder builder(anchor);
  SmallVector<Value> inputs = {a, b};
  if (e.pre)
    inputs.push_back(e.pre);
  if (e.post)
    inputs.push_back(e.post);
  auto unit = [&](bool on) { return on ? builder.getUnitAttr() : UnitAttr(); };
  auto fused = builder.create<nn::FusedMatMulOp>(
      anchor->getLoc(), inputs, ValueRange{out}, label, unit(transA), unit(transB), builder.getF32FloatAttr(e.alpha),
      builder.getStringAttr(e.activation), unit(bool(e.pre)), unit(bool(e.post)),
      builder.getF32FloatAttr(e.preScale), builder.getF32FloatAttr(e.postScale));
  return fused;
}

/// The consumer of `c` (a private transient written only by `producer`) if it is its only reader.
Operation *soleConsumer(Value c, Operation *producer) {
  Operation *consumer = isPrivateTransient(c) ? soleOtherUser(c, producer) : nullptr;
  if (!consumer || consumer->getBlock() != producer->getBlock() || !producer->isBeforeInBlock(consumer))
    return nullptr;
  return consumer;
}

/// Tries to fold `consumer` of the fused node's output into `e`; returns the addend it reads (if any)
/// through `addend`.
bool absorb(Operation *consumer, Value c, Epilogue &e, Value &addend) {
  auto node = cast<nn::LibraryNode>(consumer);
  if (node.getOutputs().size() != 1 || shapeOf(node.getOutputs()[0]) != shapeOf(c))
    return false;
  if (auto scale = dyn_cast<nn::ScaleOp>(consumer)) {
    if (e.pre || e.post || e.activation != "none" || scale.getBias().convertToDouble() != 0.0)
      return false;
    e.alpha *= scale.getAlpha().convertToFloat();
    return true;
  }
  if (isa<nn::AddOp, nn::SubOp>(consumer)) {
    Value lhs = node.getInputs()[0], rhs = node.getInputs()[1];
    if ((lhs == c) == (rhs == c))
      return false;
    addend = lhs == c ? rhs : lhs;
    nn::InferredShape sum = nn::inferBroadcast(shapeOf(addend), shapeOf(c));
    if (!sum.ok() || sum.shape != shapeOf(c))
      return false;
    bool empty = !e.pre && e.activation == "none" && !e.post;
    // c + x, x + c, c - x: x is added with sign +1 or -1. x - c = (-alpha) A B + x: only while nothing
    // else is folded, since the sign must apply to the whole epilogue so far.
    float sign = 1.0f;
    if (isa<nn::SubOp>(consumer)) {
      if (lhs == c) {
        sign = -1.0f;
      } else {
        if (!empty)
          return false;
        e.alpha = -e.alpha;
      }
    }
    if (empty)
      e.pre = addend, e.preScale = sign;
    else if (!e.post)
      e.post = addend, e.postScale = sign;
    else
      return false;
    return true;
  }
  StringRef activation;
  if (isa<nn::ReluOp>(consumer))
    activation = "relu";
  else if (auto gelu = dyn_cast<nn::GeluOp>(consumer))
    activation = gelu.getTanhApproximation() ? "gelu_tanh" : "gelu_erf";
  if (activation.empty() || e.activation != "none" || e.post)
    return false;
  e.activation = activation;
  return true;
}

/// A prologue: when `operand` is a private transient whose only writer is `scale = s * y` (no bias),
/// the fused node at `anchor` can read y instead and multiply alpha by s, provided nothing between the
/// scale and `anchor` writes y. Returns y (and updates alpha), or `operand` unchanged. The scale node
/// stays for the transient's other readers and goes when none is left.
Value foldScale(Value operand, Operation *anchor, float &alpha) {
  if (!isPrivateTransient(operand))
    return operand;
  nn::ScaleOp scale;
  for (Operation *user : operand.getUsers()) {
    auto s = dyn_cast<nn::ScaleOp>(user);
    if (s && s.getOutputs()[0] == operand) {
      if (scale)
        return operand;
      scale = s;
    } else if (!isa<nn::LibraryNode>(user) || llvm::is_contained(cast<nn::LibraryNode>(user).getOutputs(), operand)) {
      return operand; // another writer, or a use that is not a library node's
    }
  }
  if (!scale || scale.getBias().convertToDouble() != 0.0 || scale->getBlock() != anchor->getBlock() ||
      !scale->isBeforeInBlock(anchor))
    return operand;
  Value y = scale.getInputs()[0];
  if (!rangeIsIndependent(scale, anchor, {rootOf(y)}, {}))
    return operand;
  alpha *= scale.getAlpha().convertToFloat();
  return y;
}

/// What fuseChain folded into the fused node, for the pass statistics.
struct Folded {
  size_t epilogueNodes, operandScales;
};

Folded fuseChain(nn::MatMulOp matmul) {
  Value a = matmul.getInputs()[0], b = matmul.getInputs()[1];
  Epilogue e;
  e.alpha = matmul.getAlpha().convertToFloat();
  Operation *producer = matmul;
  Value c = matmul.getOutputs()[0];
  StringAttr label = matmul.getLabelAttr();
  SmallVector<Operation *> absorbed;
  while (Operation *consumer = soleConsumer(c, producer)) {
    if (!isa<nn::LibraryNode>(consumer))
      break;
    Epilogue next = e;
    Value addend;
    if (!absorb(consumer, c, next, addend))
      break;
    Value out = cast<nn::LibraryNode>(consumer).getOutputs()[0];
    // The fused node sits at the consumer: reads of A, B and the addends folded so far move down to
    // it (the new addend is read where it always was), so nothing in between may write them; and
    // `out` must not be one of the operands.
    SmallVector<Value> moved = {rootOf(a), rootOf(b)};
    for (Value v : {e.pre, e.post})
      if (v)
        moved.push_back(rootOf(v));
    if (!rangeIsIndependent(producer, consumer, moved, {}) || llvm::is_contained(moved, rootOf(out)) ||
        (addend && rootOf(addend) == rootOf(out)))
      break;
    e = next;
    absorbed.push_back(consumer);
    producer = consumer;
    c = out;
    if (auto l = cast<nn::LibraryNode>(consumer).getLabel())
      label = StringAttr::get(consumer->getContext(), *l);
  }
  // Scaled operands: the scale moves into alpha, which multiplies the whole product (before any addend).
  Value scaledA = a, scaledB = b;
  a = foldScale(a, producer, e.alpha);
  b = foldScale(b, producer, e.alpha);
  build(producer, a, b, c, matmul.getTransposeA(), matmul.getTransposeB(), e, label);
  SmallVector<Value, 2> folded;
  for (Value operand : {scaledA, scaledB})
    if (operand != a && operand != b && !llvm::is_contained(folded, operand))
      folded.push_back(operand);
  for (Value operand : folded)
    if (operand.hasOneUse()) { // only the scale that writes it is left
      (*operand.getUsers().begin())->erase();
      operand.getDefiningOp()->erase();
    }
  // Erase in reverse order so each intermediate transient loses its last user before its alloc goes.
  SmallVector<Value> intermediates = {matmul.getOutputs()[0]};
  for (Operation *op : absorbed)
    intermediates.push_back(cast<nn::LibraryNode>(op).getOutputs()[0]);
  intermediates.pop_back(); // the final output stays
  for (Operation *op : llvm::reverse(absorbed))
    op->erase();
  matmul->erase();
  for (Value v : intermediates)
    if (v.use_empty())
      v.getDefiningOp()->erase();
  return {absorbed.size(), folded.size()};
}

struct FuseMatMulEpilogues : dmc::impl::FuseMatMulEpiloguesBase<FuseMatMulEpilogues> {
  dmc::PassStatistic numMatMuls{this, "matmuls-fused", "matmuls turned into nn.fused_matmul"};
  dmc::PassStatistic numEpilogueNodes{this, "epilogue-nodes-folded",
                                      "scale, add, sub, gelu and relu nodes folded into an epilogue"};
  dmc::PassStatistic numOperandScales{this, "operand-scales-folded",
                                      "scaled operands read unscaled, the scale folded into alpha"};
  void runOnOperation() override {
    SmallVector<nn::MatMulOp> matmuls;
    getOperation().walk([&](nn::MatMulOp m) { matmuls.push_back(m); });
    // A chain erases only its matmul and element-wise nodes, never another matmul.
    for (nn::MatMulOp m : matmuls) {
      Folded folded = fuseChain(m);
      ++numMatMuls;
      numEpilogueNodes += folded.epilogueNodes;
      numOperandScales += folded.operandScales;
    }
  }
};
} // namespace
