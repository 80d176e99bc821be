//===- TuneCommand.cpp - dmc tune: the fastest implementation per node, measured ===//
//
// After -O3's node fusions, each tunable node (passes/tuning/Tuning.h) is cut out into an SDFG of its
// own, once per distinct signature (bert_encoder's Q, K and V projections are one). Every candidate
// implementation of it is compiled by `dmc compile` in its own process (several at once), then the
// candidates of one node are loaded together and run interleaved on the same inputs, their outputs
// compared with the default's first: a fast wrong kernel is never chosen. The budget covers both
// phases: compiles start only in the first 60% of it, in an order that gives every node its default,
// the runtime call and the tiled default before any block variant.
//
//===----------------------------------------------------------------------===//
#include "compiler/dmc/TuneCommand.h"
#include "compiler/backend/Compile.h"
#include "compiler/dmc/FlopCount.h"
#include "compiler/dmc/RunCommand.h"
#include "compiler/support/Files.h"
#include "compiler/support/Interrupts.h"
#include "passes/Passes.h"
#include "passes/tuning/TuningDatabase.h"

#include <dmc/runtime/loader.h>
#include <dmc/runtime/timer.h>

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <nlohmann/json.hpp>

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>
#include <thread>

using namespace mlir;

namespace dmc {
namespace {
/// The share of the budget in which compiles may start; the rest is for timing.
constexpr double kCompileShare = 0.6;
/// The pure expansion is a candidate only for nodes of at most this many FLOPs: beyond, one run of it
/// takes a large part of the budget and never wins.
constexpr double kMaxPureFlops = 2.5e8;
/// Interleaved rounds per node: at least (unless its time slice ends first, where the minimum) and at most.
constexpr unsigned kMinRounds = 3, kMaxRounds = 200;
/// Outputs must agree with the default's within this, relative to the largest magnitude of the default's.
constexpr double kAgreement = 1e-3;

struct Candidate {
  tuning::Choice choice;
  std::string source, library, log; // the isolated node's MLIR, the compiled library, the compile's output
  std::string failure;               // why it was not (or no longer) timed; empty while it is
  std::vector<double> times;
  double median() const {
    std::vector<double> t = times;
    std::sort(t.begin(), t.end());
    return t.empty() ? 0 : t[t.size() / 2];
  }
};

struct Group {
  std::string signature;
  std::vector<std::string> labels;
  OwningOpRef<ModuleOp> isolated; // the node alone in an SDFG
  tuning::Choice defaultChoice;
  std::vector<Candidate> candidates;
  double flops = 0;
};

std::string labelOf(Operation *node) {
  auto label = node->getAttrOfType<StringAttr>("label");
  return label ? label.str() : node->getName().stripDialect().str();
}

/// "nn.fused_matmul [2, 16, 128] [128, 512] [512] -> [2, 16, 512]": the node in the table.
std::string shapes(Operation *node) {
  std::string text = node->getName().getStringRef().str();
  auto library = cast<nn::LibraryNode>(node);
  for (Value v : library.getInputs())
    text += " " + formatShape(cast<sdfg::ArrayType>(v.getType()).getShape());
  text += " ->";
  for (Value v : library.getOutputs())
    text += " " + formatShape(cast<sdfg::ArrayType>(v.getType()).getShape());
  return text;
}

/// `node` alone in an SDFG `dmc_tune` whose arguments are its distinct inputs, then its outputs.
OwningOpRef<ModuleOp> isolate(Operation *node) {
  Location loc = node->getLoc();
  OpBuilder b(node->getContext());
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  auto library = cast<nn::LibraryNode>(node);
  SmallVector<Value> args;
  for (Value v : library.getInputs())
    if (!llvm::is_contained(args, v))
      args.push_back(v);
  size_t numInputs = args.size();
  llvm::append_range(args, library.getOutputs());
  SmallVector<std::string> names;
  for (size_t i = 0; i < args.size(); ++i)
    names.push_back(i < numInputs ? "in" + std::to_string(i) : "out" + std::to_string(i - numInputs));
  b.setInsertionPointToEnd(module->getBody());
  auto sdfg = b.create<sdfg::SDFGOp>(loc, b.getStringAttr("dmc_tune"),
                                     b.getStrArrayAttr(SmallVector<StringRef>(names.begin(), names.end())),
                                     b.getI64IntegerAttr(0), b.getI64IntegerAttr(0), b.getI64IntegerAttr(numInputs),
                                     nullptr, nullptr, nullptr);
  Block *body = new Block();
  sdfg.getBody().push_back(body);
  IRMapping mapping;
  for (Value v : args)
    mapping.map(v, body->addArgument(v.getType(), loc));
  b.setInsertionPointToEnd(body);
  auto state = b.create<sdfg::StateOp>(loc, b.getStringAttr("main"));
  state.getBody().push_back(new Block());
  b.setInsertionPointToEnd(&state.getBody().front());
  Operation *clone = b.clone(*node, mapping);
  clone->removeAttr("label"); // not part of the signature: the same node of another graph hits the cache
  // Constant inputs stay constant, so that work on them alone runs once per handle as in the graph.
  SmallVector<StringRef> constant;
  for (unsigned position : tuning::constantOperands(node)) {
    StringRef name = names[llvm::find(args, library.getInputs()[position]) - args.begin()];
    if (!llvm::is_contained(constant, name)) // an input read twice is one argument
      constant.push_back(name);
  }
  if (!constant.empty())
    sdfg->setAttr(sdfg::SDFGOp::kConstantArgumentsAttr, b.getStrArrayAttr(constant));
  return module;
}

Operation *isolatedNode(ModuleOp module) {
  Operation *found = nullptr;
  module.walk([&](nn::LibraryNode n) { found = n.getOperation(); });
  return found;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string utcNow() {
  char text[32];
  std::time_t now = std::time(nullptr);
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

/// The tunable nodes of the graph after -O3's fusions, one group per signature, largest work first,
/// with the choice -O3 makes for each without a database.
FailureOr<std::vector<Group>> groupTunableNodes(ModuleOp module) {
  PassManager fusions(module.getContext());
  addNodeFusions(fusions.nest<sdfg::SDFGOp>());
  if (failed(fusions.run(module)))
    return failure();
  OwningOpRef<ModuleOp> chosen = module.clone();
  PassManager choose(module.getContext());
  choose.nest<sdfg::SDFGOp>().addPass(createChooseImplementations(defaultImplementationChoices()));
  if (failed(choose.run(*chosen)))
    return failure();
  SmallVector<Operation *> nodes, defaults;
  module.walk([&](nn::LibraryNode n) { nodes.push_back(n.getOperation()); });
  chosen->walk([&](nn::LibraryNode n) { defaults.push_back(n.getOperation()); });
  std::vector<Group> groups;
  for (auto [node, chosenNode] : llvm::zip(nodes, defaults)) {
    if (!tuning::isTunable(node))
      continue;
    std::string signature = tuning::nodeSignature(node);
    auto same = llvm::find_if(groups, [&](const Group &g) { return g.signature == signature; });
    if (same != groups.end()) {
      same->labels.push_back(labelOf(node));
      continue;
    }
    Group g;
    g.signature = signature;
    g.labels = {labelOf(node)};
    g.isolated = isolate(node);
    g.defaultChoice = {nn::getImpl(chosenNode).str(), {}};
    std::optional<GraphWork> work = countWork(*g.isolated->getOps<sdfg::SDFGOp>().begin());
    g.flops = work ? work->flops : 0;
    for (tuning::Choice &c : tuning::candidatesFor(isolatedNode(*g.isolated), g.defaultChoice, g.flops <= kMaxPureFlops))
      g.candidates.push_back({c, {}, {}, {}, {}, {}});
    groups.push_back(std::move(g));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) { return a.flops > b.flops; });
  return groups;
}

/// A progress line on stderr, only onto a terminal.
template <typename... Args>
void progress(const char *format, Args... args) {
  if (!isatty(STDERR_FILENO))
    return;
  std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, format, args...);
  std::fflush(stderr);
}
void endProgress() {
  if (isatty(STDERR_FILENO))
    std::fprintf(stderr, "\r\033[K");
}

/// Compiles the candidates, `jobs` at a time, round by round over the groups (rank 0 of every group, then
/// rank 1, ...), starting none after `deadline` seconds.
void compileCandidates(std::vector<Group> &groups, const TuneOptions &options, TemporaryFolder &dir,
                       std::chrono::steady_clock::time_point start, double deadline) {
  std::vector<Candidate *> queue;
  for (size_t rank = 0;; ++rank) {
    size_t before = queue.size();
    for (Group &g : groups)
      if (rank < g.candidates.size())
        queue.push_back(&g.candidates[rank]);
    if (queue.size() == before)
      break;
  }
  // A folder per candidate: each compile writes the same file names beside its library.
  std::vector<std::string> sources;
  for (size_t i = 0; i < queue.size(); ++i) {
    std::string sub = "c" + std::to_string(i) + "/";
    dir.file(sub); // registered before its files: an interrupt removes them first
    if (std::error_code ec = llvm::sys::fs::create_directory(dir.path() + "/" + sub))
      queue[i]->failure = "cannot create a folder: " + ec.message();
    queue[i]->library = dir.file(sub + "libdmc_tune.so");
    queue[i]->log = dir.file(sub + "compile.log");
    sources.push_back(dir.file(sub + "dmc_tune.mlir"));
    for (const std::string &beside : {std::string("dmc_tune.h"), std::string("dmc_tune.manifest.json"),
                                      std::string(kRuntimeLibraryName)})
      dir.file(sub + beside);
    if (queue[i]->failure.empty() && !writeOutputFile(sources.back(), queue[i]->source))
      queue[i]->failure = "cannot write " + sources.back();
  }
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < queue.size();) {
      Candidate &c = *queue[i];
      if (c.failure.empty() && secondsSince(start) > deadline)
        c.failure = "not compiled: the budget ran out";
      if (!c.failure.empty()) {
        ++done;
        continue;
      }
      std::vector<std::string> args = {options.dmcExecutable, "compile", sources[i], "-O3", "--target-cpu=native",
                                       "--tuning-db=none", "-o", c.library};
      args.push_back(options.cacheDir.empty() ? "--no-cache" : "--cache-dir=" + options.cacheDir);
      std::string error;
      int rc = runInOwnProcessGroup(args, c.log, error);
      if (rc != 0) {
        auto log = llvm::MemoryBuffer::getFile(c.log);
        c.failure = "the compile failed: " + (log ? (*log)->getBuffer().trim().str() : error);
      }
      ++done;
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::max(1u, options.jobs); ++t)
    threads.emplace_back(worker);
  while (done < queue.size()) {
    progress("dmc tune: compiled %zu of %zu candidates, %.0f s", done.load(), queue.size(), secondsSince(start));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (std::thread &t : threads)
    t.join();
}

/// Loads the compiled candidates of `g`, checks that they agree with the default (or the first that
/// compiled) and times them interleaved until `sliceEnd` seconds after `start`.
void timeGroup(Group &g, size_t index, size_t count, std::chrono::steady_clock::time_point start, double sliceEnd,
               unsigned seed) {
  struct Loaded {
    Candidate *candidate;
    Library library;
    std::vector<ArgBuffer> outputs;
    std::vector<TensorRef> args;
    std::optional<Library::Instance> instance;
  };
  std::vector<std::unique_ptr<Loaded>> loaded;
  std::vector<ArgBuffer> inputs;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  for (Candidate &c : g.candidates) {
    if (!c.failure.empty())
      continue;
    try {
      auto l = std::make_unique<Loaded>(Loaded{&c, Library(c.library), {}, {}, std::nullopt});
      size_t input = 0;
      for (size_t i = 0; i < l->library.manifest().args.size(); ++i) {
        const ArgSpec &arg = l->library.manifest().args[i];
        ArgShape shape = l->library.arg_shape(i, {});
        if (arg.role == ArgRole::Input) {
          if (input == inputs.size()) {
            inputs.emplace_back(arg, shape);
            for (float &x : inputs.back())
              x = normal(rng);
          }
          l->args.emplace_back(static_cast<const float *>(inputs[input++].data()), shape.dims);
        } else {
          l->outputs.emplace_back(arg, shape);
          l->args.emplace_back(l->outputs.back().data(), shape.dims);
        }
      }
      l->instance.emplace(l->library.create());
      l->instance->run(l->args); // warm-up, and the outputs to compare
      loaded.push_back(std::move(l));
    } catch (const std::exception &e) {
      c.failure = std::string("failed to run: ") + e.what();
    }
  }
  if (loaded.empty())
    return;
  const Loaded &reference = *loaded.front();
  for (auto &l : loaded) {
    double err = 0, scale = 1;
    for (size_t o = 0; o < l->outputs.size(); ++o)
      for (size_t i = 0; i < l->outputs[o].size(); ++i) {
        scale = std::max(scale, (double)std::fabs(reference.outputs[o][i]));
        double d = std::fabs((double)l->outputs[o][i] - reference.outputs[o][i]);
        err = std::max(err, std::isnan(d) ? INFINITY : d);
      }
    if (err > kAgreement * scale) {
      char text[96];
      std::snprintf(text, sizeof text, "disagrees with %s (max error %.2g)", reference.candidate->choice.describe().c_str(), err / scale);
      l->candidate->failure = text;
    }
  }
  // Short kernels are timed over several calls per sample, so that a sample is at least ~1 ms.
  double fastest = INFINITY;
  for (auto &l : loaded) {
    if (!l->candidate->failure.empty())
      continue;
    try {
      double t0 = dmcrt_now_ms();
      l->instance->run(l->args);
      fastest = std::min(fastest, dmcrt_now_ms() - t0);
    } catch (const std::exception &e) {
      l->candidate->failure = std::string("failed to run: ") + e.what();
    }
  }
  unsigned calls = (unsigned)std::clamp(std::ceil(1.0 / std::max(fastest, 1e-3)), 1.0, 1000.0);
  for (unsigned round = 0; round < kMaxRounds; ++round) {
    if (round >= kMinRounds && secondsSince(start) > sliceEnd)
      break;
    progress("dmc tune: timing node %zu of %zu (%s), round %u", index + 1, count, g.labels.front().c_str(), round + 1);
    for (size_t k = 0; k < loaded.size(); ++k) {
      Loaded &l = *loaded[(k + round) % loaded.size()]; // a different candidate first in each round
      if (!l.candidate->failure.empty())
        continue;
      try {
        double t0 = dmcrt_now_ms();
        for (unsigned c = 0; c < calls; ++c)
          l.instance->run(l.args);
        l.candidate->times.push_back((dmcrt_now_ms() - t0) / calls);
      } catch (const std::exception &e) {
        l.candidate->failure = std::string("failed to run: ") + e.what();
      }
    }
  }
}
} // namespace

int runTune(ModuleOp module, const TuneOptions &options) {
  reportFailedAllocations();
  auto start = std::chrono::steady_clock::now();
  tuning::Machine machine = tuning::hostMachine(omp_get_max_threads());
  auto sdfgs = module.getOps<sdfg::SDFGOp>();
  std::string graph = sdfgs.empty() ? "graph" : (*sdfgs.begin()).getSymName().str();
  for (sdfg::SDFGOp sdfg : sdfgs)
    if (!sdfg.getSymbolArgs().empty()) {
      std::fprintf(stderr, "dmc: error: tune needs every size bound; '%s' is not (use --bind or --test-size)\n",
                   sdfg.getArgName(0).str().c_str());
      return 2;
    }
  FailureOr<std::vector<Group>> grouped = groupTunableNodes(module);
  if (failed(grouped))
    return 1;
  std::vector<Group> &groups = *grouped;
  if (groups.empty()) {
    std::fprintf(stderr, "dmc tune: %s has no node to tune (GEMMs, attention, softmax and layer norm whose "
                         "graph file chose no implementation, every size bound)\n", graph.c_str());
    return 1;
  }
  for (Group &g : groups)
    for (Candidate &c : g.candidates) {
      OwningOpRef<ModuleOp> copy = g.isolated->clone();
      tuning::applyChoice(isolatedNode(*copy), c.choice);
      llvm::raw_string_ostream os(c.source);
      copy->print(os);
    }
  std::error_code ec;
  TemporaryFolder dir("", "dmc-tune", ec);
  if (ec) {
    std::fprintf(stderr, "dmc: error: cannot create a temporary folder: %s\n", ec.message().c_str());
    return 1;
  }
  compileCandidates(groups, options, dir, start, kCompileShare * options.budgetSeconds);
  double compileSeconds = secondsSince(start);
  for (size_t i = 0; i < groups.size(); ++i) {
    // The rest of the budget in equal slices over the nodes still to time.
    double left = std::max(0.0, options.budgetSeconds - secondsSince(start));
    timeGroup(groups[i], i, groups.size(), start, secondsSince(start) + left / (groups.size() - i), 1234 + i);
  }
  endProgress();
  double totalSeconds = secondsSince(start);

  // The winners, into the database; the table and the JSON report.
  std::vector<tuning::Entry> entries;
  nlohmann::ordered_json report = {{"graph", graph},
                                   {"machine", {{"cpu", machine.cpu}, {"isa", machine.isa}, {"threads", machine.threads}}},
                                   {"budget_s", options.budgetSeconds},
                                   {"compile_s", compileSeconds},
                                   {"total_s", totalSeconds},
                                   {"database", options.databasePath},
                                   {"nodes", nlohmann::ordered_json::array()}};
  const bool text = options.jsonPath != "-";
  if (text)
    std::printf("dmc tune: %s on %s: %zu distinct nodes, candidates compiled in %.1f s, %.1f s in all (budget %.0f s)\n",
                graph.c_str(), machine.describe().c_str(), groups.size(), compileSeconds, totalSeconds,
                options.budgetSeconds);
  bool anyStored = false;
  for (Group &g : groups) {
    const Candidate *best = nullptr, *byDefault = nullptr;
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    for (const Candidate &c : g.candidates) {
      bool timed = c.failure.empty() && c.times.size() >= kMinRounds;
      if (timed && (!best || c.median() < best->median()))
        best = &c;
      if (timed && c.choice == g.defaultChoice)
        byDefault = &c;
      candidates.push_back({{"choice", c.choice.describe()},
                            {"median_ms", timed ? nlohmann::ordered_json(c.median()) : nullptr},
                            {"rounds", c.times.size()},
                            {"not_timed", c.failure.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.failure)}});
    }
    std::string labels = llvm::join(g.labels, " ");
    report["nodes"].push_back({{"labels", g.labels},
                               {"node", g.signature},
                               {"default", g.defaultChoice.describe()},
                               {"best", best ? nlohmann::ordered_json(best->choice.describe()) : nullptr},
                               {"candidates", candidates}});
    if (text) {
      std::printf("\n  %s: %s\n", labels.c_str(), shapes(isolatedNode(*g.isolated)).c_str());
      for (const Candidate &c : g.candidates) {
        const char *mark = &c == best ? "  <- stored" : c.choice == g.defaultChoice ? "  (default)" : "";
        char ratio[24] = "";
        if (byDefault && &c != byDefault && c.failure.empty() && !c.times.empty())
          std::snprintf(ratio, sizeof ratio, "  %.2fx the default", byDefault->median() / c.median());
        if (c.failure.empty() && c.times.size() >= kMinRounds)
          std::printf("    %-28s %10.3f ms%s%s\n", c.choice.describe().c_str(), c.median(), ratio, mark);
        else
          std::printf("    %-28s %13s  %s\n", c.choice.describe().c_str(), "-",
                      c.failure.empty() ? "not timed: the budget ran out" : c.failure.c_str());
      }
    }
    if (!best)
      continue;
    tuning::Entry e;
    e.machine = machine;
    e.node = g.signature;
    e.choice = best->choice;
    e.medianMs = best->median();
    e.defaultChoice = g.defaultChoice;
    e.defaultMs = byDefault ? byDefault->median() : 0;
    e.tunedAt = utcNow();
    entries.push_back(std::move(e));
    anyStored = true;
  }
  if (!anyStored) {
    std::fprintf(stderr, "dmc: error: no candidate of any node could be timed (see above)\n");
    return 1;
  }
  std::string error;
  if (!tuning::Database::merge(options.databasePath, entries, error)) {
    std::fprintf(stderr, "dmc: error: the tuning database %s: %s\n", options.databasePath.c_str(), error.c_str());
    return 1;
  }
  if (text)
    std::printf("\nstored %zu choices in %s: dmc compile -O3 applies them on this machine at %lld threads\n",
                entries.size(), options.databasePath.c_str(), (long long)machine.threads);
  if (!options.jsonPath.empty() && !writeJsonReport(options.jsonPath, report.dump(2)))
    return 1;
  return 0;
}

} // namespace dmc
