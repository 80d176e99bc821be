// dmcrt_softmax against a double-precision formula, with the generated-mask rule re-derived as an
// explicit (i, j) predicate, rows that end up fully masked, additive masks and non-last axes.
#include <cmath>
#include <limits>
#include <string>

#include "test_util.h"

using namespace dmctest;

namespace {

struct MaskAttrs {
  MaskAttrs(int c = 0, int64_t w = -1, int64_t s = 0, std::vector<int64_t> g = {})
      : causal(c), window(w), stride(s), globals(std::move(g)) {}
  int causal;
  int64_t window;
  int64_t stride;
  std::vector<int64_t> globals;
};

// The rule of docs/op-vocabulary.md, spelled out case by case.
bool keep(int64_t i, int64_t j, const MaskAttrs& m) {
  for (int64_t g : m.globals)
    if (g == i || g == j) return true;
  if (m.causal && j > i) return false;
  if (m.window >= 0 && std::llabs(i - j) > m.window) return false;
  if (m.stride > 0) {
    const int64_t d = m.causal ? i - j : std::llabs(i - j);
    if (d % m.stride != 0) return false;
  }
  return true;
}

// Softmax over the last axis of x (shape [..., Sq, Sk]) with an optional broadcast additive mask.
std::vector<double> reference(const Tensor& x, const Tensor* add, float scale, const MaskAttrs& m) {
  const int64_t Sk = x.shape.back(), Sq = x.shape[x.shape.size() - 2];
  const int64_t rows = count(x.shape) / Sk;
  std::vector<double> y(x.v.size(), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t i = r % Sq;
    std::vector<double> s(Sk);
    std::vector<bool> kept(Sk);
    double mx = -INFINITY;
    for (int64_t j = 0; j < Sk; ++j) {
      Shape idx = unflatten(r * Sk + j, x.shape);
      s[j] = static_cast<double>(scale) * x.v[r * Sk + j] + (add ? add->at(broadcast_index(idx, add->shape)) : 0.0);
      kept[j] = keep(i, j, m) && s[j] != -INFINITY;
      if (kept[j]) mx = std::max(mx, s[j]);
    }
    double z = 0;
    for (int64_t j = 0; j < Sk; ++j) z += kept[j] ? std::exp(s[j] - mx) : 0.0;
    for (int64_t j = 0; j < Sk; ++j) y[r * Sk + j] = kept[j] ? std::exp(s[j] - mx) / z : 0.0;
  }
  return y;
}

int run(const Tensor& x, Tensor* add, Tensor& out, float scale, const MaskAttrs& m, int64_t axis = -1) {
  Tensor xc = x;
  auto dx = xc.desc(), dout = out.desc();
  dmcrt_tensor dm{};
  if (add) dm = add->desc();
  return dmcrt_softmax(&dx, add ? &dm : nullptr, &dout, axis, scale, m.causal, m.window, m.stride,
                       m.globals.empty() ? nullptr : m.globals.data(),
                       static_cast<int32_t>(m.globals.size()));
}

void check(const Shape& shape, const MaskAttrs& m, float scale = 1.0f, Tensor* add = nullptr) {
  Tensor x = random_tensor(shape, 40, -4, 4), out(shape, 99.0f);
  ASSERT_EQ(run(x, add, out, scale, m), DMCRT_OK) << dmcrt_last_error();
  std::vector<double> want = reference(x, add, scale, m);
  expect_near_rel(out.v, want, 1e-5, 1e-7);
  // Masked positions must be exactly zero, not merely tiny.
  for (size_t k = 0; k < want.size(); ++k) {
    if (want[k] == 0.0) {
      ASSERT_EQ(out.v[k], 0.0f) << "flat index " << k;
    }
  }
}

TEST(Softmax, Plain) { check({2, 3, 7, 9}, {}); }
TEST(Softmax, Scaled) { check({4, 16}, {}, 0.125f); }
TEST(Softmax, Causal) { check({2, 2, 8, 8}, {1}); }
TEST(Softmax, Window) { check({1, 9, 9}, {0, 2}); }
TEST(Softmax, CausalWindow) { check({1, 9, 9}, {1, 3}); }
TEST(Softmax, StrideWithoutCausal) { check({1, 10, 10}, {0, -1, 3}); }
TEST(Softmax, StrideWithCausal) { check({1, 10, 10}, {1, -1, 3}); }
TEST(Softmax, GlobalTokens) { check({2, 12, 12}, {0, 1, 0, {0, 5}}); }
TEST(Softmax, CausalGlobal) { check({12, 12}, {1, 0, 0, {3}}); }
TEST(Softmax, GlobalOutOfRangeIgnored) { check({6, 6}, {1, 0, 0, {-1, 100}}); }
TEST(Softmax, Large) { check({2, 4, 128, 128}, {1, 16, 0, {0}}, 0.1f); }

TEST(Softmax, RowsWithNoKeptPositionAreZero) {
  // More queries than keys: with window 0, query rows i >= 3 keep nothing.
  MaskAttrs m{0, 0, 0, {}};
  Tensor x = random_tensor({2, 6, 3}, 41), out({2, 6, 3}, 5.0f);
  ASSERT_EQ(run(x, nullptr, out, 1.0f, m), DMCRT_OK);
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t i = 0; i < 6; ++i)
      for (int64_t j = 0; j < 3; ++j)
        EXPECT_EQ(out.at({b, i, j}), i == j ? 1.0f : 0.0f) << b << "," << i << "," << j;
  check({2, 6, 3}, {1, 0, 2, {}});
}

