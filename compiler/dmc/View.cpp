//===- View.cpp - dmc view: the page data of every step -------------------===//
//
// The page draws what this file exports; the JavaScript only lays it out (viewer/src). So every count the
// browser tests compare (nodes and edges per kind) is decided here, from the IR, and docs/viewer.md
// lists the fields.
//
//===----------------------------------------------------------------------===//
#include "compiler/dmc/View.h"

#include "compiler/backend/Compile.h"
#include "compiler/backend/CppEmitter.h"
#include "compiler/support/Files.h"
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SubsetPropagation.h"
#include "dialects/SDFG/Views.h"
#include "passes/analysis/MovementAnalysis.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>

using namespace mlir;
using json = nlohmann::ordered_json;

namespace dmc {

std::string viewerTemplatePath() {
  if (const char *env = std::getenv("DMC_VIEWER_TEMPLATE"); env && *env)
    return env;
  return DMC_VIEWER_TEMPLATE;
}

namespace {
constexpr llvm::StringLiteral kPlaceholder = "@DMC_VIEW_DATA@";

json bytesJson(const Bytes &b) { return b.known ? json(b.value) : json(nullptr); }

/// The line of each element of a graph file's top-level "nodes" array (index i: nodes[i]), found by
/// scanning the JSON text (the array is the first '[' at the top level right after the string "nodes");
/// empty when there is no such array. The importer locates a node by its JSON path
/// only (`nodes[3] 'q'`), and the page shows the line too.
std::vector<unsigned> nodeLines(llvm::StringRef text) {
  std::vector<unsigned> lines;
  unsigned line = 1, depth = 0, nodesDepth = 0;
  bool inString = false, expectElement = false;
  std::string token, lastKey;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n')
      ++line;
    if (inString) {
      if (c == '\\' && i + 1 < text.size())
        token += text[++i];
      else if (c == '"')
        inString = false, lastKey = token;
      else
        token += c;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    if (nodesDepth && depth == nodesDepth && expectElement && c != ']') {
      lines.push_back(line);
      expectElement = false;
    }
    if (c == '"') {
      inString = true;
      token.clear();
    } else if (c == '{' || c == '[') {
      if (c == '[' && depth == 1 && !nodesDepth && lastKey == "nodes")
        nodesDepth = depth + 1, expectElement = true;
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == nodesDepth && nodesDepth)
        return lines;
      if (depth)
        --depth;
    } else if (c == ',' && nodesDepth && depth == nodesDepth) {
      expectElement = true;
    }
  }
  return {};
}

/// The text of a location: "FILE:LINE:COL", a NameLoc's name ("nodes[3] 'q'") with its file (and the
/// node's line in `graphFile`, when `lines` has it), fused locations joined by "; ".
std::string locationText(Location loc, llvm::StringRef graphFile = "", const std::vector<unsigned> *lines = nullptr) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string inner = locationText(name.getChildLoc());
    unsigned index = 0;
    llvm::StringRef path = name.getName().getValue();
    if (lines && inner == graphFile && path.consume_front("nodes[") && !path.consumeInteger(10, index) &&
        path.starts_with("]") && index < lines->size())
      inner += ":" + std::to_string((*lines)[index]);
    return name.getName().str() + (inner.empty() ? "" : " in " + inner);
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    std::string text = file.getFilename().str();
    if (file.getLine() > 1 || file.getColumn() > 1) // the importer writes 1:1 for "the graph file"
      text += ":" + std::to_string(file.getLine()) + ":" + std::to_string(file.getColumn());
    return text;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    std::string text;
    for (Location part : fused.getLocations()) {
      std::string one = locationText(part, graphFile, lines);
      if (!one.empty() && text.find(one) == std::string::npos)
        text += (text.empty() ? "" : "; ") + one;
    }
    return text;
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return locationText(callSite.getCallee(), graphFile, lines);
  return "";
}

/// Every text of the page (IR of steps and nodes, C++) once; the data refers to them by index.
struct TextTable {
  std::vector<std::string> texts;
  llvm::StringMap<unsigned> index;
  unsigned intern(const std::string &text) {
    auto [it, inserted] = index.try_emplace(text, texts.size());
    if (inserted)
      texts.push_back(text);
    return it->second;
  }
};

