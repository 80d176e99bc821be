//===- WriteOwnership.cpp - which iteration of a parallel map owns an element =//
#include "dialects/SDFG/WriteOwnership.h"

using namespace mlir;

namespace dmc::sdfg {

/// True when `param` (of some map) ranges over [origin, origin + step of origin): the tile of a tile
/// origin of the parallel map `owner`, which distinct origins never share.
static bool isTileOf(Value param, BlockArgument origin, MapOp owner) {
  auto arg = dyn_cast<BlockArgument>(param);
  auto map = arg ? dyn_cast<MapOp>(arg.getOwner()->getParentOp()) : MapOp();
  if (!map)
    return false;
  unsigned i = arg.getArgNumber();
  AffineExpr lb = map.getLowerBounds().getResult(i), ub = map.getUpperBounds().getResult(i);
  auto d = dyn_cast<AffineDimExpr>(lb);
  if (!d || map.getLowerOperands()[d.getPosition()] != origin)
    return false;
  int64_t step = owner.getSteps()[origin.getArgNumber()];
  for (unsigned k = 0; k < map.getUpperOperands().size(); ++k)
    if (map.getUpperOperands()[k] == origin && ub == getAffineDimExpr(k, map.getContext()) + step)
      return true;
  return false;
}

bool isOwnedByIterationOf(StoreOp store, MapOp owner) {
  return llvm::all_of(owner.getParams(), [&](BlockArgument param) {
    return llvm::any_of(store.getMap().getResults(), [&](AffineExpr e) {
      auto d = dyn_cast<AffineDimExpr>(e);
      if (!d)
        return false;
      Value index = store.getIndices()[d.getPosition()];
      return index == param || isTileOf(index, param, owner);
    });
  });
}

bool isOwnedByIteration(StoreOp store) {
  for (auto map = store->getParentOfType<MapOp>(); map; map = map->getParentOfType<MapOp>())
    if (map.getSchedule() == Schedule::omp && !isOwnedByIterationOf(store, map))
      return false;
  return true;
}

} // namespace dmc::sdfg
