// The choice of the tiled kernels' build (shared by tiled.h and ukernels.h) and the micro-kernels'
// C entry points, which call the chosen build.
#include <cstdlib>
#include <cstring>

#include "dmc/runtime/ukernels.h"
#include "tiled_impl.h"

namespace dmc::detail {

const TiledIsa* tiled_isa_named(const char* name) {
#if defined(__x86_64__) || defined(__i386__)
  if (std::strcmp(name, "avx512") == 0) {
#ifdef DMCRT_HAVE_AVX512
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return &tiled_isa_avx512();
#endif
    return nullptr;
  }
  if (std::strcmp(name, "avx2") == 0) {
#ifdef DMCRT_HAVE_AVX2
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &tiled_isa_avx2();
#endif
    return nullptr;
  }
#endif
  if (std::strcmp(name, "generic") == 0) return &tiled_isa_generic();
  return nullptr;
}

namespace {

const TiledIsa& select_isa() {
  // A forced build the library or the CPU lacks (or an unknown name) is ignored.
  if (const char* forced = std::getenv("DMCRT_TILED_ISA"))
    if (const TiledIsa* isa = tiled_isa_named(forced)) return *isa;
  for (const char* best : {"avx512", "avx2"})
    if (const TiledIsa* isa = tiled_isa_named(best)) return *isa;
  return tiled_isa_generic();
}

const dmcrt_uk_kernels& uk() { return tiled_isa().uk; }

}  // namespace

const TiledIsa& tiled_isa() {
  static const TiledIsa& chosen = select_isa();
  return chosen;
}

}  // namespace dmc::detail

using namespace dmc::detail;

extern "C" void dmcrt_uk_gemm_12x32(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc,
                                   int32_t accumulate) {
  uk().gemm_12x32(kc, a, b, acc, ldacc, accumulate);
}

extern "C" void dmcrt_uk_gemm_6x16(int64_t kc, const float* a, const float* b, float* acc, int64_t ldacc,
                                  int32_t accumulate) {
  uk().gemm_6x16(kc, a, b, acc, ldacc, accumulate);
}

extern "C" void dmcrt_uk_gemm_12x32_rows(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb,
                                        float* acc, int64_t ldacc, int32_t accumulate) {
  uk().gemm_12x32_rows(kc, a, lda, b, ldb, acc, ldacc, accumulate);
}

extern "C" void dmcrt_uk_gemm_6x16_rows(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb,
                                       float* acc, int64_t ldacc, int32_t accumulate) {
  uk().gemm_6x16_rows(kc, a, lda, b, ldb, acc, ldacc, accumulate);
}

extern "C" void dmcrt_uk_activation(int32_t activation, int64_t n, float* x) { uk().activation(activation, n, x); }

extern "C" float dmcrt_uk_max(int64_t n, const float* x) { return uk().max(n, x); }

extern "C" float dmcrt_uk_exp_sum(int64_t n, float* x, float shift) { return uk().exp_sum(n, x, shift); }

extern "C" void dmcrt_uk_scale(int64_t n, float* x, float s) { uk().scale(n, x, s); }

extern "C" void dmcrt_uk_softmax_update_row(int64_t n, int64_t dv, float* s, float* m, float* l, float* o) {
  uk().softmax_update_row(n, dv, s, m, l, o);
}

extern "C" void dmcrt_uk_sum_row(int64_t n, const float* x, float* sum) { uk().sum_row(n, x, sum); }

extern "C" void dmcrt_uk_max_row(int64_t n, const float* x, float* max) { uk().max_row(n, x, max); }

extern "C" void dmcrt_uk_moments_row(int64_t n, const float* x, float* mean, float* var) {
  uk().moments_row(n, x, mean, var);
}

extern "C" void dmcrt_uk_softmax_row(int64_t n, float* x, float* inv) { uk().softmax_row(n, x, inv); }

extern "C" const char* dmcrt_uk_isa(void) { return uk().isa; }

extern "C" const dmcrt_uk_kernels* dmcrt_uk_kernels_for(const char* isa) {
  if (!isa) return &uk();
  const TiledIsa* named = tiled_isa_named(isa);
  return named ? &named->uk : nullptr;
}