/// The step's graph, built from one SDFG; its texts go to the shared table.
class GraphExport {
public:
  GraphExport(sdfg::SDFGOp sdfg, const Bindings &bindings, TextTable &texts, llvm::StringRef graphFile,
              const std::vector<unsigned> &lines)
      : sdfg(sdfg), movement(analyzeMovement(sdfg, bindings)), asmState(sdfg->getParentOp() ? sdfg->getParentOp()
                                                                                            : sdfg.getOperation()),
        texts(texts), graphFile(graphFile), lines(lines) {
    for (size_t i = 0; i < movement.containers.size(); ++i)
      containerIndex[movement.containers[i].value] = i;
  }

  json build() {
    json containers = json::array();
    for (const ContainerMovement &c : movement.containers)
      containers.push_back({{"name", c.name},
                            {"kind", stringifyContainerKind(c.kind).str()},
                            {"storage", c.storage},
                            {"lifetime", c.lifetime.empty() ? json(nullptr) : json(c.lifetime)},
                            {"shape", c.shape},
                            {"bytes", bytesJson(c.size)}});
    json states = json::array(), edges = json::array();
    llvm::StringMap<unsigned> stateIndex;
    for (auto state : sdfg.getStates())
      stateIndex[state.getSymName()] = stateIndex.size();
    unsigned s = 0;
    for (auto state : sdfg.getStates())
      states.push_back(buildState(state, s++));
    for (auto edge : sdfg.getEdges()) {
      std::string text = printed(edge);
      edges.push_back({{"src", stateIndex.lookup(edge.getSrc())},
                       {"dst", stateIndex.lookup(edge.getDst())},
                       {"label", edgeLabel(edge)},
                       {"ir", intern(text)}});
    }
    return {{"name", sdfg.getSymName().str()}, {"containers", containers}, {"states", states}, {"edges", edges}};
  }

  /// Text-table index of every node's IR (nodes of the step), to find which nodes a pass changed.
  llvm::DenseSet<unsigned> nodeTexts;
  /// Top-level node id -> IR text index, for the C++ lookup of earlier steps.
  std::vector<std::pair<std::string, unsigned>> topLevelNodes;
  /// Every node id, nested ones too: the nodes whose C++ the page shows.
  std::set<std::string> nodeIds;

private:
  unsigned intern(const std::string &text) { return texts.intern(text); }

  std::string printed(Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->print(os, asmState);
    return text;
  }

  /// The printed op up to its region ("sdfg.map (%i) = (0) to (%S) schedule(omp)").
  std::string header(Operation *op) {
    std::string text = printed(op);
    size_t brace = text.find(" {");
    return text.substr(0, brace == std::string::npos ? std::min<size_t>(text.size(), 200) : brace);
  }

  std::string edgeLabel(sdfg::EdgeOp edge) {
    // "if {cond} assign [i]": the condition's ops are long; the node's IR has them in full.
    std::string label;
    if (edge.hasCondition())
      label = "if";
    auto assign = edge.getAssign().getAsValueRange<StringAttr>();
    if (!assign.empty()) {
      label += label.empty() ? "assign" : " assign";
      for (StringRef name : assign)
        label += " " + name.str();
    }
    return label;
  }

  std::string valueName(Value v) {
    if (auto arg = dyn_cast<BlockArgument>(v); arg && arg.getOwner()->getParentOp() == sdfg.getOperation())
      return sdfg.getArgName(arg.getArgNumber()).str();
    return "?";
  }

  /// "[0..S-1, 4]": the subset of a memlet over all its maps (memletSubset), linear in symbols.
  std::string subsetText(Operation *memlet) {
    std::string text = "[";
    llvm::SmallVector<sdfg::Range> ranges = sdfg::memletSubset(memlet, nullptr);
    for (size_t d = 0; d < ranges.size(); ++d) {
      auto part = [&](const std::optional<sdfg::LinearExpr> &e) {
        return e && !e->overflowed ? e->format([&](Value v) { return valueName(v); }) : std::string("?");
      };
      std::string lo = part(ranges[d].min), hi = part(ranges[d].max);
      text += (d ? ", " : "") + (lo == hi ? lo : lo + ".." + hi);
    }
    return text + "]";
  }

