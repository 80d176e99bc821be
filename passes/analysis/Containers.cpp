//===- Containers.cpp - views, roots and accesses, for legality checks -----===//
#include "passes/analysis/Containers.h"
#include "passes/analysis/MapNests.h"

#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SubsetPropagation.h"

using namespace mlir;

namespace dmc {

bool isPrivateTransient(Value v) {
  auto alloc = v.getDefiningOp<sdfg::AllocOp>();
  return alloc && alloc.getLifetime() != sdfg::Lifetime::persistent;
}

Operation *soleOtherUser(Value v, Operation *except) {
  Operation *other = nullptr;
  for (Operation *user : v.getUsers()) {
    if (user == except)
      continue;
    if (other && other != user)
      return nullptr;
    other = user;
  }
  return other;
}

bool isSimpleMap(sdfg::MapOp m) {
  if (!isa<sdfg::StateOp>(m->getParentOp()) || llvm::any_of(m.getSteps(), [](int64_t s) { return s != 1; }))
    return false;
  for (Operation &op : m.getBodyBlock())
    if (!isa<sdfg::LoadOp, sdfg::StoreOp, sdfg::TaskletOp>(op))
      return false;
  return true;
}

bool sameSpace(sdfg::MapOp a, sdfg::MapOp b) {
  return a.getNumParams() == b.getNumParams() && a.getLowerBounds() == b.getLowerBounds() &&
         a.getUpperBounds() == b.getUpperBounds() && a.getSteps() == b.getSteps() &&
         a.getSchedule() == b.getSchedule() && llvm::equal(a.getLowerOperands(), b.getLowerOperands()) &&
         llvm::equal(a.getUpperOperands(), b.getUpperOperands());
}

bool collectAccesses(Operation *op, llvm::SmallPtrSetImpl<Value> &reads, llvm::SmallPtrSetImpl<Value> &writes) {
  if (isView(op))
    return true;
  if (auto node = dyn_cast<nn::LibraryNode>(op)) {
    for (Value v : node.getInputs())
      reads.insert(rootOf(v));
    for (Value v : node.getOutputs())
      writes.insert(rootOf(v));
    return true;
  }
  if (auto copy = dyn_cast<sdfg::CopyOp>(op)) {
    reads.insert(rootOf(copy.getSource()));
    writes.insert(rootOf(copy.getDest()));
    return true;
  }
  if (isa<sdfg::MapOp>(op)) {
    op->walk([&](sdfg::LoadOp l) { reads.insert(rootOf(l.getArray())); });
    op->walk([&](sdfg::StoreOp s) {
      writes.insert(rootOf(s.getArray()));
      if (s.getWcr())
        reads.insert(rootOf(s.getArray()));
    });
    // A micro-kernel reads its inputs' tiles and reads and updates its outputs' (sdfg.ukernel).
    op->walk([&](sdfg::UKernelOp call) {
      for (Value v : call.getInputs())
        reads.insert(rootOf(v));
      for (Value v : call.getOutputs()) {
        reads.insert(rootOf(v));
        writes.insert(rootOf(v));
      }
    });
    return true;
  }
  return false;
}

bool rangeIsIndependent(Operation *from, Operation *to, ArrayRef<Value> readRoots, ArrayRef<Value> writtenRoots) {
  if (from->getBlock() != to->getBlock() || !from->isBeforeInBlock(to))
    return false;
  for (Operation *op = from->getNextNode(); op != to; op = op->getNextNode()) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    if (!collectAccesses(op, reads, writes))
      return false;
    for (Value r : readRoots)
      if (writes.contains(r))
        return false;
    for (Value w : writtenRoots)
      if (reads.contains(w) || writes.contains(w))
        return false;
  }
  return true;
}

/// The ops directly in a state holding a use of `root` or of a view of it for which `keep(use)` holds,
/// each once. Views are followed through their source operand; they access nothing themselves.
template <typename KeepUse>
static SmallVector<Operation *> stateOpsWithUses(Value root, KeepUse keep) {
  SmallVector<Operation *> ops;
  llvm::SmallPtrSet<Operation *, 8> seen;
  SmallVector<Value> values{root};
  while (!values.empty()) {
    Value v = values.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isView(user) && use.getOperandNumber() == 0) {
        values.push_back(user->getResult(0));
        continue;
      }
      if (!keep(use))
        continue;
      Operation *op = user;
      while (op && !isa_and_nonnull<sdfg::StateOp>(op->getParentOp()))
        op = op->getParentOp();
      if (op && seen.insert(op).second)
        ops.push_back(op);
    }
  }
  return ops;
}

SmallVector<Operation *> stateOpsUsing(Value root) {
  return stateOpsWithUses(root, [](OpOperand &) { return true; });
}

