//===- PrintDiagnostics.cpp - MLIR's diagnostics of a dmc command on stderr ===//
#include "compiler/dmc/PrintDiagnostics.h"
#include "dialects/Support/Names.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

namespace dmc {
namespace {

const char *severityName(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error: return "error";
  case mlir::DiagnosticSeverity::Warning: return "warning";
  case mlir::DiagnosticSeverity::Remark: return "remark";
  case mlir::DiagnosticSeverity::Note: return "note";
  }
  return "error";
}

/// The printed prefix of `loc` and the name of a graph node it carries ("nodes[3] 'q'"), if any.
std::pair<std::string, std::string> describe(mlir::Location loc) {
  if (auto file = mlir::dyn_cast<mlir::FileLineColLoc>(loc))
    return {file.getFilename().str() + ":" + std::to_string(file.getLine()) + ":" + std::to_string(file.getColumn()),
            ""};
  if (auto name = mlir::dyn_cast<mlir::NameLoc>(loc)) {
    // The importer's node locations: the node's path in the graph file on the file's first position.
    std::string where = "dmc";
    if (auto file = mlir::dyn_cast<mlir::FileLineColLoc>(name.getChildLoc()))
      where = file.getFilename().str();
    return {where, name.getName().str()};
  }
  if (auto fused = mlir::dyn_cast<mlir::FusedLoc>(loc); fused && !fused.getLocations().empty())
    return describe(fused.getLocations().front());
  if (auto callSite = mlir::dyn_cast<mlir::CallSiteLoc>(loc))
    return describe(callSite.getCallee());
  return {"dmc", ""};
}

void print(llvm::raw_ostream &os, mlir::Location loc, mlir::DiagnosticSeverity severity, const std::string &message) {
  auto [where, node] = describe(loc);
  // File names and node names come from the user's files: printable keeps escapes off the terminal.
  os << printable(where + ": " + severityName(severity) + ": " + (node.empty() ? "" : node + ": ") + message) << "\n";
}

} // namespace

DiagnosticPrinter::DiagnosticPrinter(mlir::MLIRContext &context, llvm::raw_ostream &os)
    : handler_(&context, [&os](mlir::Diagnostic &diag) {
        print(os, diag.getLocation(), diag.getSeverity(), diag.str());
        for (mlir::Diagnostic &note : diag.getNotes())
          print(os, note.getLocation(), note.getSeverity(), note.str());
        return mlir::success();
      }) {
  // The pass manager would attach the whole operation's IR as a note: --dump-ir-after-all shows it.
  context.printOpOnDiagnostic(false);
}

} // namespace dmc
