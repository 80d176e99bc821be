// dmcrt_matmul_tiled against oneDNN's sgemm on BERT's largest product (512x3072x768), interleaved in one
// process, three rounds of 10 calls each. Build and run from the repository root after scripts/setup.sh:
//   g++ -O2 -I runtime/include scripts/bench_tiled_gemm.cpp -Lbuild/runtime -ldmcrt -ldnnl \
//       -Wl,-rpath,$PWD/build/runtime -o /tmp/bench_tiled_gemm && /tmp/bench_tiled_gemm
#include <dnnl.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "dmc/runtime/tiled.h"

int main() {
  const int64_t M = 512, N = 3072, K = 768;
  std::vector<float> a(M * K, 0.5f), b(K * N, 0.25f), c(M * N);
  auto dense = [](float* p, int64_t rows, int64_t cols) {
    dmcrt_strided s{};
    s.data = p, s.rank = 2, s.shape[0] = rows, s.shape[1] = cols, s.stride[0] = cols, s.stride[1] = 1;
    return s;
  };
  dmcrt_strided da = dense(a.data(), M, K), db = dense(b.data(), K, N), dc = dense(c.data(), M, N);
  using clock = std::chrono::steady_clock;
  const double flop = 2.0 * M * N * K * 10;
  for (int round = 0; round < 3; ++round) {
    auto t0 = clock::now();
    for (int i = 0; i < 10; i++)
      if (dmcrt_matmul_tiled(&da, &db, nullptr, nullptr, &dc, 1.0f, DMCRT_ACT_NONE, 1.0f, 1.0f)) return 1;
    auto t1 = clock::now();
    for (int i = 0; i < 10; i++) dnnl_sgemm('N', 'N', M, N, K, 1.0f, a.data(), K, b.data(), N, 0.0f, c.data(), N);
    auto t2 = clock::now();
    std::printf("%s tiled %.1f GFLOP/s, oneDNN sgemm %.1f GFLOP/s\n", dmcrt_tiled_isa(),
                flop / std::chrono::duration<double>(t1 - t0).count() / 1e9,
                flop / std::chrono::duration<double>(t2 - t1).count() / 1e9);
  }
}