/// Whether `use` may write its container: a store's array, a library node's output, a copy's
/// destination, or any use whose meaning is not known here.
static bool mayWriteThrough(OpOperand &use) {
  Operation *user = use.getOwner();
  if (isa<sdfg::LoadOp>(user))
    return false;
  if (auto node = dyn_cast<nn::LibraryNode>(user))
    return llvm::is_contained(node.getOutputs(), use.get());
  if (auto copy = dyn_cast<sdfg::CopyOp>(user))
    return use.get() == copy.getDest();
  return true;
}

SmallVector<Operation *> stateOpsWriting(Value root) { return stateOpsWithUses(root, mayWriteThrough); }

SmallVector<Operation *> accessesInOneState(Value root) {
  SmallVector<Operation *> ops = stateOpsUsing(root);
  for (Operation *op : ops) {
    llvm::SmallPtrSet<Value, 8> reads, writes;
    // An op that uses the container without a known access to it could touch it in any way.
    if (!collectAccesses(op, reads, writes) || (!reads.contains(root) && !writes.contains(root)))
      return {};
    if (op->getBlock() != ops.front()->getBlock())
      return {};
  }
  llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ops;
}

/// A map nest that stores every element of `root` directly, without wcr, and loads none of it.
static bool mapWritesAll(sdfg::MapOp map, Value root) {
  auto nest = perfectNest(map);
  if (!nest)
    return false;
  bool stored = false;
  for (Operation &inner : *nest->body) {
    if (auto load = dyn_cast<sdfg::LoadOp>(inner); load && rootOf(load.getArray()) == root)
      return false;
    auto store = dyn_cast<sdfg::StoreOp>(inner);
    if (!store || rootOf(store.getArray()) != root)
      continue;
    if (store.getArray() != root || store.getWcr() || !storeCoversArray(store, *nest))
      return false;
    stored = true;
  }
  return stored;
}

