//===- SDFGOps.cpp - sdfg structure: sdfg, states, edges, containers -----===//
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/Views.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace dmc::sdfg;

//===----------------------------------------------------------------------===//
// SDFGOp
//===----------------------------------------------------------------------===//

Block::BlockArgListType SDFGOp::getSymbolArgs() {
  return getBodyBlock().getArguments().take_front(getNumSymbols());
}
Block::BlockArgListType SDFGOp::getLocalSymbolArgs() {
  return getBodyBlock().getArguments().slice(getNumSymbols(), getNumLocals());
}
Block::BlockArgListType SDFGOp::getInputArgs() {
  return getBodyBlock().getArguments().slice(getNumSymbols() + getNumLocals(), getNumInputs());
}
Block::BlockArgListType SDFGOp::getOutputArgs() {
  return getBodyBlock().getArguments().drop_front(getNumSymbols() + getNumLocals() + getNumInputs());
}
StringRef SDFGOp::getArgName(unsigned index) {
  return cast<StringAttr>(getArgNames()[index]).getValue();
}
StringRef SDFGOp::getAbiName(unsigned index) {
  unsigned numScalars = getNumSymbols() + getNumLocals();
  if (std::optional<ArrayAttr> abi = getAbiNames(); abi && index >= numScalars)
    return cast<StringAttr>((*abi)[index - numScalars]).getValue();
  return getArgName(index);
}
bool SDFGOp::isConstantInput(unsigned index) {
  auto constants = (*this)->getAttrOfType<DictionaryAttr>(kConstantsAttr);
  unsigned firstInput = getNumSymbols() + getNumLocals();
  bool isInput = index >= firstInput && index < firstInput + getNumInputs();
  return isInput && ((constants && constants.get(getAbiName(index))) || isConstantArgument(index));
}
bool SDFGOp::isConstantInput(Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  return arg && arg.getOwner() == &getBodyBlock() && isConstantInput(arg.getArgNumber());
}
bool SDFGOp::isConstantArgument(unsigned index) {
  auto names = (*this)->getAttrOfType<ArrayAttr>(kConstantArgumentsAttr);
  unsigned firstInput = getNumSymbols() + getNumLocals();
  if (!names || index < firstInput || index >= firstInput + getNumInputs())
    return false;
  StringRef name = getAbiName(index);
  return llvm::any_of(names, [&](Attribute a) { return isa<StringAttr>(a) && cast<StringAttr>(a).getValue() == name; });
}
BlockArgument SDFGOp::lookupSymbolArg(StringRef name) {
  for (unsigned i = 0, e = getNumSymbols() + getNumLocals(); i < e; ++i)
    if (getArgName(i) == name)
      return getBodyBlock().getArgument(i);
  return {};
}

void SDFGOp::getAsmBlockArgumentNames(Region &region, OpAsmSetValueNameFn setName) {
  if (&region != &getBody() || region.empty())
    return;
  for (auto [arg, name] : llvm::zip(region.front().getArguments(), getArgNames()))
    setName(arg, cast<StringAttr>(name).getValue());
}

// sdfg.sdfg @name symbols(%S) locals(%i) inputs(%x: T) outputs(%y: T) attributes {...} { body }
ParseResult SDFGOp::parse(OpAsmParser &parser, OperationState &result) {
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name), result.attributes))
    return failure();
  Builder &b = parser.getBuilder();
  SmallVector<OpAsmParser::Argument> args;
  SmallVector<Attribute> names;
  auto parseGroup = [&](StringRef keyword, bool typed, int64_t &count) -> ParseResult {
    count = 0;
    if (parser.parseOptionalKeyword(keyword))
      return success();
    return parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() -> ParseResult {
      OpAsmParser::Argument arg;
      if (parser.parseArgument(arg, typed))
        return failure();
      if (!typed)
        arg.type = b.getIndexType();
      names.push_back(b.getStringAttr(arg.ssaName.name.drop_front())); // drop the '%'
      args.push_back(arg);
      ++count;
      return success();
    });
  };
  int64_t numSymbols, numLocals, numInputs, numOutputs;
  if (parseGroup("symbols", false, numSymbols) || parseGroup("locals", false, numLocals) ||
      parseGroup("inputs", true, numInputs) || parseGroup("outputs", true, numOutputs))
    return failure();
  result.addAttribute(getArgNamesAttrName(result.name), b.getArrayAttr(names));
  result.addAttribute(getNumSymbolsAttrName(result.name), b.getI64IntegerAttr(numSymbols));
  result.addAttribute(getNumLocalsAttrName(result.name), b.getI64IntegerAttr(numLocals));
  result.addAttribute(getNumInputsAttrName(result.name), b.getI64IntegerAttr(numInputs));
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, args))
    return failure();
  if (body->empty())
    body->emplaceBlock();
  return success();
}

void SDFGOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printSymbolName(getSymName());
  auto printGroup = [&](StringRef keyword, Block::BlockArgListType args, bool typed) {
    if (args.empty() && !typed)
      return;
    p << " " << keyword << "(";
    llvm::interleaveComma(args, p, [&](BlockArgument arg) {
      if (typed)
        p.printRegionArgument(arg);
      else
        p.printOperand(arg);
    });
    p << ")";
  };
  printGroup("symbols", getSymbolArgs(), false);
  printGroup("locals", getLocalSymbolArgs(), false);
  printGroup("inputs", getInputArgs(), true);
  printGroup("outputs", getOutputArgs(), true);
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs(),
                                     {getSymNameAttrName(), getArgNamesAttrName(), getNumSymbolsAttrName(),
                                      getNumLocalsAttrName(), getNumInputsAttrName()});
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false, /*printBlockTerminators=*/false);
}

LogicalResult SDFGOp::verify() {
  Block &block = getBodyBlock();
  // I64Attr getters return uint64_t; read the counts as signed so that negative ones are caught.
  int64_t numSymbols = getNumSymbols(), numLocals = getNumLocals(), numInputs = getNumInputs();
  int64_t numScalars = numSymbols + numLocals;
  if (numSymbols < 0 || numLocals < 0 || numInputs < 0 ||
      numScalars + numInputs > (int64_t)block.getNumArguments())
    return emitOpError("argument counts do not match the body's arguments");
  if (getArgNames().size() != block.getNumArguments())
    return emitOpError("has ") << getArgNames().size() << " argument names for "
                               << block.getNumArguments() << " arguments";
  llvm::StringSet<> seen;
  for (auto [index, arg] : llvm::enumerate(block.getArguments())) {
    std::string name = getArgName(index).str();
    if (!dmc::isIdentifier(name))
      return emitOpError("argument name '") << dmc::printable(name) << "' is not an identifier";
    if (!seen.insert(name).second)
      return emitOpError("argument name '") << name << "' is used twice";
    bool scalar = (int64_t)index < numScalars;
    if (scalar && !arg.getType().isIndex())
      return emitOpError("symbol '") << name << "' must have index type";
    if (!scalar && !isa<ArrayType>(arg.getType()))
      return emitOpError("argument '") << name << "' must be an !sdfg.array container";
  }
  // The ABI names of the containers become manifest entries and file names: identifiers, distinct.
  if (std::optional<ArrayAttr> abi = getAbiNames()) {
    if ((int64_t)abi->size() != (int64_t)block.getNumArguments() - numScalars)
      return emitOpError("has ") << abi->size() << " ABI names for " << block.getNumArguments() - numScalars
                                 << " container arguments";
    llvm::StringSet<> abiSeen;
    for (Attribute a : *abi) {
      std::string name = cast<StringAttr>(a).getValue().str();
      if (!dmc::isIdentifier(name))
        return emitOpError("ABI name '") << dmc::printable(name) << "' is not an identifier";
      if (!abiSeen.insert(name).second)
        return emitOpError("ABI name '") << name << "' is used twice";
    }
  }
  // The graph's symbols that are not arguments (manifest: fixed_symbols, unused_symbols): identifiers,
  // each in one place only.
  llvm::StringSet<> graphSymbols;
  for (int64_t i = 0; i < numSymbols; ++i)
    graphSymbols.insert(getArgName(i));
  auto otherSymbol = [&](StringRef name, StringRef list) -> LogicalResult {
    if (!dmc::isIdentifier(name.str()))
      return emitOpError(list) << " name '" << dmc::printable(name.str()) << "' is not an identifier";
    if (!graphSymbols.insert(name).second)
      return emitOpError(list) << " names '" << name << "', which is a symbol argument or listed twice";
    return success();
  };
  if (std::optional<DictionaryAttr> fixed = getFixedSymbols())
    for (NamedAttribute entry : *fixed) {
      if (failed(otherSymbol(entry.getName().getValue(), "fixed_symbols")))
        return failure();
      auto value = dyn_cast<IntegerAttr>(entry.getValue());
      if (!value || value.getInt() <= 0)
        return emitOpError("fixed_symbols value of '") << entry.getName().getValue() << "' is not a positive integer";
    }
  if (std::optional<ArrayAttr> unused = getUnusedSymbols())
    for (Attribute a : *unused)
      if (failed(otherSymbol(cast<StringAttr>(a).getValue(), "unused_symbols")))
        return failure();
  // The constant arguments: inputs, each once, none of them also loaded by the handle (dmc.constants).
  if (Attribute attr = (*this)->getAttr(kConstantArgumentsAttr)) {
    auto names = dyn_cast<ArrayAttr>(attr);
    if (!names)
      return emitOpError(kConstantArgumentsAttr) << " must be an array of input names";
    auto embedded = (*this)->getAttrOfType<DictionaryAttr>(kConstantsAttr);
    llvm::StringSet<> inputs, listed;
    for (int64_t i = 0; i < numInputs; ++i)
      inputs.insert(getAbiName(numScalars + i));
    for (Attribute a : names) {
      auto name = dyn_cast<StringAttr>(a);
      if (!name || !inputs.contains(name.getValue()))
        return emitOpError(kConstantArgumentsAttr) << " entry " << a << " is not the name of an input";
      if (!listed.insert(name.getValue()).second)
        return emitOpError(kConstantArgumentsAttr) << " names '" << name.getValue() << "' twice";
      if (embedded && embedded.get(name.getValue()))
        return emitOpError(kConstantArgumentsAttr) << " names '" << name.getValue()
                                                   << "', whose data dmc.constants already holds";
    }
  }
  return success();
}

