// LayerNormalization (last axis) and ReduceSum / ReduceMax / ReduceMean.
// Statistics accumulate in double so the reference is accurate for long rows.
#include <cmath>
#include <limits>
#include <vector>

#include "dmc/runtime/kernels.h"
#include "kernel_util.h"

using namespace dmc::detail;

extern "C" {

int dmcrt_layer_norm(const dmcrt_tensor* x, const dmcrt_tensor* gamma, const dmcrt_tensor* beta,
                     const dmcrt_tensor* out, float epsilon) {
  return guarded("dmcrt_layer_norm", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    const auto& tg = check_tensor(gamma, "scale");
    const Shape xs = shape_of(tx);
    expect_shape(to, xs, "output");
    if (tx.rank == 0) fail(DMCRT_ERR_SHAPE, "X must have rank >= 1");
    const int64_t N = xs.back();
    expect_shape(tg, {N}, "scale");
    const dmcrt_tensor* tb = beta ? &check_tensor(beta, "bias") : nullptr;
    if (tb) expect_shape(*tb, {N}, "bias");
    const int64_t rows = N == 0 ? 0 : numel(xs) / N;

#pragma omp parallel for schedule(static) if (rows * N >= kParallelThreshold)
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = tx.data + r * N;
      float* yr = to.data + r * N;
      double mean = 0.0;
      for (int64_t j = 0; j < N; ++j) mean += xr[j];
      mean /= static_cast<double>(N);
      double var = 0.0;  // two-pass: no cancellation from E[x^2] - E[x]^2
      for (int64_t j = 0; j < N; ++j) var += (xr[j] - mean) * (xr[j] - mean);
      var /= static_cast<double>(N);
      const double inv = 1.0 / std::sqrt(var + static_cast<double>(epsilon));
      for (int64_t j = 0; j < N; ++j) {
        double v = (xr[j] - mean) * inv * tg.data[j];
        if (tb) v += tb->data[j];
        yr[j] = static_cast<float>(v);
      }
    }
  });
}

int dmcrt_reduce(int32_t kind, const dmcrt_tensor* x, const dmcrt_tensor* out, const int64_t* axes,
                 int32_t n_axes, int32_t keepdims) {
  return guarded("dmcrt_reduce", [&] {
    if (kind < DMCRT_REDUCE_SUM || kind > DMCRT_REDUCE_MEAN)
      fail(DMCRT_ERR_INVALID_ARG, "unknown reduce kind " + std::to_string(kind));
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    if (n_axes < 0 || (n_axes > 0 && !axes))
      fail(DMCRT_ERR_INVALID_ARG, "bad axes list (n_axes=" + std::to_string(n_axes) + ")");
    const Shape xs = shape_of(tx);
    std::vector<char> reduced(xs.size(), n_axes == 0 ? 1 : 0);  // no axes: reduce all (ONNX)
    for (int32_t k = 0; k < n_axes; ++k) {
      int64_t a = normalize_axis(axes[k], tx.rank, "axis");
      if (reduced[a]) fail(DMCRT_ERR_INVALID_ARG, "axis " + std::to_string(axes[k]) + " is repeated");
      reduced[a] = 1;
    }
    // Output shape, plus the kept and reduced sub-shapes with their strides in x.
    const Shape xstr = contiguous_strides(xs);
    Shape expected, kept_shape, kept_str, red_shape, red_str;
    for (size_t d = 0; d < xs.size(); ++d) {
      if (reduced[d]) {
        red_shape.push_back(xs[d]);
        red_str.push_back(xstr[d]);
        if (keepdims) expected.push_back(1);
      } else {
        kept_shape.push_back(xs[d]);
        kept_str.push_back(xstr[d]);
        expected.push_back(xs[d]);
      }
    }
    expect_shape(to, expected, "output");
    const int64_t n_out = numel(kept_shape), n_red = numel(red_shape);

#pragma omp parallel for schedule(static) if (n_out * n_red >= kParallelThreshold)
    for (int64_t o = 0; o < n_out; ++o) {
      const float* base = tx.data + strided_offset(o, kept_shape, kept_str);
      double acc = kind == DMCRT_REDUCE_MAX ? -std::numeric_limits<double>::infinity() : 0.0;
      for (int64_t r = 0; r < n_red; ++r) {
        const double v = base[strided_offset(r, red_shape, red_str)];
        if (kind == DMCRT_REDUCE_MAX) {
          if (v > acc || std::isnan(v)) acc = v;  // NaN propagates like numpy.max
        } else {
          acc += v;
        }
      }
      if (kind == DMCRT_REDUCE_MEAN)
        acc = n_red == 0 ? std::numeric_limits<double>::quiet_NaN() : acc / static_cast<double>(n_red);
      to.data[o] = static_cast<float>(acc);
    }
  });
}

}  // extern "C"
