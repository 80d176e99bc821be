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
/// Where a transient of lifetime `scope` lives: the outermost omp map enclosing all its uses, which
/// gives each of its workers a buffer of its own; null when no omp map encloses them all (one buffer
/// per call, as for lifetime `state`).
MapOp getScopeOwner(AllocOp alloc);
/// Proves indices in [0, dim) per dimension of `type`: `low`'s results are the smallest, `high`'s the
/// largest (dims then symbols over `indices`); emits the reason on `op` when it cannot.
mlir::LogicalResult verifyIndexBounds(mlir::Operation *op, ArrayType type, mlir::AffineMap low, mlir::AffineMap high,
                                      mlir::ValueRange indices);
/// Which tile bounds an index operand list may use besides symbols and parameters: none (memlets),
/// tile extents `sdfg.min` (map upper bounds, micro-kernel arguments) or tile starts `sdfg.max` (map
/// lower bounds), defined in an enclosing map body.
enum class TileBounds { none, extents, starts };
/// Index operands of maps, memlets and tile ops must be SDFG symbols or parameters of enclosing maps,
/// or the tile bounds `allowed`.
mlir::LogicalResult verifyIndexOperands(mlir::Operation *op, mlir::ValueRange operands,
                                        TileBounds allowed = TileBounds::none);
/// Rejects divisions and remainders by values that are not provably positive.
mlir::LogicalResult verifyDivisors(mlir::Operation *op, mlir::AffineMap map, mlir::ValueRange operands);
} // namespace dmc::sdfg

#endif
