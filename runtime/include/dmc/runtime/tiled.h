/* Tiled kernels: what -O3 code calls for contractions and fused attention.
 *
 * Unlike the reference kernels (kernels.h), operands are *strided* views, so a transposed, sliced or
 * reshaped container is read (or written) in place, without a copy. Both kernels are built on one
 * register-tiled micro-kernel (MR x NR accumulators over packed panels of A and B), the one of
 * ukernels.h, compiled for AVX-512, AVX2 and a generic target and chosen once by the CPU's features.
 *
 * Conventions: as in kernels.h (status codes, dmcrt_last_error()). Outputs must not overlap inputs,
 * except that an addend may be the output itself (c = ... + c). Batch dims broadcast as in NumPy; a
 * stride may be 0 (a broadcast dim). */
#ifndef DMC_RUNTIME_TILED_H
#define DMC_RUNTIME_TILED_H

#include <stdint.h>

#include "dmc/runtime/export.h"
#include "dmc/runtime/kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element (i_0, ..., i_{rank-1}) lives at data[sum_k i_k * stride[k]] (strides in elements). */
typedef struct {
  float* data;
  int32_t rank;
  int64_t shape[DMCRT_MAX_RANK];
  int64_t stride[DMCRT_MAX_RANK];
} dmcrt_strided;

typedef enum {
  DMCRT_ACT_NONE = 0,
  DMCRT_ACT_RELU = 1,
  DMCRT_ACT_GELU_ERF = 2,  /* 0.5x(1+erf(x/sqrt 2)) */
  DMCRT_ACT_GELU_TANH = 3  /* 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3))) */
} dmcrt_activation;

/* c = act(alpha * a @ b + pre_scale * pre) + post_scale * post.
 * a is [..., M, K] and b [..., K, N] (a transpose is a view with swapped strides); c is [..., M, N]
 * with c's batch dims the broadcast of a's and b's. pre and post (each may be NULL) broadcast to c's
 * shape: a bias is [N], a residual [..., M, N]. post may be c itself. */
DMCRT_API int dmcrt_matmul_tiled(const dmcrt_strided* a, const dmcrt_strided* b,
                                 const dmcrt_strided* pre, const dmcrt_strided* post,
                                 const dmcrt_strided* c, float alpha, int32_t activation, float pre_scale,
                                 float post_scale);

/* dmcrt_matmul_tiled's operation on oneDNN's matmul primitive with post-ops (implementation `dnnl`):
 * c's batch dims are a's, b's are those or none, no operand is stretched (stride 0 on a dim > 1),
 * pre_scale is not 0 and post_scale is 1 (with a post). Fails with a message when libdmcrt was built without oneDNN. */
DMCRT_API int dmcrt_matmul_dnnl(const dmcrt_strided* a, const dmcrt_strided* b,
                                const dmcrt_strided* pre, const dmcrt_strided* post,
                                const dmcrt_strided* c, float alpha, int32_t activation, float pre_scale,
                                float post_scale);

/* o = softmax(scale * q @ k^T + mask, with the generated mask) @ v, computed block by block with a
 * running maximum and sum (streaming softmax), so the [..., Sq, Sk] scores never exist in memory.
 * q is [..., Sq, D], k [..., Sk, D], v [..., Sk, Dv], o [..., Sq, Dv]; mask (NULL for none) broadcasts
 * to [..., Sq, Sk]. The generated mask (causal, window, stride, global tokens) and the treatment of
 * masked and fully masked rows are those of dmcrt_softmax: a row without a kept position is 0. */
DMCRT_API int dmcrt_attention(const dmcrt_strided* q, const dmcrt_strided* k, const dmcrt_strided* v,
                              const dmcrt_strided* mask, const dmcrt_strided* o, float scale,
                              int32_t causal, int64_t window, int64_t stride,
                              const int64_t* global_tokens, int32_t n_global);

/* The micro-kernel build in use: "avx512", "avx2" or "generic" (the same as dmcrt_uk_isa()). */
DMCRT_API const char* dmcrt_tiled_isa(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
