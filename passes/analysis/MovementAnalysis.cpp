//===- MovementAnalysis.cpp - bytes moved per container, node and state ---===//
#include "passes/analysis/MovementAnalysis.h"

#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/MicroKernels.h"
#include "dialects/SDFG/SubsetPropagation.h"
#include "dialects/SDFG/Views.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>
#include <set>

using namespace mlir;
using namespace dmc::sdfg;

namespace dmc {

Bytes &Bytes::operator+=(const Bytes &other) {
  known = known && other.known;
  if (known && __builtin_add_overflow(value, other.value, &value))
    known = false;
  if (!known)
    value = 0;
  return *this;
}

Traffic &Traffic::operator+=(const Traffic &other) {
  read += other.read;
  written += other.written;
  onChipRead += other.onChipRead;
  onChipWritten += other.onChipWritten;
  return *this;
}

StringRef stringifyContainerKind(ContainerKind kind) {
  switch (kind) {
  case ContainerKind::Input:
    return "input";
  case ContainerKind::Output:
    return "output";
  case ContainerKind::Transient:
    return "transient";
  }
  return "";
}

const ContainerMovement *MovementResult::findContainer(StringRef name) const {
  for (const ContainerMovement &c : containers)
    if (c.name == name)
      return &c;
  return nullptr;
}

const StateMovement *MovementResult::findState(StringRef name) const {
  for (const StateMovement &s : states)
    if (s.name == name)
      return &s;
  return nullptr;
}

namespace {

std::optional<int64_t> mul(std::optional<int64_t> a, std::optional<int64_t> b) {
  int64_t r;
  if (!a || !b || __builtin_mul_overflow(*a, *b, &r))
    return std::nullopt;
  return r;
}

std::optional<int64_t> add(std::optional<int64_t> a, std::optional<int64_t> b) {
  int64_t r;
  if (!a || !b || __builtin_add_overflow(*a, *b, &r))
    return std::nullopt;
  return r;
}

Bytes toBytes(std::optional<int64_t> v) { return v ? Bytes::of(*v) : Bytes::unknown(); }

int64_t elementSize(Type type) {
  if (isa<IndexType>(type))
    return 8;
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

/// Enumerating iterations of maps whose parameters bound inner maps stops after this many points;
/// the affected counts are then unknown.
constexpr int64_t kEnumerationBudget = 10'000'000;

class Analyzer {
public:
  Analyzer(SDFGOp sdfg, const Bindings &bindings, MovementResult &result)
      : sdfg(sdfg), bindings(bindings), result(result) {}

  void run();

private:
  // ---- symbol values and affine evaluation ----
  std::optional<int64_t> valueOf(Value v);
  std::optional<int64_t> eval(AffineExpr e, ValueRange operands, unsigned numDims);
  Bytes elementsOf(ArrayType type);

  // ---- execution counts of memlets ----
  void countMap(MapOp map, std::optional<int64_t> multiplier);
  /// Adds `calls` x (the tile's elements at the current argument values) per operand of `call`.
  void countKernelCall(UKernelOp call, std::optional<int64_t> calls);
  void markUnknown(MapOp map, bool boundsUnknown);
  std::optional<int64_t> countOf(Operation *memlet);

  // ---- distinct subsets of memlets over a top-level map ----
  struct Box {
    bool known = true;
    bool empty = true;
    SmallVector<int64_t> lo, hi; // inclusive, per dimension
  };
  std::optional<int64_t> evalLinear(const LinearExpr &e);
  void addToBox(Box &box, Operation *memlet, ArrayType type);
  Bytes boxElements(const Box &box);
  void countMapMovement(MapOp map, NodeMovement &node);

  // ---- accesses ----
  Bytes recordAccess(Operation *op, Value container, bool isWrite, Bytes elements);
  void addTraffic(Value root, bool isWrite, Bytes bytes, Traffic &traffic, NodeMovement &node);
  void addAccess(Operation *op, Value container, bool isWrite, Bytes elements, NodeMovement &node);
  void visitState(StateOp state);

  SDFGOp sdfg;
  const Bindings &bindings;
  MovementResult &result;
  llvm::DenseMap<Value, int64_t> env;              // symbol values and enumerated map parameters
  llvm::DenseMap<Operation *, std::optional<int64_t>> executions; // memlet -> count (nullopt: unknown)
  llvm::DenseSet<Operation *> boundsUnknown;       // memlets under a map whose bounds have no value
  // micro-kernel call -> elements of each tile (inputs then outputs) summed over its calls
  llvm::DenseMap<Operation *, SmallVector<std::optional<int64_t>>> kernelElements;
  llvm::DenseMap<Value, size_t> containerIndex;    // root container -> index in result.containers
  std::set<std::string> missing;
  std::set<std::string> notes;
  int64_t budget = kEnumerationBudget;
};

std::optional<int64_t> Analyzer::valueOf(Value v) {
  if (auto it = env.find(v); it != env.end())
    return it->second;
  // A tile extent (sdfg.min): the smallest of its expressions; a tile start (sdfg.max): the largest.
  Operation *def = v.getDefiningOp();
  if (isa_and_nonnull<MinOp, MaxOp>(def)) {
    bool isMin = isa<MinOp>(def);
    AffineMap map = isMin ? cast<MinOp>(def).getMap() : cast<MaxOp>(def).getMap();
    std::optional<int64_t> result;
    for (AffineExpr e : map.getResults()) {
      auto x = eval(e, def->getOperands(), map.getNumDims());
      if (!x)
        return std::nullopt;
      result = !result ? *x : isMin ? std::min(*result, *x) : std::max(*result, *x);
    }
    return result;
  }
  if (auto arg = dyn_cast<BlockArgument>(v))
    if (arg.getOwner()->getParentOp() == sdfg.getOperation())
      missing.insert(sdfg.getArgName(arg.getArgNumber()).str());
  return std::nullopt;
}

std::optional<int64_t> Analyzer::eval(AffineExpr e, ValueRange operands, unsigned numDims) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue();
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return valueOf(operands[d.getPosition()]);
  if (auto s = dyn_cast<AffineSymbolExpr>(e))
    return valueOf(operands[numDims + s.getPosition()]);
  auto bin = cast<AffineBinaryOpExpr>(e);
  auto lhs = eval(bin.getLHS(), operands, numDims);
  auto rhs = eval(bin.getRHS(), operands, numDims);
  if (!lhs || !rhs)
    return std::nullopt;
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return add(lhs, rhs);
  case AffineExprKind::Mul:
    return mul(lhs, rhs);
  case AffineExprKind::Mod:
    if (*rhs <= 0)
      return std::nullopt;
    return ((*lhs % *rhs) + *rhs) % *rhs;
  case AffineExprKind::FloorDiv:
    if (*rhs <= 0)
      return std::nullopt;
    return *lhs >= 0 ? *lhs / *rhs : -((-*lhs + *rhs - 1) / *rhs);
  case AffineExprKind::CeilDiv:
    if (*rhs <= 0)
      return std::nullopt;
    return *lhs >= 0 ? (*lhs + *rhs - 1) / *rhs : -((-*lhs) / *rhs);
  default:
    return std::nullopt;
  }
}

Bytes Analyzer::elementsOf(ArrayType type) {
  Shape shape = type.getShape();
  if (auto n = evaluateNumElements(shape, bindings))
    return Bytes::of(*n);
  for (const Dim &d : shape)
    if (d.isSymbolic() && !bindings.count(d.symbol))
      missing.insert(d.symbol);
  return Bytes::unknown();
}

/// Marks the memlets in `map` as executed an unknown number of times: because a bound of `map` has no
/// value (`boundsUnknown`: whether they run at all is unknown), or because of overflow or the
/// enumeration budget (they run, their distinct subset is still bounded by its box).
void Analyzer::markUnknown(MapOp map, bool boundsUnknown) {
  map.walk([&](Operation *op) {
    if (isa<LoadOp, StoreOp>(op)) {
      executions[op] = std::nullopt;
      if (boundsUnknown)
        this->boundsUnknown.insert(op);
    }
    if (auto call = dyn_cast<UKernelOp>(op))
      kernelElements[call].assign(call.getTiles().size(), std::nullopt);
  });
}

/// Adds `multiplier` * (iterations of `map` and its inner maps) to the execution count of every memlet
/// inside `map`. Parameters of `map` that bound an inner map are enumerated (exact for triangular and
/// other dependent ranges); the other dimensions only multiply.
void Analyzer::countMap(MapOp map, std::optional<int64_t> multiplier) {
  if (!multiplier)
    return markUnknown(map, /*boundsUnknown=*/false);
  unsigned n = map.getNumParams();
  AffineMap lbMap = map.getLowerBounds(), ubMap = map.getUpperBounds();
  ArrayRef<int64_t> steps = map.getSteps();
  SmallVector<int64_t> lbs(n), trips(n);
  for (unsigned d = 0; d < n; ++d) {
    auto lb = eval(lbMap.getResult(d), map.getLowerOperands(), lbMap.getNumDims());
    auto ub = eval(ubMap.getResult(d), map.getUpperOperands(), ubMap.getNumDims());
    if (!lb || !ub || steps[d] <= 0)
      return markUnknown(map, /*boundsUnknown=*/true);
    lbs[d] = *lb;
    trips[d] = *ub > *lb ? (*ub - *lb + steps[d] - 1) / steps[d] : 0;
  }
  std::optional<int64_t> total = multiplier;
  for (int64_t t : trips)
    total = mul(total, t);

  // Which of this map's parameters bound some inner map (at any depth).
  llvm::SmallSetVector<unsigned, 4> enumerated;
  // Tile extents and starts (sdfg.min/max) stand for their operands in the bounds of inner maps and the sizes of
  // micro-kernel calls, so the parameters they use are enumerated too.
  map.getBodyBlock().walk([&](MapOp inner) {
    for (OperandRange operands : {inner.getLowerOperands(), inner.getUpperOperands()})
      for (Value v : operands)
        if (auto arg = dyn_cast<BlockArgument>(v); arg && arg.getOwner() == &map.getBodyBlock())
          enumerated.insert(arg.getArgNumber());
  });
  map.getBodyBlock().walk([&](Operation *tileBound) {
    if (!isa<MinOp, MaxOp>(tileBound))
      return;
    for (Value v : tileBound->getOperands())
      if (auto arg = dyn_cast<BlockArgument>(v); arg && arg.getOwner() == &map.getBodyBlock())
        enumerated.insert(arg.getArgNumber());
  });

  std::optional<int64_t> rest = multiplier; // the dimensions not enumerated
  for (unsigned d = 0; d < n; ++d)
    if (!enumerated.contains(d))
      rest = mul(rest, trips[d]);

  for (Operation &op : map.getBodyBlock()) {
    if (isa<LoadOp, StoreOp>(op)) {
      auto [it, inserted] = executions.try_emplace(&op, 0);
      it->second = add(it->second, total);
      continue;
    }
    if (auto call = dyn_cast<UKernelOp>(op)) {
      countKernelCall(call, total);
      continue;
    }
    auto inner = dyn_cast<MapOp>(op);
    if (!inner)
      continue;
    if (enumerated.empty()) {
      countMap(inner, total);
      continue;
    }
    // Enumerate the points of the enumerated dimensions (odometer order).
    int64_t points = 1;
    for (unsigned d : enumerated)
      points = mul(points, trips[d]).value_or(INT64_MAX);
    if (points > budget) {
      notes.insert("a map with dependent inner bounds has too many iterations to count exactly");
      markUnknown(inner, /*boundsUnknown=*/false);
      continue;
    }
    budget -= points;
    if (points == 0)
      continue;
    SmallVector<int64_t> k(enumerated.size(), 0);
    while (true) {
      for (auto [i, d] : llvm::enumerate(enumerated))
        env[map.getParams()[d]] = lbs[d] + k[i] * steps[d];
      countMap(inner, rest);
      size_t i = 0;
      for (; i < k.size(); ++i) {
        if (++k[i] < trips[enumerated[i]])
          break;
        k[i] = 0;
      }
      if (i == k.size())
        break;
    }
    for (unsigned d : enumerated)
      env.erase(map.getParams()[d]);
  }
}

void Analyzer::countKernelCall(UKernelOp call, std::optional<int64_t> calls) {
  const MicroKernel *kernel = lookupMicroKernel(call.getKernel());
  auto &sums = kernelElements[call];
  if (sums.empty())
    sums.assign(call.getTiles().size(), 0);
  for (unsigned i = 0; i < call.getTiles().size(); ++i) {
    const TileOperand &spec = i < kernel->inputs.size() ? kernel->inputs[i] : kernel->outputs[i - kernel->inputs.size()];
    std::optional<int64_t> elements = calls;
    for (const TileExtent &extent : spec.extents)
      elements = mul(elements, extent.arg >= 0 ? valueOf(call.getArgs()[extent.arg]) : std::optional(extent.constant));
    sums[i] = add(sums[i], elements);
  }
}

std::optional<int64_t> Analyzer::countOf(Operation *memlet) {
  auto it = executions.find(memlet);
  return it == executions.end() ? std::optional<int64_t>(0) : it->second;
}

/// Appends `op`'s access to the access list; returns its bytes (elements x element size).
Bytes Analyzer::recordAccess(Operation *op, Value container, bool isWrite, Bytes elements) {
  auto type = cast<ArrayType>(container.getType());
  Bytes bytes = elements;
  if (bytes.known)
    bytes = toBytes(mul(bytes.value, elementSize(type.getElementType())));
  result.accesses.push_back(Access{op, rootOf(container), isWrite, elements, bytes});
  return bytes;
}

/// Adds `bytes` read or written in `root` to `traffic` (memory or on-chip, by the container's storage)
/// and, when `traffic` is the node's moved traffic, to the container's columns and the node's writes.
void Analyzer::addTraffic(Value root, bool isWrite, Bytes bytes, Traffic &traffic, NodeMovement &node) {
  auto it = containerIndex.find(root);
  if (it == containerIndex.end())
    return; // not a container of this SDFG (cannot happen in verified IR)
  ContainerMovement &c = result.containers[it->second];
  Traffic t;
  if (c.onChip)
    (isWrite ? t.onChipWritten : t.onChipRead) = bytes;
  else
    (isWrite ? t.written : t.read) = bytes;
  traffic += t;
  if (&traffic != &node.traffic)
    return;
  (isWrite ? c.written : c.read) += bytes;
  node.parts.push_back({it->second, isWrite, bytes});
  if (isWrite && llvm::find(node.writes, c.name) == node.writes.end())
    node.writes.push_back(c.name);
}

/// A library node's or copy's access: moved bytes and accesses are the same.
void Analyzer::addAccess(Operation *op, Value container, bool isWrite, Bytes elements, NodeMovement &node) {
  Bytes bytes = recordAccess(op, container, isWrite, elements);
  Value root = rootOf(container);
  addTraffic(root, isWrite, bytes, node.traffic, node);
  addTraffic(root, isWrite, bytes, node.accesses, node);
}

/// The value of `e` with the symbol values; nullopt when a term has none (or on overflow).
std::optional<int64_t> Analyzer::evalLinear(const LinearExpr &e) {
  std::optional<int64_t> v = e.constant;
  for (auto [value, coeff] : e.terms) {
    auto it = env.find(value);
    if (it == env.end())
      return std::nullopt;
    v = add(v, mul(coeff, it->second));
  }
  return v;
}

/// Extends `box` (in the coordinates of the array `type` the memlet addresses) by the subset `memlet`
/// touches over all enclosing maps, clamped to the array. A dimension whose index is not linear or
/// whose range has no value counts whole.
void Analyzer::addToBox(Box &box, Operation *memlet, ArrayType type) {
  if (!box.known)
    return;
  Shape shape = type.getShape();
  SmallVector<Range> subset = memletSubset(memlet, /*scope=*/nullptr);
  SmallVector<int64_t> lo(shape.size()), hi(shape.size());
  for (auto [d, dim] : llvm::enumerate(shape)) {
    int64_t size;
    if (dim.isSymbolic()) {
      auto it = bindings.find(dim.symbol);
      if (it == bindings.end()) {
        missing.insert(dim.symbol);
        box.known = false;
        return;
      }
      size = it->second;
    } else {
      size = dim.value;
    }
    std::optional<int64_t> min, max;
    if (d < subset.size() && subset[d].min && subset[d].max) {
      min = evalLinear(*subset[d].min);
      max = evalLinear(*subset[d].max);
    }
    lo[d] = std::max<int64_t>(min.value_or(0), 0);
    hi[d] = std::min<int64_t>(max.value_or(size - 1), size - 1);
    if (lo[d] > hi[d])
      return; // touches nothing inside the array
  }
  if (box.empty) {
    box.lo = std::move(lo);
    box.hi = std::move(hi);
    box.empty = false;
    return;
  }
  for (size_t d = 0; d < lo.size(); ++d) {
    box.lo[d] = std::min(box.lo[d], lo[d]);
    box.hi[d] = std::max(box.hi[d], hi[d]);
  }
}

Bytes Analyzer::boxElements(const Box &box) {
  if (!box.known)
    return Bytes::unknown();
  if (box.empty)
    return Bytes::of(0);
  std::optional<int64_t> n = 1;
  for (size_t d = 0; d < box.lo.size(); ++d)
    n = mul(n, box.hi[d] - box.lo[d] + 1);
  return toBytes(n);
}

/// The traffic of a top-level map: per container, the distinct elements its loads (reads) and its
/// stores (writes; wcr stores also read) touch over the whole map, as the bounding box of their
/// subsets, per addressed array (a container or one of its views), summed over the views of a
/// container and capped at its size. The executions x element size go to `node.accesses`.
void Analyzer::countMapMovement(MapOp map, NodeMovement &node) {
  countMap(map, 1);
  // (addressed array, isWrite) -> box, in first-access order.
  llvm::MapVector<std::pair<Value, unsigned>, Box> boxes;
  map.walk([&](Operation *inner) {
    if (auto call = dyn_cast<UKernelOp>(inner)) {
      // A micro-kernel reads its input tiles and reads and updates its output tiles. Its distinct
      // subset is the whole container (a tile nest's buffers are the kernel's working set).
      auto &sums = kernelElements[call];
      for (auto [i, tile] : llvm::enumerate(call.getTiles())) {
        bool output = i >= call.getInputs().size();
        Bytes count = toBytes(i < sums.size() ? sums[i] : std::optional<int64_t>(0));
        Value root = rootOf(tile);
        addTraffic(root, false, recordAccess(call, tile, false, count), node.accesses, node);
        if (output)
          addTraffic(root, true, recordAccess(call, tile, true, count), node.accesses, node);
        auto type = cast<ArrayType>(tile.getType());
        for (bool isWrite : {false, true}) {
          if (isWrite && !output)
            continue;
          Box &box = boxes[{tile, isWrite}];
          Box whole;
          whole.empty = false;
          for (const Dim &d : type.getShape()) {
            // A symbolic dim (a row buffer of a length known at run time) takes its bound value.
            std::optional<int64_t> size = d.isSymbolic() ? std::nullopt : std::optional<int64_t>(d.value);
            if (auto it = bindings.find(d.symbol); d.isSymbolic() && it != bindings.end())
              size = it->second;
            if (!size) {
              if (d.isSymbolic())
                missing.insert(d.symbol);
              whole.known = false;
              break;
            }
            whole.lo.push_back(0);
            whole.hi.push_back(*size - 1);
          }
          box = whole;
        }
      }
      return;
    }
    Value array;
    bool wcr = false;
    if (auto load = dyn_cast<LoadOp>(inner))
      array = load.getArray();
    else if (auto store = dyn_cast<StoreOp>(inner)) {
      array = store.getArray();
      wcr = static_cast<bool>(store.getWcr());
    } else {
      return;
    }
    bool isStore = isa<StoreOp>(inner);
    Value root = rootOf(array);
    std::optional<int64_t> n = countOf(inner);
    Bytes count = toBytes(n);
    if (!isStore || wcr)
      addTraffic(root, false, recordAccess(inner, array, false, count), node.accesses, node);
    if (isStore)
      addTraffic(root, true, recordAccess(inner, array, true, count), node.accesses, node);

    auto type = cast<ArrayType>(array.getType());
    auto extend = [&](bool isWrite) {
      Box &box = boxes[{array, isWrite}];
      if (n && *n == 0)
        return; // never executed: touches nothing
      if (!n && boundsUnknown.contains(inner)) {
        box.known = false; // whether it runs at all is unknown
        return;
      }
      addToBox(box, inner, type);
    };
    if (!isStore || wcr)
      extend(false);
    if (isStore)
      extend(true);
  });

  // Sum the boxes of the arrays (views) of each container, capped at the container's size.
  llvm::MapVector<std::pair<Value, unsigned>, Bytes> perContainer;
  for (auto &[key, box] : boxes) {
    auto [array, isWrite] = key;
    Bytes elements = boxElements(box);
    Bytes bytes = elements.known
                      ? toBytes(mul(elements.value, elementSize(cast<ArrayType>(array.getType()).getElementType())))
                      : elements;
    auto [it, inserted] = perContainer.try_emplace({rootOf(array), isWrite}, Bytes::of(0));
    it->second += bytes;
  }
  for (auto &[key, bytes] : perContainer) {
    auto [root, isWrite] = key;
    if (auto it = containerIndex.find(root); it != containerIndex.end()) {
      const Bytes &size = result.containers[it->second].size;
      if (bytes.known && size.known)
        bytes.value = std::min(bytes.value, size.value);
    }
    addTraffic(root, isWrite, bytes, node.traffic, node);
  }
}

void Analyzer::visitState(StateOp state) {
  StateMovement sm;
  sm.name = state.getSymName().str();
  unsigned mapIndex = 0;
  for (Operation &op : state.getBodyBlock()) {
    NodeMovement node;
    node.op = &op;
    node.kind = op.getName().getStringRef().str();
    if (auto lib = dyn_cast<nn::LibraryNode>(&op)) {
      if (auto label = lib.getLabel())
        node.label = label->str();
      llvm::SmallPtrSet<Value, 4> seen; // a container passed twice is read once
      for (Value in : lib.getInputs())
        if (seen.insert(in).second)
          addAccess(&op, in, false, elementsOf(cast<ArrayType>(in.getType())), node);
      for (Value out : lib.getOutputs())
        addAccess(&op, out, true, elementsOf(cast<ArrayType>(out.getType())), node);
    } else if (auto copy = dyn_cast<CopyOp>(&op)) {
      addAccess(&op, copy.getSource(), false, elementsOf(cast<ArrayType>(copy.getSource().getType())), node);
      addAccess(&op, copy.getDest(), true, elementsOf(cast<ArrayType>(copy.getDest().getType())), node);
      node.label = result.containers[containerIndex.lookup(rootOf(copy.getSource()))].name + " -> " +
                   result.containers[containerIndex.lookup(rootOf(copy.getDest()))].name;
    } else if (auto map = dyn_cast<MapOp>(&op)) {
      node.label = "map" + std::to_string(mapIndex++);
      // A map marked `once` (run-constant-maps-once) runs on a handle's first call only: a call after
      // that moves nothing for it.
      if (map.isOnce())
        node.label += " (once per handle)";
      else
        countMapMovement(map, node);
    } else {
      continue; // views and anything else move nothing
    }
    sm.traffic += node.traffic;
    sm.accesses += node.accesses;
    sm.nodes.push_back(std::move(node));
  }
  // Heap transients live in this state: those held for the whole call, and state/scope ones it uses.
  llvm::DenseSet<Value> used;
  for (const NodeMovement &node : sm.nodes)
    node.op->walk([&](Operation *inner) {
      for (Value v : inner->getOperands())
        if (isa<ArrayType>(v.getType()))
          used.insert(rootOf(v));
    });
  sm.liveTransients = Bytes::of(0);
  for (const ContainerMovement &c : result.containers) {
    if (c.kind != ContainerKind::Transient || c.storage != "heap")
      continue;
    if ((c.lifetime == "sdfg" || c.lifetime == "persistent") || used.contains(c.value))
      sm.liveTransients += c.size;
  }
  result.states.push_back(std::move(sm));
}

void Analyzer::run() {
  result.sdfgName = sdfg.getSymName().str();
  // Symbol values by name.
  for (auto args : {sdfg.getSymbolArgs(), sdfg.getLocalSymbolArgs()})
    for (BlockArgument arg : args)
      if (auto it = bindings.find(sdfg.getArgName(arg.getArgNumber()).str()); it != bindings.end())
        env[arg] = it->second;

  auto addContainer = [&](Value v, std::string name, ContainerKind kind) {
    auto type = cast<ArrayType>(v.getType());
    ContainerMovement c;
    c.value = v;
    c.name = std::move(name);
    c.kind = kind;
    c.storage = "heap";
    c.shape = formatShape(type.getShape());
    c.elementSize = elementSize(type.getElementType());
    Bytes elements = elementsOf(type);
    c.size = elements.known ? toBytes(mul(elements.value, c.elementSize)) : Bytes::unknown();
    c.read = c.written = Bytes::of(0);
    if (auto alloc = v.getDefiningOp<AllocOp>()) {
      c.storage = stringifyStorage(alloc.getStorage()).str();
      c.lifetime = stringifyLifetime(alloc.getLifetime()).str();
      c.onChip = alloc.getStorage() == Storage::reg || alloc.getStorage() == Storage::stack;
    }
    containerIndex[v] = result.containers.size();
    result.containers.push_back(std::move(c));
  };
  for (BlockArgument arg : sdfg.getInputArgs())
    addContainer(arg, sdfg.getArgName(arg.getArgNumber()).str(), ContainerKind::Input);
  for (BlockArgument arg : sdfg.getOutputArgs())
    addContainer(arg, sdfg.getArgName(arg.getArgNumber()).str(), ContainerKind::Output);
  unsigned unnamed = 0;
  for (auto alloc : sdfg.getBodyBlock().getOps<AllocOp>()) {
    std::string name = alloc.getName() ? alloc.getName()->str() : "alloc" + std::to_string(unnamed++);
    addContainer(alloc.getResult(), name, ContainerKind::Transient);
  }

  for (StateOp state : sdfg.getStates())
    visitState(state);

  for (const StateMovement &s : result.states) {
    result.totals += s.traffic;
    result.totalAccesses += s.accesses;
  }
  result.transientFootprint = Bytes::of(0);
  for (const ContainerMovement &c : result.containers)
    if (c.kind == ContainerKind::Transient && c.storage == "heap")
      result.transientFootprint += c.size;
  result.peakTransients = Bytes::of(0);
  for (const StateMovement &s : result.states) {
    if (!s.liveTransients.known)
      result.peakTransients = Bytes::unknown();
    else if (result.peakTransients.known)
      result.peakTransients.value = std::max(result.peakTransients.value, s.liveTransients.value);
  }
  result.unknownSymbols.assign(missing.begin(), missing.end());
  result.notes.assign(notes.begin(), notes.end());
}

} // namespace

MovementResult analyzeMovement(SDFGOp sdfg, const Bindings &bindings) {
  MovementResult result;
  Analyzer(sdfg, bindings, result).run();
  return result;
}

MovementAnalysis::MovementAnalysis(Operation *op) {
  if (auto sdfg = dyn_cast<SDFGOp>(op))
    result = analyzeMovement(sdfg);
}

} // namespace dmc
