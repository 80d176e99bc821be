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
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<dmc::sdfg::SDFGDialect, dmc::nn::NNDialect, mlir::arith::ArithDialect,
                  mlir::math::MathDialect>();
  dmc::registerAllDmcPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "dmc optimizer driver\n", registry));
}
