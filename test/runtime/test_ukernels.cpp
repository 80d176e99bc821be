// The micro-kernels of ukernels.h, for every build of this library that the CPU can run, against
// double-precision loops and std:: functions written here: GEMM tiles at depths 0, 1, odd and longer
// than a panel, accumulating or not, on unaligned pointers with a padded row stride, and nothing
// written outside the tile; the element-wise kernels at lengths around the vector widths, with -inf,
// +inf, NaN and values beyond exp's range; the online-softmax row update streamed over blocks; the row
// reductions of the tiled softmax, layer norm and reductions.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "dmc/runtime/tiled.h"
#include "dmc/runtime/ukernels.h"
#include "test_util.h"

using namespace dmctest;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Whether this library was built with `isa` (the build's definitions are passed to the tests) and
// whether the CPU can run it.
bool built_with(const std::string& isa) {
  if (isa == "avx512") {
#ifdef DMCRT_HAVE_AVX512
    return true;
#endif
  } else if (isa == "avx2") {
#ifdef DMCRT_HAVE_AVX2
    return true;
#endif
  }
  return isa == "generic";
}

bool cpu_runs(const std::string& isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == "avx512") return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  if (isa == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return isa == "generic";
}

// The kernels of the build named by the test parameter; the test is skipped, with the reason, when
// the library lacks the build or the CPU cannot run it (then the library must not offer it).
class UKernels : public ::testing::TestWithParam<const char*> {
protected:
  const dmcrt_uk_kernels* uk = nullptr;
  void SetUp() override {
    const std::string isa = GetParam();
    uk = dmcrt_uk_kernels_for(isa.c_str());
    if (!built_with(isa) || !cpu_runs(isa)) {
      EXPECT_EQ(uk, nullptr) << isa << " offered although it cannot run here";
      GTEST_SKIP() << (built_with(isa) ? "the CPU lacks the instructions of " : "libdmcrt was built without ")
                   << isa;
    }
    ASSERT_NE(uk, nullptr) << isa << " was built and the CPU supports it, but it is not offered";
    ASSERT_EQ(std::string(uk->isa), isa);
  }
};

using GemmFn = void (*)(int64_t, const float*, const float*, float*, int64_t, int32_t);

// One micro-kernel call on panels and an accumulator that start one float past a 64-byte boundary,
// with ldacc = NR + 5 and a sentinel-filled margin of rows and columns around the tile.
void check_gemm(GemmFn gemm, int64_t MR, int64_t NR, int64_t kc, bool accumulate) {
  SCOPED_TRACE("kc " + std::to_string(kc) + (accumulate ? ", accumulating" : ""));
  const int64_t ldacc = NR + 5, rows = MR + 2;
  Tensor a = random_tensor({kc * MR + 1}, 21), b = random_tensor({kc * NR + 1}, 22);
  Tensor acc = random_tensor({rows * ldacc + 1}, 23, -4, 4);
  const float sentinel = 12345.5f;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < ldacc; ++c)
      if (r >= MR || c >= NR) acc.v[1 + r * ldacc + c] = sentinel;
  acc.v[0] = sentinel;
  const std::vector<float> before = acc.v;
  gemm(kc, a.v.data() + 1, b.v.data() + 1, acc.v.data() + 1, ldacc, accumulate);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < ldacc; ++c) {
      const int64_t at = 1 + r * ldacc + c;
      if (r >= MR || c >= NR) {
        ASSERT_EQ(acc.v[at], sentinel) << "written outside the tile at row " << r << ", column " << c;
        continue;
      }
      double want = accumulate ? before[at] : 0.0, magnitude = std::fabs(want);
      for (int64_t p = 0; p < kc; ++p) {
        const double term = double(a.v[1 + p * MR + r]) * b.v[1 + p * NR + c];
        want += term;
        magnitude += std::fabs(term);
      }
      // The rounding error bound of a chain of kc fused multiply-adds, relative to sum |terms|.
      const double bound = (kc + 2) * std::numeric_limits<float>::epsilon() / 2 * magnitude;
      ASSERT_NEAR(acc.v[at], want, bound) << "row " << r << ", column " << c;
    }
  ASSERT_EQ(acc.v[0], sentinel) << "written before the tile";
}

