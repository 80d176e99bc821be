//===- MovementReport.h - dmc compile --report=movement -------------------===//
//
// Records the data-movement totals (passes/analysis/MovementAnalysis.h) of the SDFG after import and
// after every pass of the pipeline, and prints them with the per-container and per-state breakdown of
// the final IR, as text or JSON. The numbers and fields are described in docs/movement.md.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_DMC_MOVEMENTREPORT_H
#define DMC_DMC_MOVEMENTREPORT_H

#include "passes/analysis/MovementAnalysis.h"

#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace dmc {

enum class ReportFormat { Text, Json };

/// "text" or "json"; nullopt for anything else.
std::optional<ReportFormat> parseReportFormat(llvm::StringRef text);

/// The totals of the SDFG after one step (the import, or a pass).
struct MovementStep {
  std::string name;
  Traffic totals;
  Traffic accesses; // memlet executions x element size (see docs/movement.md)
  Bytes transients;
  Bytes peakTransients;
};

class MovementReport {
public:
  explicit MovementReport(Bindings bindings) : bindings(std::move(bindings)) {}

  /// Analyses the sdfg.sdfg `op` is or holds (the first one) and appends a step named `step`.
  void record(llvm::StringRef step, mlir::Operation *op);

  /// An instrumentation that records a step after every pass with an argument (so not after nesting
  /// adaptors or the verifier). It refers to this report, which must outlive the pass manager.
  std::unique_ptr<mlir::PassInstrumentation> instrumentation();

  /// Prints the recorded steps, then the breakdown of `final` (the SDFG after the pipeline).
  void print(llvm::raw_ostream &os, sdfg::SDFGOp final, ReportFormat format) const;

  const std::vector<MovementStep> &getSteps() const { return steps; }

private:
  void printText(llvm::raw_ostream &os, const MovementResult &result) const;
  void printJson(llvm::raw_ostream &os, const MovementResult &result) const;

  Bindings bindings;
  std::vector<MovementStep> steps;
  std::mutex mutex; // passes on sdfg.sdfg may run on worker threads
};

} // namespace dmc

#endif
