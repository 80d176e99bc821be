//===- MapNests.h - perfect map nests, their legality and rebuilding -------===//
//
// What interchange-maps, tile-maps and collapse-maps share: a perfect nest is a map directly in a state
// whose body is exactly one map, and so on down to a body of loads, stores and tasklets, with constant
// bounds. Reordering its iterations is legal when they commute; the nest is then rebuilt level by level
// from a description of its new parameters.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_ANALYSIS_MAPNESTS_H
#define DMC_PASSES_ANALYSIS_MAPNESTS_H

#include "dialects/SDFG/SDFGOps.h"

#include <optional>

namespace dmc {

struct NestParam {
  mlir::Value value;
  int64_t lower, upper, step;
  sdfg::Schedule schedule; // of the map that declares it
  bool parallel;           // declared by the outermost map, an omp one (nested omp maps run sequentially)
};

struct PerfectNest {
  llvm::SmallVector<sdfg::MapOp> maps; // outermost first
  llvm::SmallVector<NestParam> params; // outermost first
  mlir::Block *body;                   // the innermost body: loads, stores and tasklets only
};

/// Constant iteration count of a map's own space (product of its ranges over steps); nullopt when a
/// bound is not constant.
std::optional<int64_t> constantTripCount(sdfg::MapOp map);

/// The maps directly in states under `root`, in walk order (collected first, so they can be rewritten).
llvm::SmallVector<sdfg::MapOp> topLevelMaps(mlir::Operation *root);

/// The perfect nest rooted at `top` (a map directly in a state) with constant bounds; nullopt otherwise.
std::optional<PerfectNest> perfectNest(sdfg::MapOp top);

/// For each index of a memlet, the position in `params` of the parameter that index is exactly; nullopt
/// when an index is anything else.
std::optional<llvm::SmallVector<unsigned>> paramPositions(mlir::AffineMap map, mlir::ValueRange indices,
                                                          llvm::ArrayRef<NestParam> params);

/// True when `store`, in the nest's body, writes every element of its array: its indices are distinct
/// parameters, each ranging over the whole of its (constant) dim with step 1.
bool storeCoversArray(sdfg::StoreOp store, const PerfectNest &nest);

/// True when the nest's iterations may run in any order and give the same result: every store without
/// wcr is indexed by each parameter alone in some index (distinct iterations write distinct elements),
/// and no load reads a container the body stores to.
bool iterationsCommute(const PerfectNest &nest);

/// True when every store of `body` has an index that is exactly `param`: iterations of `param` write
/// distinct elements, so they may share SIMD lanes.
bool storesIndexedBy(mlir::Block &body, mlir::Value param);

/// One parameter of a rebuilt nest: constant bounds, or bounds offset by an earlier new parameter (a
/// tile's origin). `replaces` is the old parameter it stands for, null for a tile origin.
struct NewParam {
  int64_t lower, upper, step;
  int origin = -1; // index, in nest order, of the earlier NewParam added to both bounds
  mlir::Value replaces;
};

struct NewLevel {
  sdfg::Schedule schedule;
  llvm::SmallVector<NewParam> params;
};

/// Replaces the nest by maps built from `levels` (outermost first) around its body; every old parameter
/// must be replaced by exactly one new one.
void rebuildNest(PerfectNest &nest, llvm::ArrayRef<NewLevel> levels);

} // namespace dmc

#endif