TEST_P(UKernels, Gemm12x32MatchesDoubleLoops) {
  for (int64_t kc : {0, 1, 7, 256, 301})
    for (bool accumulate : {false, true}) check_gemm(uk->gemm_12x32, 12, 32, kc, accumulate);
}

TEST_P(UKernels, Gemm6x16MatchesDoubleLoops) {
  for (int64_t kc : {0, 1, 7, 256, 301})
    for (bool accumulate : {false, true}) check_gemm(uk->gemm_6x16, 6, 16, kc, accumulate);
}

using GemmRowsFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, int32_t);

// One in-place call: A's MR rows lda = kc + 3 apart and B's kc rows ldb = NR + 7 apart, both starting one
// float past a 64-byte boundary, the gaps between rows holding NaN (a read outside the tiles would show
// in the result), the accumulator with a sentinel margin as in check_gemm.
void check_gemm_rows(GemmRowsFn gemm, int64_t MR, int64_t NR, int64_t kc, bool accumulate) {
  SCOPED_TRACE("kc " + std::to_string(kc) + (accumulate ? ", accumulating" : ""));
  const int64_t lda = kc + 3, ldb = NR + 7, ldacc = NR + 5, rows = MR + 2;
  const float nan = std::numeric_limits<float>::quiet_NaN(), sentinel = 12345.5f;
  Tensor a = random_tensor({MR * lda + 1}, 31), b = random_tensor({std::max<int64_t>(kc, 1) * ldb + 1}, 32);
  for (int64_t r = 0; r < MR; ++r)
    for (int64_t p = kc; p < lda; ++p) a.v[1 + r * lda + p] = nan;
  for (int64_t p = 0; p < kc; ++p)
    for (int64_t c = NR; c < ldb; ++c) b.v[1 + p * ldb + c] = nan;
  Tensor acc = random_tensor({rows * ldacc + 1}, 33, -4, 4);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < ldacc; ++c)
      if (r >= MR || c >= NR) acc.v[1 + r * ldacc + c] = sentinel;
  const std::vector<float> before = acc.v;
  gemm(kc, a.v.data() + 1, lda, b.v.data() + 1, ldb, acc.v.data() + 1, ldacc, accumulate);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < ldacc; ++c) {
      const int64_t at = 1 + r * ldacc + c;
      if (r >= MR || c >= NR) {
        ASSERT_EQ(acc.v[at], sentinel) << "written outside the tile at row " << r << ", column " << c;
        continue;
      }
      double want = accumulate ? before[at] : 0.0, magnitude = std::fabs(want);
      for (int64_t p = 0; p < kc; ++p) {
        const double term = double(a.v[1 + r * lda + p]) * b.v[1 + p * ldb + c];
        want += term;
        magnitude += std::fabs(term);
      }
      const double bound = (kc + 2) * std::numeric_limits<float>::epsilon() / 2 * magnitude;
      ASSERT_NEAR(acc.v[at], want, bound) << "row " << r << ", column " << c;
    }
}

TEST_P(UKernels, Gemm12x32RowsMatchesDoubleLoops) {
  for (int64_t kc : {0, 1, 7, 256, 301})
    for (bool accumulate : {false, true}) check_gemm_rows(uk->gemm_12x32_rows, 12, 32, kc, accumulate);
}

TEST_P(UKernels, Gemm6x16RowsMatchesDoubleLoops) {
  for (int64_t kc : {0, 1, 7, 256, 301})
    for (bool accumulate : {false, true}) check_gemm_rows(uk->gemm_6x16_rows, 6, 16, kc, accumulate);
}

const int64_t kLengths[] = {0, 1, 15, 16, 17, 100};

// n values in [lo, hi] with `specials` spread over them (each at a position that exists).
std::vector<float> inputs(int64_t n, float lo, float hi, const std::vector<float>& specials, unsigned seed) {
  Tensor t = random_tensor({n}, seed, lo, hi);
  for (size_t s = 0; s < specials.size() && n > 0; ++s) t.v[(s * 7 + 3) % n] = specials[s];
  return t.v;
}

// got is want within atol + rtol |want|; infinities and NaN exactly.
void expect_value(double want, float got, double rtol, double atol, const std::string& what) {
  if (std::isnan(want))
    EXPECT_TRUE(std::isnan(got)) << what << ": want NaN, got " << got;
  else if (std::isinf(want))
    EXPECT_EQ(double(got), want) << what;
  else
    EXPECT_NEAR(got, want, atol + rtol * std::fabs(want)) << what;
}

