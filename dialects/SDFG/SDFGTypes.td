//===- SDFGTypes.td - container types --------------------------*- tablegen -*-===//
#ifndef DMC_SDFG_TYPES
#define DMC_SDFG_TYPES

include "dialects/SDFG/SDFGBase.td"

def SDFG_ArrayType : TypeDef<SDFG_Dialect, "Array"> {
  let mnemonic = "array";
  let summary = "a dense row-major data container with a shape of constant and symbolic dimensions";
  let description = [{
    `!sdfg.array<f32[S, 64]>`: element type, then the shape. A dimension is a positive integer or the name
    of a symbol of the enclosing `sdfg.sdfg`. Rank 0 (`!sdfg.array<f32[]>`) is a scalar container.
  }];
  // Each dimension is an i64 IntegerAttr (constant) or a StringAttr (symbol name).
  let parameters = (ins "::mlir::Type":$elementType,
                        ArrayRefParameter<"::mlir::Attribute", "dimensions">:$dims);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getRank() const { return getDims().size(); }
    ::dmc::Shape getShape() const;
    static ArrayType get(::mlir::Type elementType, const ::dmc::Shape &shape);
  }];
}

#endif
