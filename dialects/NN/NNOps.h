//===- NNOps.h - the nn dialect of library nodes --------------------------===//
#ifndef DMC_NN_OPS_H
#define DMC_NN_OPS_H

#include "dialects/SDFG/SDFGOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace dmc::nn {
/// The discardable attribute that chooses how a library node is implemented (`impl = "pure"`): written by
/// --choose-implementations or the graph file, read by --expand-library-nodes. Values: `pure` (maps and
/// tasklets), `tiled` (tile nests or the tiled form) and `library` (left as a runtime call).
inline constexpr llvm::StringLiteral kImplAttrName = "impl";
inline constexpr llvm::StringLiteral kImplNames[] = {"pure", "tiled", "library"};
inline bool isImplName(llvm::StringRef name) { return llvm::is_contained(kImplNames, name); }
/// The names above as "pure, tiled, library", for diagnostics.
std::string implNamesList();
/// The node's `impl` attribute, or "" when it has none.
llvm::StringRef getImpl(mlir::Operation *node);

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
