// Monotonic clock and profilers (see timer.h for the two profiling modes).
#include "dmc/runtime/timer.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct dmcrt_profiler {
  struct Entry {
    std::string state;
    uint64_t calls = 0;
    uint64_t total_ns = 0;
  };
  std::mutex mutex;  // generated code may add from several threads of one handle
  std::vector<Entry> entries;  // first-seen order, which follows the graph's state order
  std::unordered_map<std::string, size_t> index;
  std::string report;
};

extern "C" {

uint64_t dmcrt_now_ns(void) {
  auto d = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

double dmcrt_now_ms(void) { return static_cast<double>(dmcrt_now_ns()) * 1e-6; }

dmcrt_profiler* dmcrt_profiler_create(void) { return new (std::nothrow) dmcrt_profiler(); }

void dmcrt_profiler_destroy(dmcrt_profiler* p) { delete p; }

void dmcrt_profiler_add(dmcrt_profiler* p, const char* state, uint64_t ns) {
  if (!p) return;
  std::string key = state ? state : "(null)";
  std::lock_guard<std::mutex> lock(p->mutex);
  auto it = p->index.find(key);
  if (it == p->index.end()) {
    it = p->index.emplace(key, p->entries.size()).first;
    p->entries.push_back({key, 0, 0});
  }
  auto& e = p->entries[it->second];
  e.calls += 1;
  e.total_ns += ns;
}

void dmcrt_profiler_reset(dmcrt_profiler* p) {
  if (!p) return;
  std::lock_guard<std::mutex> lock(p->mutex);
  p->entries.clear();
  p->index.clear();
  p->report.clear();
}

const char* dmcrt_profiler_report(dmcrt_profiler* p) {
  if (!p) return "";
  std::lock_guard<std::mutex> lock(p->mutex);
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(3);
  for (const auto& e : p->entries)
    os << e.state << ": " << e.calls << " calls, " << static_cast<double>(e.total_ns) * 1e-6
       << " ms\n";
  p->report = os.str();
  return p->report.c_str();
}

}  // extern "C"

namespace {

bool enabled_from_env() {
  const char* v = std::getenv("DMC_PROFILE");
  return v && *v && std::strcmp(v, "0") != 0;
}

std::atomic<bool> global_enabled{enabled_from_env()};

dmcrt_profiler& global_profiler() {
  static dmcrt_profiler p;  // never destroyed before its users: function-local static
  return p;
}

// Open begin() calls of this thread: (state, start time).
thread_local std::vector<std::pair<std::string, uint64_t>> open_states;

}  // namespace

extern "C" {

void dmcrt_profile_set_enabled(int enabled) { global_enabled.store(enabled != 0); }

int dmcrt_profile_enabled(void) { return global_enabled.load() ? 1 : 0; }

void dmcrt_profile_begin(const char* state) {
  if (!global_enabled.load(std::memory_order_relaxed)) return;
  open_states.emplace_back(state ? state : "(null)", dmcrt_now_ns());
}

void dmcrt_profile_end(const char* state) {
  if (!global_enabled.load(std::memory_order_relaxed)) return;
  uint64_t now = dmcrt_now_ns();
  std::string key = state ? state : "(null)";
  // Close the innermost matching state; unmatched ends (e.g. profiling enabled mid-run) are ignored.
  for (size_t i = open_states.size(); i-- > 0;) {
    if (open_states[i].first == key) {
      dmcrt_profiler_add(&global_profiler(), key.c_str(), now - open_states[i].second);
      open_states.erase(open_states.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
}

dmcrt_profiler* dmcrt_profile_global(void) { return &global_profiler(); }

void dmcrt_profile_dump(FILE* out) {
  std::fputs(dmcrt_profiler_report(&global_profiler()), out ? out : stderr);
}

}  // extern "C"
