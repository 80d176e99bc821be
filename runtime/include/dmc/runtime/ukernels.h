/* Micro-kernels: the register-level inner pieces of tiled GEMM and streaming-softmax attention, for
 * code that does its own tiling, packing and epilogues (generated tile nests) and calls only these.
 *
 * They are the same inner functions as those of dmcrt_matmul_tiled and dmcrt_attention (tiled.h),
 * compiled once per instruction set (AVX-512, AVX2+FMA, and the baseline target) and chosen once per
 * process, at first use, by the CPU's features. DMCRT_TILED_ISA=avx512|avx2|generic forces a build
 * (ignored when the CPU lacks it or the library was built without it); the choice is shared with
 * tiled.h, so dmcrt_uk_isa() == dmcrt_tiled_isa().
 *
 * Conventions: serial, no allocation, no failure (no status is returned: callers pass valid
 * arguments). No pointer needs any alignment. An output must not overlap an input, except where a
 * function works in place. Results may differ between builds by rounding (the summation order of a
 * reduction follows the vector width). */
#ifndef DMC_RUNTIME_UKERNELS_H
#define DMC_RUNTIME_UKERNELS_H

#include <stdint.h>

#include "dmc/runtime/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The GEMM micro-kernel on a 12 x 32 register tile:
 *   acc[r*ldacc + c] = (accumulate ? acc[r*ldacc + c] : 0) + sum_{p<kc} a[p*12 + r] * b[p*32 + c]
 * for r < 12, c < 32. a is a packed A micro-panel (kc rows of 12 floats: column p of 12 rows of A),
 * b a packed B micro-panel (kc rows of 32 floats: row p of 32 columns of B); kc >= 0 (kc == 0 writes
 * zeros, or leaves acc as it is when accumulating), ldacc >= 32. Only the 12 x 32 tile of acc is read
 * or written. Pad partial panels with zeros; the caller copies the valid part of the tile out. */
DMCRT_API void dmcrt_uk_gemm_12x32(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc,
                                   int32_t accumulate);

/* The same on a 6 x 16 tile (a[p*6 + r], b[p*16 + c], ldacc >= 16): the tile that fits the 16 vector
 * registers of AVX2, for small or narrow blocks. */
DMCRT_API void dmcrt_uk_gemm_6x16(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc,
                                  int32_t accumulate);

/* The same tiles on A and B read in place, rows of row-major matrices with any row stride:
 *   acc[r*ldacc + c] = (accumulate ? acc[r*ldacc + c] : 0) + sum_{p<kc} a[r*lda + p] * b[p*ldb + c]
 * for r < 12 (6), c < 32 (16): 12 rows of A of kc floats each, kc rows of B of 32 floats each. No
 * padding: every element named is read, so the caller keeps the tile inside both matrices. */
DMCRT_API void dmcrt_uk_gemm_12x32_rows(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb,
                                        float* acc, int64_t ldacc, int32_t accumulate);
DMCRT_API void dmcrt_uk_gemm_6x16_rows(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb,
                                       float* acc, int64_t ldacc, int32_t accumulate);

/* x[j] = act(x[j]) for j < n, in place, with the dmcrt_activation codes of tiled.h (relu: x > 0 ? x : 0,
 * so NaN gives 0; gelu_erf and gelu_tanh through vector erf (absolute error <= 2e-7) and tanh).
 * Any other code leaves x unchanged, as DMCRT_ACT_NONE does. */
DMCRT_API void dmcrt_uk_activation(int32_t activation, int64_t n, float* x);

/* max_{j<n} x[j]; -inf for n == 0. NaN elements are ignored (-inf when all are NaN): a NaN score still
 * reaches the output through dmcrt_uk_exp_sum, which maps it to NaN. */
DMCRT_API float dmcrt_uk_max(int64_t n, const float* x);

/* x[j] = exp(x[j] - shift) for j < n, in place; returns the sum of the new x[j] (0 for n == 0).
 * x[j] == -inf gives 0 for every shift, -inf included, so masked entries drop out and a row whose
 * entries are all masked gives all zeros and sum 0 (shift = its dmcrt_uk_max, -inf). Otherwise as
 * exp(x[j] - shift): 0 below -87.3 (no subnormal results), +inf above ln(FLT_MAX), NaN for NaN;
 * relative error about 2e-7. For a softmax, shift >= every x[j] keeps each term in [0, 1]. */
DMCRT_API float dmcrt_uk_exp_sum(int64_t n, float* x, float shift);

