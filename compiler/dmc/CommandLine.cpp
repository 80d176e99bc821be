//===- CommandLine.cpp - dmc's subcommands, options and their checks ------===//
#include "compiler/dmc/CommandLine.h"

#include "compiler/backend/Cache.h"
#include "compiler/dmc/MovementReport.h"
#include "compiler/support/Files.h"
#include "passes/tuning/TuningDatabase.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace dmc::cli {

cl::SubCommand importCmd("import", "Import a graph (.json or .onnx) and print its SDFG IR");
cl::SubCommand compileCmd("compile", "Compile a graph (.json, .onnx or .mlir) to a shared library");
cl::SubCommand runCmd("run", "Run a compiled graph (or compile, then run) and print timing and outputs");
cl::SubCommand benchCmd("bench", "Compile at several -O levels, run them interleaved and compare (same-run ratios)");
cl::SubCommand tuneCmd("tune", "Time the implementations of each kernel node on this machine and store the fastest "
                                "for -O3 (docs/tuning.md)");
cl::SubCommand viewCmd("view", "Write an HTML page drawing the SDFG after every pass (docs/viewer.md)");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input>"), cl::Required, cl::sub(importCmd),
                               cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd), cl::sub(tuneCmd),
                               cl::sub(viewCmd));
cl::list<std::string> binds("bind", cl::desc("Bind a symbol: --bind S=512 (repeatable)"), cl::sub(importCmd),
                            cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd), cl::sub(tuneCmd),
                            cl::sub(viewCmd));
cl::opt<bool> testSize("test-size", cl::desc("Use the graph's small test sizes (test_symbols)"), cl::sub(importCmd),
                       cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd), cl::sub(tuneCmd), cl::sub(viewCmd));
cl::opt<double> tuneBudget("budget", cl::desc("Seconds for compiling and timing the candidates (default 60)"),
                           cl::init(60), cl::sub(tuneCmd));
cl::opt<unsigned> tuneJobs("jobs", cl::desc("Candidates compiled at once (default: the number of CPUs)"), cl::init(0),
                           cl::sub(tuneCmd));
cl::opt<std::string> tuningDb("tuning-db",
                              cl::desc("The tuning database that dmc tune fills and -O3 reads (default: tuning.json "
                                       "in the cache folder; none: no tuned choices)"),
                              cl::value_desc("file|none"), cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd),
                              cl::sub(tuneCmd), cl::sub(viewCmd));
cl::list<unsigned> benchLevels("levels", cl::desc("-O levels to compare; the first is the baseline (default 0,3)"),
                               cl::CommaSeparated, cl::sub(benchCmd));
cl::opt<std::string> outputFile("o", cl::desc("Output file"), cl::value_desc("file"), cl::init("-"),
                                cl::sub(importCmd), cl::sub(compileCmd), cl::sub(viewCmd));
cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0-3"), cl::Prefix, cl::init(0), cl::sub(compileCmd),
                           cl::sub(runCmd), cl::sub(viewCmd));
cl::opt<Emit> emitKind("emit", cl::desc("What to produce"), cl::init(Emit::Library),
                       cl::values(clEnumValN(Emit::Library, "library", "a shared library (default)"),
                                  clEnumValN(Emit::Cpp, "cpp", "the generated C++"),
                                  clEnumValN(Emit::Header, "header", "the C header of the ABI"),
                                  clEnumValN(Emit::Manifest, "manifest", "the JSON manifest")),
                       cl::sub(compileCmd));
cl::opt<std::string> dumpDir("dump-ir-after-all", cl::desc("Write the IR after every step and the C++ here"),
                             cl::value_desc("dir"), cl::sub(compileCmd), cl::sub(runCmd));
cl::opt<std::string> passPipeline(
    "passes",
    cl::desc("Run these passes instead of the -O level's: a list of sdfg.sdfg passes, e.g. "
             "'expand-library-nodes,interchange-maps', to which resolve-write-conflicts and prepare-for-emission "
             "are appended, or a whole pipeline as --print-pipeline prints it, run as written"),
    cl::value_desc("pipeline"), cl::sub(compileCmd), cl::sub(runCmd), cl::sub(viewCmd));