double activation_ref(int act, double x) {
  switch (act) {
  case DMCRT_ACT_RELU: return x > 0 ? x : 0;
  case DMCRT_ACT_GELU_ERF: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  case DMCRT_ACT_GELU_TANH: return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  default: return x;
  }
}

TEST_P(UKernels, ActivationMatchesStd) {
  for (int act : {int{DMCRT_ACT_NONE}, int{DMCRT_ACT_RELU}, int{DMCRT_ACT_GELU_ERF}, int{DMCRT_ACT_GELU_TANH}, 7})
    for (int64_t n : kLengths) {
      const std::vector<float> x = inputs(n, -6, 6, {-kInf, kInf, 1e4f, -1e4f, 30.0f, -30.0f, 0.0f}, 31);
      std::vector<float> y = x;
      uk->activation(act, n, y.data());
      for (int64_t j = 0; j < n; ++j)
        expect_value(activation_ref(act, x[j]), y[j], 1e-6, 1e-6,
                     "activation " + std::to_string(act) + ", n " + std::to_string(n) + ", x " + std::to_string(x[j]));
    }
}

TEST_P(UKernels, MaxMatchesStdAndSkipsNaN) {
  for (int64_t n : kLengths) {
    for (const auto& specials : {std::vector<float>{}, {-kInf, 3e38f}, {std::nanf(""), kInf}}) {
      const std::vector<float> x = inputs(n, -100, 100, specials, 41);
      double want = -INFINITY;
      for (float v : x)
        if (!std::isnan(v)) want = std::max(want, double(v));
      EXPECT_EQ(double(uk->max(n, x.data())), want) << "n " << n;
    }
  }
  std::vector<float> nans(17, std::nanf(""));
  EXPECT_EQ(uk->max(17, nans.data()), -kInf);
  nans[16] = -2.5f;  // in the tail after the last whole vector of every build
  EXPECT_EQ(uk->max(17, nans.data()), -2.5f);
}

// A double beyond the float range is +inf as a float result.
double in_float_range(double x) { return x > std::numeric_limits<float>::max() ? INFINITY : x; }

// exp(x - shift) with the difference rounded to float first, as the kernel computes it.
double exp_ref(float x, float shift) {
  if (x == -kInf) return 0;
  return in_float_range(std::exp(double(x - shift)));
}

TEST_P(UKernels, ExpSumMatchesStd) {
  struct Case {
    float lo, hi, shift;
    std::vector<float> specials;
  };
  const Case cases[] = {
      {-20, 0, 0, {-kInf, -kInf}},                        // softmax scores after the shift
      {-5, 5, 1.5f, {-90.0f, -87.0f, -200.0f, -kInf}},   // underflow to 0, and -inf
      {80, 88.5f, 0, {88.7f, 89.0f, 100.0f, kInf}},      // near and beyond the float range
      {-1, 1, 0, {std::nanf("")}},
      {-1, 1, -kInf, {}},                                 // shift -inf: exp(+inf) = inf
  };
  for (const Case& c : cases)
    for (int64_t n : kLengths) {
      const std::vector<float> x = inputs(n, c.lo, c.hi, c.specials, 51);
      std::vector<float> y = x;
      const float sum = uk->exp_sum(n, y.data(), c.shift);
      double want_sum = 0;
      for (int64_t j = 0; j < n; ++j) {
        const double want = exp_ref(x[j], c.shift);
        want_sum += want;
        expect_value(want, y[j], 1e-6, 1e-37, "n " + std::to_string(n) + ", x " + std::to_string(x[j]));
      }
      expect_value(in_float_range(want_sum), sum, 1e-6, 1e-37,
                   "sum, n " + std::to_string(n));
    }
}

// A fully masked row (every score -inf, so its maximum and shift are -inf) gives zeros, not NaN.
TEST_P(UKernels, ExpSumOfMaskedRowIsZero) {
  for (int64_t n : kLengths) {
    std::vector<float> x(n, -kInf);
    const float shift = uk->max(n, x.data());
    EXPECT_EQ(shift, -kInf);
    EXPECT_EQ(uk->exp_sum(n, x.data(), shift), 0.0f) << "n " << n;
    for (float v : x) ASSERT_EQ(v, 0.0f) << "n " << n;
  }
}

