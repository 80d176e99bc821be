//===- FuseReductions.cpp - reductions fused with their producer or consumer ===//
//
// A reduce_sum / reduce_max node reads all of X to write a small Y. Two fusions remove one full pass
// over X-sized data, both building the same shape of loop nest: an omp map over X's kept dims, in which
// Y's element is initialised and then accumulated over the reduced dims:
//
//  - producer: the element-wise map P that alone writes X (a private transient read only by the
//    reduction) is evaluated inside the accumulation loop, so X is never stored;
//  - consumer: the element-wise map C over X's space that alone reads Y, at Y's element of its own
//    kept indices, runs after the accumulation inside the same kept iteration, so X's slice is read
//    while it is still in cache and counted once.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"
#include "passes/expansions/Expansions.h"

#include "mlir/IR/IRMapping.h"

#include <limits>

namespace dmc {
#define GEN_PASS_DEF_FUSEREDUCTIONS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;
using namespace dmc::expansions;

namespace {
struct Reduction {
  Operation *node;
  Value x, y;
  SmallVector<bool> reduced; // per dim of x
  bool keepdims;
  bool isMax;

  Shape dims(bool wantReduced) const {
    Shape all = cast<sdfg::ArrayType>(x.getType()).getShape(), out;
    for (size_t d = 0; d < all.size(); ++d)
      if (reduced[d] == wantReduced)
        out.push_back(all[d]);
    return out;
  }
  /// Y's indices for the kept parameters: the kept ones in order, 0 for reduced dims with keepdims.
  Indices yIndices(ValueRange kept) const {
    Indices out;
    size_t k = 0;
    for (size_t d = 0; d < reduced.size(); ++d) {
      if (!reduced[d])
        out.push_back({kept[k++], 0});
      else if (keepdims)
        out.push_back({Value(), 0});
    }
    return out;
  }
  /// Expands kept and reduced parameters back into X's dim order.
  SmallVector<Value> xParams(ValueRange kept, ValueRange red) const {
    SmallVector<Value> out;
    size_t k = 0, r = 0;
    for (size_t d = 0; d < reduced.size(); ++d)
      out.push_back(reduced[d] ? red[r++] : kept[k++]);
    return out;
  }
};

std::optional<Reduction> asReduction(Operation *op) {
  ArrayRef<int64_t> axes;
  bool keepdims, isMax = isa<nn::ReduceMaxOp>(op);
  if (auto r = dyn_cast<nn::ReduceSumOp>(op))
    axes = r.getAxes(), keepdims = r.getKeepdims();
  else if (auto r = dyn_cast<nn::ReduceMaxOp>(op))
    axes = r.getAxes(), keepdims = r.getKeepdims();
  else
    return std::nullopt; // reduce_mean would need a final division: not fused
  auto node = cast<nn::LibraryNode>(op);
  Reduction red{op, node.getInputs()[0], node.getOutputs()[0], {}, keepdims, isMax};
  int64_t rank = cast<sdfg::ArrayType>(red.x.getType()).getRank();
  red.reduced.assign(rank, axes.empty()); // no axes: every dim (ONNX)
  for (int64_t a : axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return std::nullopt;
    red.reduced[*axis] = true;
  }
  return red;
}

/// A map directly in a state with unit steps whose space is exactly `shape` ([0, d) per dim, symbolic
/// dims bounded by their symbol) and whose body is only loads, stores and tasklets.
bool spansShape(sdfg::MapOp m, const Shape &shape) {
  if (!isSimpleMap(m) || m.getNumParams() != shape.size())
    return false;
  auto sdfg = m->getParentOfType<sdfg::SDFGOp>();
  for (size_t d = 0; d < shape.size(); ++d) {
    auto lb = dyn_cast<AffineConstantExpr>(m.getLowerBounds().getResult(d));
    if (!lb || lb.getValue() != 0)
      return false;
    AffineExpr ub = m.getUpperBounds().getResult(d);
    if (shape[d].isSymbolic()) {
      auto dim = dyn_cast<AffineDimExpr>(ub);
      if (!dim || m.getUpperOperands()[dim.getPosition()] != sdfg.lookupSymbolArg(shape[d].symbol))
        return false;
    } else if (auto c = dyn_cast<AffineConstantExpr>(ub); !c || c.getValue() != shape[d].value) {
      return false;
    }
  }
  return true;
}

/// The memlet's indices are exactly `want` (a null value: the constant 0).
bool indexesAre(AffineMap map, ValueRange operands, ArrayRef<Value> want) {
  if (map.getNumResults() != want.size())
    return false;
  for (auto [r, w] : llvm::zip(map.getResults(), want)) {
    if (!w) {
      auto c = dyn_cast<AffineConstantExpr>(r);
      if (!c || c.getValue() != 0)
        return false;
    } else {
      auto d = dyn_cast<AffineDimExpr>(r);
      if (!d || operands[d.getPosition()] != w)
        return false;
    }
  }
  return true;
}

/// The top-level map holding every use of `v` other than `except`, when all of them are ops of `kind`
/// directly in that map's body.
template <typename Kind>
sdfg::MapOp soleMapUser(Value v, Operation *except, SmallVectorImpl<Kind> &uses) {
  sdfg::MapOp map;
  for (Operation *user : v.getUsers()) {
    if (user == except)
      continue;
    auto use = dyn_cast<Kind>(user);
    auto parent = use ? dyn_cast<sdfg::MapOp>(user->getParentOp()) : sdfg::MapOp();
    if (!parent || (map && map != parent))
      return {};
    map = parent;
    uses.push_back(use);
  }
  return map;
}

/// Opens the kept-dims map at the builder's position, initialises Y and accumulates into it over the
/// reduced dims; `element` builds the accumulated value from X's indices. Then calls `after` in the
/// kept iteration.
void buildReduction(Expander &e, const Reduction &r, function_ref<Value(ArrayRef<Value>)> element,
                    function_ref<void(ValueRange)> after) {
  Type type = cast<sdfg::ArrayType>(r.y.getType()).getElementType();
  double neutral = r.isMax ? -std::numeric_limits<double>::infinity() : 0.0;
  e.map(r.dims(false), sdfg::Schedule::omp, [&](ValueRange kept) {
    Value init = e.tasklet1({}, [&](OpBuilder &bb, ValueRange) -> SmallVector<Value> {
      return {floatConst(bb, e.loc, type, neutral)};
    });
    e.store(init, r.y, r.yIndices(kept));
    e.map(r.dims(true), sdfg::Schedule::sequential, [&](ValueRange red) {
      e.store(element(r.xParams(kept, red)), r.y, r.yIndices(kept), r.isMax ? sdfg::WCR::max : sdfg::WCR::sum);
    });
    after(kept);
  });
}

/// Clones `map`'s body (except `skip`) at the builder's position with its parameters replaced.
void cloneBody(OpBuilder &b, sdfg::MapOp map, ArrayRef<Value> params, IRMapping &mapping, Operation *skip) {
  for (auto [from, to] : llvm::zip(map.getParams(), params))
    mapping.map(from, to);
  for (Operation &op : map.getBodyBlock())
    if (&op != skip)
      b.clone(op, mapping);
}

bool fuseProducer(const Reduction &r, llvm::StringSet<> &names) {
  if (!isPrivateTransient(r.x))
    return false;
  SmallVector<sdfg::StoreOp> stores;
  sdfg::MapOp p = soleMapUser(r.x, r.node, stores);
  Shape xs = cast<sdfg::ArrayType>(r.x.getType()).getShape();
  if (!p || stores.size() != 1 || stores[0].getWcr() || !spansShape(p, xs) || p->getBlock() != r.node->getBlock() ||
      !p->isBeforeInBlock(r.node))
    return false;
  SmallVector<Value> params(p.getParams().begin(), p.getParams().end());
  if (!indexesAre(stores[0].getMap(), stores[0].getIndices(), params))
    return false;
  // P's reads move down to the reduction; Y is written where it was.
  SmallVector<Value> reads;
  p->walk([&](sdfg::LoadOp l) { reads.push_back(rootOf(l.getArray())); });
  if (!rangeIsIndependent(p, r.node, reads, {}) || llvm::is_contained(reads, rootOf(r.y)))
    return false;
  Expander e(r.node, names);
  buildReduction(e, r, [&](ArrayRef<Value> xParams) {
    IRMapping mapping;
    cloneBody(e.b, p, xParams, mapping, stores[0]);
    return mapping.lookupOrDefault(stores[0].getValue());
  }, [](ValueRange) {});
  Operation *alloc = r.x.getDefiningOp();
  r.node->erase();
  p->erase();
  alloc->erase();
  return true;
}

bool fuseConsumer(const Reduction &r, llvm::StringSet<> &names) {
  if (!isPrivateTransient(r.y))
    return false;
  SmallVector<sdfg::LoadOp> loads;
  sdfg::MapOp c = soleMapUser(r.y, r.node, loads);
  Shape xs = cast<sdfg::ArrayType>(r.x.getType()).getShape();
  if (!c || !spansShape(c, xs) || c->getBlock() != r.node->getBlock() || !r.node->isBeforeInBlock(c))
    return false;
  // Every read of Y is Y's element of the map's own kept indices.
  SmallVector<Value> keptParams, want;
  for (size_t d = 0; d < r.reduced.size(); ++d)
    if (!r.reduced[d])
      keptParams.push_back(c.getParams()[d]);
  for (const Index &i : r.yIndices(keptParams))
    want.push_back(i.param);
  for (sdfg::LoadOp l : loads)
    if (!indexesAre(l.getMap(), l.getIndices(), want))
      return false;
  // C must not write X or Y; the reduction's read of X and write of Y move down to C.
  bool writesInputs = false;
  c->walk([&](sdfg::StoreOp s) { writesInputs |= rootOf(s.getArray()) == rootOf(r.x) || rootOf(s.getArray()) == rootOf(r.y); });
  if (writesInputs || !rangeIsIndependent(r.node, c, {rootOf(r.x)}, {rootOf(r.y)}))
    return false;
  Expander e(c, names);
  buildReduction(e, r, [&](ArrayRef<Value> xParams) {
    Indices idx;
    for (Value v : xParams)
      idx.push_back({v, 0});
    return e.load(r.x, idx);
  }, [&](ValueRange kept) {
    e.map(r.dims(true), sdfg::Schedule::sequential, [&](ValueRange red) {
      IRMapping mapping;
      cloneBody(e.b, c, r.xParams(kept, red), mapping, nullptr);
    });
  });
  r.node->erase();
  c->erase();
  return true;
}

struct FuseReductions : dmc::impl::FuseReductionsBase<FuseReductions> {
  dmc::PassStatistic numProducers{this, "producers-fused", "reductions fused with the map producing their input"};
  dmc::PassStatistic numConsumers{this, "consumers-fused", "reductions fused with the map consuming their output"};
  void runOnOperation() override {
    llvm::StringSet<> names; // no transients are created
    SmallVector<Operation *> nodes;
    getOperation().walk([&](Operation *op) {
      if (isa<nn::ReduceSumOp, nn::ReduceMaxOp>(op))
        nodes.push_back(op);
    });
    // Each fusion erases its own reduction and map only.
    for (Operation *op : nodes) {
      std::optional<Reduction> r = asReduction(op);
      if (!r)
        continue;
      if (fuseProducer(*r, names))
        ++numProducers;
      else if (fuseConsumer(*r, names))
        ++numConsumers;
    }
  }
};
} // namespace
