//===- Compile.cpp - from IR to a shared library --------------------------===//
#include "compiler/backend/Compile.h"
#include "compiler/backend/CppEmitter.h"
#include "dmc/runtime/kernels.h" // DMCRT_ABI_VERSION

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SHA256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace mlir;

namespace dmc {

std::string resolvedCompiler(const CompileOptions &options) {
  if (!options.cxx.empty())
    return options.cxx;
  const char *env = std::getenv("CXX");
  return env && *env ? env : "c++";
}

std::string resolvedFlags(const CompileOptions &options) {
  if (!options.cxxFlags.empty())
    return options.cxxFlags;
  const char *env = std::getenv("DMC_CXXFLAGS");
#ifdef DMC_SANITIZE_GENERATED
  const char *defaults = "-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer "
                         "-fopenmp -fPIC -shared -std=c++17";
#else
  const char *defaults = "-O3 -march=native -fopenmp -fPIC -shared -std=c++17";
#endif
  return env && *env ? env : defaults;
}

namespace {
/// A temporary beside `path`, unique to this process, for publishing by rename.
std::string temporaryFor(const std::string &path) {
  return path + ".tmp" + std::to_string(llvm::sys::Process::getProcessId());
}

/// Renames a complete temporary onto `path`: readers see the old file or the new one, never a part.
LogicalResult publish(const std::string &tmp, const std::string &path) {
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    llvm::errs() << "dmc: error: cannot write " << path << ": " << ec.message() << "\n";
    return failure();
  }
  return success();
}

/// The folder of `path` ("." for a bare name), created if missing.
std::string folderOf(const std::string &path) {
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  llvm::sys::fs::create_directories(dir);
  return std::string(dir);
}

/// Writes `text` to `path` through a temporary in the same folder and a rename.
LogicalResult writeAtomically(const std::string &path, const std::string &text) {
  std::string tmp = temporaryFor(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) {
      llvm::errs() << "dmc: error: cannot write " << tmp << "\n";
      return failure();
    }
  }
  return publish(tmp, path);
}

std::vector<std::string> splitFlags(const std::string &flags) {
  std::vector<std::string> out;
  std::istringstream in(flags);
  for (std::string f; in >> f;)
    out.push_back(f);
  return out;
}
} // namespace

