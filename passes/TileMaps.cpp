//===- TileMaps.cpp - rectangular tiling of perfect map nests --------------===//
//
//   map (i) omp { map (k) { map (j) vector { C[i, j] += A[i, k] * B[k, j] } } }
//     ==>  map (io) omp step T { map (ko) step T {
//            map (i) = (io) to (io + T) { map (k) = (ko) to (ko + T) { map (j) vector { ... } } } } }
//
// Every parameter but the innermost whose constant range is a multiple of the tile size (and longer)
// is split into a tile origin and a parameter inside the tile. The origins run outside, in the nest's
// order (the parallel ones stay parallel), the tiles inside: a tile of B is reused by T rows of A
// while it is in cache. The innermost parameter keeps its whole unit-stride range for vectorisation.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/MapNests.h"

namespace dmc {
#define GEN_PASS_DEF_TILEMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
bool tryTile(sdfg::MapOp top, int64_t tile) {
  auto nest = perfectNest(top);
  if (!nest || tile < 2)
    return false;
  size_t n = nest->params.size();
  auto tiled = [&](size_t i) {
    const NestParam &p = nest->params[i];
    int64_t extent = p.upper - p.lower;
    return i + 1 < n && p.step == 1 && extent > tile && extent % tile == 0;
  };
  bool any = false;
  for (size_t i = 0; i < n; ++i)
    any |= tiled(i);
  if (!any || !iterationsCommute(*nest))
    return false;

  // Origins: the omp level keeps its untiled parameters (but the innermost) and gets the origins of its
  // tiled ones; the tiled sequential parameters get a sequential level of origins.
  NewLevel parallelOrigins{sdfg::Schedule::omp, {}}, sequentialOrigins{sdfg::Schedule::sequential, {}};
  SmallVector<int> originOf(n, -1); // index of the tile origin, in creation order, for tiled parameters
  SmallVector<size_t> sequentialTiled;
  for (size_t i = 0; i < n; ++i) {
    const NestParam &p = nest->params[i];
    if (tiled(i) && p.parallel) {
      originOf[i] = parallelOrigins.params.size();
      parallelOrigins.params.push_back({p.lower, p.upper, tile, -1, Value()});
    } else if (tiled(i)) {
      sequentialTiled.push_back(i);
      sequentialOrigins.params.push_back({p.lower, p.upper, tile, -1, Value()});
    } else if (p.parallel && i + 1 < n) {
      parallelOrigins.params.push_back({p.lower, p.upper, p.step, -1, p.value});
    }
  }
  for (auto [k, i] : llvm::enumerate(sequentialTiled)) // the sequential level is created second
    originOf[i] = parallelOrigins.params.size() + k;
  // Inside a tile: one level per old map (parallel ones become sequential: their tiles are the parallel
  // work), the tiled parameters ranging over [origin, origin + T).
  SmallVector<NewLevel> levels;
  for (NewLevel *level : {&parallelOrigins, &sequentialOrigins})
    if (!level->params.empty())
      levels.push_back(*level);
  size_t i = 0;
  for (sdfg::MapOp m : nest->maps) {
    NewLevel level{m.getSchedule() == sdfg::Schedule::omp ? sdfg::Schedule::sequential : m.getSchedule(), {}};
    for (unsigned k = 0; k < m.getNumParams(); ++k, ++i) {
      const NestParam &p = nest->params[i];
      if (tiled(i))
        level.params.push_back({0, tile, 1, originOf[i], p.value});
      else if (!p.parallel || i + 1 == n) // the innermost parameter stays innermost
        level.params.push_back({p.lower, p.upper, p.step, -1, p.value});
    }
    if (!level.params.empty())
      levels.push_back(level);
  }
  rebuildNest(*nest, levels);
  return true;
}

struct TileMaps : dmc::impl::TileMapsBase<TileMaps> {
  using TileMapsBase::TileMapsBase;
  dmc::PassStatistic numTiled{this, "nests-tiled", "map nests tiled"};
  void runOnOperation() override {
    for (sdfg::MapOp m : topLevelMaps(getOperation()))
      numTiled += tryTile(m, tileSize);
  }
};
} // namespace
