//===- CppEmitter.h - SDFG IR to C++/OpenMP --------------------------------===//
//
// Prints one sdfg.sdfg as a C++ translation unit exporting the ABI of docs/abi.md. The emitter only
// prints: names are checked identifiers (sanitised at import, prefixed here when they collide with C++
// keywords), library nodes left unexpanded become libdmcrt calls, maps become loops with OpenMP pragmas.
// The same IR always gives byte-identical C++.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_BACKEND_CPPEMITTER_H
#define DMC_BACKEND_CPPEMITTER_H

#include "dialects/SDFG/SDFGOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace dmc {

struct EmitOptions {
  std::string manifestJson; // embedded as dmc_<name>_manifest()
  /// Put the code of every op of a state or of a map body between `// dmc-node PATH` and
  /// `// dmc-node-end PATH` (PATH: the state's index, then the op's position in each enclosing body, from 0;
  /// Emitter::emitMarked): `dmc view` cuts the C++ per drawn node at these lines. Off for libraries.
  bool markNodes = false;
};

/// Emits the .cpp; on failure reports through MLIR diagnostics at the offending op.
mlir::LogicalResult emitCpp(sdfg::SDFGOp sdfg, llvm::raw_ostream &os, const EmitOptions &options);

/// Emits the header NAME.h declaring the ABI with the typed run signature.
void emitHeader(sdfg::SDFGOp sdfg, llvm::raw_ostream &os);

/// The manifest (docs/abi.md) of `sdfg`, without the build fields (the driver adds them).
std::string manifestFor(sdfg::SDFGOp sdfg, const std::string &cxx, const std::string &flags, int optLevel);

} // namespace dmc

#endif
