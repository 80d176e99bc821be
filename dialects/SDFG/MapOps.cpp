//===- MapOps.cpp - maps, memlets and tasklets ----------------------------===//
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/SubsetPropagation.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace dmc::sdfg;

SDFGOp dmc::sdfg::getEnclosingSDFG(Operation *op) { return op->getParentOfType<SDFGOp>(); }

/// Index operands of maps and memlets must be SDFG symbols or parameters of enclosing maps: index
/// expressions are then affine in those, which subset propagation relies on.
static LogicalResult verifyIndexOperands(Operation *op, ValueRange operands) {
  for (Value v : operands) {
    auto arg = dyn_cast<BlockArgument>(v);
    Operation *owner = arg ? arg.getOwner()->getParentOp() : nullptr;
    bool isSymbol = owner && isa<SDFGOp>(owner) &&
                    arg.getArgNumber() < cast<SDFGOp>(owner).getNumSymbols() + cast<SDFGOp>(owner).getNumLocals();
    bool isParam = owner && isa<MapOp>(owner) && owner->isProperAncestor(op);
    if (!isSymbol && !isParam)
      return op->emitOpError("index operand must be an SDFG symbol or a parameter of an enclosing map");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MapOp
//===----------------------------------------------------------------------===//

// sdfg.map (%i, %j) = (lb...) to (ub...) step (1, 1) schedule(omp) { ... }
ParseResult MapOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  SmallVector<OpAsmParser::Argument> params;
  if (parser.parseArgumentList(params, AsmParser::Delimiter::Paren) || parser.parseEqual())
    return failure();
  for (auto &param : params)
    param.type = b.getIndexType();
  SmallVector<OpAsmParser::UnresolvedOperand> lbOperands, ubOperands;
  AffineMapAttr lbMap, ubMap;
  if (parser.parseAffineMapOfSSAIds(lbOperands, lbMap, getLowerBoundsAttrName(result.name), result.attributes,
                                    AsmParser::Delimiter::Paren) ||
      parser.parseKeyword("to") ||
      parser.parseAffineMapOfSSAIds(ubOperands, ubMap, getUpperBoundsAttrName(result.name), result.attributes,
                                    AsmParser::Delimiter::Paren))
    return failure();
  SmallVector<int64_t> steps;
  if (succeeded(parser.parseOptionalKeyword("step"))) {
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() -> ParseResult {
          return parser.parseInteger(steps.emplace_back());
        }))
      return failure();
  } else {
    steps.assign(params.size(), 1);
  }
  result.addAttribute(getStepsAttrName(result.name), b.getDenseI64ArrayAttr(steps));
  Schedule schedule = Schedule::sequential;
  if (succeeded(parser.parseOptionalKeyword("schedule"))) {
    std::string name;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseLParen() || parser.parseKeywordOrString(&name) || parser.parseRParen())
      return failure();
    auto parsed = symbolizeSchedule(name);
    if (!parsed)
      return parser.emitError(loc, "unknown schedule '") << name << "' (sequential, omp or vector)";
    schedule = *parsed;
  }
  result.addAttribute(getScheduleAttrName(result.name), ScheduleAttr::get(b.getContext(), schedule));
  if (parser.resolveOperands(lbOperands, b.getIndexType(), result.operands) ||
      parser.resolveOperands(ubOperands, b.getIndexType(), result.operands))
    return failure();
  result.addAttribute(getOperandSegmentSizesAttrName(result.name),
                      b.getDenseI32ArrayAttr({(int32_t)lbOperands.size(), (int32_t)ubOperands.size()}));
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, params))
    return failure();
  if (body->empty())
    body->emplaceBlock();
  return success();
}