cl::opt<bool> passStats("pass-stats",
                        cl::desc("Print what each pass rewrote (its statistics: maps fused, nodes expanded, ...) to "
                                 "stderr after the pipeline"),
                        cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd));
cl::opt<std::string> targetCpu("target-cpu",
                               cl::desc("The CPUs the library runs on: portable (default: any x86-64, the best of "
                                        "AVX-512, AVX2 and the baseline chosen at load time), native, x86-64-v4, "
                                        "x86-64-v3 or generic (default: $DMC_TARGET_CPU, else portable)"),
                               cl::value_desc("cpu"), cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd));
cl::opt<bool> printPipeline("print-pipeline", cl::desc("Print the pass pipeline of the -O level and exit"),
                            cl::sub(compileCmd), cl::sub(runCmd));
cl::opt<std::string> cacheDir("cache-dir", cl::desc("Cache of compiled libraries (default: $DMC_CACHE_DIR or ~/.cache/dmc)"),
                              cl::value_desc("dir"), cl::sub(compileCmd), cl::sub(runCmd), cl::sub(benchCmd),
                              cl::sub(tuneCmd), cl::sub(viewCmd));
cl::opt<bool> noCache("no-cache", cl::desc("Always compile; neither read nor fill the cache"), cl::sub(compileCmd),
                      cl::sub(runCmd), cl::sub(benchCmd), cl::sub(tuneCmd));
cl::opt<std::string> reportKind("report", cl::desc("Print an analysis of the IR after every pass: movement"),
                                cl::value_desc("kind"), cl::sub(compileCmd), cl::sub(runCmd));
cl::opt<std::string> reportFormat("report-format", cl::desc("Format of --report: text (default) or json"),
                                  cl::value_desc("text|json"), cl::init("text"), cl::sub(compileCmd), cl::sub(runCmd));
cl::opt<bool> timeTorch("torch",
                        cl::desc("Also time the graph's PyTorch reference (samples/torch/NAME.py beside the graph's "
                                 "folder, eager float32, same thread count)"),
                        cl::sub(benchCmd));
cl::opt<bool> benchUntuned("untuned",
                            cl::desc("Also run -O3 without the choices dmc tune stored (-O3-untuned, before -O3): "
                                     "what tuning gained, same run"),
                            cl::sub(benchCmd));
cl::opt<std::string> benchSvg("svg", cl::desc("Also write the table as an SVG bar chart to this file"),
                              cl::value_desc("file"), cl::sub(benchCmd));
cl::opt<std::string> jsonOutput("json", cl::desc("Also write the results as JSON to this file ('-': to stdout, instead of the text)"),
                                cl::value_desc("file"), cl::sub(runCmd), cl::sub(benchCmd), cl::sub(tuneCmd));
cl::opt<bool> profile("profile", cl::desc("Time every state and print the profile"), cl::sub(runCmd));
cl::opt<std::string> inputsDir("inputs", cl::desc("Folder of .npy inputs named after the graph's inputs"),
                               cl::sub(runCmd));
cl::opt<std::string> outputsDir("outputs", cl::desc("Write outputs as .npy into this folder: the last run's (with --repeat, each run after the first starts from outputs filled with NaN)"), cl::sub(runCmd));
cl::opt<unsigned> seed("seed", cl::desc("Seed of the random inputs"), cl::init(0), cl::sub(runCmd), cl::sub(benchCmd));
cl::opt<unsigned> repeat("repeat", cl::desc("Number of timed runs (bench: default 10)"), cl::init(0), cl::sub(runCmd),
                         cl::sub(benchCmd));

/// Parses NAME=VALUE pairs; reports malformed ones.
bool parseBindings(dmc::Bindings &out) {
  bool ok = true;
  for (const std::string &b : binds) {
    size_t eq = b.find('=');
    long long value = 0;
    std::string name = eq == std::string::npos ? "" : b.substr(0, eq);
    StringRef text = eq == std::string::npos ? StringRef() : StringRef(b).drop_front(eq + 1);
    if (!dmc::isIdentifier(name) || text.getAsInteger(10, value)) {
      // getAsInteger also fails on digits beyond int64's range: say so rather than "not an integer".
      StringRef digits = text.starts_with("-") ? text.drop_front() : text;
      if (dmc::isIdentifier(name) && !digits.empty() && llvm::all_of(digits, llvm::isDigit))
        errs() << "dmc: error: --bind " << dmc::printable(b) << ": the value does not fit int64\n";
      else
        errs() << "dmc: error: --bind expects NAME=INTEGER, got '" << dmc::printable(b) << "'\n";
      ok = false;
      continue;
    }
    out[name] = value;
  }
  return ok;
}

