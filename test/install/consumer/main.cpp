// Calls the graph compiled by dmc_add_graph_library through its generated header (the typed run), checks
// y = softmax(x @ w) against loops written here, and prints where libdmcrt and the graph library were
// loaded from (check_install.py requires the install prefix, not the build tree).
#include "affine_softmax.h"
#include "dmc/runtime/error.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {
constexpr int B = 2, S = 5, E = 3;  // S = 5: BIND S=5 in CMakeLists.txt (the graph's default is 4)

const char *loadedFrom(void *address) {
  Dl_info info;
  return dladdr(address, &info) && info.dli_fname ? info.dli_fname : "?";
}
}  // namespace

int main() {
  std::vector<float> x(B * S * E), w(E * E), y(B * S * E, NAN);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.25f * static_cast<float>(i % 7) - 0.5f;
  for (size_t i = 0; i < w.size(); ++i) w[i] = 0.5f - 0.125f * static_cast<float>(i);

  void *handle = dmc_affine_softmax_create();
  if (!handle) return std::printf("create failed\n"), 1;
  int rc = dmc_affine_softmax_run(handle, B, x.data(), w.data(), y.data());
  dmc_affine_softmax_destroy(handle);
  if (rc != 0) return std::printf("run failed (%d): %s\n", rc, dmcrt_last_error()), 1;

  double worst = 0;
  for (int row = 0; row < B * S; ++row) {
    double t[E], max = -INFINITY, sum = 0;
    for (int j = 0; j < E; ++j) {
      t[j] = 0;
      for (int k = 0; k < E; ++k) t[j] += double(x[row * E + k]) * w[k * E + j];
      max = std::fmax(max, t[j]);
    }
    for (int j = 0; j < E; ++j) sum += std::exp(t[j] - max);
    for (int j = 0; j < E; ++j) worst = std::fmax(worst, std::fabs(std::exp(t[j] - max) / sum - y[row * E + j]));
  }
  std::printf("libdmcrt: %s\n", loadedFrom(reinterpret_cast<void *>(&dmcrt_last_error)));
  std::printf("graph: %s\n", loadedFrom(reinterpret_cast<void *>(&dmc_affine_softmax_run)));
  std::printf("max abs error %.3g\n", worst);
  return worst < 1e-6 ? 0 : 1;
}