void MapOp::print(OpAsmPrinter &p) {
  p << " (";
  llvm::interleaveComma(getParams(), p, [&](BlockArgument a) { p.printOperand(a); });
  p << ") = (";
  p.printAffineMapOfSSAIds(getLowerBoundsAttr(), getLowerOperands());
  p << ") to (";
  p.printAffineMapOfSSAIds(getUpperBoundsAttr(), getUpperOperands());
  p << ")";
  if (llvm::any_of(getSteps(), [](int64_t s) { return s != 1; }))
    p << " step (" << getSteps() << ")";
  if (getSchedule() != Schedule::sequential)
    p << " schedule(" << stringifySchedule(getSchedule()) << ")";
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs(), {getLowerBoundsAttrName(), getUpperBoundsAttrName(),
                                                getStepsAttrName(), getScheduleAttrName(),
                                                getOperandSegmentSizesAttrName()});
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}

LogicalResult MapOp::verify() {
  unsigned n = getNumParams();
  if (n == 0)
    return emitOpError("needs at least one parameter");
  if (getLowerBounds().getNumResults() != n || getUpperBounds().getNumResults() != n || getSteps().size() != n)
    return emitOpError("has ") << n << " parameters but " << getLowerBounds().getNumResults()
                               << " lower bounds, " << getUpperBounds().getNumResults() << " upper bounds and "
                               << getSteps().size() << " steps";
  if (getLowerBounds().getNumInputs() != getLowerOperands().size() ||
      getUpperBounds().getNumInputs() != getUpperOperands().size())
    return emitOpError("bound maps and operands disagree in number");
  for (auto [i, step] : llvm::enumerate(getSteps()))
    if (step <= 0)
      return emitOpError("step of parameter ") << i << " must be positive, got " << step;
  for (BlockArgument param : getParams())
    if (!param.getType().isIndex())
      return emitOpError("parameters must have index type");
  if (failed(verifyIndexOperands(*this, getLowerOperands())) ||
      failed(verifyIndexOperands(*this, getUpperOperands())))
    return failure();
  for (Operation &op : getBodyBlock())
    if (!isa<MapOp, LoadOp, StoreOp, TaskletOp>(op))
      return op.emitOpError("cannot appear in a map; maps hold maps, memlets (sdfg.load/sdfg.store) "
                            "and tasklets");
  return success();
}

//===----------------------------------------------------------------------===//
// Memlets
//===----------------------------------------------------------------------===//

static ParseResult parseMemletAccess(OpAsmParser &parser, OperationState &result, StringRef mapAttrName,
                                     OpAsmParser::UnresolvedOperand &array, ArrayType &type) {
  SmallVector<OpAsmParser::UnresolvedOperand> indices;
  AffineMapAttr map;
  Builder &b = parser.getBuilder();
  if (parser.parseOperand(array) ||
      parser.parseAffineMapOfSSAIds(indices, map, mapAttrName, result.attributes, AsmParser::Delimiter::Square))
    return failure();
  // Optional write-conflict resolution (stores only; the verifier of a load would reject the attribute).
  if (succeeded(parser.parseOptionalKeyword("wcr"))) {
    std::string name;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseLParen() || parser.parseKeywordOrString(&name) || parser.parseRParen())
      return failure();
    auto wcr = symbolizeWCR(name);
    if (!wcr)
      return parser.emitError(loc, "unknown write-conflict resolution '") << name << "' (sum, max, min, product)";
    result.addAttribute("wcr", WCRAttr::get(b.getContext(), *wcr));
  }
  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColonType(type) ||
      parser.resolveOperand(array, type, result.operands) ||
      parser.resolveOperands(indices, b.getIndexType(), result.operands))
    return failure();
  return success();
}

