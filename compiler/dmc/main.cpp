//===- main.cpp - the dmc command-line driver -----------------------------===//
//
//   dmc import FILE.json [--bind S=512] [--test-size] [-o OUT.mlir]
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Importer.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>

using namespace llvm;

namespace {
cl::SubCommand importCmd("import", "Import a JSON graph description and print its SDFG IR");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<graph.json>"), cl::Required, cl::sub(importCmd));
cl::list<std::string> binds("bind", cl::desc("Bind a symbol: --bind S=512 (repeatable)"), cl::sub(importCmd));
cl::opt<bool> testSize("test-size", cl::desc("Use the graph's small test sizes (test_symbols)"), cl::sub(importCmd));
cl::opt<std::string> outputFile("o", cl::desc("Write the IR here instead of stdout"), cl::value_desc("file"),
                                cl::init("-"), cl::sub(importCmd));

/// Parses NAME=VALUE pairs; reports malformed ones.
bool parseBindings(dmc::Bindings &out) {
  bool ok = true;
  for (const std::string &b : binds) {
    size_t eq = b.find('=');
    long long value = 0;
    if (eq == std::string::npos || !dmc::isIdentifier(b.substr(0, eq)) ||
        StringRef(b).drop_front(eq + 1).getAsInteger(10, value)) {
      errs() << "dmc: error: --bind expects NAME=INTEGER, got '" << b << "'\n";
      ok = false;
      continue;
    }
    out[b.substr(0, eq)] = value;
  }
  return ok;
}

int runImport() {
  dmc::ImportOptions options;
  options.testSize = testSize;
  if (!parseBindings(options.bindings))
    return 2;
  mlir::MLIRContext context;
  dmc::Diagnostics diag(inputFile);
  auto module = dmc::importGraph(context, inputFile, options, diag);
  diag.print(std::cerr);
  if (!module)
    return 1;
  // ToolOutputFile writes to a temporary and renames on keep(): no partial output on failure.
  std::string error;
  auto out = mlir::openOutputFile(outputFile, &error);
  if (!out) {
    errs() << "dmc: error: " << error << "\n";
    return 1;
  }
  module->print(out->os());
  out->os() << "\n";
  out->keep();
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::SetVersionPrinter([](raw_ostream &os) { os << "dmc " DMC_VERSION "\n"; });
  cl::ParseCommandLineOptions(argc, argv, "dmc: the data-movement compiler for attention on CPUs\n");
  if (importCmd)
    return runImport();
  errs() << "dmc: error: no command given; try 'dmc --help'\n";
  return 2;
}