  /// "[%i, %k + 1]": the element a memlet names, as printed.
  std::string indexText(Operation *memlet, Value array) {
    std::string text = printed(memlet);
    size_t open = text.find('[', text.find(valueText(array)));
    size_t close = open == std::string::npos ? open : text.find("] ", open);
    if (close == std::string::npos)
      close = text.rfind(']');
    return open == std::string::npos || close == std::string::npos || close < open ? ""
                                                                                   : text.substr(open, close - open + 1);
  }

  std::string valueText(Value v) {
    std::string text;
    llvm::raw_string_ostream os(text);
    v.printAsOperand(os, asmState);
    return text;
  }

  /// "whole [2, 16, 128]", with the view it goes through.
  std::string wholeText(Value operand) {
    std::string shape = formatShape(cast<sdfg::ArrayType>(operand.getType()).getShape());
    Operation *def = operand.getDefiningOp();
    if (def && isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(def))
      return "whole " + shape + " through " + def->getName().getStringRef().str();
    return "whole " + shape;
  }

  json buildState(sdfg::StateOp state, unsigned s) {
    json nodes = json::array(), memlets = json::array(), access = json::array();
    llvm::SmallVector<size_t> accessed;
    auto memlet = [&](Value array, const std::string &endpoint, const std::string &top, bool isWrite,
                      std::string subset, Operation *op) {
      auto it = containerIndex.find(sdfg::rootOf(array));
      if (it == containerIndex.end())
        return;
      size_t c = it->second;
      if (llvm::find(accessed, c) == accessed.end())
        accessed.push_back(c);
      json m = {{"container", c}, {"node", endpoint}, {"top", top}, {"write", isWrite}, {"subset", subset}};
      if (isa<sdfg::LoadOp, sdfg::StoreOp>(op)) {
        m["index"] = indexText(op, array);
        Bytes volume = Bytes::unknown();
        for (const Access &a : movement.accesses)
          if (a.op == op && a.isWrite == isWrite)
            volume = a.bytes;
        m["accesses"] = bytesJson(volume);
      }
      if (auto store = dyn_cast<sdfg::StoreOp>(op); store && store.getWcr())
        m["wcr"] = sdfg::stringifyWCR(*store.getWcr()).str();
      Operation *def = array.getDefiningOp();
      if (def && isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(def))
        m["via"] = def->getName().getStringRef().str();
      memlets.push_back(std::move(m));
    };

    const StateMovement *sm = movement.findState(state.getSymName());
    unsigned n = 0;
    for (Operation &op : state.getBodyBlock()) {
      std::string id = "s" + std::to_string(s) + "." + std::to_string(n++);
      if (isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(op))
        continue; // no node: memlets through views name them
      json node = buildNode(&op, id, id, memlet);
      if (node.is_null())
        continue;
      // Bytes moved per container and direction by this node (the movement analysis's parts).
      json moved = json::array();
      if (sm)
        for (const NodeMovement &nm : sm->nodes)
          if (nm.op == &op)
            for (const NodeMovement::Part &p : nm.parts)
              moved.push_back({{"container", p.container}, {"write", p.isWrite}, {"bytes", bytesJson(p.bytes)}});
      node["moved"] = moved;
      topLevelNodes.push_back({id, node["ir"].get<unsigned>()});
      nodes.push_back(std::move(node));
    }
    for (size_t c : accessed)
      access.push_back(c);
    json result = {{"name", state.getSymName().str()}, {"nodes", nodes}, {"access", access}, {"memlets", memlets}};
    if (sm)
      result["moved"] = bytesJson(sm->traffic.moved()), result["live_transients"] = bytesJson(sm->liveTransients);
    return result;
  }

