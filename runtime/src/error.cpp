// Thread-local last-error slot of the C API.
#include "dmc/runtime/error.h"

#include "kernel_util.h"

namespace {
thread_local std::string last_error;
}

namespace dmc::detail {
void set_last_error(const std::string& message) { last_error = message; }
}  // namespace dmc::detail

extern "C" {
const char* dmcrt_last_error(void) { return last_error.c_str(); }
void dmcrt_clear_error(void) { last_error.clear(); }
}
