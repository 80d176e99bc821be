//===- main.cpp - the dmc command-line driver -----------------------------===//
//
//   dmc import  FILE(.json|.onnx) [--bind S=512] [--test-size] [-o OUT.mlir]
//   dmc compile FILE(.json|.onnx|.mlir) -o libNAME.so [--bind ...] [-O0..-O3] [--emit=library|cpp|header|manifest]
//               [--passes=PIPELINE] [--dump-ir-after-all DIR] [--cache-dir DIR | --no-cache] [--report=movement [--report-format=text|json]]
//               [--pass-stats] [--target-cpu=portable|native|x86-64-v4|x86-64-v3|generic]
//   dmc run     FILE(.json|.onnx|.mlir|.so) [--bind ...] [--inputs DIR] [--outputs DIR] [--seed N] [--repeat N] [--profile]
//               [--report=movement [--report-format=text|json]] [--json FILE|-]
//   dmc bench   FILE(.json|.onnx|.mlir) [--levels 0,3] [--repeat N] [--torch] [--json FILE|-] [--svg FILE]
//   dmc tune    FILE(.json|.onnx|.mlir) [--bind ...] [--budget SECONDS] [--tuning-db FILE] [--json FILE|-]
//   dmc view    FILE(.json|.onnx|.mlir) -o page.html [--bind ...] [-O0..-O3 | --passes=PIPELINE]
//   FILE may be - (standard input: a JSON graph or MLIR), compiler/dmc/Input.h.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Cache.h"
#include "compiler/backend/Compile.h"
#include "compiler/backend/Constants.h"
#include "compiler/backend/CppEmitter.h"
#include "compiler/dmc/MovementReport.h"
#include "compiler/dmc/BenchCommand.h"
#include "compiler/dmc/Input.h"
#include "compiler/dmc/PrintDiagnostics.h"
#include "compiler/dmc/RunCommand.h"
#include "compiler/dmc/TuneCommand.h"
#include "compiler/dmc/View.h"
#include "compiler/importer/Importer.h"
#include "compiler/support/Files.h"
#include "compiler/support/Interrupts.h"
#include "passes/Passes.h"
#include "passes/analysis/MovementAnalysis.h"
#include "passes/tuning/TuningDatabase.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <omp.h>

#include <cmath>
#include <iostream>
#include <thread>

using namespace llvm;

