//===- NNVerifiers.cpp - arity, dtype and shape checks of library nodes ---===//
//
// Every verifier recomputes the output shape with ShapeInference (the importer's rules) and compares.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/Expressions.h"
#include "dialects/NN/NNOps.h"
#include "dialects/NN/ShapeInference.h"

using namespace mlir;
using namespace dmc;
using namespace dmc::nn;
using dmc::sdfg::ArrayType;

namespace {
Shape shapeOf(Value v) { return cast<ArrayType>(v.getType()).getShape(); }

/// Arity, identical element types, outputs not aliasing inputs, and the label.
LogicalResult verifyCommon(Operation *op, size_t minInputs, size_t maxInputs, size_t numOutputs = 1) {
  auto node = cast<LibraryNode>(op);
  size_t numIn = node.getInputs().size();
  if (numIn < minInputs || numIn > maxInputs) {
    auto diag = op->emitOpError("takes ");
    if (minInputs == maxInputs)
      diag << minInputs;
    else
      diag << minInputs << " to " << maxInputs;
    return diag << " inputs, got " << numIn;
  }
  if (node.getOutputs().size() != numOutputs)
    return op->emitOpError("takes ") << numOutputs << " output(s), got " << node.getOutputs().size();
  Type element = cast<ArrayType>(op->getOperand(0).getType()).getElementType();
  for (Value v : op->getOperands())
    if (cast<ArrayType>(v.getType()).getElementType() != element)
      return op->emitOpError("mixes element types ") << element << " and "
                                                    << cast<ArrayType>(v.getType()).getElementType();
  if (!isa<FloatType>(element))
    return op->emitOpError("supports floating-point containers only, got ") << element;
  for (Value out : node.getOutputs()) {
    if (llvm::is_contained(node.getInputs(), out))
      return op->emitOpError("writes a container it also reads; library nodes are not in-place");
    if (StringRef input = sdfg::getInputContainerName(out); !input.empty())
      return op->emitOpError("writes input container '") << input << "'; inputs are read-only";
  }
  if (auto label = node.getLabel(); label && !isIdentifier(label->str()))
    return op->emitOpError("label '") << printable(label->str()) << "' is not an identifier";
  if (Attribute impl = op->getAttr(kImplAttrName)) {
    auto name = dyn_cast<StringAttr>(impl);
    if (!name || !isImplName(name.getValue()))
      return op->emitOpError("'") << kImplAttrName << "' must be one of " << implNamesList() << ", got " << impl;
    if (name.getValue() == kDnnlImpl)
      if (const char *why = whyNotDnnl(op))
        return op->emitOpError("cannot run on oneDNN (`impl = \"dnnl\"`): ") << why;
  }
  if (Attribute tiles = op->getAttr(kTilesAttrName)) {
    ArrayRef<StringRef> known = tileParameterNames(op);
    std::string names = llvm::join(known, ", ");
    auto dict = dyn_cast<DictionaryAttr>(tiles);
    if (!dict || known.empty())
      return op->emitOpError("'") << kTilesAttrName << "' must be a dictionary of block sizes ("
                                  << (known.empty() ? "this node has none" : names) << "), got " << tiles;
    for (NamedAttribute entry : dict) {
      auto value = dyn_cast<IntegerAttr>(entry.getValue());
      if (!llvm::is_contained(known, entry.getName().strref()))
        return op->emitOpError("'") << kTilesAttrName << "' has no block '" << entry.getName().strref()
                                    << "' (this node's: " << names << ")";
      if (!value || value.getInt() <= 0)
        return op->emitOpError("'") << kTilesAttrName << "' block '" << entry.getName().strref()
                                    << "' must be a positive integer, got " << entry.getValue();
    }
  }
  return success();
}

LogicalResult checkInferred(Operation *op, const InferredShape &inferred) {
  if (!inferred.ok())
    return op->emitOpError(inferred.error);
  Shape actual = shapeOf(cast<LibraryNode>(op).getOutputs().front());
  if (actual != inferred.shape)
    return op->emitOpError("output shape ") << formatShape(actual) << " should be " << formatShape(inferred.shape);
  return success();
}

std::vector<int64_t> toVector(ArrayRef<int64_t> values) { return {values.begin(), values.end()}; }
} // namespace