TEST_P(UKernels, ScaleMatchesFloatProduct) {
  for (float s : {0.5f, -3.0f, 1e30f})
    for (int64_t n : kLengths) {
      const std::vector<float> x = inputs(n, -10, 10, {-kInf, 3e38f, std::nanf("")}, 61);
      std::vector<float> y = x;
      uk->scale(n, y.data(), s);
      for (int64_t j = 0; j < n; ++j) {
        const float want = x[j] * s;
        if (std::isnan(want))
          EXPECT_TRUE(std::isnan(y[j]));
        else
          EXPECT_EQ(y[j], want) << "n " << n << ", x " << x[j] << ", s " << s;
      }
    }
}

// A row streamed block by block (as a tile nest does: update, then o += P V of the block) gives the
// softmax of the whole row times V, against double loops: blocks of lengths around the vector widths,
// the first ones fully masked (o starts as NaN garbage, which the first kept block must overwrite),
// masked entries inside kept blocks, and scores whose maximum rises from block to block.
TEST_P(UKernels, SoftmaxUpdateRowStreamsTheSoftmax) {
  const int64_t dv = 19;
  const std::vector<int64_t> blocks = {16, 1, 17, 15, 0, 100, 16};
  const Tensor v = random_tensor({int64_t(200) * dv}, 81);
  std::vector<float> row;  // every score of the row, in order
  for (size_t b = 0; b < blocks.size(); ++b) {
    std::vector<float> x = inputs(blocks[b], -3.0f + 2.0f * b, 1.0f + 2.0f * b, {-kInf}, 82 + b);
    if (b < 2) x.assign(blocks[b], -kInf);  // nothing kept in the first two blocks
    row.insert(row.end(), x.begin(), x.end());
  }
  float m = -kInf, l = 0.0f;
  std::vector<float> o(dv, std::nanf(""));
  int64_t k0 = 0;
  for (int64_t n : blocks) {
    std::vector<float> s(row.begin() + k0, row.begin() + k0 + n);
    uk->softmax_update_row(n, dv, s.data(), &m, &l, o.data());
    for (int64_t j = 0; j < n; ++j) {
      if (row[k0 + j] == -kInf) {
        ASSERT_EQ(s[j], 0.0f) << "a masked score must give probability 0";
      }
      if (m == -kInf) continue;  // nothing kept yet: o is not read
      for (int64_t d = 0; d < dv; ++d) o[d] += s[j] * v.v[(k0 + j) * dv + d];
    }
    k0 += n;
  }
  double mx = -kInf, sum = 0;
  for (float x : row) mx = std::max<double>(mx, x);
  EXPECT_EQ(m, float(mx));
  std::vector<double> want(dv, 0.0);
  for (size_t j = 0; j < row.size(); ++j) {
    const double p = row[j] == -kInf ? 0.0 : std::exp(double(row[j]) - mx);
    sum += p;
    for (int64_t d = 0; d < dv; ++d) want[d] += p * v.v[j * dv + d];
  }
  expect_value(sum, l, 1e-5, 0, "l");
  for (int64_t d = 0; d < dv; ++d) expect_value(want[d] / sum, o[d] / l, 1e-5, 1e-6, "o[" + std::to_string(d) + "]");
}

// A row with nothing kept: the scores become zeros and m, l and o keep their values (the caller's 0
// for l, so the row outputs 0).
TEST_P(UKernels, SoftmaxUpdateRowLeavesAFullyMaskedRow) {
  for (int64_t n : kLengths) {
    std::vector<float> s(n, -kInf), o = {1.5f, -2.0f, 7.0f};
    float m = -kInf, l = 0.0f;
    uk->softmax_update_row(n, 3, s.data(), &m, &l, o.data());
    EXPECT_EQ(m, -kInf);
    EXPECT_EQ(l, 0.0f);
    EXPECT_EQ(o, (std::vector<float>{1.5f, -2.0f, 7.0f}));
    for (float x : s) ASSERT_EQ(x, 0.0f) << "n " << n;
  }
}

// The row reductions of the tiled softmax, layer norm and reductions, at lengths around every build's
// vector width and its four-accumulator stride (4 x 16 for AVX-512), against double loops.
const int64_t kRowLengths[] = {0, 1, 3, 15, 16, 17, 63, 64, 65, 77, 100, 203};