namespace {
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
enum class Emit { Library, Cpp, Header, Manifest };
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
cl::opt<std::string> outputsDir("outputs", cl::desc("Write outputs as .npy into this folder"), cl::sub(runCmd));
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
          dmc::FreeSymbolBindings freeSymbols = dmc::FreeSymbolBindings::runTimeValues) {
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

/// Writes the IR after every pass as DIR/NN-<pass>.mlir, so a user can follow the graph to C++.
struct DumpAfterEachPass : mlir::PassInstrumentation {
  explicit DumpAfterEachPass(std::string dir) : dir(std::move(dir)) {}
  void runAfterPass(mlir::Pass *pass, mlir::Operation *op) override {
    if (pass->getArgument().empty()) // nesting adaptors and the verifier: not a user's step
      return;
    mlir::Operation *top = op;
    while (top->getParentOp())
      top = top->getParentOp();
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%02u-", ++count);
    if (writeOutput(dir + "/" + prefix + pass->getArgument().str() + ".mlir", [&](raw_ostream &os) { top->print(os); }))
      failed = true;
  }
  std::string dir;
  unsigned count = 0;
  bool failed = false; // a dump could not be written: the command fails once the pipeline returns
};

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

/// Whether --passes names a pipeline anchored on an operation (`builtin.module(sdfg.sdfg(...))`, as
/// --print-pipeline prints it) rather than a list of passes: an operation name has a dot, a pass name none.
bool isAnchoredPipeline(StringRef text) {
  text = text.ltrim();
  size_t open = text.find_first_of("({,");
  return open != StringRef::npos && text[open] == '(' && text.take_front(open).contains('.');
}

/// The -O level's pipeline, or --passes: an anchored pipeline runs as written (what --print-pipeline
/// printed runs the same passes), a list of passes runs on sdfg.sdfg followed by the emission passes.
mlir::LogicalResult buildChosenPipeline(mlir::OpPassManager &pm, unsigned level, bool tuned = true) {
  if (passPipeline.empty()) {
    // -O3 applies the choices dmc tune stored for this machine at the thread count the library will see.
    dmc::ApplyTunedChoicesOptions tuning;
    tuning.db = tuningDatabase();
    dmc::tuning::Machine machine = dmc::tuning::hostMachine(omp_get_max_threads());
    tuning.cpu = machine.cpu;
    tuning.isaName = machine.isa;
    tuning.threads = machine.threads;
    dmc::buildPipeline(pm, level, tuning.db.empty() || !tuned ? nullptr : &tuning);
    return mlir::success();
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  auto fail = [&](const Twine &why) {
    errs() << "dmc: error: --passes='" << dmc::printable(passPipeline) << "': " << why << "\n";
    return mlir::failure();
  };
  if (!isAnchoredPipeline(passPipeline)) {
    mlir::OpPassManager &sdfg = pm.nest<dmc::sdfg::SDFGOp>();
    if (failed(mlir::parsePassPipeline(passPipeline, sdfg, os)))
      return fail(message);
    dmc::addEmissionPasses(sdfg);
    return mlir::success();
  }
  // `pm` is anchored on builtin.module already: its own anchor is unwrapped, other anchors nest in it.
  StringRef text = StringRef(passPipeline).trim();
  StringRef moduleAnchor = "builtin.module(";
  if (text.starts_with(moduleAnchor) && text.ends_with(")"))
    text = text.drop_front(moduleAnchor.size()).drop_back();
  if (failed(mlir::parsePassPipeline(text, pm, os)))
    return fail(message);
  std::string built;
  llvm::raw_string_ostream printed(built);
  pm.printAsTextualPipeline(printed);
  if (!StringRef(built).ends_with("resolve-write-conflicts,prepare-for-emission))"))
    return fail("a pipeline anchored on an operation runs as written and must end with "
                "sdfg.sdfg(...,resolve-write-conflicts,prepare-for-emission), as --print-pipeline prints it "
                "(a list of passes without an anchor gets them appended)");
  return mlir::success();
}

/// The pass pipeline of the chosen -O level (or --passes), instrumented when dumping or reporting; with
/// --pass-stats, the passes' statistics go to stderr afterwards (also when a pass failed).
mlir::LogicalResult runPipeline(mlir::MLIRContext &context, mlir::ModuleOp module, unsigned level,
                                dmc::MovementReport *report = nullptr,
                                std::unique_ptr<mlir::PassInstrumentation> extra = nullptr, bool tuned = true) {
  mlir::PassManager pm(&context);
  pm.enableVerifier(true);
  if (failed(buildChosenPipeline(pm, level, tuned)))
    return mlir::failure();
  auto dumps = dumpDir.empty() ? nullptr : std::make_unique<DumpAfterEachPass>(dumpDir);
  DumpAfterEachPass *dumpsSeen = dumps.get();
  if (dumps)
    pm.addInstrumentation(std::move(dumps));
  if (report)
    pm.addInstrumentation(report->instrumentation());
  if (extra)
    pm.addInstrumentation(std::move(extra));
  dmc::PassStatisticsReport statistics;
  if (passStats)
    pm.addInstrumentation(statistics.instrumentation());
  mlir::LogicalResult ran = pm.run(module);
  if (passStats) {
    if (benchCmd)
      errs() << "dmc bench: -O" << level << "\n";
    statistics.print(errs());
  }
  if (failed(ran))
    return mlir::failure();
  return mlir::failure(dumpsSeen && dumpsSeen->failed);
}

/// Removes the `NN-<pass>.mlir` files an earlier --dump-ir-after-all left in `dir` (a longer or other
/// pipeline would leave steps that this compile did not produce); other files stay.
void removeEarlierDumps(StringRef dir) {
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    StringRef name = sys::path::filename(it->path());
    bool numbered = name.size() > 3 && isDigit(name[0]) && isDigit(name[1]) && name[2] == '-';
    if (numbered && name.ends_with(".mlir") && dmc::inputOverwriteError(it->path()).empty())
      sys::fs::remove(it->path());
  }
}

/// dmc run --inputs DIR: every input's DIR/NAME.npy exists, checked before the compile, not after it.
bool checkInputFiles(mlir::ModuleOp module) {
  if (!runCmd || inputsDir.empty())
    return true;
  auto sdfg = singleSDFG(module);
  if (!sdfg)
    return false;
  // Constant inputs live in the library's weights file, not in --inputs; a bad dmc.constants is the
  // compile's to report.
  mlir::FailureOr<dmc::ConstantLayout> constants = dmc::constantLayout(sdfg);
  if (failed(constants))
    return true;
  std::vector<std::string> names;
  for (mlir::BlockArgument input : sdfg.getInputArgs())
    if (!constants->contains(input.getArgNumber()))
      names.push_back(sdfg.getAbiName(input.getArgNumber()).str());
  std::string missing = dmc::missingInputFiles(inputsDir, names);
  if (!missing.empty())
    errs() << "dmc: error: " << missing << "\n";
  return missing.empty();
}

/// Import or parse, then the pipeline; returns the SDFG ready for emission.
dmc::sdfg::SDFGOp prepare(mlir::MLIRContext &context, mlir::OwningOpRef<mlir::ModuleOp> &module,
                          dmc::FreeSymbolBindings freeSymbols) {
  dmc::Bindings bindings;
  if (!parseBindings(bindings))
    return nullptr;
  module = loadInput(context, bindings, freeSymbols);
  if (!module)
    return nullptr;
  if (!checkInputFiles(*module))
    return nullptr;
  if (std::string message = dmc::inputOverwriteError(outputFile); compileCmd && !message.empty()) {
    errs() << "dmc: error: " << message << "\n"; // before the work, not after it
    return nullptr;
  }
  if (optLevel > 3) {
    errs() << "dmc: error: -O" << optLevel << " does not exist (0 to 3)\n";
    return nullptr;
  }
  if (!dumpDir.empty()) {
    if (std::error_code ec = sys::fs::create_directories(dumpDir)) {
      errs() << "dmc: error: --dump-ir-after-all: cannot create " << dumpDir << ": " << ec.message() << "\n";
      return nullptr;
    }
    removeEarlierDumps(dumpDir);
    if (writeOutput(dumpDir + "/00-import.mlir", [&](raw_ostream &os) { module->print(os); }))
      return nullptr;
  }
  // --report=movement: totals after import and after every pass, then the final breakdown. It goes to
  // stdout, or to stderr when the compiled output itself goes to stdout.
  std::unique_ptr<dmc::MovementReport> report;
  if (reportKind == "movement") {
    report = std::make_unique<dmc::MovementReport>(bindings);
    report->record("import", *module);
  }
  if (failed(runPipeline(context, *module, optLevel, report.get())))
    return nullptr;
  // The emitter prints memlets as raw pointer arithmetic: it gets only IR whose verifiers (memlet bounds
  // among them) pass, whatever the pipeline did or skipped.
  if (failed(mlir::verify(*module)))
    return nullptr;
  auto sdfg = singleSDFG(*module);
  if (sdfg && report) {
    bool toStderr = compileCmd && outputFile == "-";
    report->print(toStderr ? errs() : outs(), sdfg, *dmc::parseReportFormat(reportFormat));
  }
  if (sdfg && !dumpDir.empty()) { // the C++ that the library is built from (the emitter is deterministic)
    dmc::CompileOptions options = compileOptionsAt(optLevel);
    std::string manifest = dmc::manifestFor(sdfg, options);
    std::string source;
    raw_string_ostream os(source);
    if (failed(dmc::emitCpp(sdfg, os, {manifest})) ||
        !dmc::writeOutputFile(dumpDir + "/" + sdfg.getSymName().str() + ".cpp", std::move(source)))
      return nullptr;
  }
  return sdfg;
}

int runImport() {
  dmc::Bindings bindings;
  if (!parseBindings(bindings))
    return 2;
  mlir::MLIRContext context;
  dmc::DiagnosticPrinter diagnostics(context); // the passes' warnings and remarks too
  auto module = loadInput(context, bindings, dmc::FreeSymbolBindings::rejected);
  if (!module)
    return 1;
  return writeOutput(outputFile, [&](raw_ostream &os) { module->print(os); os << "\n"; });
}

/// --print-pipeline: the textual pipeline of the -O level (accepted by dmc-opt --pass-pipeline).
/// Returns the exit code when --print-pipeline was given, -1 otherwise.
int maybePrintPipeline() {
  if (!printPipeline)
    return -1;
  mlir::OpPassManager pm(mlir::ModuleOp::getOperationName());
  if (failed(buildChosenPipeline(pm, optLevel)))
    return 1;
  pm.printAsTextualPipeline(outs());
  outs() << "\n";
  return 0;
}

int runCompile() {
  if (!checkReportOptions() || !checkTargetCpu())
    return 2;
  if (int code = maybePrintPipeline(); code >= 0)
    return code;
  mlir::MLIRContext context;
  dmc::DiagnosticPrinter diagnostics(context); // the passes' warnings and remarks too
  mlir::OwningOpRef<mlir::ModuleOp> module;
  auto sdfg = prepare(context, module,
                      // the movement report takes a free symbol's value (docs/movement.md)
                      reportKind.empty() ? dmc::FreeSymbolBindings::rejected : dmc::FreeSymbolBindings::runTimeValues);
  if (!sdfg)
    return 1;
  dmc::CompileOptions options = compileOptionsAt(optLevel);
  if (emitKind != Emit::Library) {
    std::string manifest = dmc::manifestFor(sdfg, options);
    std::string text;
    raw_string_ostream os(text);
    if (emitKind == Emit::Cpp && failed(dmc::emitCpp(sdfg, os, {manifest})))
      return 1;
    if (emitKind == Emit::Header)
      dmc::emitHeader(sdfg, os);
    if (emitKind == Emit::Manifest)
      os << manifest << "\n";
    return writeOutput(outputFile, [&](raw_ostream &out) { out << text; });
  }
  // A library goes to standard output only when asked for (-o -), and never onto a terminal.
  if (outputFile == "-" && (!outputFile.getNumOccurrences() || sys::Process::StandardOutIsDisplayed())) {
    errs() << "dmc: error: compile needs -o libNAME.so (or -o - with standard output redirected)\n";
    return 2;
  }
  options.cacheDir = cacheFolder();
  return failed(dmc::compileToLibrary(sdfg, outputFile, options)) ? 1 : 0;
}

int runRun() {
  if (!checkReportOptions() || !checkTargetCpu())
    return 2;
  if (int code = maybePrintPipeline(); code >= 0)
    return code;
  dmc::RunOptions options;
  if (!parseBindings(options.symbols))
    return 2;
  options.inputsDir = inputsDir;
  options.outputsDir = outputsDir;
  options.seed = seed;
  options.repeat = std::max(1u, (unsigned)repeat);
  options.profile = profile;
  options.jsonPath = jsonOutput;
  options.input = inputFile;
  if (StringRef(inputFile).ends_with(".so")) {
    if (!reportKind.empty() || passStats) {
      errs() << "dmc: error: " << (passStats ? "--pass-stats" : "--report")
             << " needs a .json or .mlir input, not a compiled library\n";
      return 2;
    }
    options.library = inputFile;
    return dmc::runLibrary(options);
  }
  mlir::MLIRContext context;
  dmc::DiagnosticPrinter diagnostics(context); // the passes' warnings and remarks too
  mlir::OwningOpRef<mlir::ModuleOp> module;
  auto sdfg = prepare(context, module, dmc::FreeSymbolBindings::runTimeValues);
  if (!sdfg)
    return 1;
  std::error_code ec;
  dmc::TemporaryFolder dir("", "dmc-run", ec);
  if (ec) {
    errs() << "dmc: error: cannot create a temporary folder: " << ec.message() << "\n";
    return 1;
  }
  dmc::CompileOptions compileOptions = compileOptionsAt(optLevel);
  compileOptions.cacheDir = cacheFolder();
  std::string name = sdfg.getSymName().str();
  options.library = dir.file("lib" + name + ".so");
  for (const std::string &beside : filesBesideLibrary(name))
    dir.file(beside); // the compile writes them beside the library
  return failed(dmc::compileToLibrary(sdfg, options.library, compileOptions)) ? 1 : dmc::runLibrary(options);
}
int runBench() {
  dmc::Bindings bindings;
  if (!parseBindings(bindings) || !checkTargetCpu())
    return 2;
  std::vector<unsigned> levels(benchLevels.begin(), benchLevels.end());
  if (levels.empty())
    levels = {0, 3};
  dmc::BenchOptions options;
  options.repeat = repeat ? (unsigned)repeat : 10;
  options.seed = seed;
  options.svgPath = benchSvg;
  options.jsonPath = jsonOutput;
  std::error_code ec;
  dmc::TemporaryFolder dir("", "dmc-bench", ec);
  if (ec) {
    errs() << "dmc: error: cannot create a temporary folder: " << ec.message() << "\n";
    return 1;
  }
  int rc = 0;
  std::vector<std::pair<unsigned, bool>> variants; // level, tuned
  for (unsigned level : levels) {
    if (level == 3 && benchUntuned)
      variants.push_back({level, false});
    variants.push_back({level, true});
  }
  for (auto [level, tuned] : variants) {
    mlir::MLIRContext context;
    dmc::DiagnosticPrinter diagnostics(context);
    auto module = loadInput(context, bindings);
    if (!module || level > 3) {
      if (level > 3)
        errs() << "dmc: error: -O" << level << " does not exist (0 to 3)\n";
      rc = 1;
      break;
    }
    if (level == variants.front().first && tuned == variants.front().second) {
      auto sdfg = singleSDFG(*module);
      auto work = sdfg ? dmc::countWork(sdfg) : std::nullopt;
      if (!work) {
        errs() << "dmc: error: bench needs every size bound (use --bind or --test-size)\n";
        rc = 1;
        break;
      }
      options.work = *work;
    }
    dmc::sdfg::SDFGOp sdfg;
    if (failed(runPipeline(context, *module, level, nullptr, nullptr, tuned)) || !(sdfg = singleSDFG(*module))) {
      rc = 1;
      break;
    }
    dmc::CompileOptions compile = compileOptionsAt(level);
    compile.cacheDir = cacheFolder();
    std::string label = "-O" + std::to_string(level) + (tuned ? "" : "-untuned");
    std::string sub = label.substr(1) + "/", name = sdfg.getSymName().str();
    dir.file(sub); // removed after the files below, which the compile writes into it
    std::string lib = dir.file(sub + "lib" + name + ".so");
    for (const std::string &beside : filesBesideLibrary(name))
      dir.file(sub + beside);
    if (failed(dmc::compileToLibrary(sdfg, lib, compile))) {
      rc = 1;
      break;
    }
    // Bytes moved by the movement report's rules (docs/movement.md), every size bound at this point.
    dmc::Bytes moved = dmc::analyzeMovement(sdfg).totals.moved();
    options.variants.push_back({label, lib, moved.known ? (double)moved.value : -1.0});
  }
  if (rc == 0 && timeTorch) {
    // samples/NAME.json -> samples/torch/NAME.py
    SmallString<256> script(sys::path::parent_path(inputFile));
    sys::path::append(script, "torch", sys::path::stem(inputFile) + ".py");
    if (!sys::fs::exists(script)) {
      errs() << "dmc: error: --torch: no PyTorch reference at " << script << "\n";
      rc = 1;
    } else {
      options.torchCommand = {"/usr/bin/python3", script.str().str(), "--graph", inputFile, "--time",
                              std::to_string(options.repeat), "--threads", std::to_string(omp_get_max_threads()),
                              "--seed", std::to_string((unsigned)seed)};
      for (const std::string &b : binds)
        options.torchCommand.insert(options.torchCommand.end(), {"--bind", b});
      if (testSize)
        options.torchCommand.push_back("--test-size");
    }
  }
  if (rc == 0)
    rc = dmc::runBench(options);
  return rc;
}
/// dmc tune: the candidates of every tunable node timed here, the fastest stored (compiler/dmc/TuneCommand.h).
int runTuneCommand() {
  dmc::Bindings bindings;
  if (!parseBindings(bindings))
    return 2;
  if (!(tuneBudget > 0) || !std::isfinite(tuneBudget)) {
    errs() << "dmc: error: --budget must be a positive number of seconds\n";
    return 2;
  }
  dmc::TuneOptions options;
  options.budgetSeconds = tuneBudget;
  options.databasePath = tuningDatabase();
  if (options.databasePath.empty()) {
    errs() << "dmc: error: dmc tune needs a tuning database to fill: --tuning-db FILE (there is no cache folder, "
              "or --tuning-db=none)\n";
    return 2;
  }
  options.dmcExecutable = sys::fs::getMainExecutable(nullptr, nullptr);
  options.cacheDir = cacheFolder();
  options.jobs = tuneJobs ? (unsigned)tuneJobs : std::max(1u, std::thread::hardware_concurrency());
  options.jsonPath = jsonOutput;
  mlir::MLIRContext context;
  dmc::DiagnosticPrinter diagnostics(context); // the passes' warnings and remarks too
  auto module = loadInput(context, bindings, dmc::FreeSymbolBindings::rejected);
  if (!module)
    return 1;
  return dmc::runTune(*module, options);
}

/// dmc view: the IR after the import and every pass, drawn by the page of docs/viewer.md.
int runView() {
  dmc::Bindings bindings;
  if (!parseBindings(bindings))
    return 2;
  if (optLevel > 3) {
    errs() << "dmc: error: -O" << optLevel << " does not exist (0 to 3)\n";
    return 2;
  }
  if (std::string message = dmc::inputOverwriteError(outputFile); !message.empty()) {
    errs() << "dmc: error: " << message << "\n";
    return 2;
  }
  std::string templatePath = dmc::viewerTemplatePath(), error; // read first: no work without a page to fill
  std::optional<std::string> page = dmc::readInputFile(templatePath, error);
  if (!page) {
    errs() << "dmc: error: the page template " << templatePath << ": " << error << " (scripts/install-viewer-deps.sh bundles it)\n";
    return 1;
  }
  mlir::MLIRContext context;
  auto module = loadInput(context, bindings);
  if (!module)
    return 1;
  dmc::ViewRecorder view(inputFile, passPipeline.empty() ? "-O" + std::to_string(optLevel) : passPipeline, bindings);
  view.record("import", *module);
  if (failed(runPipeline(context, *module, optLevel, nullptr, view.instrumentation())) || failed(mlir::verify(*module)))
    return 1;
  auto sdfg = singleSDFG(*module);
  std::optional<std::string> data = sdfg ? view.pageData(sdfg) : std::nullopt;
  if (!data)
    return 1;
  if (!dmc::fillViewerTemplate(*page, *data)) {
    errs() << "dmc: error: " << templatePath << " is not a dmc view template (it needs one data placeholder)\n";
    return 1;
  }
  return writeOutput(outputFile, [&](raw_ostream &os) { os << *page; });
}
} // namespace

