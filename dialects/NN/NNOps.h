//===- NNOps.h - the nn dialect of library nodes --------------------------===//
#ifndef DMC_NN_OPS_H
#define DMC_NN_OPS_H

#include "dialects/SDFG/SDFGOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace dmc::nn {
/// Read effects on every input container, write effects on every output container.
void getLibraryNodeEffects(
    mlir::Operation *op,
    llvm::SmallVectorImpl<mlir::SideEffects::EffectInstance<mlir::MemoryEffects::Effect>> &effects);
} // namespace dmc::nn

#include "dialects/NN/NNDialect.h.inc"
#include "dialects/NN/NNInterfaces.h.inc"
#define GET_OP_CLASSES
#include "dialects/NN/NNOps.h.inc"

#endif
