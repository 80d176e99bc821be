//===- SDFGOps.h - sdfg operations ----------------------------------------===//
#ifndef DMC_SDFG_OPS_H
#define DMC_SDFG_OPS_H

#include "dialects/SDFG/SDFGDialect.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace dmc::sdfg { class StateOp; class EdgeOp; }
#define GET_OP_CLASSES
#include "dialects/SDFG/SDFGOps.h.inc"

namespace dmc::sdfg {
/// Checks a region of scalar arith/math ops ending in sdfg.yield of `yielded` types (tasklet bodies,
/// edge conditions and assignments).
mlir::LogicalResult verifyScalarRegion(mlir::Operation *owner, mlir::Region &region,
                                       mlir::TypeRange yielded);
/// The sdfg.sdfg enclosing `op`, or null.
SDFGOp getEnclosingSDFG(mlir::Operation *op);
/// When `container` is an input argument of its SDFG or a view of one, that argument's name; else empty.
llvm::StringRef getInputContainerName(mlir::Value container);
} // namespace dmc::sdfg

#endif
