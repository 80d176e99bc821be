//===- Importer.h - graph file to SDFG IR ---------------------------------===//
#ifndef DMC_IMPORTER_IMPORTER_H
#define DMC_IMPORTER_IMPORTER_H

#include "compiler/importer/Diagnostics.h"
#include "dialects/Support/Shape.h"

#include <nlohmann/json.hpp>

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace dmc {

struct ImportOptions {
  Bindings bindings;     // --bind NAME=VALUE
  bool testSize = false; // use the file's test_symbols
};

/// Imports a JSON graph into a module holding one sdfg.sdfg of library nodes in one state. Bound
/// symbols are substituted; unbound ones stay symbols (run-time arguments). Returns null, with the
/// reasons in `diag`, when the graph is invalid.
mlir::OwningOpRef<mlir::ModuleOp> importGraph(mlir::MLIRContext &context, const std::string &path,
                                              const ImportOptions &options, Diagnostics &diag);

/// The same from a graph description already in memory (the ONNX importer's, compiler/onnx): `root` is
/// checked exactly like a file's contents.
mlir::OwningOpRef<mlir::ModuleOp> importGraphJson(mlir::MLIRContext &context, const nlohmann::json &root,
                                                  const ImportOptions &options, Diagnostics &diag);

/// Loads the dialects the importer and dmc's passes produce.
void loadDmcDialects(mlir::MLIRContext &context);

} // namespace dmc

#endif
