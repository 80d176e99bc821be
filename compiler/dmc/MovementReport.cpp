//===- MovementReport.cpp - dmc compile --report=movement -----------------===//
#include "compiler/dmc/MovementReport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/Format.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace mlir;

namespace dmc {

std::optional<ReportFormat> parseReportFormat(llvm::StringRef text) {
  if (text == "text")
    return ReportFormat::Text;
  if (text == "json")
    return ReportFormat::Json;
  return std::nullopt;
}

namespace {

sdfg::SDFGOp findSDFG(Operation *op) {
  if (auto sdfg = dyn_cast<sdfg::SDFGOp>(op))
    return sdfg;
  sdfg::SDFGOp found;
  op->walk([&](sdfg::SDFGOp s) {
    found = s;
    return WalkResult::interrupt();
  });
  return found;
}

struct RecordAfterEachPass : PassInstrumentation {
  explicit RecordAfterEachPass(MovementReport &report) : report(report) {}
  void runAfterPass(Pass *pass, Operation *op) override {
    if (!pass->getArgument().empty())
      report.record(pass->getArgument(), op);
  }
  MovementReport &report;
};

// ---- text ----

std::string bytesText(const Bytes &b) { return b.known ? std::to_string(b.value) : "?"; }

std::string mibText(const Bytes &b) {
  if (!b.known)
    return "? MiB";
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.3f MiB", b.value / (1024.0 * 1024.0));
  return s;
}

/// Prints rows of cells as columns: the first `leftAligned` columns padded right, the others left.
void printTable(llvm::raw_ostream &os, const std::vector<std::vector<std::string>> &rows, size_t leftAligned,
                llvm::StringRef indent = "") {
  std::vector<size_t> width;
  for (const auto &row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i)
        width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto &row : rows) {
    std::string line = indent.str();
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      if (i)
        line += "  ";
      line += i < leftAligned ? row[i] + pad : pad + row[i];
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    os << line << "\n";
  }
}

// ---- JSON ----

using json = nlohmann::ordered_json; // keeps the documented field order

json bytesJson(const Bytes &b) { return b.known ? json(b.value) : json(nullptr); }

void addTraffic(json &j, const Traffic &t) {
  j["read"] = bytesJson(t.read);
  j["written"] = bytesJson(t.written);
  j["moved"] = bytesJson(t.moved());
  j["on_chip_read"] = bytesJson(t.onChipRead);
  j["on_chip_written"] = bytesJson(t.onChipWritten);
}

/// The access volume (memlet executions x element size) next to the moved bytes.
void addAccesses(json &j, const Traffic &a) {
  j["accesses_read"] = bytesJson(a.read);
  j["accesses_written"] = bytesJson(a.written);
  j["accesses"] = bytesJson(a.moved());
}

} // namespace

void MovementReport::record(llvm::StringRef step, Operation *op) {
  sdfg::SDFGOp sdfg = findSDFG(op);
  if (!sdfg)
    return;
  MovementResult result = analyzeMovement(sdfg, bindings);
  std::lock_guard<std::mutex> lock(mutex);
  steps.push_back(MovementStep{step.str(), result.totals, result.totalAccesses, result.transientFootprint,
                              result.peakTransients});
}

std::unique_ptr<PassInstrumentation> MovementReport::instrumentation() {
  return std::make_unique<RecordAfterEachPass>(*this);
}

void MovementReport::print(llvm::raw_ostream &os, sdfg::SDFGOp final, ReportFormat format) const {
  MovementResult result = analyzeMovement(final, bindings);
  if (format == ReportFormat::Json)
    printJson(os, result);
  else
    printText(os, result);
  os.flush();
}

