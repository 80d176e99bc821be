//===- Compile.h - from IR to a shared library ----------------------------===//
#ifndef DMC_BACKEND_COMPILE_H
#define DMC_BACKEND_COMPILE_H

#include "dialects/SDFG/SDFGOps.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace dmc {

struct CompileOptions {
  int optLevel = 0;
  std::string cxx;                // $CXX, or c++
  std::string cxxFlags;           // default: -O3 -fopenmp -fPIC -shared -std=c++17, then the target's flags
  std::string targetCpu;          // a kTargetCpus name; empty: $DMC_TARGET_CPU, else "portable"
  std::string cacheDir;           // empty: no cache (defaultCacheDir() in Cache.h)
};

/// The cache key of a compile: SHA-256 of the IR after passes, the header, manifest and C++ emitted from
/// it, the compiler, its flags, the opt level, the dmc version and the runtime it links.
std::string cacheKey(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// The manifest of `sdfg` as compiled with `options` (compiler, flags and level resolved).
std::string manifestFor(sdfg::SDFGOp sdfg, const CompileOptions &options);

/// What --target-cpu may name (what each builds for: targetFlags in Compile.cpp, docs/abi.md).
extern const char *const kTargetCpus[5];
/// "portable|native|..." for messages.
std::string targetCpuNames();
bool isTargetCpu(llvm::StringRef name);

/// The C++ compiler and flags in effect (from options, then $CXX / $DMC_CXXFLAGS, then defaults). The
/// flags end with the target CPU's (options, then $DMC_TARGET_CPU, then portable) unless they name an
/// -march themselves. Call only with a valid target (isTargetCpu); main.cpp checks the option and the
/// variable.
std::string resolvedCompiler(const CompileOptions &options);
std::string resolvedFlags(const CompileOptions &options);
std::string resolvedTargetCpu(const CompileOptions &options);

/// The file name of the runtime that generated libraries load from their own folder (their run path is
/// $ORIGIN): compileToLibrary writes it beside the library.
extern const char kRuntimeLibraryName[];

/// Emits C++ for `sdfg` and compiles it to `outputPath`, with NAME.h and NAME.manifest.json (and without
/// a cache NAME.cpp) beside it when it is a file: all published together (compiler/support/Files.h).
/// With a cache folder, a verified identical earlier compile is reused, and a new one is stored there
/// first. Errors go to stderr, naming the generated file when the C++ compiler fails.
mlir::LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options);

} // namespace dmc

#endif