/// Shared checks of loads and stores: arity, operands, and bounds where decidable.
static LogicalResult verifyMemlet(Operation *op, ArrayType type, AffineMap map, ValueRange indices) {
  if (map.getNumResults() != type.getRank())
    return op->emitOpError("has ") << map.getNumResults() << " indices for a container of rank " << type.getRank();
  if (map.getNumInputs() != indices.size())
    return op->emitOpError("index map and operands disagree in number");
  if (failed(verifyIndexOperands(op, indices)))
    return failure();
  SDFGOp sdfg = getEnclosingSDFG(op);
  auto onlyFreeSymbols = [&](const LinearExpr &e) {
    return llvm::all_of(e.terms, [&](auto &term) {
      auto arg = dyn_cast<BlockArgument>(term.first);
      return arg && arg.getOwner()->getParentOp() == sdfg.getOperation() &&
             arg.getArgNumber() < sdfg.getNumSymbols();
    });
  };
  // Bounds are decidable when every enclosing map has unit steps and provably non-empty ranges: then
  // the extremes of an affine index are attained. Only free symbols (positive sizes) may remain: map
  // parameters can be 0, so an extent like `%i` (from `%i to %i * 2`) proves nothing.
  for (auto map = op->getParentOfType<MapOp>(); map; map = map->getParentOfType<MapOp>()) {
    if (llvm::any_of(map.getSteps(), [](int64_t s) { return s != 1; }))
      return success();
    for (unsigned i = 0; i < map.getNumParams(); ++i) {
      auto lb = toLinear(map.getLowerBounds().getResult(i), map.getLowerOperands(),
                         map.getLowerBounds().getNumDims());
      auto ub = toLinear(map.getUpperBounds().getResult(i), map.getUpperOperands(),
                         map.getUpperBounds().getNumDims());
      if (!lb || !ub)
        return success();
      LinearExpr extent = ub->add(*lb, -1);
      if (!onlyFreeSymbols(extent) || !extent.provablyAtLeast(1))
        return success();
    }
  }
  dmc::Shape shape = type.getShape();
  SmallVector<Range> subset = memletSubset(op);
  for (auto [dim, range] : llvm::enumerate(subset)) {
    if (range.min && onlyFreeSymbols(*range.min) && range.min->provablyBelow(0))
      return op->emitOpError("index ") << dim << " can be negative (out of bounds of " << type << ")";
    if (!range.max || !onlyFreeSymbols(*range.max))
      continue;
    LinearExpr extent = *range.max; // max - size >= 0 means out of bounds
    if (shape[dim].isSymbolic())
      extent.terms[sdfg.lookupSymbolArg(shape[dim].symbol)] -= 1;
    else
      extent.constant -= shape[dim].value;
    llvm::MapVector<Value, int64_t> nonzero;
    for (auto [v, c] : extent.terms)
      if (c)
        nonzero[v] = c;
    extent.terms = nonzero;
    if (extent.provablyAtLeast(0))
      return op->emitOpError("index ") << dim << " reaches past dimension " << shape[dim].str() << " of "
                                       << type;
  }
  return success();
}

// %v = sdfg.load %A[%i, %j + 1] : !sdfg.array<f32[S, 64]>
ParseResult LoadOp::parse(OpAsmParser &parser, OperationState &result) {
  OpAsmParser::UnresolvedOperand array;
  ArrayType type;
  if (parseMemletAccess(parser, result, getMapAttrName(result.name), array, type))
    return failure();
  result.addTypes(type.getElementType());
  return success();
}

void LoadOp::print(OpAsmPrinter &p) {
  p << " " << getArray() << "[";
  p.printAffineMapOfSSAIds(getMapAttr(), getIndices());
  p << "]";
  p.printOptionalAttrDict((*this)->getAttrs(), {getMapAttrName()});
  p << " : " << getArray().getType();
}

LogicalResult LoadOp::verify() {
  if ((*this)->hasAttr("wcr"))
    return emitOpError("a read cannot have a write-conflict resolution");
  if (getResult().getType() != getArray().getType().getElementType())
    return emitOpError("result type ") << getResult().getType() << " differs from the element type";
  return verifyMemlet(*this, getArray().getType(), getMap(), getIndices());
}

