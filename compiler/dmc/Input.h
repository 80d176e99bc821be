//===- Input.h - reading the graph a dmc command works on -----------------===//
//
// One entry point for every input format: `loadGraph` picks the reader by the file's extension. A new
// format (another importer) is one more case in Input.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_DRIVER_INPUT_H
#define DMC_DRIVER_INPUT_H

#include "compiler/importer/Importer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace dmc {

/// How a graph file is read: symbol values (--bind) and the choice of the test size (--test-size).
using GraphOptions = ImportOptions;

/// The module of the graph at `path`, holding the graph's sdfg.sdfg: a `.mlir` file is parsed and
/// verified, any other file (`.json`) is imported. `-` is standard input, read as MLIR unless its first
/// non-blank character is `{` (a JSON graph). Errors are printed to stderr, naming the file; the result
/// is null after any error.
mlir::OwningOpRef<mlir::ModuleOp> loadGraph(llvm::StringRef path, const GraphOptions &options,
                                            mlir::MLIRContext &context);

} // namespace dmc

#endif
