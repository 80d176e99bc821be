// dmcrt_matmul / dmcrt_gemm against a naive reference: both operands are first transposed into
// explicit op(A), op(B) copies, then a plain triple loop in double with explicit batch indexing.
#include <string>

#include "test_util.h"

using namespace dmctest;

namespace {

// Materialises op(X) for a [..., R, C] tensor: the last two dims swapped when `trans`.
Tensor op(const Tensor& x, bool trans) {
  if (!trans) return x;
  Shape s = x.shape;
  std::swap(s[s.size() - 1], s[s.size() - 2]);
  Tensor t(s);
  for (int64_t f = 0; f < count(s); ++f) {
    Shape idx = unflatten(f, s);
    Shape src = idx;
    std::swap(src[src.size() - 1], src[src.size() - 2]);
    t.v[f] = x.at(src);
  }
  return t;
}

std::vector<double> reference_matmul(const Tensor& a0, const Tensor& b0, bool ta, bool tb,
                                     double alpha, const Shape& out_shape) {
  Tensor a = op(a0, ta), b = op(b0, tb);
  const int64_t K = a.shape.back();
  Shape a_batch(a.shape.begin(), a.shape.end() - 2), b_batch(b.shape.begin(), b.shape.end() - 2);
  std::vector<double> out(count(out_shape));
  for (int64_t f = 0; f < count(out_shape); ++f) {
    Shape idx = unflatten(f, out_shape);
    const int64_t i = idx[idx.size() - 2], j = idx.back();
    Shape batch(idx.begin(), idx.end() - 2);
    Shape ai = broadcast_index(batch, a_batch), bi = broadcast_index(batch, b_batch);
    ai.push_back(i), ai.push_back(0);
    bi.push_back(0), bi.push_back(j);
    double s = 0;
    for (int64_t k = 0; k < K; ++k) {
      ai.back() = k;
      bi[bi.size() - 2] = k;
      s += static_cast<double>(a.at(ai)) * b.at(bi);
    }
    out[f] = alpha * s;
  }
  return out;
}

struct MatmulCase {
  Shape a, b, out;  // a, b as stored (already transposed when trans is set)
  int ta, tb;
  float alpha;
};

void PrintTo(const MatmulCase& c, std::ostream* os) {
  *os << "A" << ::testing::PrintToString(c.a) << " B" << ::testing::PrintToString(c.b) << " tA=" << c.ta
      << " tB=" << c.tb << " alpha=" << c.alpha;
}

class MatmulTest : public ::testing::TestWithParam<MatmulCase> {};

TEST_P(MatmulTest, MatchesNaive) {
  const auto& p = GetParam();
  Tensor a = random_tensor(p.a, 1), b = random_tensor(p.b, 2);
  Tensor c(p.out, 123.0f);  // garbage that must be overwritten
  auto da = a.desc(), db = b.desc(), dc = c.desc();
  ASSERT_EQ(dmcrt_matmul(&da, &db, &dc, p.ta, p.tb, p.alpha), DMCRT_OK) << dmcrt_last_error();
  expect_near_rel(c.v, reference_matmul(a, b, p.ta, p.tb, p.alpha, p.out), 1e-5, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MatmulTest,
    ::testing::Values(MatmulCase{{5, 7}, {7, 3}, {5, 3}, 0, 0, 1.0f},
                      MatmulCase{{7, 5}, {7, 3}, {5, 3}, 1, 0, 1.0f},
                      MatmulCase{{5, 7}, {3, 7}, {5, 3}, 0, 1, 1.0f},
                      MatmulCase{{7, 5}, {3, 7}, {5, 3}, 1, 1, 0.25f},
                      MatmulCase{{2, 3, 4, 5}, {2, 3, 5, 6}, {2, 3, 4, 6}, 0, 0, 1.0f},
                      // batch broadcasting: [2,1] x [3] -> [2,3]
                      MatmulCase{{2, 1, 4, 5}, {3, 5, 6}, {2, 3, 4, 6}, 0, 0, 1.0f},
                      MatmulCase{{2, 1, 5, 4}, {3, 6, 5}, {2, 3, 4, 6}, 1, 1, -2.0f},
                      // rank-3 A with rank-2 B (shared weight)
                      MatmulCase{{3, 4, 5}, {5, 6}, {3, 4, 6}, 0, 0, 1.0f},
                      MatmulCase{{4, 5}, {3, 6, 5}, {3, 4, 6}, 0, 1, 1.0f},
                      // big enough to run in parallel (attention scores Q K^T)
                      MatmulCase{{2, 4, 64, 32}, {2, 4, 64, 32}, {2, 4, 64, 64}, 0, 1, 0.125f},
                      MatmulCase{{96, 130}, {130, 80}, {96, 80}, 0, 0, 1.0f},
                      // empty dims
                      MatmulCase{{0, 4, 5}, {5, 6}, {0, 4, 6}, 0, 0, 1.0f},
                      MatmulCase{{3, 0}, {0, 2}, {3, 2}, 0, 0, 1.0f}),
    [](const ::testing::TestParamInfo<MatmulCase>& info) {
      // e.g. "A2x1x4x5_B3x5x6_tA0_tB0"
      auto dims = [](const Shape& s) {
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
        return out;
      };
      const auto& p = info.param;
      return "A" + dims(p.a) + "_B" + dims(p.b) + "_tA" + std::to_string(p.ta) + "_tB" +
             std::to_string(p.tb);
    });

TEST(Matmul, Errors) {
  Tensor a({2, 3}), b({4, 5}), c({2, 5});
  auto da = a.desc(), db = b.desc(), dc = c.desc();
  EXPECT_EQ(dmcrt_matmul(&da, &db, &dc, 0, 0, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("inner dimensions differ"), std::string::npos)
      << dmcrt_last_error();

  Tensor b2({3, 5}), wrong({2, 4});
  auto db2 = b2.desc(), dw = wrong.desc();
  EXPECT_EQ(dmcrt_matmul(&da, &db2, &dw, 0, 0, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_matmul: output: expected shape [2, 5] but got [2, 4]");

  Tensor v({3}), cv({5});
  auto dv = v.desc(), dcv = cv.desc();
  EXPECT_EQ(dmcrt_matmul(&dv, &db2, &dcv, 0, 0, 1.0f), DMCRT_ERR_SHAPE);

  Tensor ba({2, 2, 3}), bb({3, 3, 5}), bc({3, 2, 5});
  auto dba = ba.desc(), dbb = bb.desc(), dbc = bc.desc();
  EXPECT_EQ(dmcrt_matmul(&dba, &dbb, &dbc, 0, 0, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("do not broadcast"), std::string::npos);

  EXPECT_EQ(dmcrt_matmul(nullptr, &db2, &dc, 0, 0, 1.0f), DMCRT_ERR_INVALID_ARG);
}

// Gemm: Y = alpha op(A) op(B) + beta C, C broadcast to [M, N].
std::vector<double> reference_gemm(const Tensor& a, const Tensor& b, const Tensor* c, bool ta,
                                   bool tb, double alpha, double beta, const Shape& out) {
  std::vector<double> y = reference_matmul(a, b, ta, tb, alpha, out);
  if (c)
    for (int64_t i = 0; i < out[0]; ++i)
      for (int64_t j = 0; j < out[1]; ++j)
        y[i * out[1] + j] += beta * c->at(broadcast_index({i, j}, c->shape));
  return y;
}

TEST(Gemm, BroadcastBiasAndTranspose) {
  const Shape c_shapes[] = {{4, 3}, {3}, {1, 3}, {4, 1}, {1}, {}};
  for (const Shape& cs : c_shapes) {
    for (int ta = 0; ta < 2; ++ta) {
      for (int tb = 0; tb < 2; ++tb) {
        Tensor a = random_tensor(ta ? Shape{6, 4} : Shape{4, 6}, 3);
        Tensor b = random_tensor(tb ? Shape{3, 6} : Shape{6, 3}, 4);
        Tensor c = random_tensor(cs, 5), y({4, 3});
        auto da = a.desc(), db = b.desc(), dc = c.desc(), dy = y.desc();
        ASSERT_EQ(dmcrt_gemm(&da, &db, &dc, &dy, ta, tb, 0.5f, -1.5f), DMCRT_OK) << dmcrt_last_error();
        expect_near_rel(y.v, reference_gemm(a, b, &c, ta, tb, 0.5, -1.5, {4, 3}), 1e-5, 1e-5);
      }
    }
  }
}

TEST(Gemm, NullBiasAndErrors) {
  Tensor a = random_tensor({4, 6}, 6), b = random_tensor({6, 3}, 7), y({4, 3});
  auto da = a.desc(), db = b.desc(), dy = y.desc();
  ASSERT_EQ(dmcrt_gemm(&da, &db, nullptr, &dy, 0, 0, 1.0f, 1.0f), DMCRT_OK);
  expect_near_rel(y.v, reference_gemm(a, b, nullptr, 0, 0, 1.0, 1.0, {4, 3}), 1e-5, 1e-5);

  Tensor bad_c({5, 3});
  auto dbad = bad_c.desc();
  EXPECT_EQ(dmcrt_gemm(&da, &db, &dbad, &dy, 0, 0, 1.0f, 1.0f), DMCRT_ERR_SHAPE);
  Tensor a3({1, 4, 6}), y3({1, 4, 3});
  auto da3 = a3.desc(), dy3 = y3.desc();
  EXPECT_EQ(dmcrt_gemm(&da3, &db, nullptr, &dy3, 0, 0, 1.0f, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("rank 2"), std::string::npos);
}

}  // namespace
