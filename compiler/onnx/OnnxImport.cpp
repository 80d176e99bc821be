//===- OnnxImport.cpp - read, translate, hand to the JSON importer --------===//
#include "compiler/onnx/OnnxImport.h"
#include "compiler/onnx/Translate.h"
#include "compiler/support/Files.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "onnx/onnx_pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <regex>

using nlohmann::json;

namespace dmc {
namespace {

/// Models hold their weights: larger than graph files, smaller than what protobuf's 2 GiB limit allows.
constexpr uint64_t kMaxModelBytes = uint64_t(2) << 30;

std::optional<onnx::ModelProto> readModel(const std::string &path, Diagnostics &diag) {
  std::string error;
  std::optional<std::string> bytes = readRegularFile(path, error, kMaxModelBytes - 1);
  if (!bytes) {
    diag.error("", error);
    return std::nullopt;
  }
  google::protobuf::io::ArrayInputStream array(bytes->data(), (int)bytes->size());
  google::protobuf::io::CodedInputStream stream(&array);
  stream.SetRecursionLimit(64); // graphs nest through subgraph attributes; a hostile depth stops here
  stream.SetTotalBytesLimit((int)std::min<uint64_t>(bytes->size() + 1, INT32_MAX));
  onnx::ModelProto model;
  bool parsed = false;
  try {
    parsed = model.ParseFromCodedStream(&stream) && stream.ConsumedEntireMessage();
  } catch (const std::exception &e) {
    parsed = false;
  }
  if (!parsed) {
    diag.error("", "not a valid ONNX model (the protobuf does not parse)");
    return std::nullopt;
  }
  if (!model.IsInitialized()) {
    diag.error("", "not a valid ONNX model (required fields are missing)");
    return std::nullopt;
  }
  return model;
}

json shapeJson(const onnx_import::SymShape &shape) {
  json j = json::array();
  for (const auto &d : shape)
    j.push_back(d.isConstant() ? json(d.coefficient) : json(d.symbols.at(0)));
  return j;
}

/// The dmc graph description of a translation (docs/graph-format.md).
json graphJson(const onnx_import::Translation &t, std::string &problem) {
  json g;
  g["name"] = t.graphName;
  g["doc"] = "Imported from ONNX by dmc.";
  g["symbols"] = json::object();
  for (const std::string &s : t.symbols)
    g["symbols"][s] = nullptr;
  g["inputs"] = json::array();
  for (const auto &in : t.inputs) {
    if (!std::all_of(in.shape.begin(), in.shape.end(), [](const auto &d) { return d.isDim(); }))
      problem = "input '" + in.onnxName + "' has a shape that is no dmc shape";
    g["inputs"].push_back({{"name", in.name}, {"dtype", "f32"}, {"shape", shapeJson(in.shape)}});
  }
  for (const auto &c : t.constants)
    g["inputs"].push_back({{"name", c.name}, {"dtype", "f32"}, {"shape", c.shape}});
  g["outputs"] = json::array();
  for (const auto &o : t.outputs) {
    if (!std::all_of(o.shape.begin(), o.shape.end(), [](const auto &d) { return d.isDim(); }))
      problem = "output '" + o.onnxName + "' has shape " + onnx_import::formatShape(o.shape) +
                ", which is no dmc shape (a dimension that is a product of symbols)";
    g["outputs"].push_back({{"name", o.name}, {"dtype", "f32"}, {"shape", shapeJson(t.shapes.at(o.name))}});
  }
  g["nodes"] = json::array();
  for (const auto &n : t.nodes)
    g["nodes"].push_back(
        {{"name", n.output}, {"op", n.op}, {"inputs", n.inputs}, {"outputs", {n.output}}, {"attrs", n.attrs}});
  return g;
}

/// The importer's messages about the generated graph, with `nodes[i]` replaced by the ONNX node it came
/// from: a user never sees the generated file, only their model.
void forwardDiagnostics(const Diagnostics &inner, const onnx_import::Translation &t, Diagnostics &diag) {
  static const std::regex node(R"(nodes\[(\d+)\](\.[A-Za-z_.\[\]0-9]*)?)");
  for (const std::string &m : inner.messages()) {
    std::string rest = m.substr(std::min(m.size(), inner.file().size() + 2));
    bool warning = rest.rfind("warning: ", 0) == 0;
    rest = rest.substr(rest.find(": ") + 2);
    std::smatch match;
    std::string out;
    while (std::regex_search(rest, match, node)) {
      size_t i = std::stoul(match[1]);
      out += match.prefix().str();
      out += i < t.nodes.size() && t.nodes[i].origin >= 0 ? t.origins[t.nodes[i].origin]
                                                         : "generated node " + match[1].str();
      rest = match.suffix().str();
    }
    out += rest;
    if (warning)
      diag.warning("", out);
    else
      diag.error("", out);
  }
}

/// Records the constant inputs' data on the sdfg.sdfg (attribute dmc.constants: ABI name -> dense f32).
void attachConstants(mlir::ModuleOp module, const onnx_import::Translation &t) {
  if (t.constants.empty())
    return;
  mlir::MLIRContext *ctx = module.getContext();
  auto sdfgs = module.getOps<sdfg::SDFGOp>();
  sdfg::SDFGOp op = *sdfgs.begin();
  llvm::SmallVector<mlir::NamedAttribute> entries;
  for (const auto &c : t.constants) {
    auto type = mlir::RankedTensorType::get(c.shape, mlir::Float32Type::get(ctx));
    entries.emplace_back(mlir::StringAttr::get(ctx, c.name),
                         mlir::DenseElementsAttr::get(type, llvm::ArrayRef<float>(c.data)));
  }
  op->setAttr(dmc::sdfg::SDFGOp::kConstantsAttr, mlir::DictionaryAttr::get(ctx, entries));
}

/// The importer names each op's location after the node of the generated graph (`nodes[7] 'p'`); a user
/// knows only their model, so the name becomes the ONNX node the op came from (`node 'softmax'
/// (Softmax, opset 17), as 'p'`), or says that a pattern generated it. Read by dmc view and the dumps.
void nameOnnxLocations(mlir::ModuleOp module, const onnx_import::Translation &t) {
  static const std::regex generated(R"(^nodes\[(\d+)\] '(.*)'$)");
  mlir::MLIRContext *ctx = module.getContext();
  module.walk([&](mlir::Operation *op) {
    auto loc = mlir::dyn_cast<mlir::NameLoc>(op->getLoc());
    std::smatch match;
    std::string name = loc ? loc.getName().str() : "";
    if (!loc || !std::regex_match(name, match, generated))
      return;
    size_t i = std::stoul(match[1]);
    if (i >= t.nodes.size())
      return;
    std::string as = "'" + match[2].str() + "'";
    std::string text = t.nodes[i].origin >= 0 ? t.origins[t.nodes[i].origin] + ", as " + as
                                              : "a node the ONNX importer's patterns generated, " + as;
    op->setLoc(mlir::NameLoc::get(mlir::StringAttr::get(ctx, text), loc.getChildLoc()));
  });
}

} // namespace

bool isOnnxPath(const std::string &path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".onnx") == 0;
}

mlir::OwningOpRef<mlir::ModuleOp> importOnnx(mlir::MLIRContext &context, const std::string &path,
                                             const ImportOptions &options, Diagnostics &diag) {
  loadDmcDialects(context);
  std::optional<onnx::ModelProto> model = readModel(path, diag);
  if (!model)
    return nullptr;
  onnx_import::Translation t = onnx_import::translateModel(*model, path, diag);
  if (diag.hasErrors())
    return nullptr;
  onnx_import::applyPatterns(t, diag);
  if (diag.hasErrors())
    return nullptr;
  std::string problem;
  json graph = graphJson(t, problem);
  if (!problem.empty()) {
    diag.error("", problem);
    return nullptr;
  }
  Diagnostics inner(path);
  auto module = importGraphJson(context, graph, options, inner);
  forwardDiagnostics(inner, t, diag);
  if (!module)
    return nullptr;
  attachConstants(*module, t);
  nameOnnxLocations(*module, t);
  return module;
}

} // namespace dmc
