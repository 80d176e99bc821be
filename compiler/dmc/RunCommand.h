//===- RunCommand.h - dmc run ---------------------------------------------===//
#ifndef DMC_DRIVER_RUNCOMMAND_H
#define DMC_DRIVER_RUNCOMMAND_H

#include "dialects/Support/Shape.h"

#include <string>

namespace dmc {

struct RunOptions {
  std::string library;   // the .so to load
  Bindings symbols;      // values of run-time symbols
  std::string inputsDir; // .npy per input; empty: seeded random inputs
  std::string outputsDir;
  unsigned seed = 0;
  unsigned repeat = 1;
  bool profile = false;
};

/// Loads the library, checks and runs it, prints timing and output summaries. Returns an exit code.
int runLibrary(const RunOptions &options);

} // namespace dmc

#endif
