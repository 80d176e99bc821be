//===- Layout.cpp - transpose, reshape, slice and concat as copy maps -------===//
//
//   transpose: map (out) omp { y[p] = x[p permuted back] }
//   reshape:   a reshape_view of x in y's shape, then map (out) omp { y[p] = view[p] }
//   slice:     map (out) omp { y[p] = x[p + starts] }
//   concat:    per input k, map (shape of k) omp { y[.., p_axis + offset_k, ..] = x_k[p] }
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

using namespace mlir;

namespace dmc::expansions {

bool isLayout(Operation *op) { return isa<nn::TransposeOp, nn::ReshapeOp, nn::SliceOp, nn::ConcatOp>(op); }

namespace {
void copyMap(Expander &e, Value from, Value to, llvm::function_ref<Indices(ValueRange)> fromIndices) {
  e.map(shapeOf(to), sdfg::Schedule::omp, [&](ValueRange p) { e.store(e.load(from, fromIndices(p)), to, identity(p)); });
}
} // namespace

LogicalResult expandLayout(Expander &e) {
  auto node = cast<nn::LibraryNode>(e.node);
  Value out = node.getOutputs()[0];
  Value x = node.getInputs()[0];
  int64_t rank = shapeOf(x).size();

  if (auto t = dyn_cast<nn::TransposeOp>(e.node)) {
    ArrayRef<int64_t> perm = t.getPermutation();
    copyMap(e, x, out, [&](ValueRange p) {
      Indices idx(rank);
      for (int64_t i = 0; i < rank; ++i)
        idx[perm[i]] = {p[i], 0};
      return idx;
    });
    return success();
  }

  if (isa<nn::ReshapeOp>(e.node)) {
    Value view = e.b.create<sdfg::ReshapeViewOp>(e.loc, out.getType(), x);
    copyMap(e, view, out, [&](ValueRange p) { return identity(p); });
    return success();
  }

  if (auto s = dyn_cast<nn::SliceOp>(e.node)) {
    SmallVector<int64_t> start(rank, 0);
    for (auto [axis, st] : llvm::zip(s.getAxes(), s.getStarts()))
      start[*dmc::normalizeAxis(axis, rank)] = st;
    copyMap(e, x, out, [&](ValueRange p) {
      Indices idx = identity(p);
      for (int64_t d = 0; d < rank; ++d)
        idx[d].offset = start[d];
      return idx;
    });
    return success();
  }

  auto c = cast<nn::ConcatOp>(e.node);
  int64_t axis = *dmc::normalizeAxis((int64_t)c.getAxis(), rank);
  int64_t offset = 0;
  for (Value in : c.getInputs()) {
    Shape is = shapeOf(in);
    e.map(is, sdfg::Schedule::omp, [&](ValueRange p) {
      Indices idx = identity(p);
      idx[axis].offset = offset;
      e.store(e.load(in, identity(p)), out, idx);
    });
    offset += is[axis].isSymbolic() ? 0 : is[axis].value; // a symbolic axis dim only with one input
  }
  return success();
}

} // namespace dmc::expansions