  template <typename MemletFn>
  json buildNode(Operation *op, const std::string &id, const std::string &top, MemletFn &memlet) {
    std::string text = printed(op);
    unsigned ir = intern(text);
    nodeTexts.insert(ir);
    nodeIds.insert(id);
    json node = {{"id", id}, {"op", op->getName().getStringRef().str()}, {"ir", ir},
                 {"loc", locationText(op->getLoc(), graphFile, &lines)}};
    if (auto lib = dyn_cast<nn::LibraryNode>(op)) {
      node["kind"] = "library";
      node["label"] = lib.getLabel() ? lib.getLabel()->str() : "";
      if (auto impl = op->getAttrOfType<StringAttr>(nn::kImplAttrName))
        node["impl"] = impl.str();
      for (Value in : lib.getInputs())
        memlet(in, id, top, false, wholeText(in), op);
      for (Value out : lib.getOutputs())
        memlet(out, id, top, true, wholeText(out), op);
      return node;
    }
    if (auto copy = dyn_cast<sdfg::CopyOp>(op)) {
      node["kind"] = "copy";
      node["label"] = "copy";
      memlet(copy.getSource(), id, top, false, wholeText(copy.getSource()), op);
      memlet(copy.getDest(), id, top, true, wholeText(copy.getDest()), op);
      return node;
    }
    if (auto call = dyn_cast<sdfg::UKernelOp>(op)) {
      node["kind"] = "ukernel";
      node["label"] = call.getKernel().str();
      for (Value in : call.getInputs())
        memlet(in, id, top, false, "tile of " + valueText(in), op);
      for (Value out : call.getOutputs())
        memlet(out, id, top, true, "tile of " + valueText(out), op);
      return node;
    }
    if (auto tasklet = dyn_cast<sdfg::TaskletOp>(op)) {
      node["kind"] = "tasklet";
      std::string label;
      unsigned shown = 0;
      tasklet.getBody().walk([&](Operation *inner) {
        if (isa<sdfg::YieldOp>(inner))
          return;
        if (shown++ < 4)
          label += (label.empty() ? "" : " ") + inner->getName().stripDialect().str();
        else if (shown == 5)
          label += " ...";
      });
      node["label"] = label.empty() ? "tasklet" : label;
      return node;
    }
    if (auto map = dyn_cast<sdfg::MapOp>(op)) {
      node["kind"] = "map";
      node["label"] = header(op);
      node["schedule"] = sdfg::stringifySchedule(map.getSchedule()).str();
      json children = json::array();
      unsigned k = 0;
      for (Operation &inner : map.getBodyBlock()) {
        std::string childId = id + "." + std::to_string(k++);
        if (isa<sdfg::MapOp, sdfg::TaskletOp, sdfg::UKernelOp>(inner)) {
          children.push_back(buildNode(&inner, childId, top, memlet));
          continue;
        }
        // Memlets end at the tasklet that consumes (loads) or produces (stores) the value, else at the
        // map that holds them, as DaCe's memlets end at a map entry or exit.
        if (auto load = dyn_cast<sdfg::LoadOp>(inner)) {
          std::string endpoint = id;
          for (Operation *user : load->getUsers())
            if (isa<sdfg::TaskletOp>(user) && user->getBlock() == &map.getBodyBlock()) {
              endpoint = id + "." + std::to_string(indexIn(map, user));
              break;
            }
          memlet(load.getArray(), endpoint, top, false, subsetText(load), load);
        } else if (auto store = dyn_cast<sdfg::StoreOp>(inner)) {
          std::string endpoint = id;
          if (Operation *def = store.getValue().getDefiningOp();
              def && isa<sdfg::TaskletOp>(def) && def->getBlock() == &map.getBodyBlock())
            endpoint = id + "." + std::to_string(indexIn(map, def));
          memlet(store.getArray(), endpoint, top, true, subsetText(store), store);
        }
      }
      node["children"] = std::move(children);
      return node;
    }
    return json(nullptr);
  }

  static unsigned indexIn(sdfg::MapOp map, Operation *op) {
    unsigned k = 0;
    for (Operation &inner : map.getBodyBlock()) {
      if (&inner == op)
        return k;
      ++k;
    }
    return k;
  }

  sdfg::SDFGOp sdfg;
  MovementResult movement;
  AsmState asmState;
  TextTable &texts;
  llvm::StringRef graphFile;
  const std::vector<unsigned> &lines;
  llvm::DenseMap<Value, size_t> containerIndex;
};