TEST_P(UKernels, SumRowMatchesDouble) {
  for (int64_t n : kRowLengths) {
    const std::vector<float> x = inputs(n, -10, 10, {1e3f, -1e3f}, 91);
    double want = 0, magnitude = 0;
    for (float v : x) want += v, magnitude += std::fabs(v);
    float sum = std::nanf("");
    uk->sum_row(n, x.data(), &sum);
    // A float sum in any order is within (n + 1) eps/2 of sum |x| of the exact one.
    EXPECT_NEAR(sum, want, (n + 1) * std::numeric_limits<float>::epsilon() / 2 * magnitude) << "n " << n;
  }
}

TEST_P(UKernels, MaxRowMatchesStdAndKeepsNaN) {
  for (int64_t n : kRowLengths)
    for (const auto& specials : {std::vector<float>{}, {-kInf, 3e38f}, {kInf}, {std::nanf("")}}) {
      const std::vector<float> x = inputs(n, -100, 100, specials, 92);
      double want = -INFINITY;
      for (float v : x) want = std::isnan(v) || std::isnan(want) ? NAN : std::max(want, double(v));
      float got = 0.0f;
      uk->max_row(n, x.data(), &got);
      expect_value(want, got, 0, 0, "max, n " + std::to_string(n));
    }
  // A NaN in the scalar tail and one in a whole vector, each alone.
  for (int64_t at : {0, 16}) {
    std::vector<float> x(17, 1.0f);
    x[at] = std::nanf("");
    float got = 0.0f;
    uk->max_row(17, x.data(), &got);
    EXPECT_TRUE(std::isnan(got)) << "NaN at " << at;
  }
}

TEST_P(UKernels, MomentsRowMatchesTwoPassDouble) {
  for (int64_t n : kRowLengths)
    for (float offset : {0.0f, 100.0f}) {  // a large mean: the two passes avoid E[x^2] - E[x]^2
      std::vector<float> x = inputs(n, -3, 3, {}, 93);
      for (float& v : x) v += offset;
      double mean = 0, var = 0;
      for (float v : x) mean += v;
      mean = n ? mean / n : 0;
      for (float v : x) var += (v - mean) * (v - mean);
      var = n ? var / n : 0;
      float got_mean = std::nanf(""), got_var = std::nanf("");
      uk->moments_row(n, x.data(), &got_mean, &got_var);
      expect_value(mean, got_mean, 1e-6, 1e-6, "mean, n " + std::to_string(n));
      expect_value(var, got_var, 1e-4, 1e-5, "variance, n " + std::to_string(n));
    }
}

TEST_P(UKernels, SoftmaxRowMatchesStd) {
  for (int64_t n : kRowLengths)
    for (const auto& specials : {std::vector<float>{}, {-kInf, -kInf, -200.0f}}) {
      const std::vector<float> x = inputs(n, -20, 20, specials, 94);
      std::vector<float> y = x;
      float inv = std::nanf("");
      uk->softmax_row(n, y.data(), &inv);
      double mx = -INFINITY, sum = 0;
      for (float v : x) mx = std::max<double>(mx, v);
      for (float v : x) sum += v == -kInf ? 0.0 : std::exp(double(v) - mx);
      for (int64_t j = 0; j < n; ++j) {
        const double want = x[j] == -kInf ? 0.0 : std::exp(double(x[j]) - mx) / sum;
        expect_value(want, y[j] * inv, 1e-5, 1e-7, "n " + std::to_string(n) + ", x " + std::to_string(x[j]));
      }
    }
}

// Nothing kept, or only NaN: zeros and a factor 0, so the row outputs 0; a NaN among kept entries makes
// the row NaN.
TEST_P(UKernels, SoftmaxRowOfMaskedRowIsZero) {
  for (int64_t n : kRowLengths) {
    for (float fill : {-kInf, std::nanf("")}) {
      std::vector<float> x(n, fill);
      float inv = 1.0f;
      uk->softmax_row(n, x.data(), &inv);
      EXPECT_EQ(inv, 0.0f) << "n " << n;
      for (float v : x) ASSERT_EQ(v * inv, 0.0f) << "n " << n;
    }
  }
  std::vector<float> x = {1.0f, std::nanf(""), 2.0f};
  float inv = 0.0f;
  uk->softmax_row(3, x.data(), &inv);
  EXPECT_TRUE(std::isnan(inv));
}

