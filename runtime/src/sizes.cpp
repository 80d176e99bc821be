// Checked sizes of containers (see sizes.h): the one implementation of the overflow checks that the
// loader, the .npy reader, the kernels and generated code share.
#include "dmc/runtime/sizes.h"

#include "dmc/runtime/alloc.h"
#include "dmc/runtime/error.h"

#include "kernel_util.h"

namespace dmc {

std::optional<int64_t> checked_num_elements(const int64_t* dims, size_t rank, size_t elem_size) {
  bool empty = false;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0) return std::nullopt;
    empty |= dims[i] == 0;
  }
  if (empty) return 0;  // whatever the other dims: the product does not depend on their order
  int64_t n = 1, bytes = 0;
  for (size_t i = 0; i < rank; ++i)
    if (__builtin_mul_overflow(n, dims[i], &n)) return std::nullopt;
  if (elem_size > static_cast<size_t>(INT64_MAX) ||
      __builtin_mul_overflow(n, static_cast<int64_t>(elem_size), &bytes))
    return std::nullopt;
  return n;
}

std::string shape_with_symbols(const std::vector<int64_t>& dims, const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    s += i ? ", " : "";
    if (i < names.size() && !names[i].empty()) s += names[i] + "=";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

}  // namespace dmc

namespace {

std::string describe(const char* what, const int64_t* dims, const char* const* names, int rank) {
  std::vector<int64_t> d(dims, dims + rank);
  std::vector<std::string> n;
  if (names)
    for (int i = 0; i < rank; ++i) n.push_back(names[i] ? names[i] : "");
  return std::string(what ? what : "container") + " of shape " + dmc::shape_with_symbols(d, n);
}

}  // namespace

extern "C" {

int dmcrt_check_symbol(const char* name, int64_t value) {
  if (value >= 1) return DMCRT_OK;
  try {
    dmc::detail::set_last_error("symbol '" + std::string(name ? name : "?") + "' = " + std::to_string(value) +
                                " is not a positive size");
  } catch (...) {  // std::bad_alloc while building the message: the status still says what failed
  }
  return DMCRT_ERR_INVALID_ARG;
}

int dmcrt_shape_size(const char* what, const int64_t* dims, const char* const* names, int rank, size_t elem_size,
                     int64_t* elements, int64_t* bytes) {
  try {
    if (rank < 0 || (rank > 0 && !dims)) {
      dmc::detail::set_last_error(std::string(what ? what : "container") + ": bad shape descriptor (rank " +
                                  std::to_string(rank) + ")");
      return DMCRT_ERR_INVALID_ARG;
    }
    std::optional<int64_t> n = dmc::checked_num_elements(dims, static_cast<size_t>(rank), elem_size);
    if (!n) {
      bool negative = false;
      for (int i = 0; i < rank; ++i) negative |= dims[i] < 0;
      dmc::detail::set_last_error(describe(what, dims, names, rank) +
                                  (negative ? " has a negative dim" : " is too large: its size in bytes overflows int64"));
      return DMCRT_ERR_SHAPE;
    }
    if (elements) *elements = *n;
    if (bytes) *bytes = *n * static_cast<int64_t>(elem_size);
    return DMCRT_OK;
  } catch (...) {  // only std::bad_alloc while building a message
    return DMCRT_ERR_ALLOC;
  }
}

int dmcrt_alloc_shape(void** out, const char* what, const int64_t* dims, const char* const* names, int rank,
                      size_t elem_size) {
  if (!out) return DMCRT_ERR_INVALID_ARG;
  *out = nullptr;
  int64_t bytes = 0;
  if (int rc = dmcrt_shape_size(what, dims, names, rank, elem_size, nullptr, &bytes)) return rc;
  *out = dmcrt_alloc(static_cast<size_t>(bytes));
  if (*out) return DMCRT_OK;
  try {
    dmc::detail::set_last_error("cannot allocate " + std::to_string(bytes) + " bytes for " +
                                describe(what, dims, names, rank) + ": out of memory");
  } catch (...) {
  }
  return DMCRT_ERR_ALLOC;
}

}  // extern "C"
