//===- MovementAnalysis.cpp - bytes moved per container, node and state ---===//
#include "passes/analysis/MovementAnalysis.h"

#include "dialects/NN/NNOps.h"

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
  void markUnknown(MapOp map);
  std::optional<int64_t> countOf(Operation *memlet);

  // ---- accesses ----
  void addAccess(Operation *op, Value container, bool isWrite, Bytes elements, NodeMovement &node);
  void visitState(StateOp state);

  SDFGOp sdfg;
  const Bindings &bindings;
  MovementResult &result;
  llvm::DenseMap<Value, int64_t> env;              // symbol values and enumerated map parameters
  llvm::DenseMap<Operation *, std::optional<int64_t>> executions; // memlet -> count (nullopt: unknown)
  llvm::DenseMap<Value, size_t> containerIndex;    // root container -> index in result.containers
  std::set<std::string> missing;
  std::set<std::string> notes;
  int64_t budget = kEnumerationBudget;
};

std::optional<int64_t> Analyzer::valueOf(Value v) {
  if (auto it = env.find(v); it != env.end())
    return it->second;
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

void Analyzer::markUnknown(MapOp map) {
  map.walk([&](Operation *op) {
    if (isa<LoadOp, StoreOp>(op))
      executions[op] = std::nullopt;
  });
}

/// Adds `multiplier` * (iterations of `map` and its inner maps) to the execution count of every memlet
/// inside `map`. Parameters of `map` that bound an inner map are enumerated (exact for triangular and
/// other dependent ranges); the other dimensions only multiply.
void Analyzer::countMap(MapOp map, std::optional<int64_t> multiplier) {
  if (!multiplier)
    return markUnknown(map);
  unsigned n = map.getNumParams();
  AffineMap lbMap = map.getLowerBounds(), ubMap = map.getUpperBounds();
  ArrayRef<int64_t> steps = map.getSteps();
  SmallVector<int64_t> lbs(n), trips(n);
  for (unsigned d = 0; d < n; ++d) {
    auto lb = eval(lbMap.getResult(d), map.getLowerOperands(), lbMap.getNumDims());
    auto ub = eval(ubMap.getResult(d), map.getUpperOperands(), ubMap.getNumDims());
    if (!lb || !ub || steps[d] <= 0)
      return markUnknown(map);
    lbs[d] = *lb;
    trips[d] = *ub > *lb ? (*ub - *lb + steps[d] - 1) / steps[d] : 0;
  }
  std::optional<int64_t> total = multiplier;
  for (int64_t t : trips)
    total = mul(total, t);

  // Which of this map's parameters bound some inner map (at any depth).
  llvm::SmallSetVector<unsigned, 4> enumerated;
  map.getBodyBlock().walk([&](MapOp inner) {
    for (OperandRange operands : {inner.getLowerOperands(), inner.getUpperOperands()})
      for (Value v : operands)
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
      markUnknown(inner);
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

std::optional<int64_t> Analyzer::countOf(Operation *memlet) {
  auto it = executions.find(memlet);
  return it == executions.end() ? std::optional<int64_t>(0) : it->second;
}

void Analyzer::addAccess(Operation *op, Value container, bool isWrite, Bytes elements, NodeMovement &node) {
  Value root = getViewedContainer(container);
  auto type = cast<ArrayType>(container.getType());
  Bytes bytes = elements;
  if (bytes.known)
    bytes = toBytes(mul(bytes.value, elementSize(type.getElementType())));
  result.accesses.push_back(Access{op, root, isWrite, elements, bytes});
  auto it = containerIndex.find(root);
  if (it == containerIndex.end())
    return; // not a container of this SDFG (cannot happen in verified IR)
  ContainerMovement &c = result.containers[it->second];
  (isWrite ? c.written : c.read) += bytes;
  Traffic t;
  if (c.onChip)
    (isWrite ? t.onChipWritten : t.onChipRead) = bytes;
  else
    (isWrite ? t.written : t.read) = bytes;
  node.traffic += t;
  if (isWrite && llvm::find(node.writes, c.name) == node.writes.end())
    node.writes.push_back(c.name);
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
      node.label = result.containers[containerIndex.lookup(getViewedContainer(copy.getSource()))].name + " -> " +
                   result.containers[containerIndex.lookup(getViewedContainer(copy.getDest()))].name;
    } else if (auto map = dyn_cast<MapOp>(&op)) {
      node.label = "map" + std::to_string(mapIndex++);
      countMap(map, 1);
      map.walk([&](Operation *inner) {
        if (auto load = dyn_cast<LoadOp>(inner)) {
          addAccess(inner, load.getArray(), false, toBytes(countOf(inner)), node);
        } else if (auto store = dyn_cast<StoreOp>(inner)) {
          Bytes n = toBytes(countOf(inner));
          if (store.getWcr())
            addAccess(inner, store.getArray(), false, n, node);
          addAccess(inner, store.getArray(), true, n, node);
        }
      });
    } else {
      continue; // views and anything else move nothing
    }
    sm.traffic += node.traffic;
    sm.nodes.push_back(std::move(node));
  }
  // Heap transients live in this state: those held for the whole call, and state/scope ones it uses.
  llvm::DenseSet<Value> used;
  for (const NodeMovement &node : sm.nodes)
    node.op->walk([&](Operation *inner) {
      for (Value v : inner->getOperands())
        if (isa<ArrayType>(v.getType()))
          used.insert(getViewedContainer(v));
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

  for (const StateMovement &s : result.states)
    result.totals += s.traffic;
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