/// Cuts C++ emitted with EmitOptions::markNodes per op: node id "sPATH" (PATH as in `// dmc-node PATH`, the
/// ids GraphExport gives) -> the lines between its markers, less the marker indentation, for the ids in
/// `wanted` (the drawn nodes; memlets are marked too). Markers nest, so a map's code holds that of its body
/// without the markers. `whole` gets the C++ without any marker: the code the library is built from.
std::map<std::string, std::string> splitCppByNode(const std::string &cpp, const std::set<std::string> &wanted,
                                                  std::string &whole) {
  struct Open {
    std::string id;
    size_t indent;
    bool wanted;
    std::string code;
  };
  std::map<std::string, std::string> result;
  std::vector<Open> open;
  size_t pos = 0;
  while (pos < cpp.size()) {
    size_t end = cpp.find('\n', pos);
    if (end == std::string::npos)
      end = cpp.size();
    llvm::StringRef line(cpp.data() + pos, end - pos);
    pos = end + 1;
    llvm::StringRef trimmed = line.ltrim();
    size_t indent = line.size() - trimmed.size();
    if (trimmed.consume_front("// dmc-node ")) {
      std::string id = "s" + trimmed.str();
      open.push_back({id, indent, wanted.count(id) > 0, ""});
      continue;
    }
    if (trimmed.consume_front("// dmc-node-end ")) {
      // Markers come in nested pairs (Emitter::emitMarked); an unmatched end is ignored.
      if (!open.empty() && open.back().id == "s" + trimmed.str()) {
        if (open.back().wanted)
          result[open.back().id] = std::move(open.back().code);
        open.pop_back();
      }
      continue;
    }
    whole.append(line.data(), line.size()).push_back('\n');
    for (Open &o : open)
      if (o.wanted)
        o.code.append(line.drop_front(std::min(o.indent, indent)).str()).push_back('\n');
  }
  return result;
}
} // namespace

struct ViewRecorder::Data {
  std::string inputFile, pipeline;
  Bindings bindings;
  TextTable texts;
  std::vector<unsigned> nodeLines; // of a .json graph file's nodes
  json steps = json::array(), graphs = json::array();
  llvm::DenseSet<unsigned> previousNodeTexts;
  std::vector<std::pair<std::string, unsigned>> lastTopLevelNodes;
  std::set<std::string> lastNodeIds;
  int lastModuleText = -1;
};

ViewRecorder::ViewRecorder(std::string inputFile, std::string pipeline, Bindings bindings)
    : data(std::make_unique<Data>()) {
  data->inputFile = std::move(inputFile);
  std::string error;
  if (llvm::StringRef(data->inputFile).ends_with(".json"))
    if (std::optional<std::string> text = readInputFile(data->inputFile, error))
      data->nodeLines = nodeLines(*text);
  data->pipeline = std::move(pipeline);
  data->bindings = std::move(bindings);
}

ViewRecorder::~ViewRecorder() = default;

void ViewRecorder::record(llvm::StringRef step, Operation *op) {
  std::lock_guard<std::mutex> lock(mutex);
  Operation *top = op;
  while (top->getParentOp())
    top = top->getParentOp();
  sdfg::SDFGOp sdfg;
  top->walk([&](sdfg::SDFGOp found) {
    sdfg = found;
    return WalkResult::interrupt();
  });
  if (!sdfg)
    return;
  std::string text;
  llvm::raw_string_ostream os(text);
  top->print(os);
  unsigned moduleText = data->texts.intern(text);
  bool changed = data->lastModuleText < 0 || (int)moduleText != data->lastModuleText;
  MovementResult totals = analyzeMovement(sdfg, data->bindings);
  json stepJson = {{"index", data->steps.size()}, {"pass", step.str()}, {"changed", changed}, {"ir", moduleText},
                   {"moved", bytesJson(totals.totals.moved())},
                   {"transients", bytesJson(totals.transientFootprint)},
                   {"peak_transients", bytesJson(totals.peakTransients)}};
  json changedNodes = json::array();
  if (changed) {
    GraphExport graph(sdfg, data->bindings, data->texts, data->inputFile, data->nodeLines);
    data->graphs.push_back(graph.build());
    // A node is changed when its IR text is not that of any node of the step before.
    if (!data->steps.empty()) {
      std::function<void(const json &)> visit = [&](const json &node) {
        if (!data->previousNodeTexts.contains(node["ir"].get<unsigned>()))
          changedNodes.push_back(node["id"]);
        if (node.contains("children"))
          for (const json &child : node["children"])
            visit(child);
      };
      for (const json &state : data->graphs.back()["states"])
        for (const json &node : state["nodes"])
          visit(node);
    }
    data->previousNodeTexts = std::move(graph.nodeTexts);
    data->lastTopLevelNodes = std::move(graph.topLevelNodes);
    data->lastNodeIds = std::move(graph.nodeIds);
  }
  stepJson["graph"] = data->graphs.size() - 1;
  stepJson["changed_nodes"] = std::move(changedNodes);
  data->steps.push_back(std::move(stepJson));
  data->lastModuleText = moduleText;
}

