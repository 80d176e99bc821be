//===- NNDialect.cpp - registration and memory effects of library nodes ---===//
#include "dialects/NN/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace dmc::nn;

#include "dialects/NN/NNDialect.cpp.inc"
#include "dialects/NN/NNInterfaces.cpp.inc"
#define GET_OP_CLASSES
#include "dialects/NN/NNOps.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/NN/NNOps.cpp.inc"
      >();
}

void dmc::nn::getLibraryNodeEffects(
    Operation *op, SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  auto node = cast<LibraryNode>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    bool isOutput = operand.getOperandNumber() >= node.getInputs().size();
    if (isOutput)
      effects.emplace_back(MemoryEffects::Write::get(), &operand, SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand, SideEffects::DefaultResource::get());
  }
}

std::string dmc::nn::implNamesList() {
  std::string out;
  for (StringRef name : kImplNames)
    out += (out.empty() ? "" : ", ") + name.str();
  return out;
}

const char *dmc::nn::whyNotDnnl(Operation *node) {
  auto mm = dyn_cast<FusedMatMulOp>(node);
  if (!mm)
    return "only fused matmuls run on oneDNN";
  auto shape = [](Value v) { return cast<sdfg::ArrayType>(v.getType()).getShape(); };
  Shape a = shape(mm.getInputs()[0]), b = shape(mm.getInputs()[1]), c = shape(mm.getOutputs()[0]);
  if (c.size() > 12)
    return "oneDNN takes at most 12 dims";
  if (a.size() != c.size() || !std::equal(a.begin(), a.end() - 2, c.begin()))
    return "A's batch dims are not C's (oneDNN's matmul broadcasts only B)";
  if (b.size() != 2 && (b.size() != c.size() || !std::equal(b.begin(), b.end() - 2, c.begin())))
    return "B's batch dims are neither none nor C's";
  if (mm.getHasPre() && mm.getPreScale().isZero())
    return "a bias scaled by 0";
  if (mm.getHasPost() && !mm.getPostScale().isExactlyValue(1.0))
    return "a residual scaled other than by 1 (oneDNN's post-ops take one linear scaling)";
  return nullptr;
}

ArrayRef<StringRef> dmc::nn::tileParameterNames(Operation *node) {
  static const StringRef gemm[] = {"m", "n", "k"}, attention[] = {"q", "k"}, rows[] = {"rows"};
  if (isa<MatMulOp, GemmOp, FusedMatMulOp>(node))
    return gemm;
  if (isa<AttentionOp>(node))
    return attention;
  if (isa<SoftmaxOp, LayerNormOp, ReduceSumOp, ReduceMaxOp, ReduceMeanOp>(node))
    return rows;
  return {};
}

int64_t dmc::nn::getTileParameter(Operation *node, StringRef name) {
  auto tiles = node->getAttrOfType<DictionaryAttr>(kTilesAttrName);
  auto value = tiles ? tiles.getAs<IntegerAttr>(name) : nullptr;
  return value ? value.getInt() : 0;
}

StringRef dmc::nn::getImpl(Operation *node) {
  auto impl = node->getAttrOfType<StringAttr>(kImplAttrName);
  return impl ? impl.getValue() : StringRef();
}
