//===- BenchCommand.cpp - dmc bench: same-run comparisons -----------------===//
//
// Timings on a shared machine drift by tens of percent within minutes, so every number printed is
// measured in this run, interleaved: variant A, variant B, ..., sgemm, then again.
//
//===----------------------------------------------------------------------===//
#include "compiler/dmc/BenchCommand.h"
#include "compiler/dmc/BenchChart.h"
#include "compiler/dmc/RunCommand.h"
#include "compiler/support/Files.h"

#include <dmc/runtime/loader.h>
#include <dmc/runtime/timer.h>
#include <dnnl.h>
#include <omp.h>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include <unistd.h>

namespace dmc {
namespace {
std::string formatRatio(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

/// Runs the PyTorch reference's timing mode; returns its JSON report (median_ms, threads, torch).
nlohmann::json timeTorchReference(const std::vector<std::string> &command) {
  auto python = llvm::sys::findProgramByName(command.front());
  if (!python)
    throw Error("cannot find " + command.front() + " to time the PyTorch reference");
  llvm::SmallString<128> out;
  if (llvm::sys::fs::createTemporaryFile("dmc-bench-torch", "json", out))
    throw Error("cannot create a temporary file");
  std::vector<llvm::StringRef> args(command.begin(), command.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(out), std::nullopt};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*python, args, std::nullopt, redirects, 0, 0, &error);
  auto text = llvm::MemoryBuffer::getFile(out);
  llvm::sys::fs::remove(out);
  if (rc != 0 || !text)
    throw Error("the PyTorch reference failed (" + (error.empty() ? "exit code " + std::to_string(rc) : error) +
                "): " + command[1]);
  nlohmann::json report = nlohmann::json::parse((*text)->getBuffer().str(), nullptr, /*allow_exceptions=*/false);
  if (!report.is_object() || !report.contains("median_ms") || !report["median_ms"].is_number())
    throw Error("the PyTorch reference printed no median_ms: " + command[1]);
  return report;
}

struct Prepared {
  Library library;
  std::vector<ArgBuffer> outputs;
  std::vector<TensorRef> args;
};
} // namespace

int runBench(const BenchOptions &options) {
  reportFailedAllocations();
  try {
    std::vector<std::unique_ptr<Prepared>> runs;
    std::vector<ArgBuffer> inputs;
    std::mt19937 rng(options.seed);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (const BenchVariant &v : options.variants) {
      auto p = std::make_unique<Prepared>(Prepared{Library(v.library), {}, {}});
      size_t input = 0;
      for (size_t i = 0; i < p->library.manifest().args.size(); ++i) {
        const ArgSpec &arg = p->library.manifest().args[i];
        for (const DimSpec &d : arg.shape)
          if (d.is_symbol())
            throw Error("bench needs every size bound; '" + d.symbol + "' is not (use --bind)");
        const ArgShape shape = p->library.arg_shape(i, {}); // element and byte counts checked for overflow
        if (arg.role == ArgRole::Input) {
          if (input == inputs.size()) { // one set of inputs shared by every variant
            inputs.emplace_back(arg, shape);
            for (float &x : inputs.back())
              x = normal(rng) * 0.1f;
          }
          p->args.emplace_back(static_cast<const float *>(inputs[input++].data()), shape.dims);
        } else {
          p->outputs.emplace_back(arg, shape);
          p->args.emplace_back(p->outputs.back().data(), shape.dims);
        }
      }
      runs.push_back(std::move(p));
    }
    std::vector<Library::Instance> instances;
    for (auto &r : runs)
      instances.push_back(r->library.create());

    // oneDNN's sgemm on the graph's largest contraction: the machine's GEMM rate, measured now.
    int64_t m = std::max<int64_t>(options.work.m, 64), n = std::max<int64_t>(options.work.n, 64),
            k = std::max<int64_t>(options.work.k, 64);
    std::vector<float> a(m * k, 0.5f), b(k * n, 0.25f), c(m * n);
    auto sgemm = [&] {
      double start = dmcrt_now_ms();
      if (dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n) != dnnl_success)
        throw Error("oneDNN sgemm failed");
      return dmcrt_now_ms() - start;
    };
    sgemm(); // warm-up: oneDNN picks and JITs its kernel
    for (size_t v = 0; v < instances.size(); ++v)
      instances[v].run(runs[v]->args);

    std::vector<std::vector<double>> times(instances.size());
    std::vector<double> sgemmTimes;
    // Progress only onto a terminal: a log or a pipe gets the results alone.
    const bool progress = isatty(STDERR_FILENO);
    for (unsigned rep = 0; rep < options.repeat; ++rep) {
      if (progress)
        std::fprintf(stderr, "\rbench: run %u/%u", rep + 1, options.repeat);
      for (size_t v = 0; v < instances.size(); ++v) {
        double start = dmcrt_now_ms();
        instances[v].run(runs[v]->args);
        times[v].push_back(dmcrt_now_ms() - start);
      }
      sgemmTimes.push_back(sgemm());
    }
    if (progress)
      std::fprintf(stderr, "\r%*s\r", 40, "");

    // The same results as text on stdout and, with --json, as JSON (which replaces the text with --json -).
    const bool text = options.jsonPath != "-";
    double sgemmRate = 2.0 * m * n * k / (median(sgemmTimes) * 1e6); // GFLOP/s
    double limitMs = options.work.contractionFlops / (sgemmRate * 1e6);
    nlohmann::ordered_json report = {{"graph", runs[0]->library.name()},
                                     {"runs", options.repeat},
                                     {"threads", omp_get_max_threads()},
                                     {"gflop", options.work.flops * 1e-9},
                                     {"contraction_gflop", options.work.contractionFlops * 1e-9},
                                     {"variants", nlohmann::ordered_json::array()}};
    if (text) {
      std::printf("%s: %u interleaved runs, %d threads, %.3f GFLOP per run (%.3f in contractions)\n",
                  runs[0]->library.name().c_str(), options.repeat, omp_get_max_threads(), options.work.flops * 1e-9,
                  options.work.contractionFlops * 1e-9);
      std::printf("  %-12s %12s %10s %9s %14s %12s\n", "variant", "median ms", "GFLOP/s", "speed-up", "bytes moved",
                  "max rel err");
    }
    double base = median(times[0]);
    for (size_t v = 0; v < instances.size(); ++v) {
      // Agreement of every variant with the baseline: a benchmark of wrong code is worthless.
      double t = median(times[v]), err = 0, scale = 1;
      for (size_t o = 0; o < runs[v]->outputs.size(); ++o)
        for (size_t i = 0; i < runs[v]->outputs[o].size(); ++i) {
          scale = std::max(scale, (double)std::fabs(runs[0]->outputs[o][i]));
          err = std::max(err, (double)std::fabs(runs[v]->outputs[o][i] - runs[0]->outputs[o][i]));
        }
      const double moved = options.variants[v].bytesMoved;
      report["variants"].push_back({{"label", options.variants[v].label},
                                    {"median_ms", t},
                                    {"gflops", options.work.flops / (t * 1e6)},
                                    {"speedup", base / t},
                                    {"bytes_moved", moved >= 0 ? nlohmann::ordered_json(moved) : nullptr},
                                    {"max_rel_err", err / scale},
                                    {"gemm_bound_fraction", limitMs / t},
                                    {"times_ms", times[v]}});
      char bytes[32] = "unknown";
      if (moved >= 0)
        std::snprintf(bytes, sizeof bytes, "%.1f MiB", moved / (1 << 20));
      if (text)
        std::printf("  %-12s %12.3f %10.1f %8.2fx %14s %12.1e\n", options.variants[v].label.c_str(), t,
                    options.work.flops / (t * 1e6), base / t, bytes, err / scale);
    }
    BenchChart chart{runs[0]->library.name() + ": median of " + std::to_string(options.repeat) +
                         " interleaved runs, " + std::to_string(omp_get_max_threads()) + " threads", {}, 0};
    for (size_t v = 0; v < instances.size(); ++v)
      chart.bars.push_back({options.variants[v].label, median(times[v]), v ? formatRatio(base / median(times[v])) : ""});
    if (!options.torchCommand.empty()) {
      // Its own process (Python and PyTorch), right after the interleaved runs.
      if (progress)
        std::fprintf(stderr, "bench: timing the PyTorch reference...");
      nlohmann::json torch = timeTorchReference(options.torchCommand);
      if (progress)
        std::fprintf(stderr, "\r%*s\r", 40, "");
      double t = torch["median_ms"].get<double>();
      report["torch"] = {{"median_ms", t},
                         {"gflops", options.work.flops / (t * 1e6)},
                         {"speedup", base / t},
                         {"version", torch.value("torch", std::string("?"))},
                         {"threads", torch.value("threads", 0)}};
      chart.bars.push_back({"torch", t, "PyTorch " + torch.value("torch", std::string("?")) + " eager, run after"});
      if (text) {
        std::printf("  %-12s %12.3f %10.1f %8.2fx   (PyTorch %s eager, float32, %d threads, median of %u, run after)\n",
                    "torch", t, options.work.flops / (t * 1e6), base / t,
                    torch.value("torch", std::string("?")).c_str(), torch.value("threads", 0), options.repeat);
        for (size_t v = 0; v < instances.size(); ++v)
          std::printf("  %s runs %.2fx as fast as the PyTorch reference\n", options.variants[v].label.c_str(),
                      t / median(times[v]));
      }
    }
    report["sgemm"] = {{"m", m}, {"n", n}, {"k", k}, {"gflops", sgemmRate}, {"gemm_bound_limit_ms", limitMs}};
    if (text) {
      std::printf("  oneDNN sgemm %lldx%lldx%lld: %.1f GFLOP/s (median of %u, same run)\n", (long long)m,
                  (long long)n, (long long)k, sgemmRate, options.repeat);
      for (size_t v = 0; v < instances.size(); ++v)
        std::printf("  %s reaches %.2f of the GEMM-bound limit (%.3f ms: contraction FLOPs at the sgemm rate)\n",
                    options.variants[v].label.c_str(), limitMs / median(times[v]), limitMs);
    }
    if (!options.svgPath.empty()) {
      chart.gemmBoundMs = limitMs;
      if (!writeOutputFile(options.svgPath, benchChartSvg(chart)))
        return 1;
      if (text)
        std::printf("  chart: %s\n", options.svgPath.c_str());
    }
    if (!options.jsonPath.empty() && !writeJsonReport(options.jsonPath, report.dump(2)))
      return 1;
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%sdmc: error: %s\n", isatty(STDERR_FILENO) ? "\n" : "", e.what());
    return 1;
  }
}

} // namespace dmc
