// .npy reader/writer for float32 (see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
// Layout: "\x93NUMPY", major, minor, header length (u16 for 1.0, u32 for 2.0/3.0, little-endian),
// then an ASCII Python dict literal padded with spaces and '\n' so that data starts 64-aligned.
// This reader assumes a little-endian host (x86-64, AArch64 Linux), like the rest of dmc.
#include "dmc/runtime/npy.h"
#include "dmc/runtime/sizes.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace dmc {
namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

[[noreturn]] void npy_error(const std::string& source, const std::string& what) {
  throw Error("npy '" + source + "': " + what);
}

// Finds `'key':` in the header dict and returns the position just after the colon.
size_t find_key(const std::string& header, const std::string& key, const std::string& source) {
  for (const char* quote : {"'", "\""}) {
    size_t p = header.find(quote + key + quote);
    if (p != std::string::npos) {
      size_t colon = header.find(':', p + key.size() + 2);
      if (colon == std::string::npos) break;
      return colon + 1;
    }
  }
  npy_error(source, "header has no '" + key + "' entry: " + header);
}

size_t skip_space(const std::string& s, size_t p) {
  while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
  return p;
}

std::string parse_descr(const std::string& header, const std::string& source) {
  size_t p = skip_space(header, find_key(header, "descr", source));
  if (p >= header.size() || (header[p] != '\'' && header[p] != '"'))
    npy_error(source, "unsupported dtype (structured or malformed descr): " + header);
  size_t end = header.find(header[p], p + 1);
  if (end == std::string::npos) npy_error(source, "unterminated descr string");
  return header.substr(p + 1, end - p - 1);
}

bool parse_fortran(const std::string& header, const std::string& source) {
  size_t p = skip_space(header, find_key(header, "fortran_order", source));
  if (header.compare(p, 4, "True") == 0) return true;
  if (header.compare(p, 5, "False") == 0) return false;
  npy_error(source, "bad fortran_order value in header: " + header);
}

std::vector<int64_t> parse_shape(const std::string& header, const std::string& source) {
  size_t p = skip_space(header, find_key(header, "shape", source));
  if (p >= header.size() || header[p] != '(') npy_error(source, "bad shape in header: " + header);
  size_t end = header.find(')', p);
  if (end == std::string::npos) npy_error(source, "unterminated shape tuple: " + header);
  std::vector<int64_t> shape;
  std::string body = header.substr(p + 1, end - p - 1);
  size_t q = 0;
  while (true) {
    q = skip_space(body, q);
    if (q >= body.size()) break;
    size_t digits = q;
    while (digits < body.size() && std::isdigit(static_cast<unsigned char>(body[digits]))) ++digits;
    if (digits == q || digits - q > 15) npy_error(source, "bad shape tuple '(" + body + ")'");
    shape.push_back(std::stoll(body.substr(q, digits - q)));
    q = skip_space(body, digits);
    if (q < body.size() && body[q] == ',') ++q;
    else if (q < body.size()) npy_error(source, "bad shape tuple '(" + body + ")'");
  }
  return shape;
}

uint32_t read_le(const std::string& bytes, size_t pos, size_t width) {
  uint32_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
  return v;
}

}  // namespace

NpyArray parse_npy(const std::string& bytes, const std::string& source) {
  if (bytes.size() < kMagicLen + 2 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0)
    npy_error(source, "not a .npy file (bad magic)");
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3)
    npy_error(source, "unsupported format version " + std::to_string(major) + "." + std::to_string(minor));
  const size_t len_width = major == 1 ? 2 : 4;
  const size_t header_start = 8 + len_width;
  if (bytes.size() < header_start) npy_error(source, "truncated header");
  const size_t header_len = read_le(bytes, 8, len_width);
  if (bytes.size() < header_start + header_len)
    npy_error(source, "truncated header (expected " + std::to_string(header_len) + " bytes)");
  const std::string header = bytes.substr(header_start, header_len);

  const std::string descr = parse_descr(header, source);
  if (descr != "<f4" && descr != "=f4")  // '=' is native order, little-endian on supported hosts
    npy_error(source, "unsupported dtype '" + descr + "' (only float32 '<f4' is supported)");
  if (parse_fortran(header, source))
    npy_error(source, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");

  NpyArray array;
  array.shape = parse_shape(header, source);
  const std::optional<int64_t> elements = checked_num_elements(array.shape, sizeof(float));
  if (!elements)
    npy_error(source, "shape " + shape_with_symbols(array.shape, {}) + " is too large: its size in bytes overflows int64");
  const size_t count = static_cast<size_t>(*elements);
  const size_t data_start = header_start + header_len;
  const size_t available = bytes.size() - data_start;
  if (available < count * sizeof(float))
    npy_error(source, "truncated data: expected " + std::to_string(count * sizeof(float)) +
                          " bytes for shape with " + std::to_string(count) + " elements but found " +
                          std::to_string(available));
  array.data.resize(count);
  if (count) std::memcpy(array.data.data(), bytes.data() + data_start, count * sizeof(float));
  return array;
}

NpyArray read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("npy '" + path + "': cannot open file: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_npy(ss.str(), path);
}

std::string format_npy(const float* data, const std::vector<int64_t>& shape) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  const std::optional<int64_t> elements = checked_num_elements(shape, sizeof(float));
  if (!elements)
    throw Error("npy: shape " + shape_with_symbols(shape, {}) + " has a negative dim or overflows int64");
  const size_t count = static_cast<size_t>(*elements);
  for (size_t i = 0; i < shape.size(); ++i)
    dict += std::to_string(shape[i]) + (shape.size() == 1 ? "," : i + 1 < shape.size() ? ", " : "");
  dict += "), }";
  // Pad with spaces and a final '\n' so that magic + version + length + header is 64-aligned.
  const bool v2 = dict.size() + 1 + 10 > 65535;
  const size_t prefix = v2 ? 12 : 10;
  size_t total = prefix + dict.size() + 1;
  total = (total + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';

  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(v2 ? 2 : 1);
  out += '\0';
  const uint32_t len = static_cast<uint32_t>(dict.size());
  for (size_t i = 0; i < (v2 ? 4u : 2u); ++i) out += static_cast<char>((len >> (8 * i)) & 0xff);
  out += dict;
  if (count) out.append(reinterpret_cast<const char*>(data), count * sizeof(float));
  return out;
}

void write_npy(const std::string& path, const float* data, const std::vector<int64_t>& shape) {
  const std::string bytes = format_npy(data, shape);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("npy '" + path + "': cannot create file: " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("npy '" + path + "': write failed");
}

}  // namespace dmc
