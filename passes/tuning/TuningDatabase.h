//===- TuningDatabase.h - the file of measured kernel choices --------------===//
//
// A JSON file (by default tuning.json in the cache folder) of entries, one per machine and node
// signature (Tuning.h):
//
//   {"format": "dmc-tuning-1", "entries": [{"cpu": "amd-epyc-9b45", "isa": "avx512", "threads": 2,
//     "node": "nn.fused_matmul ins(...) outs(...) {has_pre}", "impl": "tiled", "tiles": {"m": 48},
//     "median_ms": 0.41, "default": "library", "default_ms": 0.47, "tuned_at": "2026-12-07T15:20:00Z"}]}
//
// Writers take an exclusive lock on FILE.lock, read the file again, merge their entries (replacing
// those of the same key) and rename a complete new file into place, so concurrent `dmc tune` runs
// keep each other's results and a reader never sees a partial file.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_TUNING_TUNINGDATABASE_H
#define DMC_PASSES_TUNING_TUNINGDATABASE_H

#include "passes/tuning/Tuning.h"

#include <optional>
#include <string>
#include <vector>

namespace dmc::tuning {

/// The file name of the database inside the cache folder.
inline constexpr const char *kDatabaseFileName = "tuning.json";

struct Entry {
  Machine machine;
  std::string node;     // nodeSignature
  Choice choice;        // the fastest candidate
  double medianMs = 0;  // its median time
  Choice defaultChoice; // what -O3 chose without the entry
  double defaultMs = 0;
  std::string tunedAt; // UTC, ISO 8601
};

class Database {
public:
  /// Reads `path`; a missing file is an empty database. nullopt with `error` set when the file is
  /// unreadable or not a database.
  static std::optional<Database> read(const std::string &path, std::string &error);

  /// The entry of `node` measured on `machine`, or null.
  const Entry *find(const Machine &machine, llvm::StringRef node) const;
  const std::vector<Entry> &entries() const { return entries_; }

  /// Merges `entries` into the file at `path` under its lock (see above). False with `error` set.
  static bool merge(const std::string &path, const std::vector<Entry> &entries, std::string &error);

private:
  std::vector<Entry> entries_;
};

} // namespace dmc::tuning

#endif
