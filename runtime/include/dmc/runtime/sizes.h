/* Checked sizes: the one place where symbol values, element counts and byte counts of containers are
 * validated. The loader, the .npy reader, the kernels and generated code all call these, so a size
 * that is not positive or that overflows is an error naming the container, the symbols and their
 * values, never a wrapped product.
 *
 * A shape is valid when every dim is >= 0 and its element count times the element size is at most
 * INT64_MAX: then every element offset, stride and byte count derived from it fits int64_t (and
 * ptrdiff_t, size_t). */
#ifndef DMC_RUNTIME_SIZES_H
#define DMC_RUNTIME_SIZES_H

#include <stddef.h>
#include <stdint.h>

#include "dmc/runtime/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* DMCRT_OK when `value` is a valid size symbol (>= 1). Otherwise DMCRT_ERR_INVALID_ARG, and
 * dmcrt_last_error() is "symbol 'NAME' = VALUE is not a positive size". */
DMCRT_API int dmcrt_check_symbol(const char* name, int64_t value);

/* Element count and byte count (elem_size each) of dims[0..rank). `names` is NULL or holds one entry
 * per dim: the symbol that dim comes from, or NULL for a constant; messages print "S=VALUE" for those.
 * `elements` and `bytes` may be NULL. On a negative dim or an overflow, returns DMCRT_ERR_SHAPE and
 * sets dmcrt_last_error() to "WHAT of shape [1, S=VALUE, 768] ..." (WHAT describes the container). */
DMCRT_API int dmcrt_shape_size(const char* what, const int64_t* dims, const char* const* names, int rank,
                               size_t elem_size, int64_t* elements, int64_t* bytes);

/* dmcrt_shape_size, then dmcrt_alloc of the byte count (DMCRT_ALIGNMENT-aligned; free with
 * dmcrt_free). *out is the block, or NULL on failure: DMCRT_ERR_SHAPE as above, or DMCRT_ERR_ALLOC
 * with "cannot allocate N bytes for WHAT of shape [...]: out of memory". */
DMCRT_API int dmcrt_alloc_shape(void** out, const char* what, const int64_t* dims, const char* const* names,
                                int rank, size_t elem_size);

#ifdef __cplusplus
} /* extern "C" */

#include <optional>
#include <string>
#include <vector>

namespace dmc {
/* The checked arithmetic itself: the element count of `dims`, or nullopt when a dim is negative or
 * the count times elem_size exceeds INT64_MAX. */
DMCRT_API std::optional<int64_t> checked_num_elements(const int64_t* dims, size_t rank, size_t elem_size);
inline std::optional<int64_t> checked_num_elements(const std::vector<int64_t>& dims, size_t elem_size) {
  return checked_num_elements(dims.data(), dims.size(), elem_size);
}
/* "[1, S=4096, 768]": dims, each prefixed by its symbol's name where `names` (empty, or one entry
 * per dim, "" for a constant) gives one. */
DMCRT_API std::string shape_with_symbols(const std::vector<int64_t>& dims, const std::vector<std::string>& names);
}  // namespace dmc
#endif

#endif
