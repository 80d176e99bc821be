//===- Passes.h - dmc's transformation passes -----------------------------===//
#ifndef DMC_PASSES_PASSES_H
#define DMC_PASSES_PASSES_H

#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "passes/PassStatistics.h"

namespace dmc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Adds the passes of optimisation level 0-3 to `pm` (anchored on the module). At -O3, `tuning` (the
/// tuning database and this machine) adds apply-tuned-choices before the implementations are chosen.
void buildPipeline(mlir::OpPassManager &pm, unsigned optLevel, const ApplyTunedChoicesOptions *tuning = nullptr);

/// -O3's node-level fusions (attention, matmul epilogues), which make the nodes `dmc tune` times.
void addNodeFusions(mlir::OpPassManager &sdfg);
/// -O3's implementation of each family when no tuned choice is stored.
ChooseImplementationsOptions defaultImplementationChoices();

/// Adds the passes that end every pipeline (-O levels and --passes lists) to `sdfg` (anchored on
/// sdfg.sdfg): resolve-write-conflicts, then prepare-for-emission.
void addEmissionPasses(mlir::OpPassManager &sdfg);

/// Registers every pass and the pipelines dmc-O0 .. dmc-O3 with the global registry (for dmc-opt).
void registerAllDmcPasses();

} // namespace dmc

#endif