namespace {
/// Every symbol named in a container shape must be a free symbol of the SDFG.
LogicalResult verifyShapeSymbols(SDFGOp sdfg, Operation *where, Type type) {
  auto array = dyn_cast<ArrayType>(type);
  if (!array)
    return success();
  for (const dmc::Dim &d : array.getShape()) {
    if (!d.isSymbolic())
      continue;
    BlockArgument arg = sdfg.lookupSymbolArg(d.symbol);
    if (!arg || arg.getArgNumber() >= sdfg.getNumSymbols())
      return where->emitOpError("uses undefined symbol '")
             << d.symbol << "' in " << type << " (declare it in symbols(...) of @" << sdfg.getSymName()
             << ")";
  }
  return success();
}

/// Reachability and branching rules of the state machine.
LogicalResult verifyStateGraph(SDFGOp sdfg) {
  llvm::StringMap<StateOp> states;
  StateOp start;
  for (StateOp state : sdfg.getStates()) {
    states[state.getSymName()] = state;
    if (!start)
      start = state;
  }
  if (!start)
    return sdfg.emitOpError("has no state");
  llvm::StringMap<SmallVector<EdgeOp>> outgoing;
  for (EdgeOp edge : sdfg.getEdges()) {
    for (StringRef end : {edge.getSrc(), edge.getDst()})
      if (!states.count(end))
        return edge.emitOpError("refers to unknown state @") << end;
    outgoing[edge.getSrc()].push_back(edge);
  }
  for (auto &[name, edges] : outgoing) {
    if (edges.size() < 2)
      continue;
    for (EdgeOp edge : edges)
      if (!edge.hasCondition())
        return edge.emitOpError("is unconditional, but state @")
               << name << " has " << edges.size() << " outgoing edges: each needs a condition";
  }
  llvm::StringSet<> reached;
  SmallVector<StringRef> work{start.getSymName()};
  reached.insert(start.getSymName());
  while (!work.empty()) {
    StringRef current = work.pop_back_val();
    for (EdgeOp edge : outgoing.lookup(current))
      if (reached.insert(edge.getDst()).second)
        work.push_back(edge.getDst());
  }
  for (StateOp state : sdfg.getStates())
    if (!reached.count(state.getSymName()))
      return state.emitOpError("is unreachable from the start state @") << start.getSymName();
  return success();
}
} // namespace

