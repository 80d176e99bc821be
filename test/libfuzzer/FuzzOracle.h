//===- FuzzOracle.h - what the fuzz targets check -------------------------===//
//
// A fuzz input is fine when it is either rejected with at least one diagnostic or accepted as a module
// that verifies and survives a print -> parse round trip. Anything else (a crash, a sanitizer report, a
// silent rejection, an accepted module the parser cannot read back) is a finding: reportFinding aborts,
// which libFuzzer records as a crash and saves the input.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_TEST_FUZZ_FUZZORACLE_H
#define DMC_TEST_FUZZ_FUZZORACLE_H

#include "compiler/importer/Importer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dmc::fuzz {

/// A context with dmc's dialects loaded and a handler that swallows MLIR's diagnostics (the fuzzer
/// would otherwise print every parse error) and keeps the error messages for the oracle.
class FuzzContext {
public:
  FuzzContext();
  ~FuzzContext();
  mlir::MLIRContext &get() { return context_; }
  /// MLIR errors reported since construction, one per line.
  const std::string &errors() const { return errors_; }
  bool hasErrors() const { return !errors_.empty(); }

private:
  mlir::MLIRContext context_;
  mlir::DiagnosticEngine::HandlerID handler_;
  std::string errors_;
};

/// Aborts with `what` and `detail` on stderr: libFuzzer then keeps the input as crash-*.
[[noreturn]] void reportFinding(const std::string &what, const std::string &detail = "");

/// `module` must verify, print, and parse back (in a fresh context) to a module that verifies and prints
/// the same text; otherwise reportFinding.
void checkRoundTrip(mlir::ModuleOp module);

/// An importer as dmc import calls it (importGraph, importOnnx).
using ImportFunction = mlir::OwningOpRef<mlir::ModuleOp> (*)(mlir::MLIRContext &, const std::string &,
                                                             const ImportOptions &, Diagnostics &);

/// One fuzz input of an importer target (fuzz-import-json, fuzz-import-onnx): written to the scratch file
/// `path` (importers take a path, as dmc import does), imported as is and with --test-size, each in a
/// fresh context. A rejection needs a diagnostic; an accepted module must come without errors and pass
/// checkRoundTrip; the importer's own consistency check ("internal error: the imported IR does not
/// verify") is a finding either way.
void fuzzImport(ImportFunction import, const std::string &path, const uint8_t *data, size_t size);

} // namespace dmc::fuzz

#endif
