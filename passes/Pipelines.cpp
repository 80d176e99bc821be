//===- Pipelines.cpp - the -O0 .. -O3 pipelines, built in one place --------===//
#include "passes/Passes.h"

#include "mlir/Pass/PassRegistry.h"

namespace dmc {

/// What -O2 and -O3 do with maps once vertical fusion is done: horizontal and tasklet fusion, layouts
/// and loop order by the stride cost model, inner vector loops, and which nests run in parallel.
static void addMapOptimizations(mlir::OpPassManager &sdfg) {
  sdfg.addPass(createFuseSiblingMaps());
  sdfg.addPass(createFuseTasklets());
  sdfg.addPass(createSelectLayouts());
  sdfg.addPass(createInterchangeMaps());
  sdfg.addPass(createVectorizeInnerMaps());
  sdfg.addPass(createChooseSchedules());
}

void addNodeFusions(mlir::OpPassManager &sdfg) {
  sdfg.addPass(createFuseAttention());
  sdfg.addPass(createFuseMatMulEpilogues());
}

ChooseImplementationsOptions defaultImplementationChoices() {
  ChooseImplementationsOptions choice;
  choice.defaultImpl = "library";
  choice.elementwise = "pure";
  // The tile nests of fused matmuls (`fused_matmul=tiled`, a weight packed once per run) beat the runtime's
  // tiled kernel on 2 threads but not bert_encoder on 16 (docs/performance.md, "GEMM tile nests against the
  // runtime GEMM"): until they win everywhere, -O3 calls the runtime kernel (dmc tune measures both).
  choice.fusedMatmul = "library";
  // Flash-style attention tile nests beat the runtime's attention on every sample (docs/performance.md).
  choice.attention = "tiled";
  // Softmax and layer norm left by the fusions as tile nests over rows on the row micro-kernels: the
  // runtime's kernels are scalar with double accumulators (docs/performance.md: layer norm 5-10x and a
  // causal softmax 5x faster alone; bert_encoder ties or wins). Reductions stay runtime calls (not timed).
  choice.softmax = "tiled";
  choice.layernorm = "tiled";
  return choice;
}

void buildPipeline(mlir::OpPassManager &pm, unsigned optLevel, const ApplyTunedChoicesOptions *tuning) {
  mlir::OpPassManager &sdfg = pm.nest<sdfg::SDFGOp>();
  // -O0: library nodes stay as they are and become runtime calls.
  // -O1/-O2: pure expansion into maps and tasklets; -O2 then removes redundant copies, fuses maps and
  //          chooses layouts, loop orders and schedules.
  // -O3: node-level fusion (attention, matmul epilogues), then the kernel choice: element-wise nodes
  //      become maps that fuse, attention, softmax and layer norm tile nests over micro-kernels (expanded
  //      after the map passes, which have nothing to do in them), the rest runtime calls; layout copies
  //      become views.
  if (optLevel == 1 || optLevel == 2) {
    sdfg.addPass(createExpandLibraryNodes());
    sdfg.addPass(createRemoveDeadContainers());
  }
  if (optLevel == 2) {
    sdfg.addPass(createRemoveRedundantCopies());
    sdfg.addPass(createFuseElementwiseMaps());
    addMapOptimizations(sdfg);
    sdfg.addPass(createFoldViewsIntoMemlets());
  }
  if (optLevel >= 3) {
    addNodeFusions(sdfg);
    // The choices dmc tune measured on this machine first; choose-implementations keeps them.
    if (tuning)
      sdfg.addPass(createApplyTunedChoices(*tuning));
    sdfg.addPass(createChooseImplementations(defaultImplementationChoices()));
    // What no node-level fusion took: element-wise nodes become maps that read views in place and fuse.
    static const std::string kElementwiseOnly[] = {"elementwise"}; // the options hold an ArrayRef
    ExpandLibraryNodesOptions elementwise;
    elementwise.only = kElementwiseOnly;
    sdfg.addPass(createExpandLibraryNodes(elementwise));
    sdfg.addPass(createEliminateLayoutCopies());
    // Strided attention as dense attention per residue class, on views of the operands as the layout
    // copies left them (so that it copies nothing).
    sdfg.addPass(createSplitResidueClasses());
    sdfg.addPass(createFuseElementwiseMaps());
    sdfg.addPass(createFuseReductions());
    addMapOptimizations(sdfg);
    static const std::string kContractionsOnly[] = {"fused_matmul", "attention"};
    ExpandLibraryNodesOptions contractions;
    contractions.only = kContractionsOnly;
    contractions.impl = "library"; // nodes without a choice stay
    sdfg.addPass(createExpandLibraryNodes(contractions));
    // The row families after the map passes too, which would find nothing to do in their nests.
    static const std::string kRowsOnly[] = {"softmax", "layernorm", "reduce"};
    ExpandLibraryNodesOptions rows;
    rows.only = kRowsOnly;
    rows.impl = "library"; // nodes without a choice stay
    sdfg.addPass(createExpandLibraryNodes(rows));
    sdfg.addPass(createRemoveDeadContainers());
    sdfg.addPass(createReuseDeadBuffers());
    sdfg.addPass(createChooseTransientStorage());
    sdfg.addPass(createMakeTransientsPersistent());
    sdfg.addPass(createFoldViewsIntoMemlets());
    // A weight's packing (constant inputs into a persistent buffer) once per handle.
    sdfg.addPass(createRunConstantMapsOnce());
  }
  addEmissionPasses(sdfg);
}

void addEmissionPasses(mlir::OpPassManager &sdfg) {
  // Last at every level: the emitter only prints what these decide.
  sdfg.addPass(createResolveWriteConflicts());
  sdfg.addPass(createPrepareForEmission());
}

void registerAllDmcPasses() {
  registerDmcPasses();
  for (unsigned level = 0; level <= 3; ++level)
    mlir::PassPipelineRegistration<>(
        "dmc-O" + std::to_string(level), "dmc's pipeline at -O" + std::to_string(level),
        [level](mlir::OpPassManager &pm) { buildPipeline(pm, level); });
}

} // namespace dmc