void MovementReport::printText(llvm::raw_ostream &os, const MovementResult &result) const {
  os << "data movement of @" << result.sdfgName << " (bytes in memory per call; on-chip storage apart)\n";
  std::vector<std::vector<std::string>> rows;
  for (auto [i, step] : llvm::enumerate(steps)) {
    char index[16];
    snprintf(index, sizeof index, "%02zu", i);
    rows.push_back({index, step.name,
                    "moved: " + mibText(step.totals.moved()) + " (read " + mibText(step.totals.read) +
                        ", written " + mibText(step.totals.written) + "), transients: " +
                        mibText(step.transients) + ", accesses: " + mibText(step.accesses.moved())});
  }
  printTable(os, rows, 3);

  os << "\ncontainers after the pipeline:\n";
  rows = {{"container", "kind", "storage", "shape", "size", "read", "written"}};
  for (const ContainerMovement &c : result.containers)
    rows.push_back({c.name, stringifyContainerKind(c.kind).str() + (c.onChip ? " (on-chip)" : ""), c.storage,
                    c.shape, bytesText(c.size), bytesText(c.read), bytesText(c.written)});
  rows.push_back({"total (memory)", "", "", "", "", bytesText(result.totals.read), bytesText(result.totals.written)});
  printTable(os, rows, 4);

  os << "\nmoved: " << bytesText(result.totals.moved()) << " bytes (read " << bytesText(result.totals.read)
     << ", written " << bytesText(result.totals.written) << ")\n";
  os << "accesses: " << bytesText(result.totalAccesses.moved()) << " bytes (read "
     << bytesText(result.totalAccesses.read) << ", written " << bytesText(result.totalAccesses.written)
     << "; memlet executions x element size)\n";
  os << "on-chip: read " << bytesText(result.totals.onChipRead) << ", written "
     << bytesText(result.totals.onChipWritten) << "\n";
  os << "heap transients: " << bytesText(result.transientFootprint) << " bytes, peak per state "
     << bytesText(result.peakTransients) << "\n";

  os << "\nstates:\n";
  rows = {{"state / map", "read", "written", "live transients", "accesses"}};
  for (const StateMovement &s : result.states) {
    rows.push_back({"@" + s.name, bytesText(s.traffic.read), bytesText(s.traffic.written),
                    bytesText(s.liveTransients), bytesText(s.accesses.moved())});
    for (const NodeMovement &n : s.nodes) {
      if (n.kind != "sdfg.map")
        continue;
      std::string label = "  " + n.label;
      if (!n.writes.empty())
        label += " -> " + llvm::join(n.writes, ", ");
      rows.push_back({label, bytesText(n.traffic.read), bytesText(n.traffic.written), "",
                      bytesText(n.accesses.moved())});
    }
  }
  printTable(os, rows, 1);

  if (!result.unknownSymbols.empty())
    os << "\nunknown numbers (?): no value for symbol(s) " << llvm::join(result.unknownSymbols, ", ")
       << "; pass --bind NAME=VALUE\n";
  for (const std::string &note : result.notes)
    os << "unknown numbers (?): " << note << "\n";
}

void MovementReport::printJson(llvm::raw_ostream &os, const MovementResult &result) const {
  json j;
  j["graph"] = result.sdfgName;
  j["bindings"] = json::object();
  for (const auto &[name, value] : bindings)
    j["bindings"][name] = value;
  j["unknown_symbols"] = result.unknownSymbols;
  j["notes"] = result.notes;

  j["passes"] = json::array();
  for (auto [i, step] : llvm::enumerate(steps)) {
    json s;
    s["index"] = i;
    s["pass"] = step.name;
    addTraffic(s, step.totals);
    addAccesses(s, step.accesses);
    s["transients"] = bytesJson(step.transients);
    s["peak_transients"] = bytesJson(step.peakTransients);
    j["passes"].push_back(std::move(s));
  }

  json totals;
  addTraffic(totals, result.totals);
  addAccesses(totals, result.totalAccesses);
  totals["transients"] = bytesJson(result.transientFootprint);
  totals["peak_transients"] = bytesJson(result.peakTransients);
  j["totals"] = std::move(totals);

  j["containers"] = json::array();
  for (const ContainerMovement &c : result.containers) {
    json cj;
    cj["name"] = c.name;
    cj["kind"] = stringifyContainerKind(c.kind).str();
    cj["storage"] = c.storage;
    cj["lifetime"] = c.lifetime.empty() ? json(nullptr) : json(c.lifetime);
    cj["on_chip"] = c.onChip;
    cj["shape"] = c.shape;
    cj["element_size"] = c.elementSize;
    cj["size"] = bytesJson(c.size);
    cj["read"] = bytesJson(c.read);
    cj["written"] = bytesJson(c.written);
    j["containers"].push_back(std::move(cj));
  }

  j["states"] = json::array();
  for (const StateMovement &s : result.states) {
    json sj;
    sj["name"] = s.name;
    addTraffic(sj, s.traffic);
    addAccesses(sj, s.accesses);
    sj["live_transients"] = bytesJson(s.liveTransients);
    sj["nodes"] = json::array();
    for (const NodeMovement &n : s.nodes) {
      json nj;
      nj["kind"] = n.kind;
      nj["label"] = n.label;
      nj["writes"] = n.writes;
      addTraffic(nj, n.traffic);
      addAccesses(nj, n.accesses);
      sj["nodes"].push_back(std::move(nj));
    }
    j["states"].push_back(std::move(sj));
  }
  os << j.dump(2) << "\n";
}

} // namespace dmc
