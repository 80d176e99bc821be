//===- dmc-opt.cpp - run dmc passes on .mlir files ------------------------===//
//
// Registers only the dialects dmc uses (sdfg, nn and the scalar dialects of tasklet bodies) and dmc's
// passes, so the tool stays small and fast to link.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

namespace {
/// Whether --mlir-pass-statistics was given; turns MLIR's own report off. MLIR's report prints
/// llvm::Statistic values, which an LLVM built with NDEBUG (Debian's) never counts, so dmc's passes
/// count with dmc::PassStatistic (passes/PassStatistics.h) and dmc-opt prints those under this flag.
bool takeOverPassStatistics() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("mlir-pass-statistics");
  if (it == options.end()) // registered by registerAndParseCLIOptions, so always there
    return false;
  auto *flag = static_cast<llvm::cl::opt<bool> *>(it->second);
  bool given = flag->getValue();
  flag->setValue(false);
  return given;
}

/// MlirOptMain on the parsed options, then the statistics of every pass manager it ran (one per chunk of
/// --split-input-file), summed, on stderr.
mlir::LogicalResult runWithStatistics(llvm::StringRef inputFilename, llvm::StringRef outputFilename,
                                      mlir::DialectRegistry &registry) {
  dmc::PassStatisticsReport statistics;
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  mlir::MlirOptMainConfig pipelineFromOptions = config; // --pass-pipeline and the pass flags
  config.setPassPipelineSetupFn([pipelineFromOptions, &statistics](mlir::PassManager &pm) {
    if (failed(pipelineFromOptions.setupPassPipeline(pm)))
      return mlir::failure();
    pm.addInstrumentation(statistics.instrumentation());
    return mlir::success();
  });
  std::string errorMessage;
  auto input = mlir::openInputFile(inputFilename, &errorMessage);
  auto output = input ? mlir::openOutputFile(outputFilename, &errorMessage) : nullptr;
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return mlir::failure();
  }
  mlir::LogicalResult result = mlir::MlirOptMain(output->os(), std::move(input), registry, config);
  statistics.print(llvm::errs()); // also after a failed pass, as MLIR's report
  if (succeeded(result))
    output->keep();
  return result;
}
} // namespace

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<dmc::sdfg::SDFGDialect, dmc::nn::NNDialect, mlir::arith::ArithDialect,
                  mlir::math::MathDialect>();
  dmc::registerAllDmcPasses();
  auto [inputFilename, outputFilename] =
      mlir::registerAndParseCLIOptions(argc, argv, "dmc optimizer driver\n", registry);
  if (!takeOverPassStatistics())
    return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));
  llvm::InitLLVM init(argc, argv);
  return mlir::asMainReturnCode(runWithStatistics(inputFilename, outputFilename, registry));
}
