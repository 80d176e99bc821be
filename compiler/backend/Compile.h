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
  std::string cacheDir;           // empty: no cache (defaultCacheDir() in Cache.h)
};

/// The cache key of a compile: SHA-256 of the IR after passes, the header, manifest and C++ emitted from
/// it, the compiler, its flags, the opt level, the dmc version and the runtime it links.
std::string cacheKey(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// The manifest of `sdfg` as compiled with `options` (compiler, flags and level resolved).
std::string manifestFor(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// The C++ compiler and flags in effect (from options, then $CXX / $DMC_CXXFLAGS, then defaults).
std::string resolvedCompiler(const CompileOptions &options);
std::string resolvedFlags(const CompileOptions &options);

/// Emits C++ for `sdfg` and compiles it to `outputPath`, with NAME.h and NAME.manifest.json (and without
/// a cache NAME.cpp) beside it when it is a file: all published together (compiler/support/Files.h).
/// With a cache folder, a verified identical earlier compile is reused, and a new one is stored there
/// first. Errors go to stderr, naming the generated file when the C++ compiler fails.
mlir::LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options);

} // namespace dmc

#endif
