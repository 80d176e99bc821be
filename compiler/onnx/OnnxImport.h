//===- OnnxImport.h - an ONNX model to SDFG IR -----------------------------===//
//
// `dmc import|compile|run MODEL.onnx`: the model is translated into dmc's graph description (the JSON
// format of docs/graph-format.md, built in memory) and handed to the JSON importer, so the IR has one
// builder and all of its checks. Initializers become constant inputs: their data travel in the IR
// (the `dmc.constants` attribute of the sdfg.sdfg) and the compiled library loads them when it is
// created (docs/onnx.md).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_ONNX_ONNXIMPORT_H
#define DMC_ONNX_ONNXIMPORT_H

#include "compiler/importer/Importer.h"

namespace dmc {

/// Same contract as importGraph: the module, or null with the reasons in `diag` (each naming the ONNX
/// node, its op and the model's opset). Never crashes on a malformed file.
mlir::OwningOpRef<mlir::ModuleOp> importOnnx(mlir::MLIRContext &context, const std::string &path,
                                             const ImportOptions &options, Diagnostics &diag);

/// Whether `path` names an ONNX model (by its extension).
bool isOnnxPath(const std::string &path);

} // namespace dmc

#endif
