//===- Driver.h - the pass pipeline of a command: build, run, prepare -----===//
//
// What compile, run, bench and view share between reading the input and emitting C++: the -O level's
// pipeline or --passes, its dumps, reports and statistics, and the checks before the work.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_COMPILER_DMC_DRIVER_H
#define DMC_COMPILER_DMC_DRIVER_H

#include "compiler/dmc/CommandLine.h"
#include "compiler/dmc/MovementReport.h"

#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"

#include <memory>

namespace dmc::cli {

/// The -O level's pipeline, or --passes: an anchored pipeline runs as written (what --print-pipeline
/// printed runs the same passes), a list of passes runs on sdfg.sdfg followed by the emission passes.
/// `tuned`: -O3 applies the choices of the tuning database.
mlir::LogicalResult buildChosenPipeline(mlir::OpPassManager &pm, unsigned level, bool tuned = true);
/// The pass pipeline of the chosen -O level (or --passes), instrumented when dumping or reporting; with
/// --pass-stats, the passes' statistics go to stderr afterwards (also when a pass failed).
mlir::LogicalResult runPipeline(mlir::MLIRContext &context, mlir::ModuleOp module, unsigned level,
                                dmc::MovementReport *report = nullptr,
                                std::unique_ptr<mlir::PassInstrumentation> extra = nullptr, bool tuned = true);
/// Import or parse, then the pipeline; returns the SDFG ready for emission, or null after a message.
dmc::sdfg::SDFGOp prepare(mlir::MLIRContext &context, mlir::OwningOpRef<mlir::ModuleOp> &module,
                          dmc::FreeSymbolBindings freeSymbols);
/// --print-pipeline: prints the textual pipeline of the -O level (accepted by dmc-opt --pass-pipeline).
/// Returns the exit code when --print-pipeline was given, -1 otherwise.
int maybePrintPipeline();

} // namespace dmc::cli

#endif
