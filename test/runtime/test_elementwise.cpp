// Binary kernels with broadcasting, unary kernels and scale, against double-precision formulas
// evaluated element by element with explicit multi-index broadcasting.
#include <cmath>
#include <functional>
#include <string>

#include "test_util.h"

using namespace dmctest;

namespace {

double ref_binary(int kind, double x, double y) {
  switch (kind) {
    case DMCRT_ADD: return x + y;
    case DMCRT_SUB: return x - y;
    case DMCRT_MUL: return x * y;
    default: return x / y;
  }
}

void check_binary(const Shape& as, const Shape& bs, const Shape& os) {
  for (int kind = DMCRT_ADD; kind <= DMCRT_DIV; ++kind) {
    Tensor a = random_tensor(as, 10), b = random_tensor(bs, 11, 0.5f, 2.0f), out(os, -7.0f);
    auto da = a.desc(), db = b.desc(), dout = out.desc();
    ASSERT_EQ(dmcrt_binary(kind, &da, &db, &dout), DMCRT_OK) << dmcrt_last_error();
    std::vector<double> want(count(os));
    for (int64_t f = 0; f < count(os); ++f) {
      Shape idx = unflatten(f, os);
      want[f] = ref_binary(kind, a.at(broadcast_index(idx, as)), b.at(broadcast_index(idx, bs)));
    }
    expect_near_rel(out.v, want, 1e-6, 0);
  }
}

TEST(Binary, SameShape) { check_binary({3, 4, 5}, {3, 4, 5}, {3, 4, 5}); }
TEST(Binary, BroadcastBothWays) { check_binary({2, 1, 4}, {3, 1}, {2, 3, 4}); }
TEST(Binary, BiasOverLastDim) { check_binary({2, 8, 16}, {16}, {2, 8, 16}); }
TEST(Binary, AttentionMaskShape) { check_binary({2, 3, 5, 5}, {2, 1, 1, 5}, {2, 3, 5, 5}); }
TEST(Binary, Scalars) {
  check_binary({}, {4, 3}, {4, 3});
  check_binary({4, 3}, {}, {4, 3});
  check_binary({}, {}, {});
}
TEST(Binary, ColumnVector) { check_binary({6, 1}, {6, 1}, {6, 1}); }
TEST(Binary, LargeParallel) { check_binary({64, 1, 300}, {1, 7, 300}, {64, 7, 300}); }
TEST(Binary, EmptyDim) { check_binary({0, 3}, {3}, {0, 3}); }

TEST(Binary, InPlace) {
  Tensor a = random_tensor({4, 5}, 12), b = random_tensor({5}, 13);
  Tensor orig = a;
  auto da = a.desc(), db = b.desc();
  ASSERT_EQ(dmcrt_binary(DMCRT_MUL, &da, &db, &da), DMCRT_OK);
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 5; ++j) EXPECT_FLOAT_EQ(a.at({i, j}), orig.at({i, j}) * b.at({j}));
}

