// dmcrt_matmul_tiled (and dmcrt_matmul_dnnl, the same operation on oneDNN) and dmcrt_attention against
// naive double-precision loops written here, on strided operands (transposed, broadcast, offset views),
// sizes that are not multiples of any tile, every epilogue and every generated mask. ctest runs this file twice: with the CPU's micro-kernel
// build and with DMCRT_TILED_ISA=generic.
#include <cmath>
#include <limits>

#include "dmc/runtime/tiled.h"
#include "test_util.h"

using namespace dmctest;

namespace {

// A strided view over `t` with the given shape and strides, starting `offset` elements in.
dmcrt_strided view(Tensor& t, Shape shape, Shape strides, int64_t offset = 0) {
  dmcrt_strided s{};
  s.data = t.v.data() + offset;
  s.rank = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) s.shape[i] = shape[i], s.stride[i] = strides[i];
  return s;
}

Shape row_major(const Shape& shape) {
  Shape s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

dmcrt_strided dense(Tensor& t) { return view(t, t.shape, row_major(t.shape)); }

double activate(double x, int act) {
  switch (act) {
  case DMCRT_ACT_RELU: return x > 0 ? x : 0;
  case DMCRT_ACT_GELU_ERF: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  case DMCRT_ACT_GELU_TANH: return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  default: return x;
  }
}

void expect_close(double want, float got, double tol, const char* what, int64_t at) {
  ASSERT_LE(std::fabs(want - got), tol * (1 + std::fabs(want))) << what << " element " << at << ": want " << want
                                                                << ", got " << got;
}

using MatmulKernel = int (*)(const dmcrt_strided*, const dmcrt_strided*, const dmcrt_strided*, const dmcrt_strided*,
                            const dmcrt_strided*, float, int32_t, float, float);

// The fused-matmul kernels: the runtime's tiled one, and oneDNN's where this libdmcrt was built with it.
std::vector<std::pair<const char*, MatmulKernel>> matmul_kernels() {
  std::vector<std::pair<const char*, MatmulKernel>> kernels = {{"dmcrt_matmul_tiled", dmcrt_matmul_tiled}};
  Tensor one({1, 1});
  dmcrt_strided d = dense(one);
  if (dmcrt_matmul_dnnl(&d, &d, nullptr, nullptr, &d, 1.0f, DMCRT_ACT_NONE, 1.0f, 1.0f) == DMCRT_OK)
    kernels.push_back({"dmcrt_matmul_dnnl", dmcrt_matmul_dnnl});
  else
    EXPECT_NE(std::string(dmcrt_last_error()).find("built without oneDNN"), std::string::npos) << dmcrt_last_error();
  return kernels;
}

struct MatmulCase {
  int64_t M, N, K;
  bool transB, bias, residual;
  int act;
};

class TiledMatmul : public ::testing::TestWithParam<MatmulCase> {};

// Batch 2 x M x K times a shared K x N (or N x K read transposed), bias [N], residual [2, M, N].
TEST_P(TiledMatmul, MatchesNaiveLoops) {
  const MatmulCase c = GetParam();
  for (auto [name, kernel] : matmul_kernels()) {
    SCOPED_TRACE(name);
    Tensor a = random_tensor({2, c.M, c.K}, 1);
    Tensor b = random_tensor(c.transB ? Shape{c.N, c.K} : Shape{c.K, c.N}, 2);
    Tensor bias = random_tensor({c.N}, 3), res = random_tensor({2, c.M, c.N}, 4);
    Tensor out({2, c.M, c.N}, std::nanf(""));
    dmcrt_strided da = dense(a), dc = dense(out), dbias = dense(bias), dres = dense(res);
    dmcrt_strided db = c.transB ? view(b, {c.K, c.N}, {1, c.K}) : dense(b);
    const float alpha = 0.5f;
    // oneDNN's post-ops take the residual unscaled (dmcrt_matmul_dnnl refuses another scale: below).
    const bool dnnl = std::string(name) == "dmcrt_matmul_dnnl";
    const float pre_scale = -1.5f, post_scale = dnnl ? 1.0f : -1.0f;
    ASSERT_EQ(kernel(&da, &db, c.bias ? &dbias : nullptr, c.residual ? &dres : nullptr, &dc, alpha, c.act, pre_scale,
                     post_scale),
              DMCRT_OK)
        << dmcrt_last_error();
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t i = 0; i < c.M; ++i)
        for (int64_t j = 0; j < c.N; ++j) {
          double acc = 0;
          for (int64_t k = 0; k < c.K; ++k)
            acc += double(a.at({n, i, k})) * (c.transB ? b.at({j, k}) : b.at({k, j}));
          double want = alpha * acc + (c.bias ? pre_scale * bias.at({j}) : 0.0);
          want = activate(want, c.act) + (c.residual ? post_scale * res.at({n, i, j}) : 0.0);
          expect_close(want, out.at({n, i, j}), 2e-5 * std::sqrt(double(c.K) + 1), "C", out.flat({n, i, j}));
        }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, TiledMatmul,
                         ::testing::Values(MatmulCase{1, 1, 1, false, false, false, DMCRT_ACT_NONE},
                                           MatmulCase{13, 37, 300, false, true, false, DMCRT_ACT_NONE},
                                           MatmulCase{100, 300, 17, true, true, true, DMCRT_ACT_GELU_ERF},
                                           MatmulCase{97, 257, 513, false, false, true, DMCRT_ACT_RELU},
                                           MatmulCase{24, 64, 64, true, true, false, DMCRT_ACT_GELU_TANH},
                                           MatmulCase{5, 3, 0, false, true, true, DMCRT_ACT_NONE}));

// C written through a transposed view, A read through a sliced one, post = C itself (accumulation).
TEST(TiledMatmulViews, TransposedOutputAndAccumulation) {
  const int64_t M = 33, N = 45, K = 70;
  for (auto [name, kernel] : matmul_kernels()) {
    SCOPED_TRACE(name);
    Tensor a = random_tensor({M + 2, K}, 5), b = random_tensor({K, N}, 6);
    Tensor outT = random_tensor({N, M}, 7);  // C[i, j] lives at outT[j, i]
    Tensor before = outT;
    dmcrt_strided da = view(a, {M, K}, {K, 1}, 2 * K), db = dense(b), dc = view(outT, {M, N}, {1, M});
    ASSERT_EQ(kernel(&da, &db, nullptr, &dc, &dc, 1.0f, DMCRT_ACT_NONE, 1.0f, 1.0f), DMCRT_OK) << dmcrt_last_error();
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) {
        double acc = before.at({j, i});
        for (int64_t k = 0; k < K; ++k) acc += double(a.at({i + 2, k})) * b.at({k, j});
        expect_close(acc, outT.at({j, i}), 1e-4, "C^T", j * M + i);
      }
  }
}

