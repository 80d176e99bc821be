/* Monotonic clock and per-state profiling.
 *
 * Two ways to profile generated code:
 *  - handle-local: a dmcrt_profiler owned by a graph handle, fed with dmcrt_profiler_add(); safe
 *    when distinct handles run concurrently;
 *  - process-global: dmcrt_profile_begin/end(state), active only when enabled (environment
 *    variable DMC_PROFILE set to a non-empty value other than "0", or dmcrt_profile_set_enabled).
 * Reports list one line per state, in first-seen order: "state: N calls, T.TTT ms". */
#ifndef DMC_RUNTIME_TIMER_H
#define DMC_RUNTIME_TIMER_H

#include <stdint.h>
#include <stdio.h>

#include "dmc/runtime/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Monotonic time (steady clock) since an arbitrary epoch. */
DMCRT_API uint64_t dmcrt_now_ns(void);
DMCRT_API double dmcrt_now_ms(void);

typedef struct dmcrt_profiler dmcrt_profiler;

DMCRT_API dmcrt_profiler* dmcrt_profiler_create(void); /* NULL when out of memory */
DMCRT_API void dmcrt_profiler_destroy(dmcrt_profiler* p); /* accepts NULL */
/* Records one call of `state` that took `ns` nanoseconds. Ignores a NULL profiler. */
DMCRT_API void dmcrt_profiler_add(dmcrt_profiler* p, const char* state, uint64_t ns);
DMCRT_API void dmcrt_profiler_reset(dmcrt_profiler* p);
/* The report; the pointer stays valid until the next report/reset/destroy of `p`. */
DMCRT_API const char* dmcrt_profiler_report(dmcrt_profiler* p);

/* Process-global profiler. begin/end nest per thread; end(state) closes the innermost open
 * `state`. Both are cheap no-ops while profiling is disabled. */
DMCRT_API void dmcrt_profile_set_enabled(int enabled);
DMCRT_API int dmcrt_profile_enabled(void);
DMCRT_API void dmcrt_profile_begin(const char* state);
DMCRT_API void dmcrt_profile_end(const char* state);
DMCRT_API dmcrt_profiler* dmcrt_profile_global(void);
/* Writes the global report to `out` (stderr when NULL). */
DMCRT_API void dmcrt_profile_dump(FILE* out);

#ifdef __cplusplus
} /* extern "C" */

namespace dmc {
/* Measures elapsed time from construction (or the last restart). */
class Stopwatch {
 public:
  Stopwatch() : start_(dmcrt_now_ns()) {}
  void restart() { start_ = dmcrt_now_ns(); }
  uint64_t elapsed_ns() const { return dmcrt_now_ns() - start_; }
  double elapsed_ms() const { return static_cast<double>(elapsed_ns()) * 1e-6; }

 private:
  uint64_t start_;
};

/* Adds the lifetime of the scope to `state` in a handle-local profiler (no-op for NULL). */
class ScopedProfile {
 public:
  ScopedProfile(dmcrt_profiler* p, const char* state) : p_(p), state_(state) {}
  ~ScopedProfile() {
    if (p_) dmcrt_profiler_add(p_, state_, watch_.elapsed_ns());
  }
  ScopedProfile(const ScopedProfile&) = delete;
  ScopedProfile& operator=(const ScopedProfile&) = delete;

 private:
  dmcrt_profiler* p_;
  const char* state_;
  Stopwatch watch_;
};
}  // namespace dmc
#endif

#endif
