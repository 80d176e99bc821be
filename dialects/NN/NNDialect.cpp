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
