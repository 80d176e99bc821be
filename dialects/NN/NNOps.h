//===- NNOps.h - the nn dialect of library nodes --------------------------===//
#ifndef DMC_NN_OPS_H
#define DMC_NN_OPS_H

#include "dialects/SDFG/SDFGOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace dmc::nn {
/// The discardable attribute that chooses how a library node is implemented (`impl = "pure"`): written by
/// --choose-implementations or the graph file, read by --expand-library-nodes. Values: `pure` (maps and
/// tasklets), `tiled` (tile nests or the tiled form), `library` (left as a runtime call) and `dnnl` (a
/// fused matmul left as a call of oneDNN's matmul primitive, through the runtime).
inline constexpr llvm::StringLiteral kImplAttrName = "impl";
inline constexpr llvm::StringLiteral kDnnlImpl = "dnnl";
inline constexpr llvm::StringLiteral kImplNames[] = {"pure", "tiled", "library", kDnnlImpl};
inline bool isImplName(llvm::StringRef name) { return llvm::is_contained(kImplNames, name); }
/// Whether a node of this implementation stays a node and becomes a runtime call (library, dnnl).
inline bool isRuntimeCallImpl(llvm::StringRef impl) { return impl == "library" || impl == kDnnlImpl; }
/// Why a fused matmul cannot run on oneDNN's matmul primitive (`dnnl`), or null when it can: C's batch
/// dims must be A's (A not broadcast), B's those or none, at most 12 dims, a bias not scaled by 0 and a
/// residual scaled by 1.
const char *whyNotDnnl(mlir::Operation *node);
/// The names above as "pure, tiled, library", for diagnostics.
std::string implNamesList();
/// The node's `impl` attribute, or "" when it has none.
llvm::StringRef getImpl(mlir::Operation *node);

/// The discardable attribute with a node's block sizes for its tiled implementation (`tiles = {m = 48 :
/// i64, n = 256 : i64, k = 256 : i64}`): written by --apply-tuned-choices (or by hand), read by
/// --expand-library-nodes, where each overrides the pass option of the same block. Its keys are
/// tileParameterNames' for the op: GEMMs m, n, k (tile-m/n/k); attention q, k (attention-block-q/k);
/// softmax, layer norm and reductions rows (row-block). Values are positive integers.
inline constexpr llvm::StringLiteral kTilesAttrName = "tiles";
/// The keys `tiles` may have on `node`; empty for a node without a tiled implementation with blocks.
llvm::ArrayRef<llvm::StringRef> tileParameterNames(mlir::Operation *node);
/// The node's value of tile parameter `name`, or 0 when its `tiles` does not give one.
int64_t getTileParameter(mlir::Operation *node, llvm::StringRef name);

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
