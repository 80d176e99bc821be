//===- SDFGDialect.cpp - dialect registration and the array type ----------===//
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dmc::sdfg;

#include "dialects/SDFG/SDFGDialect.cpp.inc"
#include "dialects/SDFG/SDFGEnums.cpp.inc"
#define GET_TYPEDEF_CLASSES
#include "dialects/SDFG/SDFGTypes.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/SDFG/SDFGAttrs.cpp.inc"

void SDFGDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/SDFG/SDFGOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/SDFG/SDFGTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/SDFG/SDFGAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ArrayType
//===----------------------------------------------------------------------===//

dmc::Shape ArrayType::getShape() const {
  dmc::Shape shape;
  for (Attribute dim : getDims()) {
    if (auto name = llvm::dyn_cast<StringAttr>(dim))
      shape.push_back(dmc::Dim::named(name.str()));
    else
      shape.push_back(dmc::Dim::constant(llvm::cast<IntegerAttr>(dim).getInt()));
  }
  return shape;
}

ArrayType ArrayType::get(Type elementType, const dmc::Shape &shape) {
  MLIRContext *ctx = elementType.getContext();
  SmallVector<Attribute> dims;
  for (const dmc::Dim &d : shape)
    dims.push_back(d.isSymbolic() ? Attribute(StringAttr::get(ctx, d.symbol))
                                  : Attribute(IntegerAttr::get(IntegerType::get(ctx, 64), d.value)));
  return ArrayType::get(ctx, elementType, dims);
}

LogicalResult ArrayType::verify(function_ref<InFlightDiagnostic()> emitError, Type elementType,
                                ArrayRef<Attribute> dims) {
  if (!elementType.isIntOrIndexOrFloat())
    return emitError() << "array element type must be a scalar integer or float, got " << elementType;
  for (Attribute dim : dims) {
    if (auto name = llvm::dyn_cast<StringAttr>(dim)) {
      if (!dmc::isIdentifier(name.str()))
        return emitError() << "array dimension '" << dmc::printable(name.str()) << "' is not a symbol name";
    } else if (auto size = llvm::dyn_cast<IntegerAttr>(dim)) {
      if (size.getInt() <= 0)
        return emitError() << "array dimension must be positive, got " << size.getInt();
    } else {
      return emitError() << "array dimension must be an integer or a symbol name";
    }
  }
  return success();
}

// !sdfg.array<f32[S, 64]>
Type ArrayType::parse(AsmParser &parser) {
  Type elementType;
  SmallVector<Attribute> dims;
  MLIRContext *ctx = parser.getContext();
  if (parser.parseLess() || parser.parseType(elementType))
    return {};
  auto parseDim = [&]() -> ParseResult {
    int64_t size = 0;
    OptionalParseResult isInt = parser.parseOptionalInteger(size);
    if (isInt.has_value()) {
      if (failed(*isInt))
        return failure();
      dims.push_back(IntegerAttr::get(IntegerType::get(ctx, 64), size));
      return success();
    }
    std::string name;
    if (parser.parseKeywordOrString(&name))
      return failure();
    dims.push_back(StringAttr::get(ctx, name));
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseDim) || parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); }, ctx, elementType, dims);
}

void ArrayType::print(AsmPrinter &printer) const {
  printer << "<" << getElementType() << "[";
  llvm::interleaveComma(getShape(), printer, [&](const dmc::Dim &d) { printer << d.str(); });
  printer << "]>";
}
