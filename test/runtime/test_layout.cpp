// Transpose, reshape (copy), slice and concat against explicit index formulas.
#include <cstdint>
#include <limits>
#include <string>

#include "test_util.h"

using namespace dmctest;

namespace {

void check_transpose(const Shape& xs, const std::vector<int64_t>& perm) {
  Tensor x = random_tensor(xs, 60);
  Shape os;
  for (int64_t p : perm) os.push_back(xs[p]);
  Tensor out(os);
  auto dx = x.desc(), dout = out.desc();
  ASSERT_EQ(dmcrt_transpose(&dx, &dout, perm.data()), DMCRT_OK) << dmcrt_last_error();
  // out[idx] == x[src] where src[perm[i]] = idx[i].
  for (int64_t f = 0; f < count(os); ++f) {
    Shape idx = unflatten(f, os), src(xs.size());
    for (size_t i = 0; i < perm.size(); ++i) src[perm[i]] = idx[i];
    ASSERT_EQ(out.v[f], x.at(src));
  }
}

TEST(Transpose, Permutations) {
  check_transpose({2, 3, 4}, {2, 0, 1});
  check_transpose({2, 3, 4}, {0, 1, 2});
  check_transpose({5, 7}, {1, 0});
  check_transpose({2, 16, 4, 8}, {0, 2, 1, 3});  // split heads
  check_transpose({2, 4, 16, 8}, {0, 1, 3, 2});  // K^T
  check_transpose({64, 40, 12}, {2, 1, 0});      // parallel path
  check_transpose({3}, {0});
}

TEST(Transpose, Errors) {
  Tensor x({2, 3}), out({3, 2});
  auto dx = x.desc(), dout = out.desc();
  const int64_t dup[] = {0, 0};
  EXPECT_EQ(dmcrt_transpose(&dx, &dout, dup), DMCRT_ERR_INVALID_ARG);
  EXPECT_NE(std::string(dmcrt_last_error()).find("not a permutation"), std::string::npos);
  const int64_t id[] = {0, 1};
  EXPECT_EQ(dmcrt_transpose(&dx, &dout, id), DMCRT_ERR_SHAPE);
}

TEST(Copy, ReshapeAndErrors) {
  Tensor x = random_tensor({2, 3, 4}, 61), out({6, 4}), bad({5, 5});
  auto dx = x.desc(), dout = out.desc(), dbad = bad.desc();
  ASSERT_EQ(dmcrt_copy(&dx, &dout), DMCRT_OK);
  EXPECT_EQ(out.v, x.v);
  EXPECT_EQ(dmcrt_copy(&dx, &dbad), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("24 elements"), std::string::npos);
}

struct SliceCase {
  Shape xs;
  std::vector<int64_t> starts, ends, axes;  // axes empty: pass NULL
  Shape out;
  std::vector<int64_t> begin;  // per-dim effective start
};

TEST(Slice, Cases) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  const SliceCase cases[] = {
      {{4, 5}, {1}, {3}, {0}, {2, 5}, {1, 0}},
      {{4, 5}, {1, 2}, {3, 4}, {}, {2, 2}, {1, 2}},      // axes NULL: 0..n-1
      {{4, 5}, {-3}, {big}, {1}, {4, 3}, {0, 2}},        // negative start, clamped end
      {{4, 5}, {-100}, {-1}, {-1}, {4, 4}, {0, 0}},      // clamp below, negative end
      {{4, 5}, {3}, {1}, {0}, {0, 5}, {3, 0}},           // empty range
      {{2, 6, 8}, {2, 0}, {6, 1}, {2, 0}, {1, 6, 4}, {0, 0, 2}},
  };
  for (const auto& c : cases) {
    Tensor x = random_tensor(c.xs, 62), out(c.out);
    auto dx = x.desc(), dout = out.desc();
    ASSERT_EQ(dmcrt_slice(&dx, &dout, c.starts.data(), c.ends.data(), c.axes.empty() ? nullptr : c.axes.data(),
                          static_cast<int32_t>(c.starts.size())),
              DMCRT_OK)
        << dmcrt_last_error();
    for (int64_t f = 0; f < count(c.out); ++f) {
      Shape idx = unflatten(f, c.out);
      for (size_t d = 0; d < idx.size(); ++d) idx[d] += c.begin[d];
      ASSERT_EQ(out.v[f], x.at(idx));
    }
  }
}

TEST(Slice, Errors) {
  Tensor x({4, 5}), out({2, 5});
  auto dx = x.desc(), dout = out.desc();
  const int64_t s[] = {0}, e[] = {3}, a[] = {0};
  EXPECT_EQ(dmcrt_slice(&dx, &dout, s, e, a, 1), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "dmcrt_slice: output: expected shape [3, 5] but got [2, 5]");
  const int64_t a2[] = {2};
  EXPECT_EQ(dmcrt_slice(&dx, &dout, s, e, a2, 1), DMCRT_ERR_INVALID_ARG);
}

TEST(Concat, Axes) {
  for (int64_t axis : {0, 1, 2, -1}) {
    const int64_t ax = axis < 0 ? axis + 3 : axis;
    std::vector<Tensor> ins;
    Shape os = {2, 3, 4};
    os[ax] = 0;
    const int64_t widths[] = {1, 3, 2};
    for (int i = 0; i < 3; ++i) {
      Shape s = {2, 3, 4};
      s[ax] = widths[i];
      os[ax] += widths[i];
      ins.push_back(random_tensor(s, 63 + i));
    }
    std::vector<dmcrt_tensor> descs;
    for (auto& t : ins) descs.push_back(t.desc());
    Tensor out(os);
    auto dout = out.desc();
    ASSERT_EQ(dmcrt_concat(descs.data(), 3, &dout, axis), DMCRT_OK) << dmcrt_last_error();
    for (int64_t f = 0; f < count(os); ++f) {
      Shape idx = unflatten(f, os);
      int which = 0;
      while (idx[ax] >= widths[which]) idx[ax] -= widths[which++];
      ASSERT_EQ(out.v[f], ins[which].at(idx)) << "axis " << axis;
    }
  }
}

TEST(Concat, Errors) {
  Tensor a({2, 3}), b({3, 3}), out({4, 3});
  dmcrt_tensor descs[] = {a.desc(), b.desc()};
  auto dout = out.desc();
  EXPECT_EQ(dmcrt_concat(descs, 2, &dout, 1), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("input 1 has shape [3, 3]"), std::string::npos)
      << dmcrt_last_error();
  EXPECT_EQ(dmcrt_concat(descs, 2, &dout, 0), DMCRT_ERR_SHAPE);  // 5 rows, not 4
  EXPECT_EQ(dmcrt_concat(descs, 0, &dout, 0), DMCRT_ERR_INVALID_ARG);
}

}  // namespace