LogicalResult MatMulOp::verify() {
  if (failed(verifyCommon(*this, 2, 2)))
    return failure();
  return checkInferred(*this, inferMatMul(shapeOf(getInputs()[0]), shapeOf(getInputs()[1]), getTransposeA(),
                                          getTransposeB()));
}

LogicalResult GemmOp::verify() {
  if (failed(verifyCommon(*this, 2, 3)))
    return failure();
  std::optional<Shape> bias;
  if (getInputs().size() == 3)
    bias = shapeOf(getInputs()[2]);
  return checkInferred(*this, inferGemm(shapeOf(getInputs()[0]), shapeOf(getInputs()[1]), bias ? &*bias : nullptr,
                                        getTransposeA(), getTransposeB()));
}

LogicalResult FusedMatMulOp::verify() {
  size_t expected = 2 + (getHasPre() ? 1 : 0) + (getHasPost() ? 1 : 0);
  if (failed(verifyCommon(*this, expected, expected)))
    return failure();
  StringRef act = getActivation();
  if (act != "none" && act != "relu" && act != "gelu_erf" && act != "gelu_tanh")
    return emitOpError("activation must be none, relu, gelu_erf or gelu_tanh, got '") << act << "'";
  InferredShape product =
      inferMatMul(shapeOf(getInputs()[0]), shapeOf(getInputs()[1]), getTransposeA(), getTransposeB());
  if (failed(checkInferred(*this, product)))
    return failure();
  for (Value addend : getInputs().drop_front(2)) {
    InferredShape sum = inferBroadcast(shapeOf(addend), product.shape);
    if (!sum.ok() || sum.shape != product.shape)
      return emitOpError("epilogue operand ") << formatShape(shapeOf(addend)) << " does not broadcast to "
                                              << formatShape(product.shape);
  }
  return success();
}

LogicalResult AttentionOp::verify() {
  if ((int64_t)getExprTensors() < 0 || getExprTensors() > getInputs().size())
    return emitOpError("expr_tensors must be between 0 and the number of inputs");
  if (failed(verifyCommon(*this, 3 + getExprTensors(), 4 + getExprTensors())))
    return failure();
  int64_t window = getWindow(), stride = getStride();
  if (window < -1 || stride < 0)
    return emitOpError("window must be >= -1 and stride >= 0");
  Shape q = shapeOf(getInputs()[0]), k = shapeOf(getInputs()[1]), v = shapeOf(getInputs()[2]);
  if (q.size() < 2 || k.size() < 2 || v.size() < 2)
    return emitOpError("needs Q, K and V of rank >= 2");
  if (k.back() != q.back() || v[v.size() - 2] != k[k.size() - 2])
    return emitOpError("Q ") << formatShape(q) << ", K " << formatShape(k) << " and V " << formatShape(v)
                             << " do not form an attention (K needs Q's width, V K's length)";
  // The scores' shape, through the same rule as matmul: Q @ K^T.
  InferredShape scores = inferMatMul(q, k, false, true);
  if (!scores.ok())
    return emitOpError(scores.error);
  if (Value mask = getAdditiveMask()) {
    InferredShape masked = inferBroadcast(shapeOf(mask), scores.shape);
    if (!masked.ok() || masked.shape != scores.shape)
      return emitOpError("mask ") << formatShape(shapeOf(mask)) << " does not broadcast to the scores "
                                  << formatShape(scores.shape);
  }
  if (failed(verifyExpressions(*this)))
    return failure();
  InferredShape out = inferMatMul(scores.shape, v, false, false);
  return checkInferred(*this, out);
}

#define DMC_BINARY_VERIFIER(OP)                                                                              \
  LogicalResult OP::verify() {                                                                               \
    if (failed(verifyCommon(*this, 2, 2)))                                                                   \
      return failure();                                                                                      \
    return checkInferred(*this, inferBroadcast(shapeOf(getInputs()[0]), shapeOf(getInputs()[1])));          \
  }
DMC_BINARY_VERIFIER(AddOp)
DMC_BINARY_VERIFIER(SubOp)
DMC_BINARY_VERIFIER(MulOp)
DMC_BINARY_VERIFIER(DivOp)