namespace {
/// The map whose parameter `v` is, and its position, when that map lies inside `top` (or is it).
std::pair<sdfg::MapOp, unsigned> paramOf(Value v, sdfg::MapOp top) {
  auto arg = dyn_cast<BlockArgument>(v);
  auto map = arg ? dyn_cast<sdfg::MapOp>(arg.getOwner()->getParentOp()) : sdfg::MapOp();
  if (!map || !top->isAncestor(map))
    return {};
  return {map, arg.getArgNumber()};
}

/// Whether `e` over `operands` is exactly the dimension `d` (a constant, or its symbol).
bool isDim(AffineExpr e, ValueRange operands, unsigned numDims, const Dim &d, sdfg::SDFGOp sdfg) {
  auto linear = sdfg::toLinear(e, operands, numDims);
  if (!linear)
    return false;
  if (!d.isSymbolic())
    return linear->isConstant() && linear->constant == d.value;
  return linear->constant == 0 && linear->terms.size() == 1 &&
         linear->terms.begin()->first == sdfg.lookupSymbolArg(d.symbol) && linear->terms.begin()->second == 1;
}

/// Parameter `index` of `map` ranges over [0, upper) with step 1; returns the upper bound expression.
std::optional<std::pair<AffineExpr, ValueRange>> fromZero(sdfg::MapOp map, unsigned index) {
  auto lower = dyn_cast<AffineConstantExpr>(map.getLowerBounds().getResult(index));
  if (!lower || lower.getValue() != 0 || map.getSteps()[index] != 1)
    return std::nullopt;
  return std::make_pair(map.getUpperBounds().getResult(index), ValueRange(map.getUpperOperands()));
}

/// Whether the store's index `e` covers [0, d) over the iterations of the maps inside `top`, using the
/// parameters it names (recorded in `used`): a parameter over [0, d), or a tile origin o over
/// [0, d ceildiv T) times T plus a parameter over [0, sdfg.min(T, d - o*T)).
bool indexCovers(AffineExpr e, ValueRange indices, unsigned numDims, const Dim &d, sdfg::MapOp top,
                 llvm::SmallPtrSetImpl<Value> &used) {
  sdfg::SDFGOp sdfg = sdfg::getEnclosingSDFG(top);
  auto linear = sdfg::toLinear(e, indices, numDims);
  if (!linear || linear->constant != 0)
    return false;
  if (linear->terms.size() == 1) { // a parameter over the whole dimension
    auto [value, coeff] = *linear->terms.begin();
    auto [map, index] = paramOf(value, top);
    auto upper = map ? fromZero(map, index) : std::nullopt;
    return coeff == 1 && upper && isDim(upper->first, upper->second, map.getUpperBounds().getNumDims(), d, sdfg) &&
           used.insert(value).second;
  }
  if (linear->terms.size() != 2)
    return false;
  auto first = *linear->terms.begin(), second = *std::next(linear->terms.begin());
  auto [origin, tile] = first.second == 1 ? std::pair(second, first) : std::pair(first, second);
  int64_t size = origin.second;
  if (tile.second != 1 || size <= 1)
    return false;
  auto [outer, o] = paramOf(origin.first, top);
  auto [inner, i] = paramOf(tile.first, top);
  auto outerUpper = outer ? fromZero(outer, o) : std::nullopt;
  auto innerUpper = inner ? fromZero(inner, i) : std::nullopt;
  if (!outerUpper || !innerUpper)
    return false;
  // The origins: d ceildiv T of them.
  AffineExpr blocks = outerUpper->first;
  unsigned outerDims = outer.getUpperBounds().getNumDims();
  if (!d.isSymbolic()) {
    auto c = dyn_cast<AffineConstantExpr>(blocks);
    if (!c || c.getValue() != (d.value + size - 1) / size)
      return false;
  } else {
    auto div = dyn_cast<AffineBinaryOpExpr>(blocks);
    auto by = div ? dyn_cast<AffineConstantExpr>(div.getRHS()) : AffineConstantExpr();
    if (!div || blocks.getKind() != AffineExprKind::CeilDiv || !by || by.getValue() != size ||
        !isDim(div.getLHS(), outerUpper->second, outerDims, d, sdfg))
      return false;
  }
  // The tile: [0, min(T, d - o*T)).
  auto ref = dyn_cast<AffineDimExpr>(innerUpper->first);
  auto min = ref ? innerUpper->second[ref.getPosition()].getDefiningOp<sdfg::MinOp>() : sdfg::MinOp();
  if (!min)
    return false;
  bool hasTile = false, hasEdge = false;
  for (AffineExpr alternative : min.getMap().getResults()) {
    auto l = sdfg::toLinear(alternative, min.getOperands(), min.getMap().getNumDims());
    if (!l)
      continue;
    hasTile |= l->isConstant() && l->constant == size;
    sdfg::LinearExpr edge = sdfg::LinearExpr::of(d.isSymbolic() ? 0 : d.value);
    if (d.isSymbolic())
      edge.terms[sdfg.lookupSymbolArg(d.symbol)] = 1;
    edge.add(sdfg::LinearExpr::term(origin.first, -size));
    edge.add(*l, -1);
    hasEdge |= !edge.overflowed && edge.isConstant() && edge.constant == 0;
  }
  return hasTile && hasEdge && used.insert(origin.first).second && used.insert(tile.first).second;
}

/// A map nest (a tile nest, not necessarily perfect) that loads nothing of `root`, and stores to it
/// (directly or through views that show all of it), without wcr, at indices that cover it (indexCovers), every parameter of every map around
/// the store taking part, so that each element is stored in some iteration.
bool tileNestWritesAll(sdfg::MapOp top, Value root) {
  bool covered = false, other = false;
  top.walk([&](Operation *op) {
    if (auto store = dyn_cast<sdfg::StoreOp>(op); store && rootOf(store.getArray()) == root) {
      // Covering a view that shows every element of its source (a transpose, a reshape) covers the source.
      bool wholeViews = true;
      for (Value v = store.getArray(); v != root; v = v.getDefiningOp()->getOperand(0))
        wholeViews &= sdfg::coversSource(v.getDefiningOp());
      if (!wholeViews || store.getWcr()) {
        other = true;
        return;
      }
      llvm::SmallPtrSet<Value, 8> used;
      Shape shape = store.getArray().getType().getShape();
      bool all = true;
      for (auto [e, d] : llvm::zip(store.getMap().getResults(), shape))
        all &= indexCovers(e, store.getIndices(), store.getMap().getNumDims(), d, top, used);
      for (Operation *m = store->getParentOp(); all && m && top->isAncestor(m); m = m->getParentOp())
        for (Value p : cast<sdfg::MapOp>(m).getParams())
          all &= used.contains(p);
      covered |= all;
      return;
    }
    if (isa<sdfg::LoadOp>(op) && rootOf(cast<sdfg::LoadOp>(op).getArray()) == root)
      other = true;
    if (auto call = dyn_cast<sdfg::UKernelOp>(op))
      for (Value tile : call.getTiles())
        other |= rootOf(tile) == root;
  });
  return covered && !other;
}
} // namespace

bool writesAllWithoutReading(Operation *first, Value root) {
  if (auto map = dyn_cast_or_null<sdfg::MapOp>(first))
    return mapWritesAll(map, root) || tileNestWritesAll(map, root);
  auto node = dyn_cast_or_null<nn::LibraryNode>(first);
  if (!node || llvm::any_of(node.getInputs(), [&](Value in) { return rootOf(in) == root; }))
    return false;
  return llvm::any_of(node.getOutputs(), [&](Value out) {
    while (out != root) {
      Operation *def = out.getDefiningOp();
      if (!sdfg::coversSource(def))
        return false;
      out = def->getOperand(0);
    }
    return true;
  });
}

} // namespace dmc
