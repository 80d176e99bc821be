// Data-movement kernels: Transpose, Reshape (copy), Slice, Concat.
// Transpose and Slice walk the output row by row (last dim), reading the input through strides.
#include <algorithm>
#include <cstring>
#include <vector>

#include "dmc/runtime/kernels.h"
#include "kernel_util.h"

namespace dmc::detail {
namespace {

// out[idx] = in[offset(idx)] where offset uses `in_strides` over out's shape, plus `in_base`.
void gather_rows(const float* in, int64_t in_base, const Shape& in_strides, float* out,
                 const Shape& out_shape) {
  const int64_t n = numel(out_shape);
  if (n == 0) return;
  if (out_shape.empty()) {
    out[0] = in[in_base];
    return;
  }
  const int64_t inner = out_shape.back(), step = in_strides.back();
  const int64_t rows = n / inner;
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (int64_t r = 0; r < rows; ++r) {
    const float* src = in + in_base + strided_offset(r * inner, out_shape, in_strides);
    float* dst = out + r * inner;
    if (step == 1) {
      std::memcpy(dst, src, sizeof(float) * inner);
    } else {
      for (int64_t j = 0; j < inner; ++j) dst[j] = src[j * step];
    }
  }
}

}  // namespace
}  // namespace dmc::detail

using namespace dmc::detail;

extern "C" {

int dmcrt_transpose(const dmcrt_tensor* x, const dmcrt_tensor* out, const int64_t* perm) {
  return guarded("dmcrt_transpose", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    if (!perm && tx.rank > 0) fail(DMCRT_ERR_INVALID_ARG, "perm is NULL");
    const Shape xs = shape_of(tx), xstr = contiguous_strides(xs);
    std::vector<char> seen(xs.size(), 0);
    Shape expected(xs.size()), in_strides(xs.size());
    for (int32_t i = 0; i < tx.rank; ++i) {
      if (perm[i] < 0 || perm[i] >= tx.rank || seen[perm[i]]) {
        std::string p;
        for (int32_t k = 0; k < tx.rank; ++k) p += (k ? ", " : "") + std::to_string(perm[k]);
        fail(DMCRT_ERR_INVALID_ARG, "perm [" + p + "] is not a permutation of rank " +
                                        std::to_string(tx.rank));
      }
      seen[perm[i]] = 1;
      expected[i] = xs[perm[i]];
      in_strides[i] = xstr[perm[i]];
    }
    expect_shape(to, expected, "output");
    gather_rows(tx.data, 0, in_strides, to.data, expected);
  });
}

int dmcrt_copy(const dmcrt_tensor* x, const dmcrt_tensor* out) {
  return guarded("dmcrt_copy", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    const int64_t n = numel(shape_of(tx));
    if (numel(shape_of(to)) != n)
      fail(DMCRT_ERR_SHAPE, "cannot reshape " + shape_str(shape_of(tx)) + " (" + std::to_string(n) +
                                " elements) into " + shape_str(shape_of(to)) + " (" +
                                std::to_string(numel(shape_of(to))) + " elements)");
    if (n > 0 && tx.data != to.data) std::memmove(to.data, tx.data, sizeof(float) * n);
  });
}

int dmcrt_slice(const dmcrt_tensor* x, const dmcrt_tensor* out, const int64_t* starts,
                const int64_t* ends, const int64_t* axes, int32_t n) {
  return guarded("dmcrt_slice", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    if (n < 0 || (n > 0 && (!starts || !ends)))
      fail(DMCRT_ERR_INVALID_ARG, "bad starts/ends lists (n=" + std::to_string(n) + ")");
    const Shape xs = shape_of(tx), xstr = contiguous_strides(xs);
    Shape begin(xs.size(), 0), expected = xs;
    std::vector<char> seen(xs.size(), 0);
    for (int32_t k = 0; k < n; ++k) {
      const int64_t a = normalize_axis(axes ? axes[k] : k, tx.rank, "axis");
      if (seen[a]) fail(DMCRT_ERR_INVALID_ARG, "axis " + std::to_string(a) + " is sliced twice");
      seen[a] = 1;
      const int64_t dim = xs[a];
      // ONNX: negative indices count from the end, then clamp to [0, dim].
      int64_t s = starts[k] < 0 ? starts[k] + dim : starts[k];
      int64_t e = ends[k] < 0 ? ends[k] + dim : ends[k];
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      begin[a] = s;
      expected[a] = std::max<int64_t>(0, e - s);
    }
    expect_shape(to, expected, "output");
    int64_t base = 0;
    for (size_t d = 0; d < xs.size(); ++d) base += begin[d] * xstr[d];
    gather_rows(tx.data, base, xstr, to.data, expected);
  });
}

int dmcrt_concat(const dmcrt_tensor* inputs, int32_t n, const dmcrt_tensor* out, int64_t axis) {
  return guarded("dmcrt_concat", [&] {
    if (!inputs || n < 1) fail(DMCRT_ERR_INVALID_ARG, "needs at least one input");
    const auto& to = check_tensor(out, "output");
    const auto& first = check_tensor(&inputs[0], "input 0");
    if (first.rank == 0) fail(DMCRT_ERR_SHAPE, "inputs must have rank >= 1");
    const int64_t ax = normalize_axis(axis, first.rank, "axis");
    Shape expected = shape_of(first);
    expected[ax] = 0;
    for (int32_t i = 0; i < n; ++i) {
      const std::string what = "input " + std::to_string(i);
      const auto& ti = check_tensor(&inputs[i], what.c_str());
      Shape s = shape_of(ti);
      bool ok = s.size() == expected.size();
      for (size_t d = 0; ok && d < s.size(); ++d) ok = (int64_t)d == ax || s[d] == expected[d];
      if (!ok)
        fail(DMCRT_ERR_SHAPE, what + " has shape " + shape_str(s) + ", incompatible with input 0 " +
                                  shape_str(shape_of(first)) + " for concat along axis " +
                                  std::to_string(ax));
      expected[ax] += s[ax];
    }
    expect_shape(to, expected, "output");
    // out viewed as [outer, out_dim * inner]; input i fills a column block of width dim_i * inner.
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < ax; ++d) outer *= expected[d];
    for (size_t d = ax + 1; d < expected.size(); ++d) inner *= expected[d];
    const int64_t out_row = expected[ax] * inner;
    int64_t col = 0;
    for (int32_t i = 0; i < n; ++i) {
      const int64_t width = inputs[i].shape[ax] * inner;
      if (width > 0) {
#pragma omp parallel for schedule(static) if (outer * width >= kParallelThreshold)
        for (int64_t o = 0; o < outer; ++o)
          std::memcpy(to.data + o * out_row + col, inputs[i].data + o * width, sizeof(float) * width);
      }
      col += width;
    }
  });
}

}  // extern "C"
