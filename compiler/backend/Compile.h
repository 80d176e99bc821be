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
  std::string cacheDir;           // empty: no cache
};

/// The default cache folder: $DMC_CACHE_DIR, else $XDG_CACHE_HOME/dmc, else ~/.cache/dmc.
std::string defaultCacheDir();

/// The cache key of a compile: SHA-256 of the IR after passes, the compiler, its flags, the opt level,
/// the dmc version and the runtime it links.
std::string cacheKey(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// The manifest of `sdfg` as compiled with `options` (compiler, flags and level resolved).
std::string manifestFor(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// The C++ compiler and flags in effect (from options, then $CXX / $DMC_CXXFLAGS, then defaults).
std::string resolvedCompiler(const CompileOptions &options);
std::string resolvedFlags(const CompileOptions &options);

/// Emits C++ for `sdfg` and compiles it to `outputPath` (published atomically), writing NAME.h and
/// NAME.manifest.json beside it. With a cache folder, an identical earlier compile is reused and a new one
/// is published there first. Errors go to stderr, naming the generated file when the C++ compiler fails.
mlir::LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options);

} // namespace dmc

#endif