INSTANTIATE_TEST_SUITE_P(Builds, UKernels, ::testing::Values("avx512", "avx2", "generic"),
                         [](const auto& info) { return std::string(info.param); });

TEST(UKernelsDispatch, EntryPointsCallTheChosenBuild) {
  const dmcrt_uk_kernels* chosen = dmcrt_uk_kernels_for(nullptr);
  ASSERT_NE(chosen, nullptr);
  EXPECT_STREQ(dmcrt_uk_isa(), chosen->isa);
  EXPECT_STREQ(dmcrt_tiled_isa(), chosen->isa) << "tiled.h and ukernels.h must use one build";
  EXPECT_EQ(dmcrt_uk_kernels_for("sse9"), nullptr);
  const char* forced = std::getenv("DMCRT_TILED_ISA");
  if (forced && dmcrt_uk_kernels_for(forced)) {
    EXPECT_STREQ(chosen->isa, forced);
  }
  // The entry points give the chosen build's results bit for bit.
  const int64_t kc = 9;
  Tensor a = random_tensor({kc * 12}, 71), b = random_tensor({kc * 32}, 72);
  std::vector<float> via_entry(12 * 32), via_table(12 * 32);
  dmcrt_uk_gemm_12x32(kc, a.v.data(), b.v.data(), via_entry.data(), 32, 0);
  chosen->gemm_12x32(kc, a.v.data(), b.v.data(), via_table.data(), 32, 0);
  EXPECT_EQ(via_entry, via_table);
  dmcrt_uk_gemm_6x16(kc, a.v.data(), b.v.data(), via_entry.data(), 16, 1);
  chosen->gemm_6x16(kc, a.v.data(), b.v.data(), via_table.data(), 16, 1);
  EXPECT_EQ(via_entry, via_table);
  dmcrt_uk_activation(DMCRT_ACT_GELU_TANH, 100, via_entry.data());
  chosen->activation(DMCRT_ACT_GELU_TANH, 100, via_table.data());
  EXPECT_EQ(via_entry, via_table);
  EXPECT_EQ(dmcrt_uk_max(100, via_entry.data()), chosen->max(100, via_table.data()));
  EXPECT_EQ(dmcrt_uk_exp_sum(100, via_entry.data(), 0.25f), chosen->exp_sum(100, via_table.data(), 0.25f));
  EXPECT_EQ(via_entry, via_table);
  dmcrt_uk_scale(50, via_entry.data(), 3.0f);
  chosen->scale(50, via_table.data(), 3.0f);
  EXPECT_EQ(via_entry, via_table);
  float m_entry = 0.5f, l_entry = 2.0f, m_table = 0.5f, l_table = 2.0f;
  dmcrt_uk_softmax_update_row(40, 30, via_entry.data(), &m_entry, &l_entry, via_entry.data() + 40);
  chosen->softmax_update_row(40, 30, via_table.data(), &m_table, &l_table, via_table.data() + 40);
  EXPECT_EQ(via_entry, via_table);
  EXPECT_EQ(m_entry, m_table);
  EXPECT_EQ(l_entry, l_table);
  float r_entry[2], r_table[2];
  dmcrt_uk_sum_row(77, via_entry.data(), r_entry);
  chosen->sum_row(77, via_table.data(), r_table);
  EXPECT_EQ(r_entry[0], r_table[0]);
  dmcrt_uk_max_row(77, via_entry.data(), r_entry);
  chosen->max_row(77, via_table.data(), r_table);
  EXPECT_EQ(r_entry[0], r_table[0]);
  dmcrt_uk_moments_row(77, via_entry.data(), r_entry, r_entry + 1);
  chosen->moments_row(77, via_table.data(), r_table, r_table + 1);
  EXPECT_EQ(r_entry[0], r_table[0]);
  EXPECT_EQ(r_entry[1], r_table[1]);
  dmcrt_uk_softmax_row(77, via_entry.data(), r_entry);
  chosen->softmax_row(77, via_table.data(), r_table);
  EXPECT_EQ(via_entry, via_table);
  EXPECT_EQ(r_entry[0], r_table[0]);
}

}  // namespace