/* x[j] *= s for j < n, in place (rescales a row of an output accumulator). */
DMCRT_API void dmcrt_uk_scale(int64_t n, float* x, float s);

/* One step of the streaming (online) softmax of attention, on one query row and one block of n keys:
 *   m_new = max(*m, max_j s[j]);  c = exp(*m - m_new);  s[j] = exp(s[j] - m_new);
 *   *l = *l * c + sum_j s[j];  o[d] *= c for d < dv;  *m = m_new
 * s holds the row's scaled scores (-inf where masked; masked entries become 0). While no position of
 * the row has been kept (*m and every s[j] -inf) nothing changes except s, which becomes zeros: *l and
 * o keep whatever they hold, so a row with no kept position ends with its initial *l (0 by the
 * caller) and outputs 0, as dmcrt_softmax. At the row's first kept block (*m == -inf, s not all -inf)
 * o's old content is ignored and overwritten by zeros, and *l = sum_j s[j]. NaN scores are skipped by
 * the maximum and give NaN in s and *l, as dmcrt_uk_exp_sum. */
DMCRT_API void dmcrt_uk_softmax_update_row(int64_t n, int64_t dv, float* s, float* m, float* l, float* o);

/* Row reductions for tile nests over the rows of softmax, layer normalisation and ReduceSum / ReduceMax /
 * ReduceMean (passes/expansions/TiledRows.cpp), each on one contiguous row x[0 .. n) and writing its
 * results through pointers (a tile nest's kernel call has no result). Summation runs in float, in
 * vector lanes, so results differ from a sequential sum by rounding. */

/* *sum = sum_{j<n} x[j] (0 for n == 0). */
DMCRT_API void dmcrt_uk_sum_row(int64_t n, const float* x, float* sum);

/* *max = max_{j<n} x[j]; -inf for n == 0. Unlike dmcrt_uk_max, a NaN element makes the result NaN
 * (numpy.max and dmcrt_reduce do the same). */
DMCRT_API void dmcrt_uk_max_row(int64_t n, const float* x, float* max);

/* *mean = sum x[j] / n and *var = sum (x[j] - *mean)^2 / n (the biased variance, in two passes over
 * the row, as dmcrt_layer_norm: no cancellation from E[x^2] - E[x]^2); both 0 for n == 0. */
DMCRT_API void dmcrt_uk_moments_row(int64_t n, const float* x, float* mean, float* var);

/* One whole softmax row, in place but for the last scaling: x[j] = exp(x[j] - max_k x[k]) (-inf gives
 * 0) and *inv = 1 / sum_j x[j], so that x[j] * *inv is the softmax. A row with no entry above -inf (all
 * masked, all NaN, or n == 0) becomes zeros with *inv = 0, so it outputs 0, as dmcrt_softmax. Other NaN
 * entries are skipped by the maximum and make the sum, hence *inv and the whole row, NaN, as
 * dmcrt_softmax. */
DMCRT_API void dmcrt_uk_softmax_row(int64_t n, float* x, float* inv);

/* The build in use: "avx512", "avx2" or "generic". */
DMCRT_API const char* dmcrt_uk_isa(void);

/* One build's micro-kernels, for tests and benchmarks that compare builds in one process. */
typedef struct {
  const char* isa;
  void (*gemm_12x32)(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc, int32_t accumulate);
  void (*gemm_6x16)(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc, int32_t accumulate);
  void (*activation)(int32_t activation, int64_t n, float* x);
  float (*max)(int64_t n, const float* x);
  float (*exp_sum)(int64_t n, float* x, float shift);
  void (*scale)(int64_t n, float* x, float s);
  void (*softmax_update_row)(int64_t n, int64_t dv, float* s, float* m, float* l, float* o);
  void (*gemm_12x32_rows)(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* acc,
                          int64_t ldacc, int32_t accumulate);
  void (*gemm_6x16_rows)(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* acc,
                         int64_t ldacc, int32_t accumulate);
  void (*sum_row)(int64_t n, const float* x, float* sum);
  void (*max_row)(int64_t n, const float* x, float* max);
  void (*moments_row)(int64_t n, const float* x, float* mean, float* var);
  void (*softmax_row)(int64_t n, float* x, float* inv);
} dmcrt_uk_kernels;

/* The build named `isa` ("avx512", "avx2", "generic"); NULL when this library was built without it
 * (another architecture, or a compiler without the flags) or the CPU lacks its instructions.
 * isa == NULL: the build in use (what the dmcrt_uk_* functions above call). */
DMCRT_API const dmcrt_uk_kernels* dmcrt_uk_kernels_for(const char* isa);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
