//===- BenchCommand.h - dmc bench -----------------------------------------===//
#ifndef DMC_DRIVER_BENCHCOMMAND_H
#define DMC_DRIVER_BENCHCOMMAND_H

#include "compiler/dmc/FlopCount.h"

#include <string>
#include <vector>

namespace dmc {

struct BenchVariant {
  std::string label;   // "-O0"
  std::string library; // compiled .so
  double bytesMoved = -1; // from the movement report; < 0 when unknown
};

struct BenchOptions {
  std::vector<BenchVariant> variants; // the first is the baseline of the ratios
  GraphWork work;
  unsigned repeat = 10;
  unsigned seed = 0;
  /// With --torch: the command that times the graph's PyTorch reference (samples/torch/NAME.py --time N)
  /// and prints {"median_ms": ...}; empty for none.
  std::vector<std::string> torchCommand;
  /// With --svg: the chart of the table (BenchChart.h) is written here; empty for none.
  std::string svgPath;
  std::string jsonPath; // --json: the results as JSON into this file ("-": stdout, instead of the text)
};

/// Runs the variants and oneDNN's sgemm interleaved, prints medians, ratios, GFLOP/s, bytes moved and
/// the fraction of the GEMM-bound limit at the same-run sgemm rate. Returns an exit code.
int runBench(const BenchOptions &options);

} // namespace dmc

#endif
