#include "kernel_util.h"

#include "generated_mask.h"

#include <algorithm>
#include <sstream>

namespace dmc::detail {

void fail(int code, const std::string& message) { throw KernelError{code, message}; }

Shape shape_of(const dmcrt_tensor& t) { return Shape(t.shape, t.shape + t.rank); }

int64_t numel(const Shape& shape) {
  std::optional<int64_t> n = checked_num_elements(shape, sizeof(float));
  if (!n) fail(DMCRT_ERR_SHAPE, "shape " + shape_str(shape) + " has a negative dim or overflows int64");
  return *n;
}

std::string shape_str(const Shape& shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}

const dmcrt_tensor& check_tensor(const dmcrt_tensor* t, const char* what) {
  if (!t) fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " descriptor is NULL");
  if (t->rank < 0 || t->rank > DMCRT_MAX_RANK)
    fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " has rank " + std::to_string(t->rank) +
                                    " (supported: 0.." + std::to_string(DMCRT_MAX_RANK) + ")");
  for (int i = 0; i < t->rank; ++i)
    if (t->shape[i] < 0)
      fail(DMCRT_ERR_SHAPE, std::string(what) + " has a negative dim: " + shape_str(shape_of(*t)));
  if (!checked_num_elements(t->shape, static_cast<size_t>(t->rank), sizeof(float)))
    fail(DMCRT_ERR_SHAPE, std::string(what) + " of shape " + shape_str(shape_of(*t)) +
                              " is too large: its size in bytes overflows int64");
  if (!t->data && numel(shape_of(*t)) > 0)
    fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " data is NULL");
  return *t;
}

void expect_shape(const dmcrt_tensor& out, const Shape& expected, const char* what) {
  Shape got = shape_of(out);
  if (got != expected)
    fail(DMCRT_ERR_SHAPE, std::string(what) + ": expected shape " + shape_str(expected) +
                              " but got " + shape_str(got));
}

int64_t normalize_axis(int64_t axis, int64_t rank, const char* what) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " " + std::to_string(axis) +
                                    " is out of range for rank " + std::to_string(rank));
  return a;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align trailing dims; missing leading dims act as 1.
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      fail(DMCRT_ERR_SHAPE, "shapes " + shape_str(a) + " and " + shape_str(b) +
                                " do not broadcast (dim " + std::to_string(i) + ": " +
                                std::to_string(da) + " vs " + std::to_string(db) + ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

bool broadcasts_to(const Shape& in, const Shape& out) {
  if (in.size() > out.size()) return false;
  const size_t lead = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1 && in[i] != out[lead + i]) return false;
  return true;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

Shape broadcast_strides(const Shape& in, const Shape& out) {
  Shape in_strides = contiguous_strides(in);
  Shape strides(out.size(), 0);
  size_t lead = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    strides[lead + i] = (in[i] == 1 && out[lead + i] != 1) ? 0 : in_strides[i];
  return strides;
}

int64_t strided_offset(int64_t flat, const Shape& shape, const Shape& strides) {
  int64_t off = 0;
  for (size_t i = shape.size(); i-- > 0;) {
    int64_t d = shape[i];
    if (d == 0) return 0;
    off += (flat % d) * strides[i];
    flat /= d;
  }
  return off;
}

}  // namespace dmc::detail

namespace dmc::detail {

GeneratedMask make_generated_mask(int32_t causal, int64_t window, int64_t stride, const int64_t* global_tokens,
                                  int32_t n_global, int64_t size) {
  if (stride < 0) fail(DMCRT_ERR_INVALID_ARG, "stride must be >= 0, got " + std::to_string(stride));
  if (n_global < 0 || (n_global > 0 && !global_tokens))
    fail(DMCRT_ERR_INVALID_ARG, "bad global_tokens list (n_global=" + std::to_string(n_global) + ")");
  GeneratedMask gen;
  gen.causal = causal != 0;
  gen.window = window < 0 ? -1 : window;
  gen.stride = stride;
  if (n_global > 0) {
    gen.global.assign(static_cast<size_t>(size), 0);
    for (int32_t k = 0; k < n_global; ++k)
      if (global_tokens[k] >= 0 && global_tokens[k] < size) gen.global[global_tokens[k]] = 1;
  }
  return gen;
}

}  // namespace dmc::detail
