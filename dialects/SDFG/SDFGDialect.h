//===- SDFGDialect.h - the sdfg dialect, its types and attributes ---------===//
#ifndef DMC_SDFG_DIALECT_H
#define DMC_SDFG_DIALECT_H

#include "dialects/Support/Shape.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "dialects/SDFG/SDFGDialect.h.inc"
#include "dialects/SDFG/SDFGEnums.h.inc"
#define GET_TYPEDEF_CLASSES
#include "dialects/SDFG/SDFGTypes.h.inc"
#define GET_ATTRDEF_CLASSES
#include "dialects/SDFG/SDFGAttrs.h.inc"

#endif
