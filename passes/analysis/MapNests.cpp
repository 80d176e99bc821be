//===- MapNests.cpp - perfect map nests, their legality and rebuilding -----===//
#include "passes/analysis/MapNests.h"
#include "passes/analysis/Containers.h"

using namespace mlir;

namespace dmc {

std::optional<int64_t> constantTripCount(sdfg::MapOp map) {
  int64_t count = 1;
  for (unsigned i = 0; i < map.getNumParams(); ++i) {
    auto lb = dyn_cast<AffineConstantExpr>(map.getLowerBounds().getResult(i));
    auto ub = dyn_cast<AffineConstantExpr>(map.getUpperBounds().getResult(i));
    if (!lb || !ub)
      return std::nullopt;
    int64_t step = map.getSteps()[i];
    count *= std::max<int64_t>(0, (ub.getValue() - lb.getValue() + step - 1) / step);
  }
  return count;
}

SmallVector<sdfg::MapOp> topLevelMaps(Operation *root) {
  SmallVector<sdfg::MapOp> tops;
  root->walk([&](sdfg::MapOp m) {
    if (isa<sdfg::StateOp>(m->getParentOp()))
      tops.push_back(m);
  });
  return tops;
}

std::optional<PerfectNest> perfectNest(sdfg::MapOp top) {
  if (!isa<sdfg::StateOp>(top->getParentOp()))
    return std::nullopt;
  PerfectNest nest;
  sdfg::MapOp m = top;
  while (true) {
    nest.maps.push_back(m);
    for (unsigned i = 0; i < m.getNumParams(); ++i) {
      auto lb = dyn_cast<AffineConstantExpr>(m.getLowerBounds().getResult(i));
      auto ub = dyn_cast<AffineConstantExpr>(m.getUpperBounds().getResult(i));
      if (!lb || !ub)
        return std::nullopt;
      bool parallel = m == top && m.getSchedule() == sdfg::Schedule::omp;
      nest.params.push_back({m.getParams()[i], lb.getValue(), ub.getValue(), m.getSteps()[i], m.getSchedule(), parallel});
    }
    Block &body = m.getBodyBlock();
    auto inner = body.getOperations().size() == 1 ? dyn_cast<sdfg::MapOp>(body.front()) : sdfg::MapOp();
    if (!inner)
      break;
    m = inner;
  }
  nest.body = &m.getBodyBlock();
  for (Operation &op : *nest.body)
    if (!isa<sdfg::LoadOp, sdfg::StoreOp, sdfg::TaskletOp>(op))
      return std::nullopt;
  return nest;
}

std::optional<SmallVector<unsigned>> paramPositions(AffineMap map, ValueRange indices, ArrayRef<NestParam> params) {
  SmallVector<unsigned> positions;
  for (AffineExpr e : map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d)
      return std::nullopt;
    auto it = llvm::find_if(params, [&](const NestParam &p) { return p.value == indices[d.getPosition()]; });
    if (it == params.end())
      return std::nullopt;
    positions.push_back(it - params.begin());
  }
  return positions;
}

bool storeCoversArray(sdfg::StoreOp store, const PerfectNest &nest) {
  auto positions = paramPositions(store.getMap(), store.getIndices(), nest.params);
  if (!positions || llvm::SmallDenseSet<unsigned>(positions->begin(), positions->end()).size() != positions->size())
    return false;
  Shape shape = store.getArray().getType().getShape();
  return llvm::all_of(llvm::enumerate(*positions), [&](auto dimAndParam) {
    const NestParam &param = nest.params[dimAndParam.value()];
    const Dim &dim = shape[dimAndParam.index()];
    return !dim.isSymbolic() && param.lower == 0 && param.step == 1 && param.upper == dim.value;
  });
}

static bool indexIsExactly(sdfg::StoreOp store, Value param) {
  return llvm::any_of(store.getMap().getResults(), [&](AffineExpr e) {
    auto d = dyn_cast<AffineDimExpr>(e);
    return d && store.getIndices()[d.getPosition()] == param;
  });
}

bool storesIndexedBy(Block &body, Value param) {
  for (Operation &op : body)
    if (auto store = dyn_cast<sdfg::StoreOp>(op); store && !indexIsExactly(store, param))
      return false;
  return true;
}

bool iterationsCommute(const PerfectNest &nest) {
  llvm::SmallPtrSet<Value, 8> stored;
  for (Operation &op : *nest.body) {
    auto store = dyn_cast<sdfg::StoreOp>(op);
    if (!store)
      continue;
    stored.insert(rootOf(store.getArray()));
    if (!store.getWcr() && !llvm::all_of(nest.params, [&](const NestParam &p) { return indexIsExactly(store, p.value); }))
      return false;
  }
  for (Operation &op : *nest.body)
    if (auto load = dyn_cast<sdfg::LoadOp>(op); load && stored.contains(rootOf(load.getArray())))
      return false;
  return true;
}

void rebuildNest(PerfectNest &nest, ArrayRef<NewLevel> levels) {
  sdfg::MapOp top = nest.maps.front();
  OpBuilder b(top);
  Location loc = top.getLoc();
  MLIRContext *ctx = top.getContext();
  SmallVector<Value> created; // every new parameter, in nest order
  for (const NewLevel &level : levels) {
    // Bounds: a constant, or dim k (an origin among this level's operands) plus a constant.
    SmallVector<Value> operands;
    SmallVector<AffineExpr> lbs, ubs;
    SmallVector<int64_t> steps;
    for (const NewParam &p : level.params) {
      AffineExpr base = getAffineConstantExpr(0, ctx);
      if (p.origin >= 0) {
        Value origin = created[p.origin];
        auto it = llvm::find(operands, origin);
        unsigned pos = it - operands.begin();
        if (it == operands.end())
          operands.push_back(origin);
        base = getAffineDimExpr(pos, ctx);
      }
      lbs.push_back(base + p.lower);
      ubs.push_back(base + p.upper);
      steps.push_back(p.step);
    }
    auto lbMap = AffineMap::get(operands.size(), 0, lbs, ctx);
    auto ubMap = AffineMap::get(operands.size(), 0, ubs, ctx);
    auto map = b.create<sdfg::MapOp>(loc, lbMap, ubMap, steps, level.schedule, operands, operands);
    Block *body = b.createBlock(&map.getBody());
    for (const NewParam &p : level.params) {
      Value arg = body->addArgument(b.getIndexType(), loc);
      created.push_back(arg);
      if (Value old = p.replaces)
        old.replaceAllUsesWith(arg);
    }
    b.setInsertionPointToEnd(body);
  }
  Block *innermost = b.getInsertionBlock();
  innermost->getOperations().splice(innermost->end(), nest.body->getOperations());
  top->erase();
  nest.maps.clear();
  nest.body = innermost;
}

} // namespace dmc
