//===- Input.cpp - reading the graph a dmc command works on ---------------===//
#include "compiler/dmc/Input.h"
#include "compiler/onnx/OnnxImport.h"
#include "compiler/support/Files.h"
#include "dialects/Support/Names.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>

namespace dmc {
namespace {

/// A .json graph or an .onnx model: both go through the JSON importer's checks (OnnxImport.h).
mlir::OwningOpRef<mlir::ModuleOp> importGraphFile(const std::string &path, const GraphOptions &options,
                                                  mlir::MLIRContext &context) {
  Diagnostics diag(path);
  auto module = isOnnxPath(path) ? importOnnx(context, path, options, diag) : importGraph(context, path, options, diag);
  diag.print(std::cerr);
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp> parseMlir(const std::string &path, const std::string &text,
                                            mlir::MLIRContext &context) {
  loadDmcDialects(context);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
  // MLIR 19 can report an error and still return the module (an unterminated string literal right after a
  // dialect type, found by fuzzing: docs/testing.md), so any reported error rejects the file. Registered
  // after `handler`, this one sees each diagnostic first and passes it on for printing.
  bool errorReported = false;
  mlir::ScopedDiagnosticHandler errorSeen(&context, [&](mlir::Diagnostic &diag) {
    errorReported |= diag.getSeverity() == mlir::DiagnosticSeverity::Error;
    return mlir::failure();
  });
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (errorReported)
    return nullptr;
  return module;
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> loadGraph(llvm::StringRef pathRef, const GraphOptions &options,
                                            mlir::MLIRContext &context) {
  std::string path = pathRef.str();
  bool isMlir = pathRef.ends_with(".mlir");
  if (path == "-" || isMlir) {
    std::string error;
    std::optional<std::string> text = readInputFile(path, error); // standard input is read once (Files.h)
    if (!text) {
      llvm::errs() << printable(path) << ": error: " << error << "\n";
      return nullptr;
    }
    size_t first = text->find_first_not_of(" \t\r\n");
    if (isMlir || (first != std::string::npos && (*text)[first] != '{'))
      return parseMlir(path, *text, context);
  }
  return importGraphFile(path, options, context); // reads the file itself (standard input: the text above)
}

} // namespace dmc
