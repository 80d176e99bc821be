//===- PassStatistics.h - what each pass rewrote, counted in every build --===//
//
// A pass declares its counters as members, as MLIR's generated pass bases do with Pass::Statistic:
//
//   dmc::PassStatistic numFused{this, "maps-fused", "producer maps fused into their consumer"};
//   ...  ++numFused;
//
// and `dmc compile --pass-stats` / `dmc-opt --mlir-pass-statistics` print them after the pipeline in
// MLIR's list format. MLIR's own mlir::Pass::Statistic (`let statistics` in Passes.td) is not used:
// it derives from llvm::Statistic, which is llvm::NoopStatistic in an LLVM built with NDEBUG and
// without LLVM_FORCE_ENABLE_STATS (Debian's LLVM 19, see llvm/Config/llvm-config.h): it would count
// nothing, and MLIR's statistics report of such a build lists no values.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_PASSSTATISTICS_H
#define DMC_PASSES_PASSSTATISTICS_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace dmc {

/// A counter of one kind of rewrite, a member of the pass that counts. `name` and `description` must
/// be string literals (they are kept as pointers).
class PassStatistic {
public:
  PassStatistic(mlir::Pass *owner, const char *name, const char *description);
  /// The counter of a pass's clone (Pass::clone copy-constructs the whole pass, as the pass manager
  /// does for each thread): it belongs to the clone, found at the same offset from its pass, and
  /// starts at zero.
  PassStatistic(const PassStatistic &other);
  PassStatistic &operator=(const PassStatistic &) = delete;
  ~PassStatistic();

  PassStatistic &operator++() { return *this += 1; }
  PassStatistic &operator+=(uint64_t n) {
    value.fetch_add(n, std::memory_order_relaxed);
    return *this;
  }
  const char *getName() const { return name; }
  const char *getDescription() const { return description; }
  /// Returns the count so far and restarts it at zero.
  uint64_t take() { return value.exchange(0, std::memory_order_relaxed); }

private:
  const char *name, *description;
  std::ptrdiff_t offsetInOwner; // this - owner, in bytes
  std::atomic<uint64_t> value{0};
};

/// `tryRewrite` (op -> whether it rewrote), counting its successes in `statistic`: for
/// rewriteToFixpoint(root, countSuccesses(numFused, tryFuse)) and the like.
template <typename TryRewrite>
auto countSuccesses(PassStatistic &statistic, TryRewrite tryRewrite) {
  return [&statistic, tryRewrite](auto op) {
    bool rewritten = tryRewrite(op);
    statistic += rewritten;
    return rewritten;
  };
}

/// The statistics a pass declared, in declaration order (none for passes outside dmc).
std::vector<PassStatistic *> statisticsOf(const mlir::Pass *pass);

/// The statistics of every pass a pass manager ran, summed per pass (over repeated and threaded runs).
class PassStatisticsReport {
public:
  /// Add to the pass manager: after each pass it takes the pass's counts into this report.
  std::unique_ptr<mlir::PassInstrumentation> instrumentation();
  /// MLIR's list format (PassDisplayMode::List): passes by name, each with its statistics by name.
  void print(llvm::raw_ostream &os) const;

private:
  struct Entry {
    const char *name, *description;
    uint64_t value;
  };
  void takeFrom(mlir::Pass *pass);
  mutable std::mutex mutex;
  llvm::StringMap<std::vector<Entry>> byPass;
  friend class CollectPassStatistics;
};

} // namespace dmc

#endif
