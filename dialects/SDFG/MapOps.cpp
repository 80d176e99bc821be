//===- MapOps.cpp - maps, memlets and tasklets ----------------------------===//
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/LocalSymbolRanges.h"
#include "dialects/SDFG/SubsetPropagation.h"
#include "dialects/SDFG/WriteOwnership.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace dmc::sdfg;

SDFGOp dmc::sdfg::getEnclosingSDFG(Operation *op) { return op->getParentOfType<SDFGOp>(); }

/// Index expressions are then affine in symbols and parameters (and tile extents and starts, which
/// bounds proofs replace by any of their expressions in the direction they bound), which subset
/// propagation relies on.
LogicalResult dmc::sdfg::verifyIndexOperands(Operation *op, ValueRange operands, TileBounds allowed) {
  for (Value v : operands) {
    if (auto min = v.getDefiningOp<MinOp>()) {
      if (allowed != TileBounds::extents)
        return op->emitOpError("index operand cannot be a tile extent (sdfg.min); use it in map upper bounds "
                               "and micro-kernel arguments");
      if (!min->getBlock()->getParentOp()->isProperAncestor(op))
        return op->emitOpError("tile extent operand must be defined in an enclosing map body");
      continue;
    }
    if (auto max = v.getDefiningOp<MaxOp>()) {
      if (allowed != TileBounds::starts)
        return op->emitOpError("index operand cannot be a tile start (sdfg.max); use it in map lower bounds");
      if (!max->getBlock()->getParentOp()->isProperAncestor(op))
        return op->emitOpError("tile start operand must be defined in an enclosing map body");
      continue;
    }
    auto arg = dyn_cast<BlockArgument>(v);
    Operation *owner = arg ? arg.getOwner()->getParentOp() : nullptr;
    bool isSymbol = owner && isa<SDFGOp>(owner) &&
                    arg.getArgNumber() < cast<SDFGOp>(owner).getNumSymbols() + cast<SDFGOp>(owner).getNumLocals();
    bool isParam = owner && isa<MapOp>(owner) && owner->isProperAncestor(op);
    if (!isSymbol && !isParam)
      return op->emitOpError("index operand must be an SDFG symbol or a parameter of an enclosing map")
             << (allowed == TileBounds::extents ? " or a tile extent (sdfg.min) of an enclosing map body"
                 : allowed == TileBounds::starts ? " or a tile start (sdfg.max) of an enclosing map body"
                                                 : "");
  }
  return success();
}

/// The first division or remainder in `expr` whose divisor is neither a positive constant nor a free
/// symbol (positive at run time), or null: those could divide by zero in the generated code.
static AffineExpr findUnsafeDivisor(AffineExpr expr, ValueRange operands, unsigned numDims) {
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin)
    return {};
  if (expr.getKind() == AffineExprKind::Mod || expr.getKind() == AffineExprKind::FloorDiv ||
      expr.getKind() == AffineExprKind::CeilDiv) {
    AffineExpr divisor = bin.getRHS();
    bool safe = false;
    if (auto c = dyn_cast<AffineConstantExpr>(divisor))
      safe = c.getValue() > 0;
    else if (auto s = dyn_cast<AffineSymbolExpr>(divisor))
      safe = numDims + s.getPosition() < operands.size() && isFreeSymbol(operands[numDims + s.getPosition()]);
    else if (auto d = dyn_cast<AffineDimExpr>(divisor))
      safe = d.getPosition() < operands.size() && isFreeSymbol(operands[d.getPosition()]);
    if (!safe)
      return expr;
  }
  if (AffineExpr found = findUnsafeDivisor(bin.getLHS(), operands, numDims))
    return found;
  return findUnsafeDivisor(bin.getRHS(), operands, numDims);
}

