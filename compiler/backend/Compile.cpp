//===- Compile.cpp - from IR to a shared library --------------------------===//
#include "compiler/backend/Compile.h"
#include "compiler/backend/Cache.h"
#include "compiler/backend/Constants.h"
#include "compiler/backend/CppEmitter.h"
#include "compiler/support/Files.h"
#include "compiler/support/Interrupts.h"
#include "dmc/runtime/kernels.h" // DMCRT_ABI_VERSION

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SHA256.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <sstream>

using namespace mlir;

namespace dmc {

std::string resolvedCompiler(const CompileOptions &options) {
  if (!options.cxx.empty())
    return options.cxx;
  const char *env = std::getenv("CXX");
  return env && *env ? env : "c++";
}

const char *const kTargetCpus[5] = {"portable", "native", "x86-64-v4", "x86-64-v3", "generic"};
const char kRuntimeLibraryName[] = "libdmcrt.so";

std::string targetCpuNames() {
  std::string names;
  for (const char *target : kTargetCpus)
    names += (names.empty() ? "" : "|") + std::string(target);
  return names;
}

bool isTargetCpu(llvm::StringRef name) {
  return llvm::is_contained(kTargetCpus, name);
}

std::string resolvedTargetCpu(const CompileOptions &options) {
  if (!options.targetCpu.empty())
    return options.targetCpu;
  const char *env = std::getenv("DMC_TARGET_CPU");
  return env && *env ? env : "portable";
}

namespace {
/// The compiler flags of a target CPU. The runtime's micro-kernels choose their ISA at run time whatever
/// the target; this is the generated code's. Off x86-64 every target but native is the compiler's default.
std::string targetFlags(llvm::StringRef target) {
  if (target == "native")
    return "-march=native";
#if defined(__x86_64__)
  if (target == "portable") // the clones' attribute is in the generated prologue (CppEmitter.cpp)
    return "-march=x86-64 -mtune=generic -DDMC_TARGET_CLONES";
  if (target == "generic")
    return "-march=x86-64 -mtune=generic";
  return ("-march=" + target).str();
#else
  return "";
#endif
}
} // namespace

std::string resolvedFlags(const CompileOptions &options) {
  std::string flags = options.cxxFlags;
  if (flags.empty()) {
    const char *env = std::getenv("DMC_CXXFLAGS");
#ifdef DMC_SANITIZE_GENERATED
    const char *defaults = "-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer "
                           "-fopenmp -fPIC -shared -std=c++17";
#else
    const char *defaults = "-O3 -fopenmp -fPIC -shared -std=c++17";
#endif
    flags = env && *env ? env : defaults;
  }
  // Flags that choose an architecture themselves are taken as they are.
  if (llvm::StringRef(" " + flags).contains(" -march="))
    return flags;
  std::string target = targetFlags(resolvedTargetCpu(options));
  return target.empty() ? flags : flags + " " + target;
}

namespace {
/// The runtime that generated code compiles and links against.
struct RuntimePaths {
  std::string includeDir, libraryDir;
};

void anchor() {} // an address inside this executable, for getMainExecutable

/// Beside an installed dmc (PREFIX/bin/dmc: PREFIX/include, PREFIX/lib, as cmake/dmcInstall.cmake lays them
/// out), else the build tree this dmc was built in. Libraries record the library folder as their run path.
const RuntimePaths &runtimePaths() {
  static const RuntimePaths paths = [] {
    std::string exe = llvm::sys::fs::getMainExecutable("dmc", reinterpret_cast<void *>(&anchor));
    llvm::SmallString<256> bin(llvm::sys::path::parent_path(exe)), include(bin), lib(bin);
    llvm::sys::path::append(include, DMC_INSTALLED_INCLUDE_FROM_BIN);
    llvm::sys::path::append(lib, DMC_INSTALLED_LIBRARY_FROM_BIN);
    if (!exe.empty() && llvm::sys::fs::exists(include + "/dmc/runtime/runtime.h") &&
        llvm::sys::fs::exists(lib + "/libdmcrt.so")) {
      llvm::sys::path::remove_dots(include, /*remove_dot_dot=*/true);
      llvm::sys::path::remove_dots(lib, /*remove_dot_dot=*/true);
      return RuntimePaths{include.str().str(), lib.str().str()};
    }
    return RuntimePaths{DMC_RUNTIME_INCLUDE_DIR, DMC_RUNTIME_LIBRARY_DIR};
  }();
  return paths;
}

std::vector<std::string> splitFlags(const std::string &flags) {
  std::vector<std::string> out;
  std::istringstream in(flags);
  for (std::string f; in >> f;)
    out.push_back(f);
  return out;
}
} // namespace

std::string cacheKey(sdfg::SDFGOp sdfg, const CompileOptions &options) {
  std::string ir;
  llvm::raw_string_ostream os(ir);
  sdfg->print(os, OpPrintingFlags().enableDebugInfo(false));
  // What the emitter writes from it, too: a dmc whose emitter changed (the same version number) does not
  // reuse the files an older one wrote.
  std::string manifest = manifestFor(sdfg, options), generated;
  // An emission error is reported once, by the compile itself.
  ScopedDiagnosticHandler quiet(sdfg->getContext(), [](Diagnostic &) { return success(); });
  llvm::raw_string_ostream gs(generated);
  emitHeader(sdfg, gs);
  if (failed(emitCpp(sdfg, gs, EmitOptions{manifest})))
    gs << "<emission failed>";
  llvm::SHA256 hash;
  for (const std::string &part : {ir, manifest, generated, resolvedCompiler(options), resolvedFlags(options),
                                  std::to_string(options.optLevel), std::string(DMC_VERSION),
                                  runtimePaths().libraryDir, std::string(DMCRT_ABI_VERSION)}) {
    hash.update(part);
    hash.update(llvm::StringRef("\0", 1)); // separator: ("ab","c") and ("a","bc") differ
  }
  return llvm::toHex(hash.final(), /*LowerCase=*/true).substr(0, 32);
}

std::string manifestFor(sdfg::SDFGOp sdfg, const CompileOptions &options) {
  return manifestFor(sdfg, resolvedCompiler(options), resolvedFlags(options), options.optLevel);
}

namespace {
/// The file names of one compile of the graph `name`.
struct CompileFileNames {
  explicit CompileFileNames(const std::string &name)
      : library("lib" + name + ".so"), header(name + ".h"), manifest(name + ".manifest.json"), source(name + ".cpp") {}
  std::string library, header, manifest, source;
};

/// Emits the C++ of `sdfg` into `folder` and compiles it there; `files` gets the library, header, manifest
/// and source. On a compiler error the folder is kept, so that the generated file it names stays.
LogicalResult build(sdfg::SDFGOp sdfg, const CompileOptions &options, TemporaryFolder &folder, CacheFiles &files) {
  CompileFileNames names(sdfg.getSymName().str());
  std::string cxx = resolvedCompiler(options), flags = resolvedFlags(options);
  std::string manifest = manifestFor(sdfg, cxx, flags, options.optLevel);
  std::string source, header;
  llvm::raw_string_ostream sourceStream(source), headerStream(header);
  if (failed(emitCpp(sdfg, sourceStream, EmitOptions{manifest})))
    return failure();
  emitHeader(sdfg, headerStream);
  std::string cppPath = folder.file(names.source);
  if (!writeOutputFile(cppPath, source))
    return failure();

  auto program = llvm::sys::findProgramByName(cxx);
  if (!program) {
    llvm::errs() << "dmc: error: C++ compiler '" << cxx << "' not found (set $CXX)\n";
    return failure();
  }
  std::string libPath = folder.file(names.library), logPath = folder.file("cxx.log");
  std::vector<std::string> args{*program};
  for (std::string &f : splitFlags(flags))
    args.push_back(f);
  const RuntimePaths &runtime = runtimePaths();
  // The library loads libdmcrt from its own folder (compileToLibrary puts it there), so that the two can
  // move together to another machine.
  args.insert(args.end(), {"-I" + runtime.includeDir, "-L" + runtime.libraryDir, "-Wl,-rpath,$ORIGIN"});
  args.insert(args.end(), {cppPath, "-o", libPath, "-ldmcrt"});
  std::string error;
  int rc = runInOwnProcessGroup(args, logPath, error);
  std::string log, logError;
  if (auto text = readRegularFile(logPath, logError, kMaxInputBytes))
    log = *text;
  llvm::sys::fs::remove(logPath);
  if (rc < 0) {
    llvm::errs() << "dmc: error: " << error << " (the C++ compiler; set $CXX)\n";
    return failure();
  }
  if (rc != 0) {
    llvm::sys::fs::remove(libPath);
    folder.release();
    llvm::errs() << log << "dmc: error: the C++ compiler failed (exit " << rc << ") on the generated file "
                 << cppPath << "\n";
    return failure();
  }
  std::optional<std::string> library = readRegularFile(libPath, error, kMaxLibraryBytes);
  if (!library) {
    llvm::errs() << "dmc: error: cannot read the compiled library " << libPath << ": " << error << "\n";
    return failure();
  }
  if (!writeOutputFile(folder.file(names.header), header) ||
      !writeOutputFile(folder.file(names.manifest), manifest + "\n"))
    return failure();
  files = {{names.library, std::move(*library)}, {names.header, header}, {names.manifest, manifest + "\n"},
           {names.source, source}};
  return success();
}
} // namespace

namespace {
/// Stages libdmcrt for the folder `prefix` (the library's run path is $ORIGIN), unless the same file is
/// there already: a library of the installed prefix's lib folder, or the second of a folder.
LogicalResult addRuntimeBeside(const std::string &prefix, OutputFiles &outputs) {
  std::string error, source = runtimePaths().libraryDir + "/" + kRuntimeLibraryName;
  std::optional<std::string> runtime = readRegularFile(source, error, kMaxLibraryBytes);
  if (!runtime) {
    llvm::errs() << "dmc: error: cannot read the runtime " << source << ": " << error << "\n";
    return failure();
  }
  std::string target = prefix + kRuntimeLibraryName, ignored;
  if (llvm::sys::fs::exists(target))
    if (std::optional<std::string> present = readRegularFile(target, ignored, kMaxLibraryBytes); present == runtime)
      return success();
  return success(outputs.add(target, std::move(*runtime), 0777));
}
} // namespace

LogicalResult compileToLibrary(sdfg::SDFGOp sdfg, const std::string &outputPath, const CompileOptions &options) {
  // Refused before the work, not after it.
  if (std::string message = inputOverwriteError(outputPath); !message.empty()) {
    llvm::errs() << "dmc: error: " << message << "\n";
    return failure();
  }
  CompileFileNames names(sdfg.getSymName().str());
  if (llvm::sys::path::filename(outputPath) == kRuntimeLibraryName) {
    llvm::errs() << "dmc: error: -o " << outputPath << ": " << kRuntimeLibraryName
                 << " is the runtime's name, which goes beside the library; choose another name\n";
    return failure();
  }
  // Constant inputs' data go beside the library (Constants.h); they are not part of the cache entry.
  mlir::FailureOr<ConstantLayout> constants = constantLayout(sdfg);
  if (failed(constants))
    return failure();
  if (!constants->inputs.empty() && !isReplacedByRename(outputPath)) {
    llvm::errs() << "dmc: error: this graph has constant inputs, whose data file " << constants->file
                 << " goes beside the library: -o must name a file\n";
    return failure();
  }
  bool caching = !options.cacheDir.empty();
  std::string entry = caching ? options.cacheDir + "/" + cacheKey(sdfg, options) : "";
  CacheFiles files;
  std::optional<CacheFiles> cached;
  if (caching) {
    cached = readCacheEntry(entry, {names.library, names.header, names.manifest});
    if (!cached && llvm::sys::fs::exists(entry))
      llvm::errs() << "dmc: warning: the cache entry " << entry << " is incomplete or damaged; rebuilding it\n";
  }
  if (cached) {
    files = std::move(*cached);
  } else {
    if (std::error_code ec = caching ? llvm::sys::fs::create_directories(options.cacheDir) : std::error_code()) {
      llvm::errs() << "dmc: error: cannot create the cache folder " << options.cacheDir << ": " << ec.message() << "\n";
      return failure();
    }
    if (caching)
      removeAbandonedFolders(options.cacheDir);
    // Built inside the cache folder, the build folder becomes the entry by one rename.
    std::error_code ec;
    TemporaryFolder folder(options.cacheDir, caching ? kCacheBuildPrefix : "dmc-build", ec);
    if (ec) {
      llvm::errs() << "dmc: error: cannot create a build folder in "
                   << (caching ? options.cacheDir : "the temporary folder") << ": " << ec.message() << "\n";
      return failure();
    }
    if (failed(build(sdfg, options, folder, files)))
      return failure();
    if (caching)
      publishCacheEntry(folder, files, entry); // a failure only costs the next compile a rebuild
  }
  // The header, the manifest and (without the cache, for inspection) the C++ go beside a library file,
  // not beside a device, a pipe or a link (/dev/stdout's folder is /dev).
  OutputFiles outputs;
  bool besideFiles = isReplacedByRename(outputPath);
  if (!outputs.add(outputPath, std::move(files[names.library]), 0777))
    return failure();
  if (besideFiles) {
    llvm::SmallString<256> folder(outputPath);
    llvm::sys::path::remove_filename(folder);
    std::string prefix = folder.empty() ? "" : std::string(folder) + "/";
    for (const std::string *name : {&names.header, &names.manifest, caching ? nullptr : &names.source})
      if (name && !outputs.add(prefix + *name, std::move(files[*name])))
        return failure();
    if (!constants->inputs.empty() && !outputs.add(prefix + constants->file, constantFileBytes(*constants)))
      return failure();
    if (failed(addRuntimeBeside(prefix, outputs)))
      return failure();
  }
  return success(outputs.commit());
}

} // namespace dmc
