// LayerNormalization and reductions against explicit loops in double.
#include <cmath>
#include <limits>
#include <string>

#include "test_util.h"

using namespace dmctest;

namespace {

TEST(LayerNorm, MatchesFormula) {
  for (bool with_bias : {true, false}) {
    Tensor x = random_tensor({2, 5, 48}, 50, -3, 5), out({2, 5, 48});
    Tensor g = random_tensor({48}, 51), b = random_tensor({48}, 52);
    auto dx = x.desc(), dg = g.desc(), db = b.desc(), dout = out.desc();
    ASSERT_EQ(dmcrt_layer_norm(&dx, &dg, with_bias ? &db : nullptr, &dout, 1e-5f), DMCRT_OK)
        << dmcrt_last_error();
    std::vector<double> want(x.v.size());
    for (int64_t r = 0; r < 10; ++r) {
      double sum = 0, sq = 0;
      for (int64_t j = 0; j < 48; ++j) sum += x.v[r * 48 + j];
      const double mean = sum / 48;
      for (int64_t j = 0; j < 48; ++j) sq += std::pow(x.v[r * 48 + j] - mean, 2);
      const double sd = std::sqrt(sq / 48 + 1e-5);
      for (int64_t j = 0; j < 48; ++j)
        want[r * 48 + j] = (x.v[r * 48 + j] - mean) / sd * g.v[j] + (with_bias ? b.v[j] : 0.0);
    }
    expect_near_rel(out.v, want, 1e-5, 1e-5);
  }
}

TEST(LayerNorm, ConstantRowUsesEpsilon) {
  Tensor x({1, 4}, 3.0f), out({1, 4}), g({4}, 1.0f), b({4}, 0.5f);
  auto dx = x.desc(), dg = g.desc(), db = b.desc(), dout = out.desc();
  ASSERT_EQ(dmcrt_layer_norm(&dx, &dg, &db, &dout, 1e-3f), DMCRT_OK);
  for (float v : out.v) EXPECT_FLOAT_EQ(v, 0.5f);
}

TEST(LayerNorm, Errors) {
  Tensor x({2, 8}), out({2, 8}), g({7});
  auto dx = x.desc(), dg = g.desc(), dout = out.desc();
  EXPECT_EQ(dmcrt_layer_norm(&dx, &dg, nullptr, &dout, 1e-5f), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_layer_norm: scale: expected shape [8] but got [7]");
  EXPECT_EQ(dmcrt_layer_norm(&dx, nullptr, nullptr, &dout, 1e-5f), DMCRT_ERR_INVALID_ARG);
}

// Reduction of a [3, 4, 5] tensor over a set of axes, by visiting every input element once and
// accumulating into the output slot it maps to.
std::vector<double> reference_reduce(const Tensor& x, int kind, std::vector<bool> reduced) {
  Shape out_shape;
  for (size_t d = 0; d < x.shape.size(); ++d) out_shape.push_back(reduced[d] ? 1 : x.shape[d]);
  const double init = kind == DMCRT_REDUCE_MAX ? -INFINITY : 0.0;
  std::vector<double> acc(count(out_shape), init);
  std::vector<int64_t> n(acc.size(), 0);
  for (int64_t f = 0; f < count(x.shape); ++f) {
    Shape idx = unflatten(f, x.shape);
    for (size_t d = 0; d < idx.size(); ++d)
      if (reduced[d]) idx[d] = 0;
    Tensor shape_only(out_shape);
    const int64_t o = shape_only.flat(idx);
    acc[o] = kind == DMCRT_REDUCE_MAX ? std::max<double>(acc[o], x.v[f]) : acc[o] + x.v[f];
    n[o]++;
  }
  if (kind == DMCRT_REDUCE_MEAN)
    for (size_t o = 0; o < acc.size(); ++o) acc[o] /= n[o];
  return acc;
}

TEST(Reduce, AxesKeepdimsKinds) {
  Tensor x = random_tensor({3, 4, 5}, 53);
  const std::vector<std::vector<int64_t>> axis_sets = {{0}, {1}, {2}, {-1}, {0, 2}, {2, 0}, {0, 1, 2}, {}};
  for (int kind = DMCRT_REDUCE_SUM; kind <= DMCRT_REDUCE_MEAN; ++kind) {
    for (const auto& axes : axis_sets) {
      for (int keep = 0; keep < 2; ++keep) {
        std::vector<bool> reduced(3, axes.empty());
        for (int64_t a : axes) reduced[a < 0 ? a + 3 : a] = true;
        Shape out_shape;
        for (int d = 0; d < 3; ++d)
          if (!reduced[d] || keep) out_shape.push_back(reduced[d] ? 1 : x.shape[d]);
        Tensor out(out_shape, 77.0f);
        auto dx = x.desc(), dout = out.desc();
        ASSERT_EQ(dmcrt_reduce(kind, &dx, &dout, axes.data(), static_cast<int32_t>(axes.size()), keep),
                  DMCRT_OK)
            << dmcrt_last_error();
        SCOPED_TRACE("kind " + std::to_string(kind) + " keepdims " + std::to_string(keep));
        expect_near_rel(out.v, reference_reduce(x, kind, reduced), 1e-6, 1e-6);
      }
    }
  }
}

TEST(Reduce, Errors) {
  Tensor x({3, 4}), out({3});
  auto dx = x.desc(), dout = out.desc();
  const int64_t dup[] = {1, -1};
  EXPECT_EQ(dmcrt_reduce(DMCRT_REDUCE_SUM, &dx, &dout, dup, 2, 0), DMCRT_ERR_INVALID_ARG);
  const int64_t bad[] = {2};
  EXPECT_EQ(dmcrt_reduce(DMCRT_REDUCE_SUM, &dx, &dout, bad, 1, 0), DMCRT_ERR_INVALID_ARG);
  const int64_t ax0[] = {0};
  EXPECT_EQ(dmcrt_reduce(DMCRT_REDUCE_SUM, &dx, &dout, ax0, 1, 0), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_reduce: output: expected shape [4] but got [3]");
  EXPECT_EQ(dmcrt_reduce(7, &dx, &dout, ax0, 1, 0), DMCRT_ERR_INVALID_ARG);
}

}  // namespace
