// Internal helpers shared by the reference kernels: descriptor validation, shape arithmetic,
// broadcasting strides, and the exception-to-status guard of the C ABI.
#ifndef DMC_RUNTIME_SRC_KERNEL_UTIL_H
#define DMC_RUNTIME_SRC_KERNEL_UTIL_H

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "dmc/runtime/error.h"
#include "dmc/runtime/kernels.h"
#include "dmc/runtime/sizes.h"

namespace dmc::detail {

using Shape = std::vector<int64_t>;

void set_last_error(const std::string& message);

// Thrown by validation code and turned into a status by guarded(); never crosses the C ABI.
struct KernelError {
  int code;
  std::string message;
};

[[noreturn]] void fail(int code, const std::string& message);

Shape shape_of(const dmcrt_tensor& t);
int64_t numel(const Shape& shape);
std::string shape_str(const Shape& shape);

// Checks a descriptor (non-null, rank in range, dims >= 0, data non-null unless empty).
const dmcrt_tensor& check_tensor(const dmcrt_tensor* t, const char* what);
// Fails with "<what>: expected shape [..] but got [..]" when out's shape differs from `expected`.
void expect_shape(const dmcrt_tensor& out, const Shape& expected, const char* what);

// Normalises a possibly negative axis into [0, rank).
int64_t normalize_axis(int64_t axis, int64_t rank, const char* what);

// NumPy broadcast of two shapes; fails with both shapes in the message when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// True when `in` broadcasts to exactly `out` (unidirectional broadcasting, as for masks and bias).
bool broadcasts_to(const Shape& in, const Shape& out);
// Row-major strides of a contiguous tensor.
Shape contiguous_strides(const Shape& shape);
// Strides for reading `in` (which broadcasts to `out`) with out-rank indices: 0 on stretched dims.
Shape broadcast_strides(const Shape& in, const Shape& out);
// Offset of the element with flat (row-major) index `flat` of `shape` under `strides`.
int64_t strided_offset(int64_t flat, const Shape& shape, const Shape& strides);

// Runs f() and converts failures into a status + dmcrt_last_error message prefixed by `kernel`.
template <typename F>
int guarded(const char* kernel, F&& f) noexcept {
  try {
    f();
    return DMCRT_OK;
  } catch (const KernelError& e) {
    set_last_error(std::string(kernel) + ": " + e.message);
    return e.code;
  } catch (const std::bad_alloc&) {
    set_last_error(std::string(kernel) + ": out of memory");
    return DMCRT_ERR_ALLOC;
  } catch (const std::exception& e) {
    set_last_error(std::string(kernel) + ": internal error: " + e.what());
    return DMCRT_ERR_INTERNAL;
  } catch (...) {
    set_last_error(std::string(kernel) + ": internal error");
    return DMCRT_ERR_INTERNAL;
  }
}

// Loops below this many elements are not worth an OpenMP fork.
constexpr int64_t kParallelThreshold = 1 << 14;

}  // namespace dmc::detail

#endif
