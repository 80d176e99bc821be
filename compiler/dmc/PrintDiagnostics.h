//===- PrintDiagnostics.h - MLIR's diagnostics of a dmc command on stderr -===//
//
// Without a handler MLIR prints only errors; the warnings and remarks of passes would be lost. The
// printer shows every diagnostic, with its notes, as `FILE:LINE:COL: SEVERITY: MESSAGE` (a location in
// a .mlir file) or `FILE: SEVERITY: NODE: MESSAGE` (a node of a graph file, as the importer writes its
// own errors).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_DRIVER_PRINTDIAGNOSTICS_H
#define DMC_DRIVER_PRINTDIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

namespace dmc {

/// Prints the diagnostics of `context` to `os` while it lives. Handlers registered later (the .mlir
/// parser's, which shows source lines) see a diagnostic first.
class DiagnosticPrinter {
public:
  explicit DiagnosticPrinter(mlir::MLIRContext &context, llvm::raw_ostream &os = llvm::errs());

private:
  mlir::ScopedDiagnosticHandler handler_;
};

} // namespace dmc

#endif
