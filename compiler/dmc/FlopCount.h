//===- FlopCount.h - floating-point work of a graph -----------------------===//
#ifndef DMC_DRIVER_FLOPCOUNT_H
#define DMC_DRIVER_FLOPCOUNT_H

#include "dialects/SDFG/SDFGOps.h"

#include <cstdint>
#include <optional>

namespace dmc {

struct GraphWork {
  double flops = 0;               // all library nodes
  double contractionFlops = 0;    // MatMul and Gemm only: what the sgemm rate bounds
  int64_t m = 0, n = 0, k = 0;    // the largest contraction, for the same-run sgemm measurement
};

/// Counts FLOPs of the library nodes of `sdfg` (2*M*N*K per product, a few per element for the rest).
/// nullopt when a shape still has a symbol: the count needs every size bound.
std::optional<GraphWork> countWork(sdfg::SDFGOp sdfg);

} // namespace dmc

#endif
