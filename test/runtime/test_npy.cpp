// .npy round trips, headers written by hand (as numpy would), and malformed files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "dmc/runtime/npy.h"

namespace {

// A .npy file assembled independently of the runtime's writer.
std::string make_npy(const std::string& dict, const std::string& payload, int major = 1) {
  std::string header = dict;
  const size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const uint32_t len = static_cast<uint32_t>(header.size());
  for (size_t i = 0; i < prefix - 8; ++i) out += static_cast<char>((len >> (8 * i)) & 0xff);
  return out + header + payload;
}

std::string floats(std::initializer_list<float> v) {
  return std::string(reinterpret_cast<const char*>(v.begin()), v.size() * sizeof(float));
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "dmcrt_" + std::to_string(getpid()) + "_" + name;
}

void expect_error(const std::string& bytes, const std::string& needle) {
  try {
    dmc::parse_npy(bytes, "t.npy");
    FAIL() << "expected an error containing '" << needle << "'";
  } catch (const dmc::Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Npy, RoundTripShapes) {
  const std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3, 4}, {0, 3}, {1, 1, 1, 1, 1, 1, 1, 2}};
  for (const auto& shape : shapes) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    std::vector<float> data(n);
    for (int64_t i = 0; i < n; ++i) data[i] = 0.5f * static_cast<float>(i) - 3.0f;
    const std::string path = temp_path("rt.npy");
    dmc::write_npy(path, data.data(), shape);
    dmc::NpyArray back = dmc::read_npy(path);
    EXPECT_EQ(back.shape, shape);
    EXPECT_EQ(back.data, data);
    std::remove(path.c_str());
  }
}

TEST(Npy, WriterLayoutMatchesFormat) {
  const float v[] = {1.0f, 2.0f, 3.0f};
  const std::string bytes = dmc::format_npy(v, {3});
  ASSERT_EQ(bytes.compare(0, 8, std::string("\x93NUMPY\x01\x00", 8)), 0);
  const size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);  // data is 64-byte aligned
  const std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos);
  EXPECT_NE(header.find("'shape': (3,)"), std::string::npos);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.substr(10 + header_len), floats({1.0f, 2.0f, 3.0f}));
}

TEST(Npy, ReadsHandMadeVersions) {
  for (int major : {1, 2, 3}) {
    const auto a = dmc::parse_npy(
        make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", floats({1, 2, 3, 4}), major));
    EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(a.data, (std::vector<float>{1, 2, 3, 4}));
  }
  // Key order and spacing differ between numpy versions.
  const auto b = dmc::parse_npy(make_npy("{'shape':(3,),'fortran_order':False,'descr':'<f4'}", floats({7, 8, 9})));
  EXPECT_EQ(b.shape, (std::vector<int64_t>{3}));
  const auto c = dmc::parse_npy(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", floats({42})));
  EXPECT_TRUE(c.shape.empty());
  EXPECT_EQ(c.data, (std::vector<float>{42}));
}

TEST(Npy, MalformedFiles) {
  const std::string ok_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  expect_error("not an npy file at all", "bad magic");
  expect_error(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", std::string(16, '\0')),
               "unsupported dtype '<f8'");
  expect_error(make_npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", floats({1, 2})),
               "unsupported dtype '>f4'");
  expect_error(make_npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", floats({1, 2})),
               "unsupported dtype '<i4'");
  expect_error(make_npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", floats({1, 2, 3, 4})),
               "Fortran-order");
  expect_error(make_npy(ok_dict, floats({1, 2, 3})), "truncated data: expected 16 bytes");
  expect_error(make_npy(ok_dict, floats({1, 2, 3, 4})).substr(0, 40), "truncated header");
  expect_error(make_npy("{'descr': '<f4', 'fortran_order': False}", ""), "no 'shape'");
  expect_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", ""), "bad shape");
  // A header whose shape overflows int64 bytes (2^32 * 2^32 * 4 wraps to 0) is not read as empty.
  expect_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""),
               "shape [4294967296, 4294967296] is too large: its size in bytes overflows int64");
  expect_error(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }", ""),
               "truncated data: expected 4398046511104 bytes");
  std::string v9 = make_npy(ok_dict, floats({1, 2, 3, 4}));
  v9[6] = 9;
  expect_error(v9, "unsupported format version 9.0");
}

TEST(Npy, WriterChecksShapes) {
  float x = 0;
  EXPECT_THROW(dmc::format_npy(&x, {-1}), dmc::Error);
  EXPECT_THROW(dmc::format_npy(&x, {int64_t{1} << 32, int64_t{1} << 32}), dmc::Error);
}

TEST(Npy, MissingFile) {
  EXPECT_THROW(dmc::read_npy("/nonexistent/dir/x.npy"), dmc::Error);
  try {
    dmc::read_npy("/nonexistent/dir/x.npy");
  } catch (const dmc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}

}  // namespace
