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

StringRef dmc::nn::getImpl(Operation *node) {
  auto impl = node->getAttrOfType<StringAttr>(kImplAttrName);
  return impl ? impl.getValue() : StringRef();
}
