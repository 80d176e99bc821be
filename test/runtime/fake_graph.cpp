// A hand-written stand-in for a compiled graph "vadd" exporting the ABI of docs/abi.md:
//   symbols B (bound to 2) and N (run-time); c[B, N] = a[B, N] + b[B, N]; N = 7 and N = 8 fail. Its
//   graph also had E, fixed to 8 at compile time, and T, which no shape used.
// Variants for the loader's error paths: DMC_FAKE_OMIT_RUN_PACKED leaves out
// dmc_vadd_run_packed, DMC_FAKE_BAD_MANIFEST exports malformed JSON, DMC_FAKE_OMIT_CONSTANTS_CHANGED is a
// library older than dmc_vadd_constants_changed.
#include <cstdint>

#include "dmc/runtime/sizes.h"
#include <new>

#define EXPORT extern "C" __attribute__((visibility("default")))

namespace {
#ifdef DMC_FAKE_BAD_MANIFEST
const char kManifest[] = R"({"name": "vadd", "symbols": [ )";
#else
const char kManifest[] = R"({"name": "vadd", "dmc_version": "0.1.0", "opt_level": 0,
  "symbols": [{"name": "B", "bound": 2}, {"name": "N", "bound": null}],
  "fixed_symbols": {"E": 8}, "unused_symbols": ["T"],
  "args": [{"name": "a", "role": "input", "dtype": "f32", "shape": ["B", "N"]},
           {"name": "b", "role": "input", "dtype": "f32", "shape": ["B", "N"]},
           {"name": "c", "role": "output", "dtype": "f32", "shape": ["B", "N"]}]})";
#endif

struct Handle {
  int64_t runs = 0;  // persistent state, as transients would be
  int64_t constants_changed = 0;
};

int run_impl(Handle* h, int64_t n, const float* a, const float* b, float* c) {
  if (!h) return 1;
  if (n == 7) return 5;  // lets the tests exercise a failing run without a message
  if (n == 8) {           // and one that reports why, as generated code does for a transient
    const int64_t dims[] = {n, INT64_MAX};
    const char* const names[] = {"N", nullptr};
    void* p = nullptr;
    return dmcrt_alloc_shape(&p, "transient 't'", dims, names, 2, sizeof(float));
  }
  for (int64_t i = 0; i < 2 * n; ++i) c[i] = a[i] + b[i];
  h->runs += 1;
  return 0;
}
}  // namespace

EXPORT void* dmc_vadd_create(void) { return new (std::nothrow) Handle(); }

EXPORT int dmc_vadd_run(void* h, int64_t n, const float* a, const float* b, float* c) {
  return run_impl(static_cast<Handle*>(h), n, a, b, c);
}

#ifndef DMC_FAKE_OMIT_RUN_PACKED
EXPORT int dmc_vadd_run_packed(void* h, const int64_t* symbols, void** args) {
  return run_impl(static_cast<Handle*>(h), symbols[0], static_cast<const float*>(args[0]),
                  static_cast<const float*>(args[1]), static_cast<float*>(args[2]));
}
#endif

EXPORT void dmc_vadd_destroy(void* h) { delete static_cast<Handle*>(h); }

#ifndef DMC_FAKE_OMIT_CONSTANTS_CHANGED
EXPORT void dmc_vadd_constants_changed(void* h) { static_cast<Handle*>(h)->constants_changed += 1; }
#endif
// Test hook: number of dmc_vadd_constants_changed calls on a handle.
EXPORT int64_t dmc_vadd_test_constants_changed(void* h) { return static_cast<Handle*>(h)->constants_changed; }

// Test hook: number of successful runs of a handle.
EXPORT int64_t dmc_vadd_test_runs(void* h) { return static_cast<Handle*>(h)->runs; }

EXPORT const char* dmc_vadd_manifest(void) { return kManifest; }
EXPORT const char* dmc_manifest(void) { return kManifest; }
EXPORT const char* dmc_graph_name(void) { return "vadd"; }
