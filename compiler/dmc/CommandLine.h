//===- CommandLine.h - dmc's subcommands, options and their checks --------===//
//
// The one owner of dmc's command line: every subcommand and option (defined in CommandLine.cpp, registered
// when dmc starts), and what several commands do with them (bindings, the cache folder, the tuning
// database, the input graph, the output file).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_COMPILER_DMC_COMMANDLINE_H
#define DMC_COMPILER_DMC_COMMANDLINE_H

#include "compiler/backend/Compile.h"
#include "compiler/dmc/Input.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace dmc::cli {

enum class Emit { Library, Cpp, Header, Manifest };

extern llvm::cl::SubCommand importCmd;
extern llvm::cl::SubCommand compileCmd;
extern llvm::cl::SubCommand runCmd;
extern llvm::cl::SubCommand benchCmd;
extern llvm::cl::SubCommand tuneCmd;
extern llvm::cl::SubCommand viewCmd;
extern llvm::cl::opt<std::string> inputFile;
extern llvm::cl::list<std::string> binds;
extern llvm::cl::opt<bool> testSize;
extern llvm::cl::opt<double> tuneBudget;
extern llvm::cl::opt<unsigned> tuneJobs;
extern llvm::cl::opt<std::string> tuningDb;
extern llvm::cl::list<unsigned> benchLevels;
extern llvm::cl::opt<std::string> outputFile;
extern llvm::cl::opt<unsigned> optLevel;
extern llvm::cl::opt<Emit> emitKind;
extern llvm::cl::opt<std::string> dumpDir;
extern llvm::cl::opt<std::string> passPipeline;
extern llvm::cl::opt<bool> passStats;
extern llvm::cl::opt<std::string> targetCpu;
extern llvm::cl::opt<bool> printPipeline;
extern llvm::cl::opt<std::string> cacheDir;
extern llvm::cl::opt<bool> noCache;
extern llvm::cl::opt<std::string> reportKind;
extern llvm::cl::opt<std::string> reportFormat;
extern llvm::cl::opt<bool> timeTorch;
extern llvm::cl::opt<bool> benchUntuned;
extern llvm::cl::opt<std::string> benchSvg;
extern llvm::cl::opt<std::string> jsonOutput;
extern llvm::cl::opt<bool> profile;
extern llvm::cl::opt<std::string> inputsDir;
extern llvm::cl::opt<std::string> outputsDir;
extern llvm::cl::opt<unsigned> seed;
extern llvm::cl::opt<unsigned> repeat;

/// Parses the --bind NAME=VALUE pairs; reports malformed ones.
bool parseBindings(dmc::Bindings &out);
/// The cache folder in effect; empty with --no-cache.
std::string cacheFolder();
/// The tuning database in effect: --tuning-db, else tuning.json in the cache folder; empty for none.
std::string tuningDatabase();
/// Writes what `write` prints to `path` (or stdout for "-") only once complete. Returns the exit code: 0,
/// or 1 after a message.
int writeOutput(const std::string &path, const std::function<void(llvm::raw_ostream &)> &write);
/// The graph of the command's input (compiler/dmc/Input.h).
mlir::OwningOpRef<mlir::ModuleOp>
loadInput(mlir::MLIRContext &context, dmc::Bindings &bindings,
          dmc::FreeSymbolBindings freeSymbols = dmc::FreeSymbolBindings::runTimeValues);
/// The one sdfg.sdfg of `module`, or null after a message.
dmc::sdfg::SDFGOp singleSDFG(mlir::ModuleOp module);
/// The files a compile of graph `name` writes beside its library, for a temporary folder to remove.
std::vector<std::string> filesBesideLibrary(const std::string &name);
/// The compile options of the command line at -O`level`.
dmc::CompileOptions compileOptionsAt(unsigned level);
/// --target-cpu, else $DMC_TARGET_CPU, checked; false after a message.
bool checkTargetCpu();
/// Checks --report and --report-format; false (after a message) when either is not known.
bool checkReportOptions();

} // namespace dmc::cli

#endif