LogicalResult WhereOp::verify() {
  if (failed(verifyCommon(*this, 3, 3)))
    return failure();
  return checkInferred(*this, inferWhere(shapeOf(getInputs()[0]), shapeOf(getInputs()[1]), shapeOf(getInputs()[2])));
}

#define DMC_UNARY_VERIFIER(OP)                                                                               \
  LogicalResult OP::verify() {                                                                               \
    if (failed(verifyCommon(*this, 1, 1)))                                                                   \
      return failure();                                                                                      \
    return checkInferred(*this, InferredShape{shapeOf(getInputs()[0]), {}});                                 \
  }
DMC_UNARY_VERIFIER(ExpOp)
DMC_UNARY_VERIFIER(TanhOp)
DMC_UNARY_VERIFIER(ErfOp)
DMC_UNARY_VERIFIER(ReluOp)
DMC_UNARY_VERIFIER(SqrtOp)
DMC_UNARY_VERIFIER(ReciprocalOp)
DMC_UNARY_VERIFIER(GeluOp)
DMC_UNARY_VERIFIER(EluOp)
DMC_UNARY_VERIFIER(ScaleOp)

LogicalResult SoftmaxOp::verify() {
  if ((int64_t)getExprTensors() < 0 || getExprTensors() > getInputs().size())
    return emitOpError("expr_tensors must be between 0 and the number of inputs");
  if (failed(verifyCommon(*this, 1 + getExprTensors(), 2 + getExprTensors())))
    return failure();
  // I64Attr getters return uint64_t; read them as signed so that negative values are caught.
  int64_t window = getWindow(), stride = getStride();
  if (window < -1)
    return emitOpError("window must be -1 (none) or >= 0, got ") << window;
  if (stride < 0)
    return emitOpError("stride must be 0 (none) or positive, got ") << stride;
  for (int64_t token : getGlobalTokens())
    if (token < 0)
      return emitOpError("global token ") << token << " is negative";
  std::optional<Shape> mask;
  if (Value m = getAdditiveMask())
    mask = shapeOf(m);
  if (failed(verifyExpressions(*this)))
    return failure();
  return checkInferred(*this, inferSoftmax(shapeOf(getInputs()[0]), mask ? &*mask : nullptr, getAxis(),
                                           hasGeneratedMask()));
}

LogicalResult LayerNormOp::verify() {
  if (failed(verifyCommon(*this, 3, 3)))
    return failure();
  if (getEpsilon().convertToDouble() <= 0)
    return emitOpError("epsilon must be positive");
  return checkInferred(*this, inferLayerNorm(shapeOf(getInputs()[0]), shapeOf(getInputs()[1]),
                                             shapeOf(getInputs()[2]), getAxis()));
}

#define DMC_REDUCE_VERIFIER(OP)                                                                              \
  LogicalResult OP::verify() {                                                                               \
    if (failed(verifyCommon(*this, 1, 1)))                                                                   \
      return failure();                                                                                      \
    return checkInferred(*this, inferReduce(shapeOf(getInputs()[0]), toVector(getAxes()), getKeepdims()));  \
  }
DMC_REDUCE_VERIFIER(ReduceSumOp)
DMC_REDUCE_VERIFIER(ReduceMaxOp)
DMC_REDUCE_VERIFIER(ReduceMeanOp)

LogicalResult TransposeOp::verify() {
  if (failed(verifyCommon(*this, 1, 1)))
    return failure();
  return checkInferred(*this, inferTranspose(shapeOf(getInputs()[0]), toVector(getPermutation())));
}

LogicalResult ReshapeOp::verify() {
  if (failed(verifyCommon(*this, 1, 1)))
    return failure();
  return checkInferred(*this, inferReshape(shapeOf(getInputs()[0]), shapeOf(getOutputs()[0])));
}

LogicalResult SliceOp::verify() {
  if (failed(verifyCommon(*this, 1, 1)))
    return failure();
  return checkInferred(*this, inferSlice(shapeOf(getInputs()[0]), toVector(getStarts()), toVector(getEnds()),
                                         toVector(getAxes())));
}

LogicalResult ConcatOp::verify() {
  if (failed(verifyCommon(*this, 1, 64)))
    return failure();
  std::vector<Shape> shapes;
  for (Value v : getInputs())
    shapes.push_back(shapeOf(v));
  return checkInferred(*this, inferConcat(shapes, getAxis()));
}
