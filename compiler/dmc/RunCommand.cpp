//===- RunCommand.cpp - dmc run: load a compiled graph and time it --------===//
#include "compiler/dmc/RunCommand.h"

#include <dmc/runtime/loader.h>
#include <dmc/runtime/npy.h>
#include <dmc/runtime/timer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

namespace dmc {
namespace {
std::vector<int64_t> concreteShape(const ArgSpec &arg, const SymbolValues &symbols) {
  std::vector<int64_t> shape;
  for (const DimSpec &d : arg.shape)
    shape.push_back(d.is_symbol() ? symbols.at(d.symbol) : d.value);
  return shape;
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}
} // namespace

int runLibrary(const RunOptions &options) {
  try {
    Library lib(options.library);
    const Manifest &manifest = lib.manifest();
    SymbolValues symbols;
    for (const SymbolSpec &s : manifest.symbols) {
      if (s.bound)
        symbols[s.name] = *s.bound;
      else if (options.symbols.count(s.name))
        symbols[s.name] = options.symbols.at(s.name);
      else
        throw Error("symbol '" + s.name + "' is a run-time argument of this library: pass --bind " + s.name + "=N");
    }
    std::vector<std::vector<float>> storage;
    std::vector<TensorRef> args;
    std::mt19937 rng(options.seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (const ArgSpec &arg : manifest.args) {
      std::vector<int64_t> shape = concreteShape(arg, symbols);
      int64_t n = 1;
      for (int64_t d : shape)
        n *= d;
      if (arg.role == ArgRole::Input && !options.inputsDir.empty()) {
        NpyArray a = read_npy(options.inputsDir + "/" + arg.name + ".npy");
        storage.push_back(std::move(a.data));
        args.emplace_back(storage.back().data(), a.shape); // the loader checks the shape
        continue;
      }
      storage.emplace_back(n);
      if (arg.role == ArgRole::Input)
        for (float &x : storage.back())
          x = normal(rng);
      args.emplace_back(storage.back().data(), shape);
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
      const std::vector<float> &v = storage[i];
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      size_t nonFinite = 0;
      for (float x : v) {
        if (!std::isfinite(x)) {
          ++nonFinite;
          continue;
        }
        sum += x, lo = std::min<double>(lo, x), hi = std::max<double>(hi, x);
      }
      std::printf("  output %s %s: mean %.6g, min %.6g, max %.6g%s\n", arg.name.c_str(),
                  shapeString(args[i].shape).c_str(), v.empty() ? 0.0 : sum / v.size(), lo, hi,
                  nonFinite ? (", " + std::to_string(nonFinite) + " non-finite").c_str() : "");
      if (!options.outputsDir.empty())
        write_npy(options.outputsDir + "/" + arg.name + ".npy", v.data(), args[i].shape);
    }
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "dmc: error: %s\n", e.what());
    return 1;
  }
}

} // namespace dmc
