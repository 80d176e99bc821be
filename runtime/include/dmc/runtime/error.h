/* Error reporting of libdmcrt.
 * C side: kernels return an int status (0 = ok) and leave a message in a thread-local slot.
 * C++ side (loader, .npy I/O): failures throw dmc::Error. */
#ifndef DMC_RUNTIME_ERROR_H
#define DMC_RUNTIME_ERROR_H

#include "dmc/runtime/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dmcrt_status {
  DMCRT_OK = 0,
  DMCRT_ERR_INVALID_ARG = 1, /* null pointer, bad enum value, bad axis/perm/rank */
  DMCRT_ERR_SHAPE = 2,       /* shapes do not match the operator's semantics */
  DMCRT_ERR_ALLOC = 3,       /* out of memory */
  DMCRT_ERR_INTERNAL = 4     /* unexpected exception inside the runtime */
};

/* Message of the last failing runtime call on this thread ("" if none failed yet). Calls that
 * succeed do not clear it, so read it right after a non-zero return. Valid until the next
 * failing call on the same thread. */
DMCRT_API const char* dmcrt_last_error(void);
DMCRT_API void dmcrt_clear_error(void);

#ifdef __cplusplus
} /* extern "C" */

#include <stdexcept>
#include <string>

namespace dmc {
/* Thrown by the C++ parts of the runtime (loader, .npy I/O). Exported so that it can be caught
 * across shared-library boundaries. */
class DMCRT_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};
}  // namespace dmc
#endif

#endif
