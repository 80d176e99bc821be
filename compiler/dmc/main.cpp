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
// The options are CommandLine.h's, the pipeline a command runs Driver.h's; each command's work is in its
// own file (RunCommand, BenchCommand, TuneCommand, View): here each command reads its options.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Compile.h"
#include "compiler/backend/CppEmitter.h"
#include "compiler/dmc/BenchCommand.h"
#include "compiler/dmc/CommandLine.h"
#include "compiler/dmc/Driver.h"
#include "compiler/dmc/MovementReport.h"
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

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
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

using namespace dmc::cli;

namespace {
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