TEST(Softmax, AdditiveMaskBroadcast) {
  Tensor add = random_tensor({2, 1, 1, 9}, 42, -2, 0);
  add.at({0, 0, 0, 3}) = -INFINITY;  // padded key
  check({2, 3, 5, 9}, {}, 1.0f, &add);
  check({2, 3, 5, 9}, {1}, 0.5f, &add);
}

TEST(Softmax, AdditiveMaskFullRowMinusInfinity) {
  Tensor add({4, 5});
  for (int64_t j = 0; j < 5; ++j) add.at({2, j}) = -INFINITY;
  check({3, 4, 5}, {}, 1.0f, &add);
  Tensor x = random_tensor({3, 4, 5}, 43), out({3, 4, 5});
  ASSERT_EQ(run(x, &add, out, 1.0f, {}), DMCRT_OK);
  for (int64_t j = 0; j < 5; ++j) EXPECT_EQ(out.at({1, 2, j}), 0.0f);
}

TEST(Softmax, NumericallyStable) {
  Tensor x({1, 4});
  x.v = {1000.0f, 1001.0f, 1002.0f, -1000.0f};
  Tensor out({1, 4});
  ASSERT_EQ(run(x, nullptr, out, 1.0f, {}), DMCRT_OK);
  double z = std::exp(-2.0) + std::exp(-1.0) + 1.0;
  EXPECT_NEAR(out.v[0], std::exp(-2.0) / z, 1e-6);
  EXPECT_NEAR(out.v[2], 1.0 / z, 1e-6);
  EXPECT_EQ(out.v[3], 0.0f);  // underflows to exactly 0, no NaN
}

TEST(Softmax, NonLastAxis) {
  Tensor x = random_tensor({2, 5, 3}, 44), out({2, 5, 3});
  ASSERT_EQ(run(x, nullptr, out, 2.0f, {}, 1), DMCRT_OK) << dmcrt_last_error();
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t c = 0; c < 3; ++c) {
      double z = 0;
      for (int64_t l = 0; l < 5; ++l) z += std::exp(2.0 * x.at({a, l, c}));
      for (int64_t l = 0; l < 5; ++l) EXPECT_NEAR(out.at({a, l, c}), std::exp(2.0 * x.at({a, l, c})) / z, 1e-6);
    }
  // Additive mask on a non-last axis too.
  Tensor add = random_tensor({5, 1}, 45);
  Tensor xc = x, out2({2, 5, 3});
  auto dx = xc.desc(), dm = add.desc(), do2 = out2.desc();
  ASSERT_EQ(dmcrt_softmax(&dx, &dm, &do2, -2, 1.0f, 0, -1, 0, nullptr, 0), DMCRT_OK) << dmcrt_last_error();
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t c = 0; c < 3; ++c) {
      double z = 0;
      for (int64_t l = 0; l < 5; ++l) z += std::exp(x.at({a, l, c}) + add.at({l, 0}));
      for (int64_t l = 0; l < 5; ++l)
        EXPECT_NEAR(out2.at({a, l, c}), std::exp(x.at({a, l, c}) + add.at({l, 0})) / z, 1e-6);
    }
}

TEST(Softmax, InPlace) {
  Tensor x = random_tensor({3, 8}, 46), ref_out({3, 8});
  ASSERT_EQ(run(x, nullptr, ref_out, 1.0f, {1}), DMCRT_OK);
  auto dx = x.desc();
  ASSERT_EQ(dmcrt_softmax(&dx, nullptr, &dx, -1, 1.0f, 1, -1, 0, nullptr, 0), DMCRT_OK);
  EXPECT_EQ(x.v, ref_out.v);
}

TEST(Softmax, Errors) {
  Tensor x({2, 4, 4}), out({2, 4, 4});
  MaskAttrs causal{1};
  EXPECT_EQ(run(x, nullptr, out, 1.0f, causal, 1), DMCRT_ERR_INVALID_ARG);
  EXPECT_NE(std::string(dmcrt_last_error()).find("axis = last"), std::string::npos) << dmcrt_last_error();
  Tensor v({4}), vo({4});
  EXPECT_EQ(run(v, nullptr, vo, 1.0f, causal), DMCRT_ERR_INVALID_ARG);
  Tensor bad_mask({3, 4});
  EXPECT_EQ(run(x, &bad_mask, out, 1.0f, {}), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("does not broadcast"), std::string::npos);
  Tensor wrong({2, 4, 5});
  EXPECT_EQ(run(x, nullptr, wrong, 1.0f, {}), DMCRT_ERR_SHAPE);
  EXPECT_EQ(run(x, nullptr, out, 1.0f, {}, 3), DMCRT_ERR_INVALID_ARG);
}

}  // namespace