TEST(Binary, Errors) {
  Tensor a({2, 3}), b({4}), out({2, 3});
  auto da = a.desc(), db = b.desc(), dout = out.desc();
  EXPECT_EQ(dmcrt_binary(DMCRT_ADD, &da, &db, &dout), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("[2, 3] and [4] do not broadcast"), std::string::npos)
      << dmcrt_last_error();
  Tensor c({3}), wrong({3, 2});
  auto dc = c.desc(), dw = wrong.desc();
  EXPECT_EQ(dmcrt_binary(DMCRT_ADD, &da, &dc, &dw), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_binary: output: expected shape [2, 3] but got [3, 2]");
  EXPECT_EQ(dmcrt_binary(42, &da, &dc, &dout), DMCRT_ERR_INVALID_ARG);
  dmcrt_tensor null_data = a.desc();
  null_data.data = nullptr;
  EXPECT_EQ(dmcrt_binary(DMCRT_ADD, &null_data, &dc, &dout), DMCRT_ERR_INVALID_ARG);
  dmcrt_tensor bad_rank = a.desc();
  bad_rank.rank = 9;
  EXPECT_EQ(dmcrt_binary(DMCRT_ADD, &bad_rank, &dc, &dout), DMCRT_ERR_INVALID_ARG);
}

// Where against the definition element by element: the condition holds 0, 1, -0 and NaN (NaN counts as
// true, -0 as false), and the operand not selected holds inf or NaN, which must not reach the output.
void check_where(const Shape& cs, const Shape& xs, const Shape& ys, const Shape& os) {
  Tensor c = random_tensor(cs, 20), x = random_tensor(xs, 21), y = random_tensor(ys, 22), out(os, -7.0f);
  const float specials[] = {0.0f, 1.0f, -0.0f, NAN};
  for (size_t i = 0; i < c.v.size(); ++i) c.v[i] = specials[i % 4];
  // Poison every element of x and y that no output element selects (with broadcasting, an element may be
  // chosen by one output and not by another; those stay finite).
  std::vector<bool> usedX(x.v.size()), usedY(y.v.size());
  for (int64_t f = 0; f < count(os); ++f) {
    Shape idx = unflatten(f, os);
    if (c.at(broadcast_index(idx, cs)) != 0.0f)
      usedX[x.flat(broadcast_index(idx, xs))] = true;
    else
      usedY[y.flat(broadcast_index(idx, ys))] = true;
  }
  for (size_t i = 0; i < x.v.size(); ++i) if (!usedX[i]) x.v[i] = i % 2 ? INFINITY : NAN;
  for (size_t i = 0; i < y.v.size(); ++i) if (!usedY[i]) y.v[i] = i % 2 ? -INFINITY : NAN;
  auto dc = c.desc(), dx = x.desc(), dy = y.desc(), dout = out.desc();
  ASSERT_EQ(dmcrt_where(&dc, &dx, &dy, &dout), DMCRT_OK) << dmcrt_last_error();
  for (int64_t f = 0; f < count(os); ++f) {
    Shape idx = unflatten(f, os);
    float cv = c.at(broadcast_index(idx, cs));
    float want = !(cv == 0.0f) ? x.at(broadcast_index(idx, xs)) : y.at(broadcast_index(idx, ys));
    EXPECT_EQ(out.v[f], want) << "element " << f;
  }
}

TEST(Where, SameShape) { check_where({3, 4, 5}, {3, 4, 5}, {3, 4, 5}, {3, 4, 5}); }
TEST(Where, BroadcastEachOperand) {
  check_where({4, 1}, {1, 5}, {5}, {4, 5});
  check_where({2, 1, 6}, {3, 1}, {}, {2, 3, 6});
  check_where({}, {4, 3}, {4, 3}, {4, 3});
}
TEST(Where, LargeParallel) { check_where({64, 1, 300}, {1, 7, 300}, {64, 7, 1}, {64, 7, 300}); }
TEST(Where, Errors) {
  Tensor c({2, 3}), x({4}), y({3}), out({2, 3});
  auto dc = c.desc(), dx = x.desc(), dy = y.desc(), dout = out.desc();
  EXPECT_EQ(dmcrt_where(&dc, &dx, &dy, &dout), DMCRT_ERR_SHAPE);
  Tensor wrong({3, 2});
  auto dw = wrong.desc();
  EXPECT_EQ(dmcrt_where(&dc, &dy, &dy, &dw), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_where: output: expected shape [2, 3] but got [3, 2]");
}

struct UnaryCase {
  int kind;
  float param;
  std::function<double(double)> f;
  float lo, hi;
};

TEST(Unary, AllKindsMatchFormulas) {
  const double pi = std::acos(-1.0);
  const UnaryCase cases[] = {
      {DMCRT_EXP, 0, [](double x) { return std::exp(x); }, -5, 5},
      {DMCRT_TANH, 0, [](double x) { return std::tanh(x); }, -4, 4},
      {DMCRT_ERF, 0, [](double x) { return std::erf(x); }, -3, 3},
      {DMCRT_RELU, 0, [](double x) { return std::max(x, 0.0); }, -2, 2},
      {DMCRT_SQRT, 0, [](double x) { return std::sqrt(x); }, 0, 9},
      {DMCRT_RECIPROCAL, 0, [](double x) { return 1.0 / x; }, 0.1f, 4},
      {DMCRT_GELU_ERF, 0, [](double x) { return x * 0.5 * (1.0 + std::erf(x / std::sqrt(2.0))); }, -5, 5},
      {DMCRT_GELU_TANH, 0,
       [pi](double x) {
         return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / pi) * (x + 0.044715 * x * x * x)));
       },
       -5, 5},
      {DMCRT_ELU, 0.7f, [](double x) { return x > 0 ? x : 0.7 * (std::exp(x) - 1.0); }, -4, 4},
  };
  for (const auto& c : cases) {
    Tensor x = random_tensor({3, 50, 130}, 20 + c.kind, c.lo, c.hi), out({3, 50, 130});
    auto dx = x.desc(), dout = out.desc();
    ASSERT_EQ(dmcrt_unary(c.kind, &dx, &dout, c.param), DMCRT_OK) << dmcrt_last_error();
    std::vector<double> want(x.v.size());
    for (size_t i = 0; i < want.size(); ++i) want[i] = c.f(x.v[i]);
    SCOPED_TRACE("kind " + std::to_string(c.kind));
    expect_near_rel(out.v, want, 2e-6, 1e-6);
  }
}

TEST(Unary, ErrorsAndInPlace) {
  Tensor x = random_tensor({4}, 30), out({5});
  auto dx = x.desc(), dout = out.desc();
  EXPECT_EQ(dmcrt_unary(DMCRT_EXP, &dx, &dout, 0), DMCRT_ERR_SHAPE);
  EXPECT_EQ(dmcrt_unary(-1, &dx, &dx, 0), DMCRT_ERR_INVALID_ARG);
  Tensor orig = x;
  ASSERT_EQ(dmcrt_unary(DMCRT_RELU, &dx, &dx, 0), DMCRT_OK);
  for (size_t i = 0; i < x.v.size(); ++i) EXPECT_EQ(x.v[i], orig.v[i] > 0 ? orig.v[i] : 0.0f);
}

TEST(Scale, AlphaAndBias) {
  Tensor x = random_tensor({7, 9}, 31), out({7, 9});
  auto dx = x.desc(), dout = out.desc();
  ASSERT_EQ(dmcrt_scale(&dx, &dout, 0.125f, -3.0f), DMCRT_OK);
  std::vector<double> want(x.v.size());
  for (size_t i = 0; i < want.size(); ++i) want[i] = 0.125 * x.v[i] - 3.0;
  expect_near_rel(out.v, want, 1e-6, 1e-6);
  Tensor wrong({9, 7});
  auto dw = wrong.desc();
  EXPECT_EQ(dmcrt_scale(&dx, &dw, 1.0f, 0.0f), DMCRT_ERR_SHAPE);
}

}  // namespace
