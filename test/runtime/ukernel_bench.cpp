// GFLOP/s of the GEMM micro-kernels (ukernels.h) of every build the CPU can run, on one thread with
// L1/L2-resident packed panels, and of the in-place (_rows) kernels on A rows kc floats apart and B rows
// of a 768-float matrix (a block of scores times a head's slice of V): the numbers in runtime/README.md. Not a test (timings are not checked).
//   dmcrt_ukernel_bench [kc]    (default kc = 256)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dmc/runtime/ukernels.h"

namespace {

using GemmFn = void (*)(int64_t, const float*, const float*, float*, int64_t, int32_t);

// The best of 50 runs of `reps` accumulating calls, in GFLOP/s. A run takes about a millisecond, so
// that on a shared machine some runs see no other load.
double gflops(GemmFn gemm, int64_t mr, int64_t nr, int64_t kc) {
  std::vector<float> a(static_cast<size_t>(kc * mr), 1e-3f), b(static_cast<size_t>(kc * nr), 1e-3f);
  std::vector<float> acc(static_cast<size_t>(mr * nr), 0.0f);
  const int64_t reps = std::max<int64_t>(1, (int64_t{1} << 28) / (2 * mr * nr * std::max<int64_t>(kc, 1)));
  double best = 0;
  for (int run = 0; run < 50; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < reps; ++i) gemm(kc, a.data(), b.data(), acc.data(), nr, 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, 2.0 * mr * nr * kc * reps / seconds * 1e-9);
  }
  if (acc[0] < 0) std::puts("");  // keeps the calls observable
  return best;
}

using GemmRowsFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, int32_t);

double gflops_rows(GemmRowsFn gemm, int64_t mr, int64_t nr, int64_t kc) {
  const int64_t ldb = 768;
  std::vector<float> a(static_cast<size_t>(kc * mr), 1e-3f), b(static_cast<size_t>(std::max<int64_t>(kc, 1) * ldb), 1e-3f);
  std::vector<float> acc(static_cast<size_t>(mr * nr), 0.0f);
  const int64_t reps = std::max<int64_t>(1, (int64_t{1} << 28) / (2 * mr * nr * std::max<int64_t>(kc, 1)));
  double best = 0;
  for (int run = 0; run < 50; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < reps; ++i) gemm(kc, a.data(), kc, b.data(), ldb, acc.data(), nr, 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, 2.0 * mr * nr * kc * reps / seconds * 1e-9);
  }
  if (acc[0] < 0) std::puts("");
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t kc = argc > 1 ? std::atoll(argv[1]) : 256;
  std::printf("| build | 12x32 GFLOP/s | 6x16 GFLOP/s | 12x32_rows GFLOP/s | 6x16_rows GFLOP/s |\n|---|---|---|---|---|\n");
  for (const char* isa : {"avx512", "avx2", "generic"}) {
    const dmcrt_uk_kernels* uk = dmcrt_uk_kernels_for(isa);
    if (!uk) {
      std::printf("| %s | not available on this CPU or build | |\n", isa);
      continue;
    }
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", isa, gflops(uk->gemm_12x32, 12, 32, kc),
                gflops(uk->gemm_6x16, 6, 16, kc), gflops_rows(uk->gemm_12x32_rows, 12, 32, kc),
                gflops_rows(uk->gemm_6x16_rows, 6, 16, kc));
  }
  return 0;
}
