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