std::string defaultCacheDir() {
  if (const char *dir = std::getenv("DMC_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/dmc";
  const char *home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache/dmc";
}

std::string cacheKey(sdfg::SDFGOp sdfg, const CompileOptions &options) {
  std::string ir;
  llvm::raw_string_ostream os(ir);
  sdfg->print(os, OpPrintingFlags().enableDebugInfo(false));
  llvm::SHA256 hash;
  for (const std::string &part : {ir, resolvedCompiler(options), resolvedFlags(options),
                                  std::to_string(options.optLevel), std::string(DMC_VERSION),
                                  std::string(DMC_RUNTIME_LIBRARY_DIR), std::string(DMCRT_ABI_VERSION)}) {
    hash.update(part);
    hash.update(llvm::StringRef("\0", 1)); // separator: ("ab","c") and ("a","bc") differ
  }
  return llvm::toHex(hash.final(), /*LowerCase=*/true).substr(0, 32);
}

namespace {
/// Copies `from` to `to` through a temporary and a rename.
LogicalResult copyAtomically(const std::string &from, const std::string &to) {
  std::string tmp = temporaryFor(to);
  if (std::error_code ec = llvm::sys::fs::copy_file(from, tmp)) {
    llvm::errs() << "dmc: error: cannot copy " << from << " to " << tmp << ": " << ec.message() << "\n";
    return failure();
  }
  return publish(tmp, to);
}
} // namespace

static LogicalResult compileUncached(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options);

LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options) {
  if (options.cacheDir.empty())
    return compileUncached(sdfg, outputPath, options);
  std::string name = sdfg.getSymName().str();
  std::string entry = options.cacheDir + "/" + cacheKey(sdfg, options);
  std::string cached = entry + "/lib" + name + ".so";
  if (!llvm::sys::fs::exists(cached)) {
    CompileOptions inCache = options;
    inCache.workDir = options.workDir.empty() ? entry : options.workDir;
    if (std::error_code ec = llvm::sys::fs::create_directories(entry)) {
      llvm::errs() << "dmc: error: cannot create cache folder " << entry << ": " << ec.message() << "\n";
      return failure();
    }
    if (failed(compileUncached(sdfg, cached, inCache)))
      return failure();
  }
  std::string outDir = folderOf(outputPath);
  // The cached header and manifest are published after the library; regenerate them if a concurrent
  // compile has not written them yet.
  for (const std::string &file : {name + ".h", name + ".manifest.json"})
    if (!llvm::sys::fs::exists(entry + "/" + file))
      return compileUncached(sdfg, outputPath, options);
  if (failed(copyAtomically(cached, outputPath)))
    return failure();
  for (const std::string &file : {name + ".h", name + ".manifest.json"})
    if (failed(copyAtomically(entry + "/" + file, outDir + "/" + file)))
      return failure();
  return success();
}

std::string manifestFor(sdfg::SDFGOp sdfg, const CompileOptions &options) {
  return manifestFor(sdfg, resolvedCompiler(options), resolvedFlags(options), options.optLevel);
}

static LogicalResult compileUncached(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options) {
  std::string name = sdfg.getSymName().str();
  std::string cxx = resolvedCompiler(options), flags = resolvedFlags(options);
  std::string manifest = manifestFor(sdfg, cxx, flags, options.optLevel);
  std::string source;
  llvm::raw_string_ostream sourceStream(source);
  if (failed(emitCpp(sdfg, sourceStream, EmitOptions{manifest})))
    return failure();

  std::string outDir = folderOf(outputPath);
  std::string workDir = options.workDir.empty() ? outDir : options.workDir;
  llvm::sys::fs::create_directories(workDir);
  std::string cppPath = (llvm::Twine(workDir) + "/" + name + ".cpp").str();
  if (failed(writeAtomically(cppPath, source)))
    return failure();

  auto program = llvm::sys::findProgramByName(cxx);
  if (!program) {
    llvm::errs() << "dmc: error: C++ compiler '" << cxx << "' not found (set $CXX)\n";
    return failure();
  }
  // The library is built under a temporary name and renamed: readers never see a partial file, and
  // concurrent compiles of one graph each publish a complete library.
  std::string tmpLib = temporaryFor(outputPath);
  std::vector<std::string> args{cxx};
  for (std::string &f : splitFlags(flags))
    args.push_back(f);
  for (const char *extra : {"-I" DMC_RUNTIME_INCLUDE_DIR, "-L" DMC_RUNTIME_LIBRARY_DIR, "-Wl,-rpath," DMC_RUNTIME_LIBRARY_DIR})
    args.push_back(extra);
  args.insert(args.end(), {cppPath, "-o", tmpLib, "-ldmcrt"});
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  llvm::SmallString<128> logPath;
  llvm::sys::fs::createTemporaryFile("dmc-cxx", "log", logPath);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath.str(), logPath.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*program, argRefs, std::nullopt, redirects, 0, 0, &error);
  std::ifstream logIn{std::string(logPath)};
  std::stringstream log;
  log << logIn.rdbuf();
  llvm::sys::fs::remove(logPath);
  if (rc != 0) {
    llvm::sys::fs::remove(tmpLib);
    llvm::errs() << log.str() << "dmc: error: the C++ compiler failed (exit " << rc << ") on the generated file "
                 << cppPath << (error.empty() ? "" : ": " + error) << "\n";
    return failure();
  }
  if (failed(publish(tmpLib, outputPath)))
    return failure();
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  emitHeader(sdfg, headerStream);
  if (failed(writeAtomically(outDir + "/" + name + ".h", header)) ||
      failed(writeAtomically(outDir + "/" + name + ".manifest.json", manifest + "\n")))
    return failure();
  return success();
}

} // namespace dmc
