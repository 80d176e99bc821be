//===- RunCommand.h - dmc run ---------------------------------------------===//
#ifndef DMC_DRIVER_RUNCOMMAND_H
#define DMC_DRIVER_RUNCOMMAND_H

#include "dialects/Support/Shape.h"

#include <dmc/runtime/alloc.h>
#include <dmc/runtime/loader.h>

#include <string>
#include <vector>

namespace dmc {

struct RunOptions {
  std::string library;   // the .so to load
  std::string input;     // what the command was given (the library, or the graph it was compiled from)
  Bindings symbols;      // values of run-time symbols
  std::string inputsDir; // .npy per input; empty: seeded random inputs
  std::string outputsDir;
  unsigned seed = 0;
  unsigned repeat = 1;
  bool profile = false;
  std::string jsonPath; // --json: the results as JSON into this file ("-": stdout, instead of the text)
};

/// Writes a --json report to `path` (compiler/support/Files.h; "-" is stdout, after what printf wrote).
/// False after a message.
bool writeJsonReport(const std::string &path, const std::string &json);

/// The storage of one argument for dmc run and dmc bench: zero-filled, 64-byte aligned, from the runtime's
/// allocator. A failed allocation is a dmc::Error naming the argument, its shape and symbol values.
class ArgBuffer {
public:
  ArgBuffer(const ArgSpec &arg, const ArgShape &shape);
  float *data() const { return buffer_.as<float>(); }
  size_t size() const { return size_; }
  float *begin() const { return data(); }
  float *end() const { return data() + size_; }
  float &operator[](size_t i) const { return data()[i]; }

private:
  AlignedBuffer buffer_;
  size_t size_;
};

/// Makes a failed operator new throw std::bad_alloc again instead of calling LLVM's out-of-memory handler,
/// which aborts: run before running graphs, whose runtime kernels report bad_alloc as an error.
void reportFailedAllocations();

/// The names of the graph's inputs, in order.
std::vector<std::string> inputNames(const Manifest &manifest);

/// "--inputs DIR: missing x.npy, wq.npy" (or that DIR is no folder) when `dir` lacks a NAME.npy for an
/// input; empty when all are there.
std::string missingInputFiles(const std::string &dir, const std::vector<std::string> &inputs);

/// Loads the library, checks and runs it, prints timing and output summaries. Returns an exit code.
int runLibrary(const RunOptions &options);

} // namespace dmc

#endif
