//===- Tensors.cpp - ONNX tensors read into Values ------------------------===//
#include "compiler/onnx/Tensors.h"
#include "compiler/support/Files.h"

#include "onnx/onnx_pb.h"

#include <cstring>

namespace dmc::onnx_import {

namespace {
int64_t elementBytes(int type) {
  switch (type) {
  case onnx::TensorProto::FLOAT: case onnx::TensorProto::INT32: return 4;
  case onnx::TensorProto::DOUBLE: case onnx::TensorProto::INT64: return 8;
  case onnx::TensorProto::BOOL: case onnx::TensorProto::UINT8: case onnx::TensorProto::INT8: return 1;
  default: return 0;
  }
}

std::string typeName(int type) {
  return onnx::TensorProto::DataType_IsValid(type) ? onnx::TensorProto::DataType_Name((onnx::TensorProto::DataType)type)
                                                   : "type " + std::to_string(type);
}

/// A relative path without `..` whose file is inside the model's folder: a model cannot make the
/// importer read anything else.
bool safeRelativePath(const std::string &p) {
  if (p.empty() || p[0] == '/' || p.find('\0') != std::string::npos)
    return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    std::string part = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part == "..")
      return false;
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return true;
}

std::optional<std::string> externalBytes(const onnx::TensorProto &t, const std::string &dir, int64_t bytes,
                                         std::string &why) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &kv : t.external_data()) {
    auto number = [&](int64_t &out) {
      char *end = nullptr;
      errno = 0;
      long long v = std::strtoll(kv.value().c_str(), &end, 10);
      if (errno || !end || *end || v < 0)
        return false;
      out = v;
      return true;
    };
    if (kv.key() == "location")
      location = kv.value();
    else if ((kv.key() == "offset" && !number(offset)) || (kv.key() == "length" && !number(length))) {
      why = "external data " + kv.key() + " '" + kv.value() + "' is not a non-negative integer";
      return std::nullopt;
    }
  }
  if (!safeRelativePath(location)) {
    why = "external data location '" + location + "' must be a relative path inside the model's folder";
    return std::nullopt;
  }
  if (length >= 0 && length != bytes) {
    why = "external data length " + std::to_string(length) + " does not match the tensor's " + std::to_string(bytes) +
          " bytes";
    return std::nullopt;
  }
  std::string error;
  std::string path = (dir.empty() ? "" : dir + "/") + location;
  std::optional<std::string> file = readRegularFile(path, error, int64_t(1) << 34);
  if (!file) {
    why = "external data: " + error;
    return std::nullopt;
  }
  if (offset > (int64_t)file->size() || (int64_t)file->size() - offset < bytes) {
    why = "external data file '" + location + "' holds " + std::to_string(file->size()) + " bytes, fewer than offset " +
          std::to_string(offset) + " + " + std::to_string(bytes);
    return std::nullopt;
  }
  return file->substr(offset, bytes);
}
} // namespace

std::optional<Value> readTensor(const onnx::TensorProto &t, const std::string &dir, std::string &why) {
  int type = t.data_type();
  int64_t size = elementBytes(type);
  if (!size) {
    why = "unsupported tensor data type " + typeName(type) + " (float, double, int64, int32, int8, uint8, bool)";
    return std::nullopt;
  }
  SymShape shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > kMaxKnownElements / d)) {
      why = d < 0 ? "negative dimension " + std::to_string(d) : "more than 2^26 elements";
      return std::nullopt;
    }
    count *= d;
    shape.push_back(SymExpr::constant(d));
  }
  if (t.segment().begin() || t.segment().end()) {
    why = "segmented tensors are not supported";
    return std::nullopt;
  }
  std::optional<std::string> raw;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    raw = externalBytes(t, dir, count * size, why);
    if (!raw)
      return std::nullopt;
  } else if (t.has_raw_data()) {
    raw = t.raw_data();
  }
  std::vector<double> floats(type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::DOUBLE ? count : 0);
  std::vector<SymExpr> ints(floats.empty() ? count : 0);
  auto mismatch = [&](int64_t have) {
    why = "holds " + std::to_string(have) + " elements, its shape " + formatShape(shape) + " " + std::to_string(count);
    return std::nullopt;
  };
  if (raw) {
    if ((int64_t)raw->size() != count * size)
      return mismatch((int64_t)raw->size() / size);
    const char *p = raw->data();
    for (int64_t i = 0; i < count; ++i, p += size) { // little-endian, as ONNX stores raw data
      switch (type) {
      case onnx::TensorProto::FLOAT: { float f; std::memcpy(&f, p, 4); floats[i] = f; break; }
      case onnx::TensorProto::DOUBLE: { double f; std::memcpy(&f, p, 8); floats[i] = f; break; }
      case onnx::TensorProto::INT64: { int64_t v; std::memcpy(&v, p, 8); ints[i] = SymExpr::constant(v); break; }
      case onnx::TensorProto::INT32: { int32_t v; std::memcpy(&v, p, 4); ints[i] = SymExpr::constant(v); break; }
      case onnx::TensorProto::INT8: ints[i] = SymExpr::constant((int8_t)*p); break;
      default: ints[i] = SymExpr::constant((uint8_t)*p); break; // uint8, bool
      }
    }
  } else {
    switch (type) {
    case onnx::TensorProto::FLOAT:
      if (t.float_data_size() != count) return mismatch(t.float_data_size());
      for (int64_t i = 0; i < count; ++i) floats[i] = t.float_data(i);
      break;
    case onnx::TensorProto::DOUBLE:
      if (t.double_data_size() != count) return mismatch(t.double_data_size());
      for (int64_t i = 0; i < count; ++i) floats[i] = t.double_data(i);
      break;
    case onnx::TensorProto::INT64:
      if (t.int64_data_size() != count) return mismatch(t.int64_data_size());
      for (int64_t i = 0; i < count; ++i) ints[i] = SymExpr::constant(t.int64_data(i));
      break;
    default: // int32, int8, uint8 and bool are stored in int32_data
      if (t.int32_data_size() != count) return mismatch(t.int32_data_size());
      for (int64_t i = 0; i < count; ++i) ints[i] = SymExpr::constant(t.int32_data(i));
    }
  }
  if (!floats.empty() || type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::DOUBLE)
    return knownFloats(shape, std::move(floats));
  return knownInts(shape, std::move(ints), type == onnx::TensorProto::BOOL ? DType::Bool : DType::Int);
}

const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node, const std::string &name) {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

} // namespace dmc::onnx_import
