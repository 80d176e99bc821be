//===- Importer.h - graph file to SDFG IR ---------------------------------===//
#ifndef DMC_IMPORTER_IMPORTER_H
#define DMC_IMPORTER_IMPORTER_H

#include "compiler/importer/Diagnostics.h"
#include "dialects/Support/Shape.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>

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

/// A user's name as an identifier unique in `taken`, which it joins: characters outside [A-Za-z0-9_]
/// become '_', an empty or digit-leading name gets a "t_" prefix, and a "_N" suffix makes it unique. The
/// importer names containers and labels with it (docs/architecture.md#names), the ONNX importer its
/// tensors and symbols.
std::string uniqueIdentifier(const std::string &name, std::set<std::string> &taken);

} // namespace dmc

#endif