int main(int argc, char **argv) {
  dmc::installInterruptCleanup(); // before InitLLVM (see Interrupts.h)
  InitLLVM init(argc, argv);
  cl::SetVersionPrinter([](raw_ostream &os) { os << "dmc " DMC_VERSION "\n"; });
  dmc::registerAllDmcPasses(); // --passes names them
  // The libraries linked in register hundreds of options on the top level (LLVM's backends); dmc's own are
  // all in its subcommands. `dmc --help` shows the subcommands and the generic options only.
  static cl::OptionCategory noTopLevelOptions("dmc");
  cl::HideUnrelatedOptions(noTopLevelOptions);
  cl::ParseCommandLineOptions(argc, argv, "dmc: the data-movement compiler for attention on CPUs\n");
  int rc = 2;
  if (importCmd)
    rc = runImport();
  else if (compileCmd)
    rc = runCompile();
  else if (runCmd)
    rc = runRun();
  else if (benchCmd)
    rc = runBench();
  else if (tuneCmd)
    rc = runTuneCommand();
  else if (viewCmd)
    rc = runView();
  else
    errs() << "dmc: error: no command given; try 'dmc --help'\n";
  // Reports and results printed to stdout: a failed write (a full disk, a closed pipe) fails the command.
  if (!dmc::flushStandardOutput() && rc == 0)
    rc = 1;
  return rc;
}
