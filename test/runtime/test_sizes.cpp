// Checked sizes (dmc/runtime/sizes.h): symbol values, element and byte counts, shape allocation, and the
// kernels' descriptor checks that use them.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "dmc/runtime/runtime.h"
#include "dmc/runtime/tiled.h"

namespace {

constexpr int64_t kTwo31 = int64_t{1} << 31;

TEST(Sizes, SymbolsMustBePositive) {
  EXPECT_EQ(dmcrt_check_symbol("S", 1), DMCRT_OK);
  EXPECT_EQ(dmcrt_check_symbol("S", INT64_MAX), DMCRT_OK);
  EXPECT_EQ(dmcrt_check_symbol("S", 0), DMCRT_ERR_INVALID_ARG);
  EXPECT_STREQ(dmcrt_last_error(), "symbol 'S' = 0 is not a positive size");
  EXPECT_EQ(dmcrt_check_symbol("B", -3), DMCRT_ERR_INVALID_ARG);
  EXPECT_STREQ(dmcrt_last_error(), "symbol 'B' = -3 is not a positive size");
  EXPECT_EQ(dmcrt_check_symbol("S", INT64_MIN), DMCRT_ERR_INVALID_ARG);
  EXPECT_STREQ(dmcrt_last_error(), "symbol 'S' = -9223372036854775808 is not a positive size");
}

TEST(Sizes, CheckedNumElements) {
  using dmc::checked_num_elements;
  EXPECT_EQ(checked_num_elements(std::vector<int64_t>{}, 4), 1);
  EXPECT_EQ(checked_num_elements({2, 3, 4}, 4), 24);
  EXPECT_EQ(checked_num_elements({-1, 3}, 4), std::nullopt);
  // Products that wrap int64 to small or zero values: 2^56 * 256 = 2^64 wraps to 0.
  EXPECT_EQ(checked_num_elements({int64_t{1} << 56, 256}, 1), std::nullopt);
  EXPECT_EQ(checked_num_elements({kTwo31, kTwo31, 4}, 1), std::nullopt);
  // The element count fits, the bytes do not: 2^61 floats are 2^63 bytes.
  EXPECT_EQ(checked_num_elements({kTwo31, kTwo31 / 2}, 1), kTwo31 * (kTwo31 / 2));
  EXPECT_EQ(checked_num_elements({kTwo31, kTwo31 / 2}, 4), std::nullopt);
  EXPECT_EQ(checked_num_elements({kTwo31, kTwo31 / 4}, 4), kTwo31 * (kTwo31 / 4));  // 2^62 bytes
  EXPECT_EQ(checked_num_elements({INT64_MAX}, 1), INT64_MAX);
  EXPECT_EQ(checked_num_elements({INT64_MAX}, 2), std::nullopt);
  // An empty shape has no elements whatever its other dims, in any order.
  EXPECT_EQ(checked_num_elements({INT64_MAX, INT64_MAX, 0}, 4), 0);
  EXPECT_EQ(checked_num_elements({0, INT64_MAX, INT64_MAX}, 4), 0);
}

TEST(Sizes, ShapeSizeNamesSymbolsAndValues) {
  const int64_t dims[] = {1, int64_t{1} << 56, 768};
  const char* const names[] = {"B", "S", nullptr};
  int64_t elements = -1, bytes = -1;
  EXPECT_EQ(dmcrt_shape_size("transient 'q'", dims, names, 3, 4, &elements, &bytes), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(),
               "transient 'q' of shape [B=1, S=72057594037927936, 768] is too large: its size in bytes overflows int64");
  EXPECT_EQ(elements, -1);  // untouched on failure
  const int64_t ok[] = {2, 4096, 768};
  ASSERT_EQ(dmcrt_shape_size("input 'x'", ok, names, 3, 4, &elements, &bytes), DMCRT_OK);
  EXPECT_EQ(elements, 2 * 4096 * 768);
  EXPECT_EQ(bytes, 4 * elements);
  EXPECT_EQ(dmcrt_shape_size("input 'x'", ok, nullptr, 3, 4, nullptr, nullptr), DMCRT_OK);
  const int64_t negative[] = {-3, 768};
  EXPECT_EQ(dmcrt_shape_size("input 'x'", negative, names + 1, 2, 4, nullptr, nullptr), DMCRT_ERR_SHAPE);
  EXPECT_STREQ(dmcrt_last_error(), "input 'x' of shape [S=-3, 768] has a negative dim");
  EXPECT_EQ(dmcrt_shape_size("scalar", nullptr, nullptr, 0, 4, &elements, &bytes), DMCRT_OK);
  EXPECT_EQ(elements, 1);
  EXPECT_EQ(dmcrt_shape_size("bad", nullptr, nullptr, 2, 4, nullptr, nullptr), DMCRT_ERR_INVALID_ARG);
  EXPECT_EQ(dmc::shape_with_symbols({1, 16, 768}, {"", "S", ""}), "[1, S=16, 768]");
  EXPECT_EQ(dmc::shape_with_symbols({3}, {}), "[3]");
}

TEST(Sizes, AllocShape) {
  const int64_t dims[] = {3, 5};
  const char* const names[] = {nullptr, "N"};
  void* p = reinterpret_cast<void*>(1);
  ASSERT_EQ(dmcrt_alloc_shape(&p, "transient 't'", dims, names, 2, sizeof(float)), DMCRT_OK);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % DMCRT_ALIGNMENT, 0u);
  static_cast<float*>(p)[14] = 1.0f;
  dmcrt_free(p);
  // Overflow: no allocation is attempted.
  const int64_t huge[] = {kTwo31, kTwo31};
  p = reinterpret_cast<void*>(1);
  EXPECT_EQ(dmcrt_alloc_shape(&p, "transient 't'", huge, nullptr, 2, sizeof(float)), DMCRT_ERR_SHAPE);
  EXPECT_EQ(p, nullptr);
  EXPECT_STREQ(dmcrt_last_error(),
               "transient 't' of shape [2147483648, 2147483648] is too large: its size in bytes overflows int64");
  // 2^44 * 768 floats = 2^52 * 12 bytes: representable, but more than any address space holds.
  const int64_t too_big[] = {int64_t{1} << 44, 768};
  EXPECT_EQ(dmcrt_alloc_shape(&p, "transient 't'", too_big, names + 0, 2, sizeof(float)), DMCRT_ERR_ALLOC);
  EXPECT_EQ(p, nullptr);
  EXPECT_STREQ(dmcrt_last_error(),
               "cannot allocate 54043195528445952 bytes for transient 't' of shape [17592186044416, N=768]: out of memory");
  EXPECT_EQ(dmcrt_alloc_shape(nullptr, "t", dims, names, 2, 4), DMCRT_ERR_INVALID_ARG);
}

TEST(Sizes, KernelsRejectOverflowingDescriptors) {
  float x = 0, y = 0;
  dmcrt_tensor a{};
  a.data = &x;
  a.rank = 3;
  a.shape[0] = int64_t{1} << 56;
  a.shape[1] = 256;
  a.shape[2] = 1;
  dmcrt_tensor out = a;
  out.data = &y;
  EXPECT_EQ(dmcrt_copy(&a, &out), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("[72057594037927936, 256, 1] is too large"), std::string::npos)
      << dmcrt_last_error();
  dmcrt_strided s{};
  s.data = &x;
  s.rank = 2;
  s.shape[0] = kTwo31;
  s.shape[1] = kTwo31;
  s.stride[0] = kTwo31;
  s.stride[1] = 1;
  dmcrt_strided c = s;
  c.data = &y;
  EXPECT_EQ(dmcrt_matmul_tiled(&s, &s, nullptr, nullptr, &c, 1.0f, DMCRT_ACT_NONE, 0.0f, 0.0f), DMCRT_ERR_SHAPE);
  EXPECT_NE(std::string(dmcrt_last_error()).find("[2147483648, 2147483648] is too large"), std::string::npos)
      << dmcrt_last_error();
}

}  // namespace