LogicalResult dmc::sdfg::verifyDivisors(Operation *op, AffineMap map, ValueRange operands) {
  for (AffineExpr result : map.getResults())
    if (AffineExpr unsafe = findUnsafeDivisor(result, operands, map.getNumDims())) {
      std::string text;
      llvm::raw_string_ostream os(text);
      unsafe.print(os);
      return op->emitOpError("'") << text << "' divides by something that may be zero or negative; "
                                  << "divide by positive constants or free symbols";
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
  if (Attribute dynamic = (*this)->getAttr(kDynamicAttr)) {
    if (!isa<UnitAttr>(dynamic))
      return emitOpError("'dynamic' must be a unit attribute");
    if (getSchedule() != Schedule::omp)
      return emitOpError("'dynamic' needs schedule omp, got ") << stringifySchedule(getSchedule());
  }
  if (failed(verifyIndexOperands(*this, getLowerOperands(), TileBounds::starts)) ||
      failed(verifyIndexOperands(*this, getUpperOperands(), TileBounds::extents)) ||
      failed(verifyDivisors(*this, getLowerBounds(), getLowerOperands())) ||
      failed(verifyDivisors(*this, getUpperBounds(), getUpperOperands())))
    return failure();
  for (Operation &op : getBodyBlock())
    if (!isa<MapOp, LoadOp, StoreOp, TaskletOp, MinOp, MaxOp, UKernelOp>(op))
      return op.emitOpError("cannot appear in a map; maps hold maps, memlets (sdfg.load/sdfg.store), "
                            "tasklets, tile extents and starts (sdfg.min/max) and micro-kernel calls (sdfg.ukernel)");
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
    if (succeeded(parser.parseOptionalKeyword("owned")))
      result.addAttribute("owned", b.getUnitAttr());
  }
  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColonType(type) ||
      parser.resolveOperand(array, type, result.operands) ||
      parser.resolveOperands(indices, b.getIndexType(), result.operands))
    return failure();
  return success();
}

LogicalResult dmc::sdfg::verifyIndexBounds(Operation *op, ArrayType type, AffineMap low, AffineMap high,
                                           ValueRange indices);

/// Shared checks of loads and stores: arity, operands and bounds.
static LogicalResult verifyMemlet(Operation *op, ArrayType type, AffineMap map, ValueRange indices) {
  if (map.getNumResults() != type.getRank())
    return op->emitOpError("has ") << map.getNumResults() << " indices for a container of rank " << type.getRank();
  if (map.getNumInputs() != indices.size())
    return op->emitOpError("index map and operands disagree in number");
  if (failed(verifyIndexOperands(op, indices)) || failed(verifyDivisors(op, map, indices)))
    return failure();
  return verifyIndexBounds(op, type, map, map, indices);
}

