//===- VectorizeInnerMaps.cpp - split the unit-stride innermost dim off ---===//
//
//   map (i, j, k) omp { ... A[.., k] ... }   ==>   map (i, j) omp { map (k) vector { ... } }
//
// The emitter collapses all parameters of an omp map into one parallel loop, whose index arithmetic
// (a division and remainder per dimension and iteration) keeps the compiler from vectorising. With the
// innermost, unit-stride dimension split off into a `vector` map, the parallel loop covers the outer
// dimensions and the inner loop is an `omp simd` loop over contiguous elements.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/MapNests.h"

namespace dmc {
#define GEN_PASS_DEF_VECTORIZEINNERMAPS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
/// True when one of the memlet's indices is exactly `param` (some result is a plain dim bound to it);
/// with `last`, only the last index counts.
bool indexedBy(AffineMap map, ValueRange indices, Value param, bool last) {
  for (unsigned r = last ? map.getNumResults() - 1 : 0; r < map.getNumResults(); ++r) {
    auto d = dyn_cast<AffineDimExpr>(map.getResult(r));
    if (d && indices[d.getPosition()] == param)
      return true;
  }
  return false;
}

bool tryVectorize(sdfg::MapOp m) {
  unsigned n = m.getNumParams();
  if (!isa<sdfg::StateOp>(m->getParentOp()) || m.getSchedule() != sdfg::Schedule::omp || n < 2 ||
      llvm::any_of(m.getSteps(), [](int64_t s) { return s != 1; }))
    return false;
  Value inner = m.getParams()[n - 1];
  bool unitStride = false;
  for (Operation &op : m.getBodyBlock()) {
    if (auto load = dyn_cast<sdfg::LoadOp>(op)) {
      unitStride |= indexedBy(load.getMap(), load.getIndices(), inner, /*last=*/true);
    } else if (auto store = dyn_cast<sdfg::StoreOp>(op)) {
      // SIMD lanes run inner iterations together: each must store its own element, without wcr.
      if (store.getWcr() || !indexedBy(store.getMap(), store.getIndices(), inner, /*last=*/false))
        return false;
      unitStride |= indexedBy(store.getMap(), store.getIndices(), inner, /*last=*/true);
    } else if (!isa<sdfg::TaskletOp>(op)) {
      return false;
    }
  }
  if (!unitStride)
    return false;

  OpBuilder b(m);
  Location loc = m.getLoc();
  AffineMap lb = m.getLowerBounds(), ub = m.getUpperBounds();
  auto outer = b.create<sdfg::MapOp>(loc, lb.getSliceMap(0, n - 1), ub.getSliceMap(0, n - 1),
                                     SmallVector<int64_t>(n - 1, 1), sdfg::Schedule::omp, m.getLowerOperands(),
                                     m.getUpperOperands());
  Block *outerBody = b.createBlock(&outer.getBody());
  for (unsigned i = 0; i + 1 < n; ++i)
    outerBody->addArgument(b.getIndexType(), loc);
  b.setInsertionPointToEnd(outerBody);
  auto vec = b.create<sdfg::MapOp>(loc, lb.getSliceMap(n - 1, 1), ub.getSliceMap(n - 1, 1), SmallVector<int64_t>{1},
                                   sdfg::Schedule::vector, m.getLowerOperands(), m.getUpperOperands());
  Block *vecBody = b.createBlock(&vec.getBody());
  vecBody->addArgument(b.getIndexType(), loc);
  for (unsigned i = 0; i + 1 < n; ++i)
    m.getParams()[i].replaceAllUsesWith(outerBody->getArgument(i));
  inner.replaceAllUsesWith(vecBody->getArgument(0));
  vecBody->getOperations().splice(vecBody->end(), m.getBodyBlock().getOperations());
  m->erase();
  return true;
}

struct VectorizeInnerMaps : dmc::impl::VectorizeInnerMapsBase<VectorizeInnerMaps> {
  dmc::PassStatistic numVectorized{this, "maps-vectorized", "omp maps whose innermost dimension became a vector map"};
  void runOnOperation() override {
    for (sdfg::MapOp m : topLevelMaps(getOperation()))
      numVectorized += tryVectorize(m);
  }
};
} // namespace
