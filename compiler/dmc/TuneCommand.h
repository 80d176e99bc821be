//===- TuneCommand.h - dmc tune -------------------------------------------===//
#ifndef DMC_DRIVER_TUNECOMMAND_H
#define DMC_DRIVER_TUNECOMMAND_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace dmc {

struct TuneOptions {
  double budgetSeconds = 60;  // compiling and timing together
  std::string databasePath;   // the tuning database to merge the results into
  std::string dmcExecutable;  // this program: each candidate is compiled by `dmc compile` in its own process
  std::string cacheDir;       // of compiled libraries, passed to those compiles; empty: --no-cache
  unsigned jobs = 1;          // compiles at once
  std::string jsonPath;       // --json: the results as JSON into this file ("-": stdout, instead of the text)
};

/// Times the candidate implementations of every tunable node of `module` (its graph, imported with all
/// sizes bound) on this machine, interleaved, and merges the fastest of each node into the database.
/// Prints a table (and a progress line onto a terminal). Returns an exit code.
int runTune(mlir::ModuleOp module, const TuneOptions &options);

} // namespace dmc

#endif
