//===- RunCommand.cpp - dmc run: load a compiled graph and time it --------===//
#include "compiler/dmc/RunCommand.h"

#include <dmc/runtime/loader.h>
#include <dmc/runtime/npy.h>
#include <dmc/runtime/timer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <new>
#include <random>

namespace dmc {
namespace {
std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}
} // namespace

ArgBuffer::ArgBuffer(const ArgSpec &arg, const ArgShape &shape) : size_(static_cast<size_t>(shape.elements)) {
  try {
    buffer_ = AlignedBuffer(static_cast<size_t>(shape.bytes), /*zeroed=*/true);
  } catch (const std::bad_alloc &) {
    throw Error("cannot allocate " + std::to_string(shape.bytes) + " bytes for " +
                (arg.role == ArgRole::Input ? "input '" : "output '") + arg.name + "' of shape " + shape.text +
                ": out of memory");
  }
}

void reportFailedAllocations() {
  // LLVM's out-of-memory handler (installed by InitLLVM) aborts; without it a failed operator new throws
  // std::bad_alloc, which the runtime's kernels report as DMCRT_ERR_ALLOC and this driver as an error.
  std::set_new_handler(nullptr);
}

int runLibrary(const RunOptions &options) {
  reportFailedAllocations();
  try {
    Library lib(options.library);
    const Manifest &manifest = lib.manifest();
    // Symbols a graph file's import already bound are not the library's. The others are checked before any
    // size is computed from them: positive and agreeing with compiled-in values.
    SymbolValues given;
    for (const auto &[name, value] : options.symbols)
      if (manifest.find_symbol(name))
        given[name] = value;
    SymbolValues symbols = lib.symbol_values(given);
    for (const SymbolSpec &s : manifest.symbols)
      if (!symbols.count(s.name))
        throw Error("symbol '" + s.name + "' is a run-time argument of this library: pass --bind " + s.name + "=N");
    std::vector<NpyArray> npyInputs;
    std::vector<ArgBuffer> buffers;
    npyInputs.reserve(manifest.args.size()); // args point into both
    buffers.reserve(manifest.args.size());
    std::vector<std::pair<const float *, size_t>> outputs(manifest.args.size(), {nullptr, 0});
    std::vector<TensorRef> args;
    std::mt19937 rng(options.seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (size_t i = 0; i < manifest.args.size(); ++i) {
      const ArgSpec &arg = manifest.args[i];
      const ArgShape shape = lib.arg_shape(i, symbols); // element and byte counts checked for overflow
      if (arg.role == ArgRole::Input && !options.inputsDir.empty()) {
        npyInputs.push_back(read_npy(options.inputsDir + "/" + arg.name + ".npy"));
        args.emplace_back(npyInputs.back().data.data(), npyInputs.back().shape); // the loader checks the shape
        continue;
      }
      ArgBuffer &buffer = buffers.emplace_back(arg, shape);
      if (arg.role == ArgRole::Input)
        for (float &x : buffer)
          x = normal(rng);
      outputs[i] = {buffer.data(), buffer.size()};
      args.emplace_back(buffer.data(), shape.dims);
    }
    if (!options.outputsDir.empty())
      std::filesystem::create_directories(options.outputsDir);
    auto instance = lib.create();
    dmcrt_profile_set_enabled(options.profile);
    std::vector<double> times;
    for (unsigned i = 0; i < std::max(1u, options.repeat); ++i) {
      double start = dmcrt_now_ms();
      instance.run(symbols, args);
      times.push_back(dmcrt_now_ms() - start);
    }
    std::sort(times.begin(), times.end());
    std::printf("%s: %zu run(s), median %.3f ms, min %.3f ms\n", manifest.name.c_str(), times.size(),
                times[times.size() / 2], times.front());
    if (options.profile)
      dmcrt_profile_dump(stdout);
    for (size_t i = 0; i < manifest.args.size(); ++i) {
      const ArgSpec &arg = manifest.args[i];
      if (arg.role != ArgRole::Output)
        continue;
      const auto [data, size] = outputs[i];
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      size_t nonFinite = 0;
      for (const float *p = data; p != data + size; ++p) {
        float x = *p;
        if (!std::isfinite(x)) {
          ++nonFinite;
          continue;
        }
        sum += x, lo = std::min<double>(lo, x), hi = std::max<double>(hi, x);
      }
      std::printf("  output %s %s: mean %.6g, min %.6g, max %.6g%s\n", arg.name.c_str(),
                  shapeString(args[i].shape).c_str(), size == 0 ? 0.0 : sum / size, lo, hi,
                  nonFinite ? (", " + std::to_string(nonFinite) + " non-finite").c_str() : "");
      if (!options.outputsDir.empty())
        write_npy(options.outputsDir + "/" + arg.name + ".npy", data, args[i].shape);
    }
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "dmc: error: %s\n", e.what());
    return 1;
  }
}

} // namespace dmc