LogicalResult SDFGOp::verifyRegions() {
  if (!dmc::isIdentifier(getSymName().str()))
    return emitOpError("name '") << dmc::printable(getSymName().str()) << "' is not an identifier";
  // Container names become C++ names: unique among themselves and the arguments.
  llvm::StringSet<> names;
  for (Attribute name : getArgNames())
    names.insert(cast<StringAttr>(name).getValue());
  for (auto alloc : getBodyBlock().getOps<AllocOp>())
    if (alloc.getName() && !names.insert(*alloc.getName()).second)
      return alloc.emitOpError("name '") << *alloc.getName() << "' is already used by another container";
  for (Operation &op : getBodyBlock())
    if (!isa<AllocOp, StateOp, EdgeOp, TransposeViewOp, ReshapeViewOp, SliceViewOp>(op))
      return op.emitOpError("cannot appear at the top level of an sdfg; only containers, views, states "
                            "and edges can");
  for (BlockArgument arg : getBodyBlock().getArguments())
    if (failed(verifyShapeSymbols(*this, *this, arg.getType())))
      return failure();
  WalkResult walk = getBody().walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      if (failed(verifyShapeSymbols(*this, op, t)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return verifyStateGraph(*this);
}

//===----------------------------------------------------------------------===//
// StateOp
//===----------------------------------------------------------------------===//

LogicalResult StateOp::verifyRegions() {
  if (!dmc::isIdentifier(getSymName().str()))
    return emitOpError("name '") << dmc::printable(getSymName().str()) << "' is not an identifier";
  // A state's dataflow consists of scopes, copies, views and library nodes; anything else (a stray
  // arith op, a memlet outside a map) has no meaning here.
  for (Operation &op : getBodyBlock())
    if (!isa<MapOp, CopyOp, TransposeViewOp, ReshapeViewOp, SliceViewOp>(op) &&
        op.getDialect()->getNamespace() != "nn")
      return op.emitOpError("cannot appear directly in a state; states hold maps, copies, views and "
                            "library nodes");
  return success();
}

//===----------------------------------------------------------------------===//
// EdgeOp
//===----------------------------------------------------------------------===//

// sdfg.edge @a -> @b (if { ... })? (assign [i, j] { ... })? attr-dict
ParseResult EdgeOp::parse(OpAsmParser &parser, OperationState &result) {
  FlatSymbolRefAttr src, dst;
  Builder &b = parser.getBuilder();
  if (parser.parseAttribute(src, getSrcAttrName(result.name), result.attributes) || parser.parseArrow() ||
      parser.parseAttribute(dst, getDstAttrName(result.name), result.attributes))
    return failure();
  Region *condition = result.addRegion();
  Region *assignments = result.addRegion();
  if (succeeded(parser.parseOptionalKeyword("if")) && parser.parseRegion(*condition))
    return failure();
  SmallVector<Attribute> assigned;
  if (succeeded(parser.parseOptionalKeyword("assign"))) {
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                       [&]() -> ParseResult {
                                         std::string name;
                                         if (parser.parseKeywordOrString(&name))
                                           return failure();
                                         assigned.push_back(b.getStringAttr(name));
                                         return success();
                                       }) ||
        parser.parseRegion(*assignments))
      return failure();
  }
  result.addAttribute(getAssignAttrName(result.name), b.getArrayAttr(assigned));
  return parser.parseOptionalAttrDict(result.attributes);
}

