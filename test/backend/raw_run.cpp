// Calls a compiled graph's dmc_NAME_run_packed directly, without dmc::Library's argument checks, so that
// the generated code's own checks of symbol values and sizes are what a test sees. Every argument points
// to a small buffer: a run that went past the checks with a huge size would overrun it.
// usage: dmc-raw-run libNAME.so [VALUE ...]   (values of the run-time symbols, in manifest order)
// Prints "status N: MESSAGE" (dmcrt_last_error) and exits 0 when the run succeeded, 1 when it failed.
#include <dmc/runtime/alloc.h>
#include <dmc/runtime/error.h>
#include <dmc/runtime/manifest.h>

#include <dlfcn.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s libNAME.so [VALUE ...]\n", argv[0]);
    return 2;
  }
  void *dl = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 2;
  }
  try {
    auto manifestFn = reinterpret_cast<const char *(*)()>(dlsym(dl, "dmc_manifest"));
    if (!manifestFn)
      throw dmc::Error("no dmc_manifest in " + std::string(argv[1]));
    dmc::Manifest m = dmc::Manifest::parse(manifestFn());
    auto create = reinterpret_cast<void *(*)()>(dlsym(dl, ("dmc_" + m.name + "_create").c_str()));
    auto run = reinterpret_cast<int (*)(void *, const int64_t *, void **)>(
        dlsym(dl, ("dmc_" + m.name + "_run_packed").c_str()));
    auto destroy = reinterpret_cast<void (*)(void *)>(dlsym(dl, ("dmc_" + m.name + "_destroy").c_str()));
    if (!create || !run || !destroy)
      throw dmc::Error("missing entry points in " + std::string(argv[1]));
    std::vector<int64_t> symbols;
    for (int i = 2; i < argc; ++i)
      symbols.push_back(std::stoll(argv[i]));
    if (symbols.size() != m.runtime_symbols().size())
      throw dmc::Error("expected " + std::to_string(m.runtime_symbols().size()) + " symbol values");
    dmc::AlignedBuffer dummy(1 << 16, /*zeroed=*/true);
    std::vector<void *> args(m.args.size(), dummy.get());
    void *handle = create();
    if (!handle)
      throw dmc::Error("create returned NULL");
    dmcrt_clear_error();
    int rc = run(handle, symbols.data(), args.data());
    destroy(handle);
    std::printf("status %d: %s\n", rc, dmcrt_last_error());
    return rc == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "dmc-raw-run: %s\n", e.what());
    return 2;
  }
}
