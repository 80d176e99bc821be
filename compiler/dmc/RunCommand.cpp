//===- RunCommand.cpp - dmc run: load a compiled graph and time it --------===//
#include "compiler/dmc/RunCommand.h"

#include <dmc/runtime/loader.h>
#include <dmc/runtime/npy.h>
#include <dmc/runtime/timer.h>

#include "compiler/support/Files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <new>
#include <optional>
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

bool writeJsonReport(const std::string &path, const std::string &json) {
  std::fflush(stdout); // the text printed with printf comes first on a shared stdout
  return writeOutputFile(path, json + "\n");
}

std::vector<std::string> inputNames(const Manifest &manifest) {
  std::vector<std::string> names;
  for (const ArgSpec &arg : manifest.args)
    if (arg.role == ArgRole::Input)
      names.push_back(arg.name);
  return names;
}

std::string missingInputFiles(const std::string &dir, const std::vector<std::string> &inputs) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return "--inputs " + dir + ": no such folder";
  std::string missing;
  for (const std::string &name : inputs)
    if (!std::filesystem::is_regular_file(dir + "/" + name + ".npy", ec))
      missing += (missing.empty() ? "" : ", ") + name + ".npy";
  return missing.empty() ? "" : "--inputs " + dir + ": missing " + missing;
}

int runLibrary(const RunOptions &options) {
  reportFailedAllocations();
  try {
    Library lib(options.library);
    const Manifest &manifest = lib.manifest();
    if (!options.inputsDir.empty())
      if (std::string missing = missingInputFiles(options.inputsDir, inputNames(manifest)); !missing.empty())
        throw Error(missing);
    // The .npy inputs are read first: their shapes give values to the run-time symbols not given.
    std::vector<std::optional<NpyArray>> npyInputs(manifest.args.size());
    for (size_t i = 0; i < manifest.args.size(); ++i)
      if (manifest.args[i].role == ArgRole::Input && !options.inputsDir.empty())
        npyInputs[i] = read_npy(options.inputsDir + "/" + manifest.args[i].name + ".npy");
    // Given values are checked first (a symbol the library lacks, one fixed at compile time to another
    // value); inferred ones then as if given, and every input's shape when the graph runs.
    SymbolValues symbols = lib.symbol_values(options.symbols);
    for (size_t i = 0; i < manifest.args.size(); ++i) {
      const std::vector<DimSpec> &declared = manifest.args[i].shape;
      if (npyInputs[i] && npyInputs[i]->shape.size() == declared.size())
        for (size_t d = 0; d < declared.size(); ++d)
          if (declared[d].is_symbol() && !symbols.count(declared[d].symbol))
            symbols[declared[d].symbol] = npyInputs[i]->shape[d];
    }
    symbols = lib.symbol_values(symbols);
    for (const SymbolSpec &s : manifest.symbols)
      if (!symbols.count(s.name))
        throw Error("symbol '" + s.name + "' is a run-time argument of this library: pass --bind " + s.name +
                    "=N" + (options.inputsDir.empty() ? "" : " (no input file's shape gives it)"));
    std::vector<ArgBuffer> buffers;
    buffers.reserve(manifest.args.size()); // args point into them
    std::vector<std::pair<float *, size_t>> outputs(manifest.args.size(), {nullptr, 0});
    std::vector<TensorRef> args;
    std::mt19937 rng(options.seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (size_t i = 0; i < manifest.args.size(); ++i) {
      const ArgSpec &arg = manifest.args[i];
      const ArgShape shape = lib.arg_shape(i, symbols); // element and byte counts checked for overflow
      if (npyInputs[i]) {
        args.emplace_back(npyInputs[i]->data.data(), npyInputs[i]->shape); // the loader checks the shape
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
      // What --outputs writes is the last run's own work: a run that skips an output (a map wrongly run
      // once per handle) leaves NaN there instead of the previous run's values.
      if (i > 0 && !options.outputsDir.empty())
        for (const auto &[data, size] : outputs)
          if (data)
            std::fill_n(data, size, std::numeric_limits<float>::quiet_NaN());
      double start = dmcrt_now_ms();
      instance.run(symbols, args);
      times.push_back(dmcrt_now_ms() - start);
    }
    std::sort(times.begin(), times.end());
    // The same results as text on stdout and, with --json, as JSON (which replaces the text with --json -).
    const bool text = options.jsonPath != "-";
    nlohmann::ordered_json report = {{"graph", manifest.name},
                                     {"input", options.input.empty() ? options.library : options.input},
                                     {"symbols", symbols},
                                     {"runs", times.size()},
                                     {"median_ms", times[times.size() / 2]},
                                     {"min_ms", times.front()},
                                     {"times_ms", times},
                                     {"outputs", nlohmann::ordered_json::array()}};
    if (text)
      std::printf("%s: %zu run(s), median %.3f ms, min %.3f ms\n", manifest.name.c_str(), times.size(),
                  times[times.size() / 2], times.front());
    if (options.profile) {
      const char *profile = dmcrt_profiler_report(dmcrt_profile_global());
      report["profile"] = profile ? profile : "";
      std::fputs(profile ? profile : "", text ? stdout : stderr);
    }
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
      const double mean = size == 0 ? 0.0 : sum / size;
      // JSON has no infinities: an output with no finite element has no minimum or maximum (null).
      const bool anyFinite = nonFinite < size;
      report["outputs"].push_back({{"name", arg.name},
                                   {"shape", args[i].shape},
                                   {"mean", mean},
                                   {"min", anyFinite ? nlohmann::ordered_json(lo) : nullptr},
                                   {"max", anyFinite ? nlohmann::ordered_json(hi) : nullptr},
                                   {"non_finite", nonFinite}});
      if (text)
        std::printf("  output %s %s: mean %.6g, min %.6g, max %.6g%s\n", arg.name.c_str(),
                    shapeString(args[i].shape).c_str(), mean, lo, hi,
                    nonFinite ? (", " + std::to_string(nonFinite) + " non-finite").c_str() : "");
      if (!options.outputsDir.empty())
        write_npy(options.outputsDir + "/" + arg.name + ".npy", data, args[i].shape);
    }
    if (!options.jsonPath.empty() && !writeJsonReport(options.jsonPath, report.dump(2)))
      return 1;
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "dmc: error: %s\n", e.what());
    return 1;
  }
}

} // namespace dmc
