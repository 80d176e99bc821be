//===- PassStatistics.cpp - what each pass rewrote, counted in every build ===//
#include "passes/PassStatistics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cstring>

using namespace llvm;

namespace dmc {
namespace {
/// Every live statistic, by the pass that owns it. Passes are built and cloned on the thread that runs
/// the pass manager, but several pass managers may run at once (one per thread of a caller).
struct Registry {
  std::mutex mutex;
  DenseMap<const mlir::Pass *, SmallVector<PassStatistic *, 4>> byOwner;
};
Registry &registry() {
  static Registry *r = new Registry; // never destroyed: a pass may outlive function-local statics
  return *r;
}

void enroll(const mlir::Pass *owner, PassStatistic *statistic) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.byOwner[owner].push_back(statistic);
}
} // namespace

PassStatistic::PassStatistic(mlir::Pass *owner, const char *name, const char *description)
    : name(name), description(description),
      offsetInOwner(reinterpret_cast<const char *>(this) - reinterpret_cast<const char *>(owner)) {
  enroll(owner, this);
}

PassStatistic::PassStatistic(const PassStatistic &other)
    : name(other.name), description(other.description), offsetInOwner(other.offsetInOwner) {
  enroll(reinterpret_cast<const mlir::Pass *>(reinterpret_cast<const char *>(this) - offsetInOwner), this);
}

PassStatistic::~PassStatistic() {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto owner = reinterpret_cast<const mlir::Pass *>(reinterpret_cast<const char *>(this) - offsetInOwner);
  auto it = r.byOwner.find(owner);
  if (it == r.byOwner.end())
    return;
  llvm::erase(it->second, this);
  if (it->second.empty())
    r.byOwner.erase(it);
}

std::vector<PassStatistic *> statisticsOf(const mlir::Pass *pass) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.byOwner.find(pass);
  if (it == r.byOwner.end())
    return {};
  return {it->second.begin(), it->second.end()};
}

/// Takes each pass's counts into the report right after it ran, on the thread that ran it: a pass
/// instance (or its per-thread clone) runs once per operation, so taking and restarting the counts
/// there attributes every rewrite exactly once.
class CollectPassStatistics : public mlir::PassInstrumentation {
public:
  explicit CollectPassStatistics(PassStatisticsReport &report) : report(report) {}
  void runAfterPass(mlir::Pass *pass, mlir::Operation *) override { report.takeFrom(pass); }
  void runAfterPassFailed(mlir::Pass *pass, mlir::Operation *) override { report.takeFrom(pass); }

private:
  PassStatisticsReport &report;
};

std::unique_ptr<mlir::PassInstrumentation> PassStatisticsReport::instrumentation() {
  return std::make_unique<CollectPassStatistics>(*this);
}

void PassStatisticsReport::takeFrom(mlir::Pass *pass) {
  std::vector<PassStatistic *> statistics = statisticsOf(pass);
  if (statistics.empty())
    return;
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<Entry> &entries = byPass[pass->getName()];
  if (entries.empty())
    for (PassStatistic *s : statistics)
      entries.push_back({s->getName(), s->getDescription(), 0});
  for (auto [entry, s] : llvm::zip(entries, statistics))
    entry.value += s->take();
}

void PassStatisticsReport::print(raw_ostream &os) const {
  std::lock_guard<std::mutex> lock(mutex);
  // The header and layout of MLIR's PassStatistics.cpp (list mode), so both read the same.
  constexpr StringLiteral kTitle = "... Pass statistics report ...";
  os << "===" << std::string(73, '-') << "===\n";
  os.indent((80 - kTitle.size()) / 2) << kTitle << "\n";
  os << "===" << std::string(73, '-') << "===\n";
  std::vector<StringRef> passes;
  for (const auto &entry : byPass)
    passes.push_back(entry.getKey());
  llvm::sort(passes);
  for (StringRef pass : passes) {
    os.indent(2) << pass << "\n";
    std::vector<Entry> entries = byPass.lookup(pass);
    llvm::sort(entries, [](const Entry &a, const Entry &b) { return StringRef(a.name) < StringRef(b.name); });
    size_t nameWidth = 0, valueWidth = 0;
    for (const Entry &e : entries) {
      nameWidth = std::max(nameWidth, std::strlen(e.name));
      valueWidth = std::max(valueWidth, utostr(e.value).size());
    }
    for (const Entry &e : entries)
      os.indent(4) << format("(S) %*llu %-*s - %s\n", (int)valueWidth, (unsigned long long)e.value, (int)nameWidth,
                             e.name, e.description);
  }
  os << "\n";
}

} // namespace dmc
