//===- FuzzOracle.cpp - what the fuzz targets check -----------------------===//
#include "test/libfuzzer/FuzzOracle.h"

#include "compiler/importer/Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

// libMLIR.so is Debian's, not instrumented. LLVM's headers poison each new BumpPtrAllocator slab when
// inlined into our instrumented code (attribute storage), and only instrumented code unpoisons what it
// allocates, so reads of what libMLIR.so allocated from such a slab would be reported as use-after-poison.
// Manual poisoning is off; ASan's own checks (heap, stack, use-after-free, leaks) are not affected.
extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }

namespace dmc::fuzz {

// Single-threaded: libFuzzer runs one input at a time, and a thread pool per context would dominate.
FuzzContext::FuzzContext() : context_(mlir::MLIRContext::Threading::DISABLED) {
  loadDmcDialects(context_);
  handler_ = context_.getDiagEngine().registerHandler([this](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      errors_ += diag.str() + "\n";
    return mlir::success();
  });
}

FuzzContext::~FuzzContext() { context_.getDiagEngine().eraseHandler(handler_); }

void reportFinding(const std::string &what, const std::string &detail) {
  llvm::errs() << "dmc fuzz finding: " << what << "\n" << detail << "\n";
  llvm::errs().flush();
  std::abort();
}

namespace {
std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}
} // namespace

void checkRoundTrip(mlir::ModuleOp module) {
  if (mlir::failed(mlir::verify(module)))
    reportFinding("an accepted module does not verify", print(module));
  std::string text = print(module);
  FuzzContext fresh;
  mlir::OwningOpRef<mlir::ModuleOp> reparsed = mlir::parseSourceString<mlir::ModuleOp>(text, &fresh.get());
  if (!reparsed)
    reportFinding("the printed module does not parse back", fresh.errors() + "--- printed module:\n" + text);
  std::string again = print(*reparsed);
  if (again != text)
    reportFinding("print -> parse -> print changes the module", "--- first:\n" + text + "--- second:\n" + again);
}

namespace {
void checkImport(mlir::ModuleOp module, const Diagnostics &diag, const FuzzContext &context) {
  std::ostringstream messages;
  diag.print(messages);
  // The importer validated the input, yet the IR it built does not verify. The whole message is compared,
  // since the other messages quote the user's (fuzzed) text.
  const std::string internalError =
      diag.file() + ": error: internal error: the imported IR does not verify (see above)";
  for (const std::string &message : diag.messages())
    if (message == internalError)
      reportFinding("the importer reports an internal error", messages.str() + context.errors());
  if (!module) {
    if (!diag.hasErrors() && !context.hasErrors())
      reportFinding("an input was rejected without any diagnostic");
    return;
  }
  if (diag.hasErrors() || context.hasErrors())
    reportFinding("an input was imported although errors were reported", messages.str() + context.errors());
  checkRoundTrip(module);
}
} // namespace

void fuzzImport(ImportFunction import, const std::string &path, const uint8_t *data, size_t size) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    if (!out)
      reportFinding("cannot write the scratch file " + path);
  }
  for (bool testSize : {false, true}) {
    FuzzContext context;
    Diagnostics diag(path);
    ImportOptions options;
    options.testSize = testSize;
    mlir::OwningOpRef<mlir::ModuleOp> module = import(context.get(), path, options, diag);
    checkImport(module ? *module : mlir::ModuleOp(), diag, context);
  }
}

} // namespace dmc::fuzz
