//===- Compile.h - from IR to a shared library ----------------------------===//
#ifndef DMC_BACKEND_COMPILE_H
#define DMC_BACKEND_COMPILE_H

#include "dialects/SDFG/SDFGOps.h"

#include <string>

namespace dmc {

struct CompileOptions {
  int optLevel = 0;
  std::string cxx;                // $CXX, or c++
  std::string cxxFlags;           // default: -O3 -march=native -fopenmp -fPIC -shared -std=c++17
  std::string workDir;            // where NAME.cpp is written (kept for inspection)
};

/// The C++ compiler and flags in effect (from options, then $CXX / $DMC_CXXFLAGS, then defaults).
std::string resolvedCompiler(const CompileOptions &options);
std::string resolvedFlags(const CompileOptions &options);

/// Emits C++ for `sdfg` and compiles it to `outputPath` (published atomically), writing NAME.h and
/// NAME.manifest.json beside it. Errors go to stderr, naming the generated file when the C++ compiler fails.
mlir::LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options);

} // namespace dmc

#endif
