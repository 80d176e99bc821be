// Aligned allocation, clocks, profilers and the thread-local error slot.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>

#include "dmc/runtime/runtime.h"

namespace {

TEST(Alloc, AlignedAndZeroed) {
  for (size_t bytes : {0u, 1u, 63u, 64u, 1000u, 1u << 20}) {
    void* p = dmcrt_alloc(bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
    dmcrt_free(p);
    auto* z = static_cast<unsigned char*>(dmcrt_alloc_zeroed(bytes));
    ASSERT_NE(z, nullptr);
    for (size_t i = 0; i < bytes; ++i) ASSERT_EQ(z[i], 0);
    dmcrt_free(z);
  }
  dmcrt_free(nullptr);
  EXPECT_EQ(dmcrt_alloc(SIZE_MAX - 10), nullptr);
}

TEST(Alloc, BufferIsMoveOnly) {
  dmc::AlignedBuffer a(256, true);
  ASSERT_TRUE(a);
  EXPECT_EQ(a.size(), 256u);
  a.as<float>()[3] = 1.5f;
  dmc::AlignedBuffer b = std::move(a);
  EXPECT_FALSE(a);
  EXPECT_EQ(b.as<float>()[3], 1.5f);
  EXPECT_EQ(b.as<float>()[0], 0.0f);
  EXPECT_THROW(dmc::AlignedBuffer(SIZE_MAX - 10), std::bad_alloc);
}

TEST(Timer, Monotonic) {
  const uint64_t t0 = dmcrt_now_ns();
  dmc::Stopwatch w;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_GE(dmcrt_now_ns() - t0, 5'000'000u);
  EXPECT_GE(w.elapsed_ms(), 5.0);
  EXPECT_GT(dmcrt_now_ms(), 0.0);
}

TEST(Profiler, HandleLocalReport) {
  dmcrt_profiler* p = dmcrt_profiler_create();
  dmcrt_profiler_add(p, "qk", 1'500'000);
  dmcrt_profiler_add(p, "softmax", 250'000);
  dmcrt_profiler_add(p, "qk", 500'000);
  EXPECT_STREQ(dmcrt_profiler_report(p), "qk: 2 calls, 2.000 ms\nsoftmax: 1 calls, 0.250 ms\n");
  { dmc::ScopedProfile s(p, "scoped"); }
  EXPECT_NE(std::string(dmcrt_profiler_report(p)).find("scoped: 1 calls"), std::string::npos);
  dmcrt_profiler_reset(p);
  EXPECT_STREQ(dmcrt_profiler_report(p), "");
  dmcrt_profiler_destroy(p);
  dmcrt_profiler_add(nullptr, "x", 1);  // tolerated
}

TEST(Profiler, GlobalBeginEnd) {
  dmcrt_profile_set_enabled(0);
  dmcrt_profile_begin("off");
  dmcrt_profile_end("off");
  dmcrt_profile_set_enabled(1);
  dmcrt_profile_begin("outer");
  dmcrt_profile_begin("inner");
  dmcrt_profile_end("inner");
  dmcrt_profile_begin("inner");
  dmcrt_profile_end("inner");
  dmcrt_profile_end("outer");
  dmcrt_profile_end("never-begun");
  const std::string report = dmcrt_profiler_report(dmcrt_profile_global());
  dmcrt_profile_set_enabled(0);
  EXPECT_EQ(report.find("off"), std::string::npos);
  EXPECT_NE(report.find("outer: 1 calls"), std::string::npos) << report;
  EXPECT_NE(report.find("inner: 2 calls"), std::string::npos) << report;
  EXPECT_EQ(report.find("never-begun"), std::string::npos);
}

TEST(LastError, IsThreadLocal) {
  dmcrt_clear_error();
  std::string other;
  std::thread t([&] {
    dmcrt_tensor x{};
    x.rank = 1;
    x.shape[0] = 2;  // NULL data with 2 elements
    EXPECT_EQ(dmcrt_scale(&x, &x, 1.0f, 0.0f), DMCRT_ERR_INVALID_ARG);
    other = dmcrt_last_error();
  });
  t.join();
  EXPECT_EQ(other, "dmcrt_scale: X data is NULL");
  EXPECT_STREQ(dmcrt_last_error(), "");
}

}  // namespace
