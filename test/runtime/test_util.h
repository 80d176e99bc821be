// Helpers for the runtime tests: an owning tensor that hands out dmcrt_tensor descriptors, seeded
// random data, and row-major index arithmetic written independently of the runtime's helpers.
#ifndef DMC_TEST_RUNTIME_TEST_UTIL_H
#define DMC_TEST_RUNTIME_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "dmc/runtime/kernels.h"

namespace dmctest {

using Shape = std::vector<int64_t>;

inline int64_t count(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

struct Tensor {
  Shape shape;
  std::vector<float> v;

  explicit Tensor(Shape s, float fill = 0.0f) : shape(std::move(s)), v(count(shape), fill) {}

  dmcrt_tensor desc() {
    dmcrt_tensor t{};
    t.data = v.data();
    t.rank = static_cast<int32_t>(shape.size());
    for (size_t i = 0; i < shape.size(); ++i) t.shape[i] = shape[i];
    return t;
  }

  // Multi-index -> flat offset (row-major).
  int64_t flat(const Shape& idx) const {
    int64_t f = 0;
    for (size_t d = 0; d < shape.size(); ++d) f = f * shape[d] + idx[d];
    return f;
  }
  float& at(const Shape& idx) { return v[flat(idx)]; }
  float at(const Shape& idx) const { return v[flat(idx)]; }
};

inline Tensor random_tensor(Shape s, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  Tensor t(std::move(s));
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (auto& x : t.v) x = dist(gen);
  return t;
}

// Flat index -> multi-index of `shape`.
inline Shape unflatten(int64_t flat, const Shape& shape) {
  Shape idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return idx;
}

// Index into a tensor of shape `in` that NumPy-broadcasts to an output multi-index.
inline Shape broadcast_index(const Shape& out_idx, const Shape& in) {
  Shape idx(in.size());
  const size_t lead = out_idx.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) idx[d] = in[d] == 1 ? 0 : out_idx[lead + d];
  return idx;
}

inline void expect_near_rel(const std::vector<float>& got, const std::vector<double>& want,
                            double rtol, double atol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], atol + rtol * std::abs(want[i])) << "at flat index " << i;
}

}  // namespace dmctest

#endif
