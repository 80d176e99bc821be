//===- Driver.cpp - the pass pipeline of a command: build, run, prepare ---===//
#include "compiler/dmc/Driver.h"

#include "compiler/backend/Constants.h"
#include "compiler/backend/CppEmitter.h"
#include "compiler/dmc/RunCommand.h"
#include "compiler/support/Files.h"
#include "passes/Passes.h"
#include "passes/analysis/MovementAnalysis.h"
#include "passes/tuning/Tuning.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <omp.h>

using namespace llvm;

namespace dmc::cli {
namespace {
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

/// Whether --passes names a pipeline anchored on an operation (`builtin.module(sdfg.sdfg(...))`, as
/// --print-pipeline prints it) rather than a list of passes: an operation name has a dot, a pass name none.
bool isAnchoredPipeline(StringRef text) {
  text = text.ltrim();
  size_t open = text.find_first_of("({,");
  return open != StringRef::npos && text[open] == '(' && text.take_front(open).contains('.');
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

} // namespace

/// The -O level's pipeline, or --passes: an anchored pipeline runs as written (what --print-pipeline
/// printed runs the same passes), a list of passes runs on sdfg.sdfg followed by the emission passes.
mlir::LogicalResult buildChosenPipeline(mlir::OpPassManager &pm, unsigned level, bool tuned) {
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
                                dmc::MovementReport *report, std::unique_ptr<mlir::PassInstrumentation> extra,
                                bool tuned) {
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

} // namespace dmc::cli
