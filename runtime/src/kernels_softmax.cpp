// Softmax along any axis with an optional additive mask and the generated masks of
// docs/op-vocabulary.md (causal / window / stride / global tokens on the last two dims).
//
// A "row" is the set of elements along `axis` for fixed other indices: with outer = prod(dims
// before axis), inner = prod(dims after axis), row (o, in) holds x[o*L*inner + l*inner + in].
// Rows are independent and run in parallel. `out` doubles as scratch, which is why it may alias x.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "dmc/runtime/kernels.h"
#include "generated_mask.h"
#include "kernel_util.h"

using namespace dmc::detail;

extern "C" int dmcrt_softmax(const dmcrt_tensor* x, const dmcrt_tensor* mask,
                             const dmcrt_tensor* out, int64_t axis, float scale, int32_t causal,
                             int64_t window, int64_t stride, const int64_t* global_tokens,
                             int32_t n_global) {
  return guarded("dmcrt_softmax", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    const Shape xs = shape_of(tx);
    expect_shape(to, xs, "output");
    if (tx.rank == 0) fail(DMCRT_ERR_SHAPE, "X must have rank >= 1");
    const int64_t ax = normalize_axis(axis, tx.rank, "axis");

    const int64_t size = tx.rank >= 2 ? std::max(xs[tx.rank - 2], xs[tx.rank - 1]) : 0;
    const GeneratedMask gen = make_generated_mask(causal, window, stride, global_tokens, n_global, size);
    const bool has_generated = gen.any();
    if (has_generated && (tx.rank < 2 || ax != tx.rank - 1))
      fail(DMCRT_ERR_INVALID_ARG, "generated masks need rank >= 2 and axis = last, got X " + shape_str(xs) +
                                      " and axis " + std::to_string(axis));

    // Additive mask: strides that read it with x's indices (0 on broadcast dims).
    const dmcrt_tensor* tm = mask ? &check_tensor(mask, "mask") : nullptr;
    Shape ms;
    if (tm) {
      Shape mshape = shape_of(*tm);
      if (!broadcasts_to(mshape, xs))
        fail(DMCRT_ERR_SHAPE, "mask " + shape_str(mshape) + " does not broadcast to X " + shape_str(xs));
      ms = broadcast_strides(mshape, xs);
    }

    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < ax; ++d) outer *= xs[d];
    for (int64_t d = ax + 1; d < tx.rank; ++d) inner *= xs[d];
    const int64_t L = xs[ax];
    const int64_t rows = outer * inner;
    const int64_t q_len = tx.rank >= 2 ? xs[tx.rank - 2] : 1;  // rows of the last two dims
    const float neg_inf = -std::numeric_limits<float>::infinity();

#pragma omp parallel for schedule(static) if (rows * L >= kParallelThreshold)
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t o = r / inner, in = r % inner;
      const int64_t base = o * L * inner + in;
      const float* xr = tx.data + base;
      float* yr = to.data + base;
      const float* mr = tm ? tm->data + strided_offset(base, xs, ms) : nullptr;
      const int64_t m_step = tm ? ms[ax] : 0;
      // With generated masks axis is last (inner == 1), so the query index is r mod q_len.
      const int64_t qi = has_generated ? r % q_len : 0;

      // Pass 1: masked scores into y (-inf = dropped) and their maximum.
      float mx = neg_inf;
      for (int64_t l = 0; l < L; ++l) {
        float v = neg_inf;
        if (!has_generated || gen.kept(qi, l)) {
          v = scale * xr[l * inner];
          if (mr) v += mr[l * m_step];
        }
        yr[l * inner] = v;
        if (v > mx) mx = v;
      }
      // No kept position (or all -inf / NaN scores): the row is all zeros by definition.
      if (!(mx > neg_inf)) {
        for (int64_t l = 0; l < L; ++l) yr[l * inner] = 0.0f;
        continue;
      }
      // Pass 2: exponentials (exactly 0 for dropped positions) and their sum, in double.
      double sum = 0.0;
      for (int64_t l = 0; l < L; ++l) {
        const float v = yr[l * inner];
        const float e = v == neg_inf ? 0.0f : std::exp(v - mx);
        yr[l * inner] = e;
        sum += e;
      }
      const float inv = static_cast<float>(1.0 / sum);
      for (int64_t l = 0; l < L; ++l) yr[l * inner] *= inv;
    }
  });
}