/// The cache folder in effect; empty with --no-cache.
std::string cacheFolder() { return noCache ? "" : cacheDir.empty() ? dmc::defaultCacheDir() : std::string(cacheDir); }

/// The tuning database in effect: --tuning-db, else tuning.json in the cache folder (also with --no-cache,
/// which is about compiled libraries); empty for none.
std::string tuningDatabase() {
  if (tuningDb == "none")
    return "";
  if (!tuningDb.empty())
    return tuningDb;
  std::string folder = cacheDir.empty() ? dmc::defaultCacheDir() : std::string(cacheDir);
  return folder.empty() ? "" : folder + "/" + dmc::tuning::kDatabaseFileName;
}

/// Writes what `write` prints to `path` (or stdout for "-") only once complete (compiler/support/Files.h).
/// Returns the exit code: 0, or 1 after a message.
int writeOutput(const std::string &path, const std::function<void(raw_ostream &)> &write) {
  std::string text;
  raw_string_ostream os(text);
  write(os);
  return dmc::writeOutputFile(path, std::move(text)) ? 0 : 1;
}

/// The graph of the command's input (compiler/dmc/Input.h).
mlir::OwningOpRef<mlir::ModuleOp>
loadInput(mlir::MLIRContext &context, dmc::Bindings &bindings,
          dmc::FreeSymbolBindings freeSymbols) {
  return dmc::loadGraph(inputFile, dmc::GraphOptions{bindings, testSize}, context, freeSymbols);
}

dmc::sdfg::SDFGOp singleSDFG(mlir::ModuleOp module) {
  auto sdfgs = module.getOps<dmc::sdfg::SDFGOp>();
  if (std::distance(sdfgs.begin(), sdfgs.end()) != 1) {
    errs() << "dmc: error: " << inputFile << " must hold exactly one sdfg.sdfg\n";
    return nullptr;
  }
  return *sdfgs.begin();
}

/// The files a compile of graph `name` writes beside its library (compileToLibrary), for a temporary
/// folder to remove.
std::vector<std::string> filesBesideLibrary(const std::string &name) {
  return {name + ".h", name + ".manifest.json", name + ".cpp", name + ".weights.bin", dmc::kRuntimeLibraryName};
}

/// The compile options of the command line at -O`level`.
dmc::CompileOptions compileOptionsAt(unsigned level) {
  dmc::CompileOptions options;
  options.optLevel = level;
  options.targetCpu = targetCpu;
  return options;
}

/// --target-cpu, else $DMC_TARGET_CPU, checked; false after a message.
bool checkTargetCpu() {
  std::string chosen = dmc::resolvedTargetCpu(compileOptionsAt(0));
  if (dmc::isTargetCpu(chosen))
    return true;
  errs() << "dmc: error: " << (targetCpu.getNumOccurrences() ? "--target-cpu" : "$DMC_TARGET_CPU") << " '"
         << dmc::printable(chosen) << "' is not a target (" << dmc::targetCpuNames() << ")\n";
  return false;
}

/// Checks --report and --report-format; false (after a message) when either is not known.
bool checkReportOptions() {
  if (reportFormat.getNumOccurrences() && reportKind.empty()) {
    errs() << "dmc: error: --report-format needs --report (--report=movement)\n";
    return false;
  }
  if (!reportKind.empty() && reportKind != "movement") {
    errs() << "dmc: error: unknown --report value '" << reportKind << "' (known reports: movement)\n";
    return false;
  }
  if (!dmc::parseReportFormat(reportFormat)) {
    errs() << "dmc: error: unknown --report-format value '" << reportFormat << "' (text or json)\n";
    return false;
  }
  return true;
}

} // namespace dmc::cli
