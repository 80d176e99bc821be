//===- Translate.cpp - ONNX nodes to dmc nodes, folding what is known -----===//
#include "compiler/onnx/Translator.h"
#include "compiler/importer/Importer.h"

using nlohmann::json;

namespace dmc::onnx_import {

std::string freshName(const std::string &base, std::set<std::string> &taken) {
  // ONNX names are paths ("/encoder/layer.0/attention/MatMul_output_0"): without their leading
  // separators and cut to their last 64 characters they stay readable in the IR and the C++.
  // (uniqueIdentifier maps characters one to one, so they may be cut before.)
  size_t start = 0;
  while (start < base.size() && !std::isalnum((unsigned char)base[start]))
    ++start;
  std::string out = base.substr(start);
  if (out.size() > 64)
    out = out.substr(out.size() - 64);
  return uniqueIdentifier(out, taken);
}

namespace detail {

Translator::Translator(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag)
    : model_(model), diag_(diag) {
  size_t slash = path.rfind('/');
  dir_ = slash == std::string::npos ? "" : path.substr(0, slash);
  std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
  std::set<std::string> names;
  t_.graphName = freshName(file.substr(0, file.rfind('.')), names);
}

Translation Translator::run() {
  if (!checkOpset())
    return std::move(t_);
  const onnx::GraphProto &g = model_.graph();
  for (const auto &n : g.node())
    for (const std::string &in : n.input())
      used_.insert(in);
  for (const auto &o : g.output())
    used_.insert(o.name());
  for (const auto &init : g.initializer()) {
    std::string why;
    std::optional<Value> v = readTensor(init, dir_, why);
    if (!v)
      diag_.error("initializer '" + init.name() + "'", why);
    else
      values_[init.name()] = std::move(*v);
  }
  for (const auto &in : g.input())
    if (!values_.count(in.name()))
      declareInput(in);
  if (diag_.hasErrors())
    return std::move(t_);
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto &n = g.node(i);
    t_.origins.push_back(describe(n, i));
    origin_ = (int)t_.origins.size() - 1;
    try {
      translate(n);
    } catch (const Unsupported &u) {
      diag_.error(t_.origins[origin_], u.message);
      return std::move(t_); // later nodes would only report the missing value
    }
  }
  origin_ = -1;
  for (const auto &o : g.output())
    declareOutput(o);
  return std::move(t_);
}

std::string Translator::describe(const onnx::NodeProto &n, int index) const {
  std::string domain = n.domain().empty() ? "" : n.domain() + ".";
  std::string who = n.name().empty() ? "node #" + std::to_string(index) : "node '" + n.name() + "'";
  return who + " (" + domain + n.op_type() + ", opset " + std::to_string(opset_) + ")";
}

bool Translator::checkOpset() {
  for (const auto &o : model_.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset_ = o.version();
  if (opset_ < 13 || opset_ > 17) {
    diag_.error("opset_import", "opset " + std::to_string(opset_) + " is not supported (13 to 17)");
    return false;
  }
  if (!model_.has_graph()) {
    diag_.error("", "the model has no graph");
    return false;
  }
  return true;
}

std::string Translator::symbolFor(const std::string &param, const std::string &fallback) {
  std::string base = param.empty() ? fallback : param;
  auto it = symbolNames_.find(base);
  if (it != symbolNames_.end())
    return it->second;
  std::string name = freshName(base, t_.taken);
  symbolNames_[base] = name;
  t_.symbols.push_back(name);
  return name;
}

void Translator::declareInput(const onnx::ValueInfoProto &in) {
  std::string where = "input '" + in.name() + "'";
  if (!in.type().has_tensor_type()) {
    diag_.error(where, "only tensor inputs are supported");
    return;
  }
  const auto &tt = in.type().tensor_type();
  // A bool input (an attention mask for masked_fill) is an f32 input of the library holding 0 and 1: dmc's
  // arguments are f32. It stays a bool to the translation, usable only as a condition (checkBoolUses).
  bool isBool = tt.elem_type() == onnx::TensorProto::BOOL;
  if (tt.elem_type() != onnx::TensorProto::FLOAT && !isBool) {
    diag_.error(where, "element type " + std::to_string(tt.elem_type()) +
                           " is not supported (run-time inputs are float32 or bool; integer operands must be "
                           "initializers or constants)");
    return;
  }
  if (!tt.has_shape()) {
    diag_.error(where, "has no shape (its rank must be known)");
    return;
  }
  SymShape shape;
  for (int k = 0; k < tt.shape().dim_size(); ++k) {
    const auto &d = tt.shape().dim(k);
    if (d.has_dim_value()) {
      if (d.dim_value() <= 0) {
        diag_.error(where, "dimension " + std::to_string(k) + " is " + std::to_string(d.dim_value()));
        return;
      }
      shape.push_back(SymExpr::constant(d.dim_value()));
    } else {
      shape.push_back(SymExpr::symbol(symbolFor(d.dim_param(), in.name() + "_dim" + std::to_string(k))));
    }
  }
  std::string name = freshName(in.name(), t_.taken);
  t_.inputs.push_back({name, in.name(), shape});
  t_.shapes[name] = shape;
  values_[in.name()] = dynamic(name, shape);
  if (isBool)
    values_[in.name()].dtype = DType::Bool;
}

void Translator::declareOutput(const onnx::ValueInfoProto &o) {
  std::string where = "output '" + o.name() + "'";
  auto it = values_.find(o.name());
  if (it == values_.end()) {
    diag_.error(where, "never produced by a node");
    return;
  }
  const Value &v = it->second;
  if (!v.dynamic()) {
    diag_.error(where, "known at import (a constant or a shape computation); dmc compiles graphs whose outputs "
                       "are computed from their inputs");
    return;
  }
  std::string tensor = v.tensor;
  try {
    tensor = plain(v, "output");
  } catch (const Unsupported &u) {
    diag_.error(where, u.message);
    return;
  }
  // A dmc output is the output of exactly one node, never an input or another output: copy otherwise.
  bool produced = std::any_of(t_.nodes.begin(), t_.nodes.end(), [&](const DmcNode &n) { return n.output == tensor; });
  bool again = std::any_of(t_.outputs.begin(), t_.outputs.end(), [&](const TensorInfo &i) { return i.name == tensor; });
  bool constant = std::any_of(t_.constants.begin(), t_.constants.end(),
                              [&](const ConstantTensor &c) { return c.name == tensor; });
  if (!produced || again || constant)
    tensor = emit("Scale", {tensor}, {{"alpha", 1.0}}, v.shape, o.name());
  t_.outputs.push_back({tensor, o.name(), v.shape});
}

Value Translator::dynamic(const std::string &tensor, const SymShape &shape) {
  Value v;
  v.kind = Kind::Dynamic;
  v.tensor = tensor;
  v.shape = shape;
  v.storage = shape;
  return v;
}

const Value *Translator::input(const onnx::NodeProto &n, int k) {
  if (k >= n.input_size() || n.input(k).empty())
    return nullptr;
  auto it = values_.find(n.input(k));
  if (it == values_.end())
    unsupported("input '" + n.input(k) + "' is not defined before this node");
  return &it->second;
}

const Value &Translator::required(const onnx::NodeProto &n, int k) {
  const Value *v = input(n, k);
  if (!v)
    unsupported("missing input " + std::to_string(k));
  return *v;
}

void Translator::define(const onnx::NodeProto &n, int k, Value v) {
  if (k < n.output_size() && !n.output(k).empty())
    values_[n.output(k)] = std::move(v);
}

std::string Translator::outName(const onnx::NodeProto &n, int k) const {
  return k < n.output_size() && !n.output(k).empty() ? n.output(k) : n.op_type();
}

std::string Translator::emit(const std::string &op, std::vector<std::string> inputs, json attrs, const SymShape &shape,
                 const std::string &base) {
  if (!allDims(shape))
    unsupported("internal: dmc tensor of shape " + formatShape(shape));
  DmcNode node;
  node.op = op;
  node.inputs = std::move(inputs);
  node.attrs = std::move(attrs);
  node.output = freshName(base, t_.taken);
  node.origin = origin_;
  t_.shapes[node.output] = shape;
  t_.nodes.push_back(node);
  return node.output;
}

/// The dmc tensor of `v` in its own shape: run-time data as is, known float data as a constant.
std::string Translator::plain(const Value &v, const std::string &base) {
  if (v.kind == Kind::Known) {
    if (v.dtype != DType::Float)
      unsupported("an integer or bool tensor used as float data");
    ConstantTensor c;
    c.name = freshName(base, t_.taken);
    c.shape = *constantDims(v.shape);
    c.data.assign(v.floats.begin(), v.floats.end());
    t_.constants.push_back(c);
    t_.shapes[c.name] = v.shape;
    return c.name;
  }
  if (v.kind == Kind::Fill) {
    if (!allDims(v.shape))
      unsupported("a constant fill of shape " + formatShape(v.shape) + " used as data");
    auto dims = constantDims(v.shape);
    if (!dims)
      unsupported("a constant fill of symbolic shape " + formatShape(v.shape) + " used as data");
    int64_t n = 1;
    for (int64_t d : *dims)
      n *= d;
    return plain(knownFloats(v.shape, std::vector<double>(n, v.fill)), base);
  }
  if (v.kind == Kind::CausalMask)
    unsupported("a causal -inf mask that is not added to the scores of a Softmax");
  if (v.dtype == DType::Bool)
    unsupported("a run-time bool tensor used as data (it is supported as the condition of Where, and as "
                "float data after a Cast)");
  if (v.storage == v.shape)
    return v.tensor;
  if (!allDims(v.shape))
    unsupported("shape " + formatShape(v.shape) + " has a dimension that is a product of symbols; dmc shapes "
                "hold integers and single symbols");
  return emit("Reshape", {v.tensor}, {{"shape", shapeJson(v.shape)}}, v.shape, base);
}

std::string Translator::plainInput(const onnx::NodeProto &n, int k) { return plain(required(n, k), n.input(k)); }

std::vector<int64_t> Translator::constInts(const Value &v, const std::string &what) {
  auto ints = v.asInts();
  if (!ints)
    unsupported(what + " must be known at import (an initializer, a Constant or shape arithmetic over known "
                       "dimensions)");
  return *ints;
}

double Translator::scalarFloat(const Value &v) {
  auto d = v.asDoubles();
  if (!d || d->size() != 1)
    unsupported("expected a known scalar");
  return (*d)[0];
}

int64_t Translator::attrInt(const onnx::NodeProto &n, const char *name, int64_t fallback) {
  const auto *a = findAttribute(n, name);
  if (!a)
    return fallback;
  if (a->type() != onnx::AttributeProto::INT)
    unsupported(std::string("attribute '") + name + "' must be an int");
  return a->i();
}

double Translator::attrFloat(const onnx::NodeProto &n, const char *name, double fallback) {
  const auto *a = findAttribute(n, name);
  if (!a)
    return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT)
    unsupported(std::string("attribute '") + name + "' must be a float");
  return a->f();
}

std::optional<std::vector<int64_t>> Translator::attrInts(const onnx::NodeProto &n, const char *name) {
  const auto *a = findAttribute(n, name);
  if (!a)
    return std::nullopt;
  if (a->type() != onnx::AttributeProto::INTS)
    unsupported(std::string("attribute '") + name + "' must be a list of ints");
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

void Translator::onlyAttributes(const onnx::NodeProto &n, std::set<std::string> known) {
  for (const auto &a : n.attribute())
    if (!known.count(a.name()))
      unsupported("attribute '" + a.name() + "' is not supported");
}

void Translator::translate(const onnx::NodeProto &n) {
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    unsupported("operators of domain '" + n.domain() + "' are not supported");
  const std::string &op = n.op_type();
  static const std::map<std::string, void (Translator::*)(const onnx::NodeProto &)> table = {
      {"Constant", &Translator::constant}, {"ConstantOfShape", &Translator::constantOfShape},
      {"Shape", &Translator::shapeOf}, {"Size", &Translator::sizeOf},
      {"Identity", &Translator::identity}, {"Dropout", &Translator::identity},
      {"Cast", &Translator::cast}, {"CastLike", &Translator::cast},
      {"Add", &Translator::binary}, {"Sub", &Translator::binary}, {"Mul", &Translator::binary},
      {"Div", &Translator::binary}, {"Pow", &Translator::binary},
      {"Equal", &Translator::compare}, {"Less", &Translator::compare}, {"Greater", &Translator::compare},
      {"LessOrEqual", &Translator::compare}, {"GreaterOrEqual", &Translator::compare},
      {"And", &Translator::compare}, {"Or", &Translator::compare}, {"Xor", &Translator::compare},
      {"Max", &Translator::compare}, {"Min", &Translator::compare}, {"Not", &Translator::unary},
      {"Sqrt", &Translator::unary}, {"Reciprocal", &Translator::unary}, {"Erf", &Translator::unary},
      {"Tanh", &Translator::unary}, {"Relu", &Translator::unary}, {"Exp", &Translator::unary},
      {"Neg", &Translator::unary},
      {"MatMul", &Translator::matmul}, {"Gemm", &Translator::gemm}, {"Softmax", &Translator::softmax},
      {"LayerNormalization", &Translator::layerNorm}, {"ReduceMean", &Translator::reduce},
      {"ReduceSum", &Translator::reduce}, {"ReduceMax", &Translator::reduce},
      {"Transpose", &Translator::transpose}, {"Reshape", &Translator::reshape},
      {"Unsqueeze", &Translator::unsqueeze}, {"Squeeze", &Translator::squeeze}, {"Flatten", &Translator::flatten},
      {"Concat", &Translator::concat}, {"Slice", &Translator::slice}, {"Split", &Translator::split},
      {"Gather", &Translator::gather}, {"Where", &Translator::where}, {"Expand", &Translator::expand},
      {"Trilu", &Translator::trilu}, {"Range", &Translator::range},
  };
  auto it = table.find(op);
  if (it == table.end())
    unsupported("unsupported operator " + op);
  checkBoolUses(n);
  (this->*(it->second))(n);
}

/// A run-time bool is an f32 tensor of 0 and 1 that only some ops may read: the others would take it
/// for numbers (their ONNX type rules forbid a bool there anyway), so such a model is refused here.
void Translator::checkBoolUses(const onnx::NodeProto &n) {
  static const std::set<std::string> readers = {"Where", "Not", "Cast", "Identity", "Unsqueeze",
                                                "Squeeze", "Reshape", "Flatten"};
  for (int k = 0; k < n.input_size(); ++k) {
    auto it = values_.find(n.input(k));
    if (it == values_.end() || !it->second.dynamic() || it->second.dtype != DType::Bool)
      continue;
    if (!readers.count(n.op_type()) || k != 0)
      unsupported("the run-time bool tensor '" + n.input(k) + "' is input " + std::to_string(k) + " of " +
                  n.op_type() + "; dmc reads run-time bools only as the condition of Where, through Not, Cast "
                  "and Reshape, Unsqueeze, Squeeze, Flatten");
  }
}

} // namespace detail

Translation translateModel(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag) {
  return detail::Translator(model, path, diag).run();
}

} // namespace dmc::onnx_import