namespace {
struct RecordAfterEachPass : PassInstrumentation {
  RecordAfterEachPass(ViewRecorder &recorder) : recorder(recorder) {}
  void runAfterPass(Pass *pass, Operation *op) override {
    if (!pass->getArgument().empty()) // nesting adaptors and the verifier: not a user's step
      recorder.record(pass->getArgument(), op);
  }
  ViewRecorder &recorder;
};
} // namespace

std::unique_ptr<PassInstrumentation> ViewRecorder::instrumentation() {
  return std::make_unique<RecordAfterEachPass>(*this);
}

std::optional<std::string> ViewRecorder::pageData(sdfg::SDFGOp final) {
  std::lock_guard<std::mutex> lock(mutex);
  // The C++ of the last step, per drawn node (nested ones too) and as a whole.
  CompileOptions options;
  std::string manifest = manifestFor(final, options), marked;
  llvm::raw_string_ostream os(marked);
  EmitOptions emit{manifest};
  emit.markNodes = true;
  if (failed(emitCpp(final, os, emit)))
    return std::nullopt;
  std::string cpp;
  std::map<std::string, std::string> perNode = splitCppByNode(marked, data->lastNodeIds, cpp);
  json cppOfNode = json::object();
  for (const auto &[id, code] : perNode)
    cppOfNode[id] = data->texts.intern(code);
  // A node of an earlier step gets the code of the node after the last pass whose top-level node has the
  // same IR text: the same text is the same subtree, so the rest of the id names the same nested node.
  json lastTopOfIr = json::object();
  for (const auto &[id, irText] : data->lastTopLevelNodes)
    lastTopOfIr.emplace(std::to_string(irText), id);
  json page = {{"format", "dmc-view-2"},
               {"file", data->inputFile},
               {"pipeline", data->pipeline},
               {"bindings", data->bindings},
               {"steps", data->steps},
               {"graphs", data->graphs},
               {"cpp", data->texts.intern(cpp)},
               {"cpp_of_node", cppOfNode},
               {"last_top_of_ir", lastTopOfIr},
               {"texts", data->texts.texts}};
  return page.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool fillViewerTemplate(std::string &page, const std::string &jsonText) {
  size_t at = page.find(kPlaceholder.data());
  if (at == std::string::npos || page.find(kPlaceholder.data(), at + 1) != std::string::npos)
    return false;
  std::string safe;
  safe.reserve(jsonText.size() + jsonText.size() / 16);
  for (size_t i = 0; i < jsonText.size(); ++i) {
    char c = jsonText[i];
    // Outside strings JSON has none of these characters, so escaping them keeps the same value.
    if (c == '<')
      safe += "\\u003c";
    else if (c == '>')
      safe += "\\u003e";
    else if (c == '&')
      safe += "\\u0026";
    else if (c == '\xe2' && i + 2 < jsonText.size() && jsonText[i + 1] == '\x80' &&
             (jsonText[i + 2] == '\xa8' || jsonText[i + 2] == '\xa9')) {
      safe += jsonText[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else
      safe += c;
  }
  page.replace(at, kPlaceholder.size(), safe);
  return true;
}

} // namespace dmc