// sdfg.store %v, %A[%i, %j] wcr(sum) : !sdfg.array<f32[S, 64]>
ParseResult StoreOp::parse(OpAsmParser &parser, OperationState &result) {
  OpAsmParser::UnresolvedOperand value, array;
  ArrayType type;
  if (parser.parseOperand(value) || parser.parseComma())
    return failure();
  // The value operand comes first in the op's operand list.
  size_t before = result.operands.size();
  if (parseMemletAccess(parser, result, getMapAttrName(result.name), array, type))
    return failure();
  SmallVector<Value> resolved;
  if (parser.resolveOperand(value, type.getElementType(), resolved))
    return failure();
  result.operands.insert(result.operands.begin() + before, resolved.front());
  return success();
}

void StoreOp::print(OpAsmPrinter &p) {
  p << " " << getValue() << ", " << getArray() << "[";
  p.printAffineMapOfSSAIds(getMapAttr(), getIndices());
  p << "]";
  if (auto wcr = getWcr())
    p << " wcr(" << stringifyWCR(*wcr) << ")";
  p.printOptionalAttrDict((*this)->getAttrs(), {getMapAttrName(), getWcrAttrName()});
  p << " : " << getArray().getType();
}

LogicalResult StoreOp::verify() {
  if (getValue().getType() != getArray().getType().getElementType())
    return emitOpError("stores ") << getValue().getType() << " into a container of "
                                  << getArray().getType().getElementType();
  // Also through views: a view of an input aliases its memory.
  if (StringRef input = getInputContainerName(getArray()); !input.empty())
    return emitOpError("writes input container '") << input << "'; inputs are read-only";
  return verifyMemlet(*this, getArray().getType(), getMap(), getIndices());
}

//===----------------------------------------------------------------------===//
// TaskletOp
//===----------------------------------------------------------------------===//

void TaskletOp::build(OpBuilder &builder, OperationState &state, TypeRange resultTypes, ValueRange operands) {
  state.addOperands(operands);
  state.addTypes(resultTypes);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value v : operands)
    block->addArgument(v.getType(), v.getLoc());
}

// %r = sdfg.tasklet (%a = %x : f32, %b = %y : f32) -> f32 { ... }
ParseResult TaskletOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::Argument> args;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() -> ParseResult {
        OpAsmParser::Argument arg;
        OpAsmParser::UnresolvedOperand operand;
        if (parser.parseArgument(arg) || parser.parseEqual() || parser.parseOperand(operand) ||
            parser.parseColonType(arg.type))
          return failure();
        args.push_back(arg);
        operands.push_back(operand);
        return success();
      }))
    return failure();
  for (auto [arg, operand] : llvm::zip(args, operands))
    if (parser.resolveOperand(operand, arg.type, result.operands))
      return failure();
  if (parser.parseArrowTypeList(result.types) || parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, args))
    return failure();
  TaskletOp::ensureTerminator(*body, parser.getBuilder(), result.location);
  return success();
}

void TaskletOp::print(OpAsmPrinter &p) {
  p << " (";
  llvm::interleaveComma(llvm::zip(getBody().getArguments(), getOperands()), p, [&](auto pair) {
    auto [arg, operand] = pair;
    p << arg << " = " << operand << " : " << operand.getType();
  });
  p << ") -> ";
  if (getNumResults() == 1)
    p << getResult(0).getType();
  else
    p << "(" << getResultTypes() << ")";
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs());
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}

LogicalResult TaskletOp::verify() {
  Block &block = getBody().front();
  if (block.getNumArguments() != getNumOperands())
    return emitOpError("has ") << getNumOperands() << " operands but " << block.getNumArguments()
                               << " body arguments";
  for (auto [arg, operand] : llvm::zip(block.getArguments(), getOperands()))
    if (arg.getType() != operand.getType())
      return emitOpError("body argument type ") << arg.getType() << " differs from operand type "
                                                << operand.getType();
  if (getLabel() && !dmc::isIdentifier(getLabel()->str()))
    return emitOpError("label '") << dmc::printable(getLabel()->str()) << "' is not an identifier";
  return verifyScalarRegion(*this, getBody(), getResultTypes());
}
