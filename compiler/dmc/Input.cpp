//===- Input.cpp - reading the graph a dmc command works on ---------------===//
#include "compiler/dmc/Input.h"
#include "compiler/onnx/OnnxImport.h"
#include "compiler/support/Files.h"
#include "dialects/SDFG/SDFGOps.h"
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

/// Checks --bind against the symbols of a parsed module's graphs (Input.h, FreeSymbolBindings).
bool checkBindings(mlir::ModuleOp module, const std::string &path, const Bindings &bindings,
                   FreeSymbolBindings freeSymbols) {
  bool ok = true;
  for (const auto &[name, value] : bindings) {
    for (sdfg::SDFGOp sdfg : module.getOps<sdfg::SDFGOp>()) {
      auto fail = [&](const llvm::Twine &message) {
        llvm::errs() << printable(path) << ": error: --bind " << name << "=" << value << ": " << message << "\n";
        ok = false;
      };
      std::string graph = "graph '" + sdfg.getSymName().str() + "'";
      mlir::DictionaryAttr fixed = sdfg.getFixedSymbolsAttr();
      auto fixedValue = fixed ? llvm::dyn_cast_or_null<mlir::IntegerAttr>(fixed.get(name)) : nullptr;
      bool isFree = false;
      for (unsigned i = 0; i < sdfg.getNumSymbols(); ++i)
        isFree |= sdfg.getArgName(i) == name;
      bool unused = false;
      if (std::optional<mlir::ArrayAttr> names = sdfg.getUnusedSymbols())
        for (mlir::Attribute n : *names)
          unused |= llvm::cast<mlir::StringAttr>(n).getValue() == name;
      if (fixedValue && fixedValue.getInt() != value)
        fail(graph + " was imported with " + name + "=" + std::to_string(fixedValue.getInt()) +
             "; import the graph file again with the new value");
      else if (isFree && freeSymbols == FreeSymbolBindings::rejected)
        fail(name + " is a run-time symbol of " + graph +
             ": the library takes its value when called (dmc run --bind, or the C ABI); to fix it when "
             "compiling, import the graph file with --bind " + name + "=" + std::to_string(value));
      else if (!fixedValue && !isFree && !unused)
        fail(graph + " has no symbol '" + name + "'");
    }
  }
  return ok;
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> loadGraph(llvm::StringRef pathRef, const GraphOptions &options,
                                            mlir::MLIRContext &context, FreeSymbolBindings freeSymbols) {
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
    if (isMlir || (first != std::string::npos && (*text)[first] != '{')) {
      auto module = parseMlir(path, *text, context);
      if (module && !checkBindings(*module, path, options.bindings, freeSymbols))
        return nullptr;
      return module;
    }
  }
  return importGraphFile(path, options, context); // reads the file itself (standard input: the text above)
}

} // namespace dmc