void EdgeOp::print(OpAsmPrinter &p) {
  p << " " << getSrcAttr() << " -> " << getDstAttr();
  if (hasCondition()) {
    p << " if ";
    p.printRegion(getCondition());
  }
  if (!getAssignments().empty()) {
    p << " assign [";
    llvm::interleaveComma(getAssign().getAsValueRange<StringAttr>(), p);
    p << "] ";
    p.printRegion(getAssignments());
  }
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {getSrcAttrName(), getDstAttrName(), getAssignAttrName()});
}

/// Condition and assignment regions compute scalars from symbols, like tasklets.
LogicalResult dmc::sdfg::verifyScalarRegion(Operation *owner, Region &region, TypeRange yielded) {
  if (!region.hasOneBlock())
    return owner->emitOpError("region must have exactly one block");
  for (Operation &op : region.front()) {
    if (!isa<arith::ArithDialect, math::MathDialect>(op.getDialect()) && !isa<YieldOp>(op))
      return op.emitOpError("is not allowed in ")
             << owner->getName() << ": only arith and math ops compute scalars there";
    for (Type t : op.getResultTypes())
      if (!t.isIntOrIndexOrFloat())
        return op.emitOpError("produces non-scalar value of type ") << t << " inside " << owner->getName();
  }
  auto yield = dyn_cast<YieldOp>(region.front().getTerminator());
  if (!yield)
    return owner->emitOpError("region must end with sdfg.yield");
  if (TypeRange(yield.getValues().getTypes()) != yielded)
    return yield.emitOpError("yields (") << yield.getValues().getTypes() << ") but " << owner->getName()
                                          << " expects (" << yielded << ")";
  return success();
}

