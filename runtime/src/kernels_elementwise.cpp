// Element-wise kernels: binary ops with NumPy broadcasting, unary ops, scale, where.
#include <cmath>

#include "dmc/runtime/kernels.h"
#include "kernel_util.h"

namespace dmc::detail {
namespace {

inline float apply_binary(int32_t kind, float x, float y) {
  switch (kind) {
    case DMCRT_ADD: return x + y;
    case DMCRT_SUB: return x - y;
    case DMCRT_MUL: return x * y;
    default: return x / y;  // DMCRT_DIV; kind is validated before the loops
  }
}

template <typename F>
void map_unary(const float* x, float* out, int64_t n, F f) {
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
}

void binary_broadcast(int32_t kind, const dmcrt_tensor& a, const dmcrt_tensor& b,
                      const dmcrt_tensor& out) {
  Shape os = shape_of(out);
  const int64_t n = numel(os);
  if (shape_of(a) == os && shape_of(b) == os) {  // common case: no broadcasting
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) out.data[i] = apply_binary(kind, a.data[i], b.data[i]);
    return;
  }
  if (os.empty()) {  // all scalars
    out.data[0] = apply_binary(kind, a.data[0], b.data[0]);
    return;
  }
  // Walk the output row by row (last dim); each row starts at a decomposed offset in a and b.
  Shape sa = broadcast_strides(shape_of(a), os), sb = broadcast_strides(shape_of(b), os);
  const int64_t inner = os.back();
  const int64_t rows = inner == 0 ? 0 : n / inner;
  const int64_t ia = sa.back(), ib = sb.back();
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (int64_t r = 0; r < rows; ++r) {
    const float* pa = a.data + strided_offset(r * inner, os, sa);
    const float* pb = b.data + strided_offset(r * inner, os, sb);
    float* po = out.data + r * inner;
    for (int64_t j = 0; j < inner; ++j) po[j] = apply_binary(kind, pa[j * ia], pb[j * ib]);
  }
}

// Where: the row walk of binary_broadcast with three operands; a branch, never an arithmetic blend, so
// the operand not chosen is not read into the result.
void where_broadcast(const dmcrt_tensor& c, const dmcrt_tensor& x, const dmcrt_tensor& y,
                     const dmcrt_tensor& out) {
  Shape os = shape_of(out);
  const int64_t n = numel(os);
  if (os.empty()) {
    out.data[0] = c.data[0] != 0.0f ? x.data[0] : y.data[0];
    return;
  }
  Shape sc = broadcast_strides(shape_of(c), os), sx = broadcast_strides(shape_of(x), os),
        sy = broadcast_strides(shape_of(y), os);
  const int64_t inner = os.back();
  const int64_t rows = inner == 0 ? 0 : n / inner;
  const int64_t ic = sc.back(), ix = sx.back(), iy = sy.back();
#pragma omp parallel for schedule(static) if (n >= kParallelThreshold)
  for (int64_t r = 0; r < rows; ++r) {
    const float* pc = c.data + strided_offset(r * inner, os, sc);
    const float* px = x.data + strided_offset(r * inner, os, sx);
    const float* py = y.data + strided_offset(r * inner, os, sy);
    float* po = out.data + r * inner;
    for (int64_t j = 0; j < inner; ++j) po[j] = pc[j * ic] != 0.0f ? px[j * ix] : py[j * iy];
  }
}

}  // namespace
}  // namespace dmc::detail

using namespace dmc::detail;

extern "C" {

int dmcrt_binary(int32_t kind, const dmcrt_tensor* a, const dmcrt_tensor* b,
                 const dmcrt_tensor* out) {
  return guarded("dmcrt_binary", [&] {
    if (kind < DMCRT_ADD || kind > DMCRT_DIV)
      fail(DMCRT_ERR_INVALID_ARG, "unknown binary kind " + std::to_string(kind));
    const auto& ta = check_tensor(a, "A");
    const auto& tb = check_tensor(b, "B");
    const auto& to = check_tensor(out, "output");
    expect_shape(to, broadcast_shapes(shape_of(ta), shape_of(tb)), "output");
    binary_broadcast(kind, ta, tb, to);
  });
}

int dmcrt_where(const dmcrt_tensor* cond, const dmcrt_tensor* x, const dmcrt_tensor* y,
                const dmcrt_tensor* out) {
  return guarded("dmcrt_where", [&] {
    const auto& tc = check_tensor(cond, "condition");
    const auto& tx = check_tensor(x, "X");
    const auto& ty = check_tensor(y, "Y");
    const auto& to = check_tensor(out, "output");
    expect_shape(to, broadcast_shapes(broadcast_shapes(shape_of(tc), shape_of(tx)), shape_of(ty)), "output");
    where_broadcast(tc, tx, ty, to);
  });
}

int dmcrt_unary(int32_t kind, const dmcrt_tensor* x, const dmcrt_tensor* out, float param) {
  return guarded("dmcrt_unary", [&] {
    if (kind < DMCRT_EXP || kind > DMCRT_ELU)
      fail(DMCRT_ERR_INVALID_ARG, "unknown unary kind " + std::to_string(kind));
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    expect_shape(to, shape_of(tx), "output");
    const int64_t n = numel(shape_of(tx));
    const float* in = tx.data;
    float* o = to.data;
    switch (kind) {
      case DMCRT_EXP: map_unary(in, o, n, [](float v) { return std::exp(v); }); break;
      case DMCRT_TANH: map_unary(in, o, n, [](float v) { return std::tanh(v); }); break;
      case DMCRT_ERF: map_unary(in, o, n, [](float v) { return std::erf(v); }); break;
      case DMCRT_RELU: map_unary(in, o, n, [](float v) { return v > 0.0f ? v : 0.0f; }); break;
      case DMCRT_SQRT: map_unary(in, o, n, [](float v) { return std::sqrt(v); }); break;
      case DMCRT_RECIPROCAL: map_unary(in, o, n, [](float v) { return 1.0f / v; }); break;
      case DMCRT_GELU_ERF:
        map_unary(in, o, n, [](float v) {
          return 0.5f * v * (1.0f + std::erf(v * static_cast<float>(M_SQRT1_2)));
        });
        break;
      case DMCRT_GELU_TANH: {
        const float k = static_cast<float>(std::sqrt(2.0 / M_PI));
        map_unary(in, o, n, [k](float v) {
          return 0.5f * v * (1.0f + std::tanh(k * (v + 0.044715f * v * v * v)));
        });
        break;
      }
      case DMCRT_ELU:
        map_unary(in, o, n, [param](float v) { return v > 0.0f ? v : param * std::expm1(v); });
        break;
    }
  });
}

int dmcrt_scale(const dmcrt_tensor* x, const dmcrt_tensor* out, float alpha, float bias) {
  return guarded("dmcrt_scale", [&] {
    const auto& tx = check_tensor(x, "X");
    const auto& to = check_tensor(out, "output");
    expect_shape(to, shape_of(tx), "output");
    map_unary(tx.data, to.data, numel(shape_of(tx)),
              [alpha, bias](float v) { return alpha * v + bias; });
  });
}

}  // extern "C"
