//===- StrideCost.cpp - how far a memlet's address jumps per loop step -===//
#include "passes/analysis/StrideCost.h"
#include "dialects/SDFG/Views.h"

#include <cstdlib>

using namespace mlir;

namespace dmc {

namespace {
/// d(expr)/d(param) when it is a constant; nullopt for a non-linear dependence.
std::optional<int64_t> coefficient(AffineExpr expr, ValueRange operands, unsigned numDims, Value param) {
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return operands[d.getPosition()] == param ? 1 : 0;
  if (auto s = dyn_cast<AffineSymbolExpr>(expr))
    return operands[numDims + s.getPosition()] == param ? 1 : 0;
  if (isa<AffineConstantExpr>(expr))
    return 0;
  auto bin = cast<AffineBinaryOpExpr>(expr);
  auto l = coefficient(bin.getLHS(), operands, numDims, param);
  auto r = coefficient(bin.getRHS(), operands, numDims, param);
  if (!l || !r)
    return std::nullopt;
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return *l + *r;
  case AffineExprKind::Mul:
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return *l * c.getValue();
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return *r * c.getValue();
    return (*l == 0 && *r == 0) ? std::optional<int64_t>(0) : std::nullopt;
  default: // floordiv, ceildiv, mod: constant only when the dividend does not depend on param
    return (*l == 0 && *r == 0) ? std::optional<int64_t>(0) : std::nullopt;
  }
}

std::tuple<Value, AffineMap, ValueRange> memletParts(Operation *memlet) {
  if (auto load = dyn_cast<sdfg::LoadOp>(memlet))
    return {load.getArray(), load.getMap(), load.getIndices()};
  auto store = cast<sdfg::StoreOp>(memlet);
  return {store.getArray(), store.getMap(), store.getIndices()};
}
} // namespace

int64_t linearStride(ArrayRef<int64_t> steps, ArrayRef<int64_t> strides) {
  int64_t sum = 0;
  for (auto [step, stride] : llvm::zip(steps, strides))
    sum += step * stride;
  return sum;
}

std::optional<SmallVector<int64_t>> indexSteps(Operation *memlet, Value param) {
  auto [array, map, indices] = memletParts(memlet);
  SmallVector<int64_t> steps;
  for (AffineExpr e : map.getResults()) {
    auto c = coefficient(e, indices, map.getNumDims(), param);
    if (!c)
      return std::nullopt;
    steps.push_back(*c);
  }
  return steps;
}

/// Walks the view chain from the memlet's container towards the root, carrying the index steps; stops
/// at the root or at a reshape view, which `container` is left at.
static std::optional<SmallVector<int64_t>> stepsDownViews(Value &container, SmallVector<int64_t> steps) {
  // Offsets do not change steps.
  container = sdfg::throughTransposesAndSlices(container, steps, [](int64_t step, int64_t) { return step; });
  return steps;
}

std::optional<SmallVector<int64_t>> rootIndexSteps(Operation *memlet, Value param) {
  auto steps = indexSteps(memlet, param);
  if (!steps)
    return std::nullopt;
  Value container = std::get<0>(memletParts(memlet));
  steps = stepsDownViews(container, *steps);
  if (container.getDefiningOp<sdfg::ReshapeViewOp>())
    return std::nullopt;
  return steps;
}

std::optional<SmallVector<int64_t>> stridesInOrder(const Shape &shape, ArrayRef<int64_t> order) {
  SmallVector<int64_t> strides(shape.size(), 0);
  int64_t running = 1;
  for (int64_t i = static_cast<int64_t>(order.size()) - 1; i >= 0; --i) {
    const Dim &d = shape[order[i]];
    if (d.isSymbolic())
      return std::nullopt;
    strides[order[i]] = running;
    running *= d.value;
  }
  return strides;
}

std::optional<int64_t> addressStride(Operation *memlet, Value param) {
  auto steps = indexSteps(memlet, param);
  if (!steps)
    return std::nullopt;
  // The view's own strides in its root (none for a reshape of a strided view, whose rows are not evenly
  // spaced); only constant ones give a distance.
  auto layout = sdfg::stridedLayout(std::get<0>(memletParts(memlet)));
  if (!layout)
    return std::nullopt;
  SmallVector<int64_t> strides;
  for (const Monomial &stride : layout->strides) {
    if (!stride.symbols.empty())
      return std::nullopt;
    strides.push_back(stride.coefficient);
  }
  return linearStride(*steps, strides);
}

double linesPerStep(std::optional<int64_t> stride) {
  if (!stride)
    return 1.0;
  int64_t s = std::llabs(*stride);
  return s >= kLineElements ? 1.0 : static_cast<double>(s) / kLineElements;
}

double nestLinesPerStep(Block &body, Value param) {
  double lines = 0;
  for (Operation &op : body)
    if (isa<sdfg::LoadOp, sdfg::StoreOp>(op))
      lines += linesPerStep(addressStride(&op, param));
  return lines;
}

} // namespace dmc
