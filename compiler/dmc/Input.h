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

/// What --bind means for a graph that was imported before (.mlir): each symbol was then fixed to a value
/// or left free. A value for a fixed symbol must be the one it has; a value for a free symbol is a
/// run-time value where the command runs the graph (dmc run, bench, view's movement), and an error where
/// it only compiles (the library takes it at run time; fixing it means importing with --bind).
enum class FreeSymbolBindings { runTimeValues, rejected };

/// The module of the graph at `path`, holding the graph's sdfg.sdfg: a `.mlir` file is parsed and
/// verified, any other file (`.json`, `.onnx`) is imported. `-` is standard input, read as MLIR unless
/// its first non-blank character is `{` (a JSON graph). Errors are printed to stderr, naming the file;
/// the result is null after any error, a --bind that does not apply to a parsed module included.
mlir::OwningOpRef<mlir::ModuleOp> loadGraph(llvm::StringRef path, const GraphOptions &options,
                                            mlir::MLIRContext &context,
                                            FreeSymbolBindings freeSymbols = FreeSymbolBindings::runTimeValues);

} // namespace dmc

#endif
