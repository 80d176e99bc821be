//===- fuzz_parse_mlir.cpp - libFuzzer target: .mlir text -> verified module -===//
//
// Bytes are an .mlir file in dmc's dialects (sdfg, nn, arith, math), parsed and verified as `dmc-opt`
// does. The text is rejected with an MLIR error, or parsed to a module that verifies and round trips
// through the printer and parser (see FuzzOracle.h). A crash input reproduces with
// `build/bin/dmc-opt crash-FILE`.
//
// Only dmc's code is instrumented (libMLIR.so is Debian's): coverage guides the fuzzer through the
// dialects' custom parsers, printers and verifiers, MLIR's own parser is exercised but not steered.
//
//===----------------------------------------------------------------------===//
#include "test/libfuzzer/FuzzOracle.h"

#include "mlir/Parser/Parser.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dmc::fuzz::FuzzContext context;
  // MLIR's lexer reads the byte after the buffer (the NUL that files read through llvm::MemoryBuffer end
  // with); libFuzzer's bytes have none, std::string's do.
  std::string text(reinterpret_cast<const char *>(data), size);
  // parseSourceString verifies after parsing (ParserConfig's default), as dmc-opt does.
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(text, &context.get());
  if (!module) {
    if (!context.hasErrors())
      dmc::fuzz::reportFinding("the text was rejected without an error diagnostic");
    return 0;
  }
  // MLIR 19 itself can report an error and still return the module: an unterminated string literal right
  // after a dialect type (`: !sdfg.array<f32[4]>"`, also with upstream dialects) is lexed, reported, then
  // skipped. dmc treats any reported error as a rejection (test/lit/backend/mlir-input-errors.test), so
  // does this target.
  if (context.hasErrors())
    return 0;
  dmc::fuzz::checkRoundTrip(*module);
  return 0;
}