TEST(DnnlMatmul, RefusesAScaledResidual) {
  if (matmul_kernels().size() < 2) GTEST_SKIP() << "libdmcrt built without oneDNN";
  Tensor a = random_tensor({4, 5}, 1), b = random_tensor({5, 7}, 2), r = random_tensor({4, 7}, 3), c({4, 7});
  dmcrt_strided da = dense(a), db = dense(b), dr = dense(r), dc = dense(c);
  EXPECT_EQ(dmcrt_matmul_dnnl(&da, &db, nullptr, &dr, &dc, 1.0f, DMCRT_ACT_NONE, 1.0f, -1.0f), DMCRT_ERR_INVALID_ARG);
  EXPECT_NE(std::string(dmcrt_last_error()).find("a residual scale other than 1"), std::string::npos)
      << dmcrt_last_error();
}

TEST(TiledMatmulErrors, ShapesAndActivationAreChecked) {
  Tensor a({4, 5}), b({6, 7}), c({4, 7});
  dmcrt_strided da = dense(a), db = dense(b), dc = dense(c);
  EXPECT_EQ(dmcrt_matmul_tiled(&da, &db, nullptr, nullptr, &dc, 1.0f, 0, 1.0f, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("inner dimensions differ"), std::string::npos);
  Tensor b2({5, 7});
  dmcrt_strided db2 = dense(b2);
  EXPECT_EQ(dmcrt_matmul_tiled(&da, &db2, nullptr, nullptr, &dc, 1.0f, 9, 1.0f, 1.0f), DMCRT_ERR_INVALID_ARG);
  Tensor wrong({4, 8});
  dmcrt_strided dw = dense(wrong);
  EXPECT_EQ(dmcrt_matmul_tiled(&da, &db2, nullptr, nullptr, &dw, 1.0f, 0, 1.0f, 1.0f), DMCRT_ERR_SHAPE);
  EXPECT_EQ(dmcrt_matmul_tiled(nullptr, &db2, nullptr, nullptr, &dc, 1.0f, 0, 1.0f, 1.0f), DMCRT_ERR_INVALID_ARG);
}

struct AttentionCase {
  int64_t Sq, Sk, D, Dv;
  bool causal;
  int64_t window, stride;
  bool global, additive;
};

class TiledAttention : public ::testing::TestWithParam<AttentionCase> {};

// q, k, v are read heads-major out of [B, S, H, D] buffers (the layout a projection writes), o is
// written the same way; the reference is softmax in double with the rules of dmcrt_softmax.
TEST_P(TiledAttention, MatchesNaiveSoftmax) {
  const AttentionCase c = GetParam();
  const int64_t B = 2, H = 3;
  const float scale = 0.3f;
  Tensor q = random_tensor({B, c.Sq, H, c.D}, 11, -2, 2), k = random_tensor({B, c.Sk, H, c.D}, 12, -2, 2);
  Tensor v = random_tensor({B, c.Sk, H, c.Dv}, 13);
  Tensor mask = random_tensor({c.Sq, c.Sk}, 14, -1, 1);
  if (c.additive)  // one row fully masked by -inf: its output must be exactly 0
    for (int64_t j = 0; j < c.Sk; ++j) mask.at({c.Sq / 2, j}) = -std::numeric_limits<float>::infinity();
  Tensor o({B, c.Sq, H, c.Dv}, std::nanf(""));
  auto heads = [&](Tensor& t, int64_t S, int64_t W) { return view(t, {B, H, S, W}, {S * H * W, W, H * W, 1}); };
  dmcrt_strided dq = heads(q, c.Sq, c.D), dk = heads(k, c.Sk, c.D), dv = heads(v, c.Sk, c.Dv), dout = heads(o, c.Sq, c.Dv);
  dmcrt_strided dm = dense(mask);
  const int64_t globals[] = {1, c.Sk - 1};
  ASSERT_EQ(dmcrt_attention(&dq, &dk, &dv, c.additive ? &dm : nullptr, &dout, scale, c.causal, c.window, c.stride,
                            c.global ? globals : nullptr, c.global ? 2 : 0),
            DMCRT_OK)
      << dmcrt_last_error();
  auto kept = [&](int64_t i, int64_t j) {
    if (c.global && (i == 1 || j == 1 || i == c.Sk - 1 || j == c.Sk - 1)) return true;
    if (c.causal && j > i) return false;
    int64_t dist = std::llabs(i - j);
    if (c.window >= 0 && dist > c.window) return false;
    if (c.stride > 0 && dist % c.stride != 0) return false;
    return true;
  };
  for (int64_t n = 0; n < B; ++n)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t i = 0; i < c.Sq; ++i) {
        std::vector<double> s(c.Sk, -INFINITY);
        double mx = -INFINITY;
        for (int64_t j = 0; j < c.Sk; ++j) {
          if (!kept(i, j)) continue;
          double dot = 0;
          for (int64_t d = 0; d < c.D; ++d) dot += double(q.at({n, i, h, d})) * k.at({n, j, h, d});
          s[j] = scale * dot + (c.additive ? mask.at({i, j}) : 0.0);
          mx = std::max(mx, s[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j < c.Sk; ++j) sum += mx == -INFINITY || s[j] == -INFINITY ? 0 : std::exp(s[j] - mx);
        for (int64_t d = 0; d < c.Dv; ++d) {
          double acc = 0;
          for (int64_t j = 0; j < c.Sk; ++j)
            if (sum > 0 && s[j] != -INFINITY) acc += std::exp(s[j] - mx) / sum * v.at({n, j, h, d});
          expect_close(acc, o.at({n, i, h, d}), 2e-5, "O", o.flat({n, i, h, d}));
        }
      }
}

INSTANTIATE_TEST_SUITE_P(Masks, TiledAttention,
                         ::testing::Values(AttentionCase{17, 17, 64, 64, false, -1, 0, false, false},
                                           AttentionCase{300, 300, 64, 64, true, -1, 0, false, false},
                                           AttentionCase{70, 520, 32, 48, false, -1, 0, false, true},
                                           AttentionCase{260, 260, 16, 16, false, 20, 0, true, false},
                                           AttentionCase{129, 129, 8, 24, true, -1, 5, false, false},
                                           AttentionCase{300, 300, 8, 8, true, 40, 0, true, true}));

TEST(TiledAttentionErrors, ShapesAreChecked) {
  Tensor q({2, 5, 8}), k({2, 6, 7}), v({2, 6, 4}), o({2, 5, 4});
  dmcrt_strided dq = dense(q), dk = dense(k), dv = dense(v), dout = dense(o);
  EXPECT_EQ(dmcrt_attention(&dq, &dk, &dv, nullptr, &dout, 1.0f, 0, -1, 0, nullptr, 0), DMCRT_ERR_SHAPE);
  Tensor k2({2, 6, 8});
  dmcrt_strided dk2 = dense(k2);
  EXPECT_EQ(dmcrt_attention(&dq, &dk2, &dv, nullptr, &dout, 1.0f, 0, -1, -3, nullptr, 0), DMCRT_ERR_INVALID_ARG);
  EXPECT_EQ(dmcrt_attention(&dq, &dk2, &dv, nullptr, &dout, 1.0f, 0, -1, 0, nullptr, 0), DMCRT_OK) << dmcrt_last_error();
}

}  // namespace