/// Proves that every index of a memlet lies in [0, dim) over the iteration space of all enclosing maps,
/// for every positive value of the SDFG's free symbols; rejects the memlet when it cannot. `low` gives
/// the smallest index per dimension and `high` the largest (the same map for a memlet; a tile's last
/// element for a micro-kernel). The bounds come from boundsOver (innermost parameter first,
/// mod/floordiv conservatively; any expression of a tile extent `sdfg.min` or a tile start `sdfg.max`),
/// so the proof is sound but not complete: an index that is in bounds only because some range is
/// empty, or only for particular symbol values, is rejected too.
LogicalResult dmc::sdfg::verifyIndexBounds(Operation *op, ArrayType type, AffineMap low, AffineMap high,
                                           ValueRange indices) {
  SDFGOp sdfg = getEnclosingSDFG(op);
  if (!sdfg)
    return success(); // outside an SDFG the structural verifiers already fail
  auto nameOf = [&](Value v) -> std::string {
    auto arg = dyn_cast<BlockArgument>(v);
    if (arg && arg.getOwner()->getParentOp() == sdfg.getOperation())
      return sdfg.getArgName(arg.getArgNumber()).str();
    return "<map parameter>";
  };
  dmc::Shape shape = type.getShape();
  std::optional<llvm::DenseMap<Value, Range>> localRanges; // computed for the first local symbol met
  // Local symbols: replaced by the ends of their ranges in this state (loop counters of the state
  // machine), in the direction of their coefficients.
  auto withoutLocals = [&](const LinearExpr &end, bool wantMax, unsigned index) -> FailureOr<LinearExpr> {
    LinearExpr result = LinearExpr::of(end.constant);
    result.overflowed = end.overflowed;
    for (auto [value, coeff] : end.terms) {
      if (isFreeSymbol(value)) {
        result.add(LinearExpr::term(value, coeff));
        continue;
      }
      auto state = op->getParentOfType<StateOp>();
      if (!state)
        return op->emitOpError("must be inside a map of a state");
      if (!localRanges)
        localRanges = localSymbolRanges(sdfg, state);
      Range range = localRanges->lookup(value);
      const std::optional<LinearExpr> &replacement = (coeff > 0) == wantMax ? range.max : range.min;
      if (!replacement)
        return op->emitOpError("index ")
               << index << " of " << type << " cannot be bounded: local symbol '" << nameOf(value)
               << "' has no known " << ((coeff > 0) == wantMax ? "upper" : "lower") << " bound in this state";
      result.add(*replacement, coeff);
    }
    return result;
  };
  // Null when some candidate bound (local symbols replaced) satisfies `holds`; else the first candidate,
  // for the diagnostic.
  auto firstUnproven = [&](ArrayRef<LinearExpr> candidates, bool wantMax, unsigned index,
                           llvm::function_ref<bool(const LinearExpr &)> holds)
      -> FailureOr<std::optional<LinearExpr>> {
    std::optional<LinearExpr> first;
    for (const LinearExpr &candidate : candidates) {
      auto bound = withoutLocals(candidate, wantMax, index);
      if (failed(bound))
        return failure();
      if (holds(*bound))
        return std::optional<LinearExpr>();
      if (!first)
        first = *bound;
    }
    return first;
  };
  for (unsigned index = 0; index < low.getNumResults(); ++index) {
    std::string whyNot;
    auto mins = boundsOver(low.getResult(index), indices, low.getNumDims(), /*scope=*/nullptr, /*wantMax=*/false,
                           &whyNot);
    auto maxes = !mins.empty() ? boundsOver(high.getResult(index), indices, high.getNumDims(), nullptr,
                                            /*wantMax=*/true, &whyNot)
                               : SmallVector<LinearExpr, 4>();
    if (mins.empty() || maxes.empty())
      return op->emitOpError("index ") << index << " of " << type << " cannot be bounded: " << whyNot;
    // Non-negative when any of the minima is provably >= 0.
    auto unprovenLeast = firstUnproven(mins, /*wantMax=*/false, index,
                                       [](const LinearExpr &least) { return least.provablyAtLeast(0); });
    if (failed(unprovenLeast))
      return failure();
    if (*unprovenLeast)
      return op->emitOpError("index ") << index << " may be negative: its smallest value "
                                       << (*unprovenLeast)->format(nameOf) << " is not provably >= 0 (" << type
                                       << ")";
    // In bounds when dim - 1 - max >= 0 for every positive value of the symbols, for any of the maxima.
    LinearExpr limit = LinearExpr::of(-1);
    if (shape[index].isSymbolic()) {
      BlockArgument size = sdfg.lookupSymbolArg(shape[index].symbol);
      if (!size)
        return success(); // sdfg.sdfg's verifier reports the undefined symbol
      limit.terms[size] = 1;
    } else
      limit.constant += shape[index].value;
    auto unprovenMost = firstUnproven(maxes, /*wantMax=*/true, index, [&](const LinearExpr &most) {
      LinearExpr slack = limit;
      return slack.add(most, -1).provablyAtLeast(0);
    });
    if (failed(unprovenMost))
      return failure();
    if (*unprovenMost) {
      std::string last = shape[index].isSymbolic() ? shape[index].symbol + " - 1"
                                                   : std::to_string(shape[index].value - 1);
      return op->emitOpError("index ") << index << " may run past dimension " << shape[index].str() << " of "
                                       << type << ": its largest value " << (*unprovenMost)->format(nameOf)
                                       << " is not provably <= " << last;
    }
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
  SmallVector<StringRef, 3> elided = {getMapAttrName(), getWcrAttrName()};
  if (auto wcr = getWcr()) {
    p << " wcr(" << stringifyWCR(*wcr) << ")";
    if (getOwned()) {
      p << " owned";
      elided.push_back(getOwnedAttrName());
    }
  }
  p.printOptionalAttrDict((*this)->getAttrs(), elided);
  p << " : " << getArray().getType();
}

LogicalResult StoreOp::verify() {
  if (getValue().getType() != getArray().getType().getElementType())
    return emitOpError("stores ") << getValue().getType() << " into a container of "
                                  << getArray().getType().getElementType();
  // Also through views: a view of an input aliases its memory.
  if (StringRef input = getInputContainerName(getArray()); !input.empty())
    return emitOpError("writes input container '") << input << "'; inputs are read-only";
  if (getOwned() && !getWcr())
    return emitOpError("is marked owned without a write-conflict resolution; only wcr stores can be owned");
  // The emitter leaves an owned update unsynchronised, so the claim must hold.
  if (getOwned() && !isOwnedByIteration(*this))
    return emitOpError("is marked owned, but iterations of an enclosing omp map may update the same element");
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
