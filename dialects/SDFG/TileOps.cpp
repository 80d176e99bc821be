//===- TileOps.cpp - tile extents and starts (sdfg.min/max), micro-kernel calls ===//
#include "dialects/SDFG/MicroKernels.h"
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/Views.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace dmc::sdfg;

//===----------------------------------------------------------------------===//
// MinOp, MaxOp
//===----------------------------------------------------------------------===//

namespace {
// (%a, %b + 1): the expressions as an affine map of SSA ids.
ParseResult parseExpressions(OpAsmParser &parser, OperationState &result, StringRef mapAttrName) {
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  AffineMapAttr map;
  if (parser.parseAffineMapOfSSAIds(operands, map, mapAttrName, result.attributes, AsmParser::Delimiter::Paren) ||
      parser.parseOptionalAttrDict(result.attributes) ||
      parser.resolveOperands(operands, parser.getBuilder().getIndexType(), result.operands))
    return failure();
  result.addTypes(parser.getBuilder().getIndexType());
  return success();
}

void printExpressions(OpAsmPrinter &p, Operation *op, AffineMapAttr map, ValueRange operands, StringRef mapAttrName) {
  p << " (";
  p.printAffineMapOfSSAIds(map, operands);
  p << ")";
  p.printOptionalAttrDict(op->getAttrs(), {mapAttrName});
}

LogicalResult verifyExpressions(Operation *op, AffineMap map, ValueRange operands) {
  if (map.getNumResults() == 0)
    return op->emitOpError("needs at least one expression");
  if (map.getNumInputs() != operands.size())
    return op->emitOpError("map and operands disagree in number");
  if (failed(verifyIndexOperands(op, operands)))
    return failure();
  return verifyDivisors(op, map, operands);
}
} // namespace

// %rows = sdfg.min (96, %M - %mb * 96)
ParseResult MinOp::parse(OpAsmParser &parser, OperationState &result) {
  return parseExpressions(parser, result, getMapAttrName(result.name));
}

void MinOp::print(OpAsmPrinter &p) { printExpressions(p, *this, getMapAttr(), getOperands(), getMapAttrName()); }

LogicalResult MinOp::verify() { return verifyExpressions(*this, getMap(), getOperands()); }

// %first = sdfg.max (0, (%qb * 64 - 16) floordiv 128)
ParseResult MaxOp::parse(OpAsmParser &parser, OperationState &result) {
  return parseExpressions(parser, result, getMapAttrName(result.name));
}

void MaxOp::print(OpAsmPrinter &p) { printExpressions(p, *this, getMapAttr(), getOperands(), getMapAttrName()); }

LogicalResult MaxOp::verify() { return verifyExpressions(*this, getMap(), getOperands()); }

//===----------------------------------------------------------------------===//
// UKernelOp
//===----------------------------------------------------------------------===//

AffineMap UKernelOp::getOrigin(unsigned i) { return cast<AffineMapAttr>(getOrigins()[i]).getValue(); }

ValueRange UKernelOp::getOriginIndices(unsigned i) {
  unsigned start = 0;
  for (unsigned k = 0; k < i; ++k)
    start += getOrigin(k).getNumInputs();
  return getIndices().slice(start, getOrigin(i).getNumInputs());
}

namespace {
/// `ins(%a[...], %b[...])`: each operand with the origin of its tile.
ParseResult parseTiles(OpAsmParser &parser, StringRef keyword, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &tiles,
                       SmallVectorImpl<Attribute> &origins, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &indices) {
  if (parser.parseKeyword(keyword))
    return failure();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() -> ParseResult {
    NamedAttrList attrs;
    AffineMapAttr map;
    SmallVector<OpAsmParser::UnresolvedOperand> own; // the parser assigns, not appends, operands
    if (parser.parseOperand(tiles.emplace_back()) ||
        parser.parseAffineMapOfSSAIds(own, map, "origin", attrs, AsmParser::Delimiter::Square))
      return failure();
    origins.push_back(map);
    indices.append(own.begin(), own.end());
    return success();
  });
}
} // namespace

// sdfg.ukernel "gemm_12x32" ins(%a[%i, 0, 0], ...) outs(%c[...]) args(%kc, %k) : types
ParseResult UKernelOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  StringAttr kernel;
  SmallVector<OpAsmParser::UnresolvedOperand> ins, outs, indices, args;
  SmallVector<Attribute> origins;
  if (parser.parseAttribute(kernel, b.getNoneType(), getKernelAttrName(result.name), result.attributes) ||
      parseTiles(parser, "ins", ins, origins, indices) || parseTiles(parser, "outs", outs, origins, indices) ||
      parser.parseKeyword("args") || parser.parseOperandList(args, AsmParser::Delimiter::Paren) ||
      parser.parseOptionalAttrDict(result.attributes) || parser.parseColon())
    return failure();
  SmallVector<Type> types;
  SMLoc typesLoc = parser.getCurrentLocation();
  if (parser.parseTypeList(types))
    return failure();
  if (types.size() != ins.size() + outs.size())
    return parser.emitError(typesLoc, "expected ") << ins.size() + outs.size() << " container types";
  result.addAttribute(getOriginsAttrName(result.name), b.getArrayAttr(origins));
  if (parser.resolveOperands(ins, ArrayRef(types).take_front(ins.size()), typesLoc, result.operands) ||
      parser.resolveOperands(outs, ArrayRef(types).drop_front(ins.size()), typesLoc, result.operands) ||
      parser.resolveOperands(indices, b.getIndexType(), result.operands) ||
      parser.resolveOperands(args, b.getIndexType(), result.operands))
    return failure();
  result.addAttribute(getOperandSegmentSizesAttrName(result.name),
                      b.getDenseI32ArrayAttr({(int32_t)ins.size(), (int32_t)outs.size(), (int32_t)indices.size(),
                                              (int32_t)args.size()}));
  return success();
}

void UKernelOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printAttributeWithoutType(getKernelAttr());
  unsigned n = getInputs().size();
  auto printTiles = [&](StringRef keyword, unsigned from, unsigned count) {
    p << " " << keyword << "(";
    for (unsigned i = from; i < from + count; ++i) {
      p << (i == from ? "" : ", ") << getTiles()[i] << "[";
      p.printAffineMapOfSSAIds(cast<AffineMapAttr>(getOrigins()[i]), getOriginIndices(i));
      p << "]";
    }
    p << ")";
  };
  printTiles("ins", 0, n);
  printTiles("outs", n, getOutputs().size());
  p << " args(" << getArgs() << ")";
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {getKernelAttrName(), getOriginsAttrName(), getOperandSegmentSizesAttrName()});
  p << " : ";
  llvm::interleaveComma(getTiles().getTypes(), p);
}

LogicalResult UKernelOp::verify() {
  const MicroKernel *kernel = lookupMicroKernel(getKernel());
  if (!kernel) {
    std::string known;
    for (const MicroKernel &k : microKernels())
      known += (known.empty() ? "" : ", ") + k.name.str();
    return emitOpError("unknown micro-kernel '") << getKernel() << "' (known: " << known << ")";
  }
  if (getInputs().size() != kernel->inputs.size() || getOutputs().size() != kernel->outputs.size() ||
      getArgs().size() != kernel->argNames.size())
    return emitOpError("'") << getKernel() << "' takes " << kernel->inputs.size() << " inputs, "
                            << kernel->outputs.size() << " outputs and " << kernel->argNames.size()
                            << " arguments";
  if (getOrigins().size() != getTiles().size() || !llvm::all_of(getOrigins(), llvm::IsaPred<AffineMapAttr>))
    return emitOpError("needs one origin map per container");
  unsigned inputsUsed = 0;
  for (unsigned i = 0; i < getTiles().size(); ++i)
    inputsUsed += getOrigin(i).getNumInputs();
  if (inputsUsed != getIndices().size())
    return emitOpError("origin maps and index operands disagree in number");
  if (failed(verifyIndexOperands(*this, getIndices())) ||
      failed(verifyIndexOperands(*this, getArgs(), TileBounds::extents)))
    return failure();
  for (auto [i, tile] : llvm::enumerate(getTiles())) {
    auto type = cast<ArrayType>(tile.getType());
    const TileOperand &spec =
        i < kernel->inputs.size() ? kernel->inputs[i] : kernel->outputs[i - kernel->inputs.size()];
    AffineMap origin = getOrigin(i);
    ValueRange indices = getOriginIndices(i);
    if (!type.getElementType().isF32())
      return emitOpError("runs on f32 containers, got ") << type;
    std::vector<TileExtent> extents = tileExtents(spec, type.getRank());
    if (origin.getNumResults() != (unsigned)type.getRank() || extents.empty())
      return emitOpError("operand ") << i << " of '" << getKernel() << "' must have rank "
                                     << spec.extents.size() << (spec.leadingUnitDims ? " or more" : "")
                                     << " with one origin index per dimension, got " << type;
    if (spec.packed && isa_and_nonnull<TransposeViewOp, ReshapeViewOp, SliceViewOp>(tile.getDefiningOp()))
      return emitOpError("operand ") << i << " of '" << getKernel() << "' must be a packed container, not a view";
    if (spec.stridedRows) {
      std::optional<StridedLayout> layout = stridedLayout(tile);
      if (!layout || layout->strides.empty() || layout->strides.back() != dmc::Monomial{})
        return emitOpError("operand ") << i << " of '" << getKernel()
                                       << "' must have a contiguous last dimension and evenly spaced rows";
    }
    for (auto [k, size] : llvm::enumerate(spec.trailingDims)) {
      const dmc::Dim d = type.getShape()[type.getRank() - 1 - k]; // a copy: getShape() returns a temporary
      if (d.isSymbolic() || d.value != size)
        return emitOpError("operand ") << i << " of '" << getKernel() << "' needs dimension "
                                       << type.getRank() - 1 - k << " of size " << size << ", got " << type;
    }
    if (i >= kernel->inputs.size())
      if (StringRef input = getInputContainerName(tile); !input.empty())
        return emitOpError("writes input container '") << input << "'; inputs are read-only";
    if (failed(verifyDivisors(*this, origin, indices)))
      return failure();
    // The tile's last element: origin + extent - 1 per dimension, over the origin's operands (as dims)
    // followed by the kernel's arguments.
    MLIRContext *ctx = getContext();
    unsigned numInputs = origin.getNumInputs();
    SmallVector<AffineExpr> asDims;
    for (unsigned s = 0; s < origin.getNumSymbols(); ++s)
      asDims.push_back(getAffineDimExpr(origin.getNumDims() + s, ctx));
    AffineMap low = origin.replaceDimsAndSymbols({}, asDims, numInputs + getArgs().size(), 0);
    SmallVector<AffineExpr> last;
    for (auto [d, extent] : llvm::enumerate(extents))
      last.push_back(low.getResult(d) + (extent.arg >= 0 ? getAffineDimExpr(numInputs + extent.arg, ctx) - 1
                                                          : getAffineConstantExpr(extent.constant - 1, ctx)));
    AffineMap high = AffineMap::get(numInputs + getArgs().size(), 0, last, ctx);
    SmallVector<Value> operands(indices.begin(), indices.end());
    operands.append(getArgs().begin(), getArgs().end());
    if (failed(verifyIndexBounds(*this, type, low, high, operands)))
      return failure();
  }
  return success();
}