LogicalResult EdgeOp::verify() {
  Builder b(getContext());
  if (hasCondition() && failed(verifyScalarRegion(*this, getCondition(), {b.getI1Type()})))
    return failure();
  if (getAssign().empty() != getAssignments().empty())
    return emitOpError("assignments need both a symbol list and a region");
  if (!getAssign().empty()) {
    SmallVector<Type> indexTypes(getAssign().size(), b.getIndexType());
    if (failed(verifyScalarRegion(*this, getAssignments(), indexTypes)))
      return failure();
    auto sdfg = cast<SDFGOp>((*this)->getParentOp());
    for (StringRef name : getAssign().getAsValueRange<StringAttr>()) {
      BlockArgument arg = sdfg.lookupSymbolArg(name);
      if (!arg || arg.getArgNumber() < sdfg.getNumSymbols())
        return emitOpError("assigns '") << name << "', which is not a local symbol of @" << sdfg.getSymName();
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Containers, views and copies
//===----------------------------------------------------------------------===//

/// Prints `%scores = sdfg.alloc {name = "scores"}`: the container's name is its SSA name.
void AllocOp::getAsmResultNames(OpAsmSetValueNameFn setName) {
  if (getName())
    setName(getResult(), *getName());
}

MapOp dmc::sdfg::getScopeOwner(AllocOp alloc) {
  MapOp owner;
  bool first = true;
  for (Operation *user : alloc->getUsers()) {
    MapOp outermost;
    for (auto m = user->getParentOfType<MapOp>(); m; m = m->getParentOfType<MapOp>())
      if (m.getSchedule() == Schedule::omp)
        outermost = m;
    if (first)
      owner = outermost;
    else if (owner != outermost)
      return {};
    first = false;
  }
  return owner;
}

LogicalResult AllocOp::verify() {
  bool needsStaticShape = getStorage() == Storage::stack || getStorage() == Storage::reg;
  if (needsStaticShape && llvm::any_of(getType().getShape(), [](const dmc::Dim &d) { return d.isSymbolic(); }))
    return emitOpError("with storage '") << stringifyStorage(getStorage())
                                         << "' needs a constant shape, got " << getType();
  if (getName() && !dmc::isIdentifier(getName()->str()))
    return emitOpError("name '") << dmc::printable(getName()->str()) << "' is not an identifier";
  if (getLifetime() == Lifetime::scope) {
    for (Operation *user : getResult().getUsers())
      if (!user->getParentOfType<MapOp>())
        return emitOpError("with lifetime 'scope' may be used only inside maps (views and library nodes "
                           "cannot take it)");
  }
  return success();
}

static LogicalResult verifySameElementType(Operation *op, ArrayType a, ArrayType b) {
  if (a.getElementType() != b.getElementType())
    return op->emitOpError("element types differ: ") << a.getElementType() << " vs " << b.getElementType();
  return success();
}

LogicalResult TransposeViewOp::verify() {
  ArrayType in = getSource().getType(), out = getType();
  ArrayRef<int64_t> perm = getPermutation();
  if ((int64_t)perm.size() != in.getRank())
    return emitOpError("permutation has ") << perm.size() << " entries for rank " << in.getRank();
  SmallVector<bool> used(perm.size(), false);
  dmc::Shape expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || used[p])
      return emitOpError("[") << llvm::make_range(perm.begin(), perm.end()) << "] is not a permutation";
    used[p] = true;
    expected.push_back(in.getShape()[p]);
  }
  if (expected != out.getShape())
    return emitOpError("result shape ") << dmc::formatShape(out.getShape()) << " should be "
                                        << dmc::formatShape(expected);
  return verifySameElementType(*this, in, out);
}

LogicalResult ReshapeViewOp::verify() {
  ArrayType in = getSource().getType(), out = getType();
  dmc::Monomial a = dmc::numElements(in.getShape()), b = dmc::numElements(out.getShape());
  if (a != b)
    return emitOpError("changes the element count from ") << a.str() << " to " << b.str();
  return verifySameElementType(*this, in, out);
}

LogicalResult SliceViewOp::verify() {
  ArrayType in = getSource().getType(), out = getType();
  ArrayRef<int64_t> offsets = getOffsets();
  if (in.getRank() != out.getRank() || (int64_t)offsets.size() != in.getRank())
    return emitOpError("needs one offset per dimension and a result of the same rank");
  dmc::Shape src = in.getShape(), dst = out.getShape();
  for (size_t i = 0; i < offsets.size(); ++i) {
    bool fits = offsets[i] >= 0 && (src[i] == dst[i] ? offsets[i] == 0
                                    : !src[i].isSymbolic() && !dst[i].isSymbolic() &&
                                          offsets[i] + dst[i].value <= src[i].value);
    if (!fits)
      return emitOpError("dimension ") << i << ": offset " << offsets[i] << " + size " << dst[i].str()
                                       << " does not provably fit in " << src[i].str();
  }
  return verifySameElementType(*this, in, out);
}

StringRef dmc::sdfg::getInputContainerName(Value container) {
  auto arg = dyn_cast<BlockArgument>(rootOf(container));
  auto sdfg = arg ? dyn_cast_or_null<SDFGOp>(arg.getOwner()->getParentOp()) : SDFGOp();
  if (!sdfg)
    return {};
  int64_t index = arg.getArgNumber(), first = (int64_t)sdfg.getNumSymbols() + (int64_t)sdfg.getNumLocals();
  if (index < first || index >= first + (int64_t)sdfg.getNumInputs())
    return {};
  return sdfg.getArgName(index);
}

LogicalResult CopyOp::verify() {
  if (StringRef input = getInputContainerName(getDest()); !input.empty())
    return emitOpError("writes input container '") << input << "'; inputs are read-only";
  ArrayType in = getSource().getType(), out = getDest().getType();
  if (in.getShape() != out.getShape())
    return emitOpError("copies ") << dmc::formatShape(in.getShape()) << " into "
                                  << dmc::formatShape(out.getShape());
  return verifySameElementType(*this, in, out);
}

#define GET_OP_CLASSES
#include "dialects/SDFG/SDFGOps.cpp.inc"
