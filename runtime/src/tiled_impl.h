// The interface between the tiled kernels' driver (kernels_tiled.cpp: checks, broadcasting, the
// parallel loop) and the per-ISA inner code (tiled_isa.inc, compiled once per instruction set).
#ifndef DMC_RUNTIME_SRC_TILED_IMPL_H
#define DMC_RUNTIME_SRC_TILED_IMPL_H

#include <cstdint>
#include <vector>

namespace dmc::detail {

// A 2-D strided operand: element (i, j) at data[i * rs + j * cs]. A null data pointer means absent.
struct Matrix {
  const float* data = nullptr;
  int64_t rs = 0, cs = 0;
  float at(int64_t i, int64_t j) const { return data[i * rs + j * cs]; }
};

// One matrix product with its epilogue: C = act(alpha * A @ B + pre) + post, A [M,K], B [K,N].
struct GemmProblem {
  int64_t M = 0, N = 0, K = 0;
  Matrix A, B, pre, post;
  float* C = nullptr;
  int64_t rsc = 0, csc = 0;
  float alpha = 1.0f;
  int32_t activation = 0;
};

// The generated attention mask of dmcrt_softmax (docs/op-vocabulary.md).
struct GeneratedMask {
  bool causal = false;
  int64_t window = -1;
  int64_t stride = 0;
  std::vector<char> global;  // global[t] != 0 when token t is global
  bool any() const { return causal || window >= 0 || stride > 0 || !global.empty(); }
  bool kept(int64_t i, int64_t j) const {
    if ((i < static_cast<int64_t>(global.size()) && global[i]) ||
        (j < static_cast<int64_t>(global.size()) && global[j]))
      return true;
    const int64_t dist = i >= j ? i - j : j - i;
    if (causal && j > i) return false;
    if (window >= 0 && dist > window) return false;
    // With causal, i - j >= 0 for kept positions, so |i - j| covers both spellings of the rule.
    if (stride > 0 && dist % stride != 0) return false;
    return true;
  }
  // False only when no (i, j) with i in [q0, q1), j in [k0, k1) is kept (cheap, conservative).
  bool block_may_keep(int64_t q0, int64_t q1, int64_t k0, int64_t k1) const {
    for (int64_t t = 0; t < static_cast<int64_t>(global.size()); ++t)
      if (global[t] && ((t >= q0 && t < q1) || (t >= k0 && t < k1))) return true;
    if (causal && k0 > q1 - 1) return false;
    if (window >= 0 && (k0 - (q1 - 1) > window || q0 - (k1 - 1) > window)) return false;
    return true;
  }
};

// One (batch, query rows [q0, q1)) slice of an attention: Q [Sq, D], K [Sk, D], V [Sk, Dv].
struct AttentionProblem {
  int64_t Sq = 0, Sk = 0, D = 0, Dv = 0;
  Matrix Q, K, V, mask;  // mask [Sq, Sk], optional
  float* O = nullptr;
  int64_t rso = 0, cso = 0;
  float scale = 1.0f;
  const GeneratedMask* generated = nullptr;
};

// Inner code of one instruction set. Both functions are serial (the driver parallelises) and keep
// their packing buffers per thread.
struct TiledIsa {
  const char* name;
  // C rows [m0, m1) and columns [n0, n1) of `p`, over the whole K.
  void (*gemm_block)(const GemmProblem& p, int64_t m0, int64_t m1, int64_t n0, int64_t n1);
  // Output rows [q0, q1) of `p`.
  void (*attention_rows)(const AttentionProblem& p, int64_t q0, int64_t q1);
};

const TiledIsa& tiled_isa_avx512();
const TiledIsa& tiled_isa_generic();

// Block sizes shared by the driver (task shape) and the inner code.
constexpr int64_t kTileM = 96;       // rows of C per task (a multiple of the micro-kernel's MR)
constexpr int64_t kTileN = 256;      // columns of C per task (a multiple of NR)
constexpr int64_t kTileK = 256;      // depth of one packed panel
constexpr int64_t kAttnRows = 64;    // query rows per attention task
constexpr int64_t kAttnCols = 256;   // keys per streaming-softmax step

}  // namespace dmc::detail

#endif
