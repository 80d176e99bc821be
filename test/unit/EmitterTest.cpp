//===- EmitterTest.cpp - the C++ emitter prints, it does not repair ---------===//
//
// The emitter gets IR after prepare-for-emission and resolve-write-conflicts. Where their work is
// missing it reports an error instead of deciding in their place.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/CppEmitter.h"
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace dmc::sdfg;

namespace {

/// Emits the one sdfg.sdfg of `source`; returns the C++ or, on failure, "error: " and the diagnostics.
std::string emit(const char *source) {
  MLIRContext ctx;
  ctx.loadDialect<SDFGDialect, dmc::nn::NNDialect, arith::ArithDialect, math::MathDialect>();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, ParserConfig(&ctx));
  if (!module)
    return "parse error: " + diagnostics;
  std::string cpp;
  llvm::raw_string_ostream os(cpp);
  if (failed(dmc::emitCpp(*module->getOps<SDFGOp>().begin(), os, {"{}"})))
    return "error: " + diagnostics;
  return cpp;
}

TEST(EmitterTest, UnnamedTransientIsAnErrorNotANewName) {
  std::string out = emit(R"mlir(
sdfg.sdfg @g inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  %t = sdfg.alloc : !sdfg.array<f32[4]>
  sdfg.state @s {
    sdfg.copy %x -> %t : !sdfg.array<f32[4]> -> !sdfg.array<f32[4]>
    sdfg.copy %t -> %y : !sdfg.array<f32[4]> -> !sdfg.array<f32[4]>
  }
}
)mlir");
  EXPECT_NE(out.find("error: 'sdfg.alloc' op has no name; prepare-for-emission names every transient"),
            std::string::npos)
      << out;
}

TEST(EmitterTest, NamedTransientKeepsItsName) {
  std::string out = emit(R"mlir(
sdfg.sdfg @g inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4]>
  sdfg.state @s {
    sdfg.copy %x -> %t : !sdfg.array<f32[4]> -> !sdfg.array<f32[4]>
    sdfg.copy %t -> %y : !sdfg.array<f32[4]> -> !sdfg.array<f32[4]>
  }
}
)mlir");
  EXPECT_NE(out.find("float *const v_t = "), std::string::npos) << out;
}

/// A wcr store in a parallel map is synchronised exactly when it is not marked owned.
TEST(EmitterTest, AtomicExactlyWhereTheStoreIsNotOwned) {
  std::string out = emit(R"mlir(
sdfg.sdfg @g inputs(%x: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[8]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      sdfg.map (%k) = (0) to (4) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[8, 4]>
        sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[8]>
        sdfg.store %v, %y[%i] wcr(sum) owned : !sdfg.array<f32[8]>
      }
    }
  }
}
)mlir");
  size_t atomic = out.find("#pragma omp atomic\n");
  ASSERT_NE(atomic, std::string::npos) << out;
  EXPECT_EQ(out.find("#pragma omp atomic\n", atomic + 1), std::string::npos) << out; // only the unmarked one
}

} // namespace
