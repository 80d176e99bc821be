// MatMul (batched, NumPy broadcasting of batch dims) and Gemm.
//
// Each output row c[b, i, :] is independent, so rows of all batches form one parallel loop. The
// row of op(A) is first packed into a contiguous scratch vector (this makes trans_a free), then:
//  - !trans_b: i-k-j order, c_row += a_ik * b_row_k, streaming B and C rows contiguously;
//  - trans_b:  B is stored [N, K], so each c_ij is a contiguous dot product of two K-vectors.
#include <omp.h>

#include <cstring>
#include <vector>

#include "dmc/runtime/kernels.h"
#include "kernel_util.h"

namespace dmc::detail {
namespace {

struct MatmulPlan {
  int64_t M = 0, K = 0, N = 0;
  std::vector<int64_t> a_offsets, b_offsets;  // element offset of each batch's matrix
  Shape out_shape;
};

MatmulPlan plan_matmul(const dmcrt_tensor& a, const dmcrt_tensor& b, bool trans_a, bool trans_b) {
  if (a.rank < 2 || b.rank < 2)
    fail(DMCRT_ERR_SHAPE, "operands need rank >= 2, got A " + shape_str(shape_of(a)) + " and B " +
                              shape_str(shape_of(b)));
  MatmulPlan p;
  int64_t a0 = a.shape[a.rank - 2], a1 = a.shape[a.rank - 1];
  int64_t b0 = b.shape[b.rank - 2], b1 = b.shape[b.rank - 1];
  p.M = trans_a ? a1 : a0;
  p.K = trans_a ? a0 : a1;
  int64_t kb = trans_b ? b1 : b0;
  p.N = trans_b ? b0 : b1;
  if (p.K != kb)
    fail(DMCRT_ERR_SHAPE, "inner dimensions differ: A " + shape_str(shape_of(a)) +
                              (trans_a ? " (transposed)" : "") + " has K=" + std::to_string(p.K) +
                              ", B " + shape_str(shape_of(b)) + (trans_b ? " (transposed)" : "") +
                              " has K=" + std::to_string(kb));
  Shape batch_a(a.shape, a.shape + a.rank - 2), batch_b(b.shape, b.shape + b.rank - 2);
  Shape batch = broadcast_shapes(batch_a, batch_b);
  Shape sa = broadcast_strides(batch_a, batch), sb = broadcast_strides(batch_b, batch);
  int64_t nb = numel(batch);
  p.a_offsets.resize(nb);
  p.b_offsets.resize(nb);
  for (int64_t i = 0; i < nb; ++i) {
    // Batch strides count matrices; scale to elements.
    p.a_offsets[i] = strided_offset(i, batch, sa) * p.M * p.K;
    p.b_offsets[i] = strided_offset(i, batch, sb) * p.K * p.N;
  }
  p.out_shape = batch;
  p.out_shape.push_back(p.M);
  p.out_shape.push_back(p.N);
  return p;
}

void run_matmul(const MatmulPlan& p, const float* A, const float* B, float* C, bool trans_a,
                bool trans_b, float alpha) {
  const int64_t M = p.M, K = p.K, N = p.N;
  const int64_t rows = static_cast<int64_t>(p.a_offsets.size()) * M;
  std::vector<float> scratch(static_cast<size_t>(omp_get_max_threads()) * K);
  const bool parallel = rows * K * N >= kParallelThreshold;
#pragma omp parallel if (parallel)
  {
    float* arow = scratch.data() + static_cast<size_t>(omp_get_thread_num()) * K;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t batch = r / M, i = r % M;
      const float* a = A + p.a_offsets[batch];
      const float* b = B + p.b_offsets[batch];
      // Output never aliases the inputs (documented), which lets the compiler vectorise.
      float* __restrict c = C + r * N;
      for (int64_t k = 0; k < K; ++k) arow[k] = trans_a ? a[k * M + i] : a[i * K + k];
      if (!trans_b) {
        for (int64_t j = 0; j < N; ++j) c[j] = 0.0f;
        for (int64_t k = 0; k < K; ++k) {
          const float aik = arow[k];
          const float* __restrict brow = b + k * N;
#pragma omp simd
          for (int64_t j = 0; j < N; ++j) c[j] += aik * brow[j];
        }
      } else {
        for (int64_t j = 0; j < N; ++j) {
          const float* __restrict brow = b + j * K;
          float s = 0.0f;
#pragma omp simd reduction(+ : s)
          for (int64_t k = 0; k < K; ++k) s += arow[k] * brow[k];
          c[j] = s;
        }
      }
      if (alpha != 1.0f)
        for (int64_t j = 0; j < N; ++j) c[j] *= alpha;
    }
  }
}

}  // namespace
}  // namespace dmc::detail

using namespace dmc::detail;

extern "C" {

int dmcrt_matmul(const dmcrt_tensor* a, const dmcrt_tensor* b, const dmcrt_tensor* c,
                 int32_t trans_a, int32_t trans_b, float alpha) {
  return guarded("dmcrt_matmul", [&] {
    const auto& ta = check_tensor(a, "A");
    const auto& tb = check_tensor(b, "B");
    const auto& tc = check_tensor(c, "output");
    MatmulPlan p = plan_matmul(ta, tb, trans_a != 0, trans_b != 0);
    expect_shape(tc, p.out_shape, "output");
    run_matmul(p, ta.data, tb.data, tc.data, trans_a != 0, trans_b != 0, alpha);
  });
}

int dmcrt_gemm(const dmcrt_tensor* a, const dmcrt_tensor* b, const dmcrt_tensor* c,
               const dmcrt_tensor* y, int32_t trans_a, int32_t trans_b, float alpha, float beta) {
  return guarded("dmcrt_gemm", [&] {
    const auto& ta = check_tensor(a, "A");
    const auto& tb = check_tensor(b, "B");
    const auto& ty = check_tensor(y, "output");
    if (ta.rank != 2 || tb.rank != 2)
      fail(DMCRT_ERR_SHAPE, "A and B must have rank 2, got " + shape_str(shape_of(ta)) + " and " +
                                shape_str(shape_of(tb)));
    MatmulPlan p = plan_matmul(ta, tb, trans_a != 0, trans_b != 0);
    expect_shape(ty, p.out_shape, "output");
    const dmcrt_tensor* tc = c ? &check_tensor(c, "C") : nullptr;
    Shape c_strides;
    if (tc) {
      // ONNX: C broadcasts unidirectionally to [M, N].
      Shape cs = shape_of(*tc);
      if (!broadcasts_to(cs, p.out_shape))
        fail(DMCRT_ERR_SHAPE, "C " + shape_str(cs) + " does not broadcast to " +
                                  shape_str(p.out_shape));
      c_strides = broadcast_strides(cs, p.out_shape);
    }
    run_matmul(p, ta.data, tb.data, ty.data, trans_a != 0, trans_b != 0, alpha);
    if (tc) {
      const int64_t M = p.M, N = p.N;
      for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j)
          ty.data[i * N + j] += beta * tc->data[i * c_strides[0] + j * c_strides[1]];
    }
  });
}

}  // extern "C"
