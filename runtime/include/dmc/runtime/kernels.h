/* Reference kernels: the f32 semantics of docs/op-vocabulary.md, called by -O0 generated code for
 * every library node that is not expanded.
 *
 * Conventions shared by all kernels:
 *  - tensors are dmcrt_tensor descriptors of dense, row-major, contiguous f32 data;
 *  - the caller allocates outputs and gives their shape; the kernel checks it against the shape the
 *    operator produces and fails (rather than guessing) when they differ;
 *  - every function returns DMCRT_OK (0) or a dmcrt_status, with a message in dmcrt_last_error();
 *  - index lists (axes, perm, starts, ...) are int64_t; negative axes count from the end;
 *  - an output may alias an input only where a function says so (element-wise kernels and softmax
 *    with identical shapes); matmul, gemm, transpose, slice and concat need distinct buffers. */
#ifndef DMC_RUNTIME_KERNELS_H
#define DMC_RUNTIME_KERNELS_H

#include <stdint.h>

#include "dmc/runtime/error.h"
#include "dmc/runtime/export.h"

#define DMCRT_MAX_RANK 8

/* Bumped whenever a kernel's signature or meaning changes; compiled graphs are cached under it. */
#define DMCRT_ABI_VERSION "2"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  float* data;
  int32_t rank; /* 0 (scalar) .. DMCRT_MAX_RANK */
  int64_t shape[DMCRT_MAX_RANK];
} dmcrt_tensor;

typedef enum { DMCRT_ADD = 0, DMCRT_SUB = 1, DMCRT_MUL = 2, DMCRT_DIV = 3 } dmcrt_binary_kind;

typedef enum {
  DMCRT_EXP = 0,
  DMCRT_TANH = 1,
  DMCRT_ERF = 2,
  DMCRT_RELU = 3,
  DMCRT_SQRT = 4,
  DMCRT_RECIPROCAL = 5,
  DMCRT_GELU_ERF = 6,  /* 0.5x(1+erf(x/sqrt 2)) */
  DMCRT_GELU_TANH = 7, /* 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3))) */
  DMCRT_ELU = 8        /* x>0 ? x : param*(e^x-1) */
} dmcrt_unary_kind;

typedef enum { DMCRT_REDUCE_SUM = 0, DMCRT_REDUCE_MAX = 1, DMCRT_REDUCE_MEAN = 2 } dmcrt_reduce_kind;

/* c = alpha * op(a) @ op(b). a is [..., M, K] ([..., K, M] when trans_a), b is [..., K, N]
 * ([..., N, K] when trans_b), both rank >= 2; batch dims broadcast (NumPy), so c is
 * [broadcast(batch_a, batch_b)..., M, N]. */
DMCRT_API int dmcrt_matmul(const dmcrt_tensor* a, const dmcrt_tensor* b, const dmcrt_tensor* c,
                           int32_t trans_a, int32_t trans_b, float alpha);

/* ONNX Gemm, rank 2 only: y = alpha * op(a) @ op(b) + beta * c, c (nullable) broadcast to [M, N]. */
DMCRT_API int dmcrt_gemm(const dmcrt_tensor* a, const dmcrt_tensor* b, const dmcrt_tensor* c,
                         const dmcrt_tensor* y, int32_t trans_a, int32_t trans_b, float alpha,
                         float beta);

/* out = a (kind) b with NumPy broadcasting; out must have the broadcast shape. out may alias a or
 * b when it has the same shape as that input. */
DMCRT_API int dmcrt_binary(int32_t kind, const dmcrt_tensor* a, const dmcrt_tensor* b,
                           const dmcrt_tensor* out);

/* out = cond != 0 ? x : y element by element, cond, x and y broadcast together (NumPy); cond holds
 * f32 (a bool as 0/1; NaN counts as true, -0 as false). Only the selected operand is read into an
 * element, so inf or NaN in the other does not reach it. out may alias an input of its shape. */
DMCRT_API int dmcrt_where(const dmcrt_tensor* cond, const dmcrt_tensor* x, const dmcrt_tensor* y,
                          const dmcrt_tensor* out);

/* out = f(x), same shape; param is alpha for DMCRT_ELU, ignored otherwise. out may alias x. */
DMCRT_API int dmcrt_unary(int32_t kind, const dmcrt_tensor* x, const dmcrt_tensor* out, float param);

/* out = alpha * x + bias, same shape. out may alias x. */
DMCRT_API int dmcrt_scale(const dmcrt_tensor* x, const dmcrt_tensor* out, float alpha, float bias);

/* out = softmax(scale * x + mask) along `axis`, after the generated mask.
 *  - mask: optional additive mask (NULL for none) that broadcasts to x's shape;
 *  - generated mask (causal, window >= 0, stride > 0 or n_global > 0) requires axis = last and
 *    rank >= 2; row i is dim rank-2, column j is dim rank-1; global_tokens may be NULL when
 *    n_global == 0 and indices outside [0, size) never match;
 *  - masked positions, and positions whose masked score is -inf, get probability exactly 0;
 *    a row with no remaining position is all zeros;
 *  - numerically stable (subtracts the row maximum). out may alias x. */
DMCRT_API int dmcrt_softmax(const dmcrt_tensor* x, const dmcrt_tensor* mask, const dmcrt_tensor* out,
                            int64_t axis, float scale, int32_t causal, int64_t window, int64_t stride,
                            const int64_t* global_tokens, int32_t n_global);

/* out = (x - mean) / sqrt(var + epsilon) * gamma + beta over the last dim (biased variance).
 * gamma is [N] with N = x's last dim; beta is [N] or NULL (zero). out may alias x. */
DMCRT_API int dmcrt_layer_norm(const dmcrt_tensor* x, const dmcrt_tensor* gamma,
                               const dmcrt_tensor* beta, const dmcrt_tensor* out, float epsilon);

/* Reduction over `axes` (n_axes distinct axes; n_axes == 0 reduces over all axes, as ONNX does).
 * keepdims != 0 keeps reduced dims as 1. Max over an empty range is -inf, mean is NaN. */
DMCRT_API int dmcrt_reduce(int32_t kind, const dmcrt_tensor* x, const dmcrt_tensor* out,
                           const int64_t* axes, int32_t n_axes, int32_t keepdims);

/* out.shape[i] = x.shape[perm[i]]; perm has x->rank entries. */
DMCRT_API int dmcrt_transpose(const dmcrt_tensor* x, const dmcrt_tensor* out, const int64_t* perm);

/* Reshape: copies the elements (counts must agree; shapes may differ). out may alias x. */
DMCRT_API int dmcrt_copy(const dmcrt_tensor* x, const dmcrt_tensor* out);

/* ONNX Slice with unit steps: for each k < n, axis axes[k] (axes NULL means k) keeps
 * [starts[k], ends[k]); negative indices add the dim size, then both clamp to [0, dim];
 * an empty range gives size 0. */
DMCRT_API int dmcrt_slice(const dmcrt_tensor* x, const dmcrt_tensor* out, const int64_t* starts,
                          const int64_t* ends, const int64_t* axes, int32_t n);

/* Concatenates the n >= 1 descriptors of `inputs` (an array of n descriptors) along `axis`. */
DMCRT_API int dmcrt_concat(const dmcrt_tensor* inputs, int32_t n, const dmcrt_tensor* out,
                           int64_t axis);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
