//===- BenchChart.h - dmc bench --svg: the table as a bar chart -----------===//
//
// One horizontal bar per variant (-O levels, then peers such as the PyTorch reference) with its median
// time, and the GEMM-bound limit (contraction FLOPs at the same-run oneDNN sgemm rate) as a line: the
// same numbers as the table, measured in the same run.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_DMC_BENCHCHART_H
#define DMC_DMC_BENCHCHART_H

#include <string>
#include <vector>

namespace dmc {

struct BenchBar {
  std::string label;  // "-O3", "torch"
  double medianMs = 0;
  std::string note;   // "1.85x", "PyTorch 1.13 eager"
};

struct BenchChart {
  std::string title;  // "bert_encoder: 10 interleaved runs, 2 threads"
  std::vector<BenchBar> bars;
  double gemmBoundMs = 0; // <= 0: not drawn
};

/// The chart as a standalone SVG document; every label is XML-escaped.
std::string benchChartSvg(const BenchChart &chart);

} // namespace dmc

#endif
