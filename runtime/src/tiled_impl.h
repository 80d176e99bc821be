// The interface between the tiled kernels' driver (kernels_tiled.cpp: checks, broadcasting, the
// parallel loop) and the per-ISA inner code (tiled_isa.inc, compiled once per instruction set).
#ifndef DMC_RUNTIME_SRC_TILED_IMPL_H
#define DMC_RUNTIME_SRC_TILED_IMPL_H

#include <cstdint>
#include <vector>

#include "dmc/runtime/ukernels.h"
#include "generated_mask.h"

namespace dmc::detail {

// A 2-D strided operand: element (i, j) at data[i * rs + j * cs]. A null data pointer means absent.
struct Matrix {
  const float* data = nullptr;
  int64_t rs = 0, cs = 0;
  float at(int64_t i, int64_t j) const { return data[i * rs + j * cs]; }
};

// One matrix product with its epilogue: C = act(alpha * A @ B + pre_scale * pre) + post_scale * post,
// A [M,K], B [K,N].
struct GemmProblem {
  int64_t M = 0, N = 0, K = 0;
  Matrix A, B, pre, post;
  float* C = nullptr;
  int64_t rsc = 0, csc = 0;
  float alpha = 1.0f, pre_scale = 1.0f, post_scale = 1.0f;
  int32_t activation = 0;
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

// Inner code of one instruction set. All functions are serial (the driver parallelises); the whole
// kernels keep their packing buffers per thread.
struct TiledIsa {
  // C rows [m0, m1) and columns [n0, n1) of `p`, over the whole K.
  void (*gemm_block)(const GemmProblem& p, int64_t m0, int64_t m1, int64_t n0, int64_t n1);
  // Output rows [q0, q1) of `p`.
  void (*attention_rows)(const AttentionProblem& p, int64_t q0, int64_t q1);
  // The micro-kernels both are built on, and the build's name (uk.isa).
  dmcrt_uk_kernels uk;
};

// The builds compiled into this library (tiled_<name>.cpp). Only call one the CPU supports.
const TiledIsa& tiled_isa_avx512();
const TiledIsa& tiled_isa_avx2();
const TiledIsa& tiled_isa_generic();

// The build named `name` if this library has it and the CPU supports it, else null (ukernels.cpp).
const TiledIsa* tiled_isa_named(const char* name);
// The build in use: chosen once, at first use, by DMCRT_TILED_ISA and the CPU's features.
const TiledIsa& tiled_isa();

// Block sizes shared by the driver (task shape) and the inner code.
constexpr int64_t kTileM = 96;       // rows of C per task (a multiple of the micro-kernel's MR)
constexpr int64_t kTileN = 256;      // columns of C per task (a multiple of NR)
constexpr int64_t kTileK = 256;      // depth of one packed panel
constexpr int64_t kAttnRows = 64;    // query rows per attention task
constexpr int64_t kAttnCols = 256;   // keys per streaming-softmax step

}  // namespace dmc::detail

#endif
