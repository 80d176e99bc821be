//===- Translate.cpp - ONNX nodes to dmc nodes, folding what is known -----===//
#include "compiler/onnx/Translate.h"
#include "compiler/importer/Importer.h"
#include "compiler/onnx/Tensors.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

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

namespace {

using Kind = Value::Kind;

/// A failed translation step: the message is reported against the current node.
struct Unsupported {
  std::string message;
};

[[noreturn]] void unsupported(const std::string &message) { throw Unsupported{message}; }

int64_t normAxis(int64_t axis, size_t rank) {
  int64_t r = (int64_t)rank;
  if (axis < -r || axis >= r)
    unsupported("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + r : axis;
}

std::vector<int64_t> strides(const std::vector<int64_t> &dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;)
    s[i - 1] = s[i] * dims[i];
  return s;
}

/// A dmc shape attribute: integers and symbol names.
json shapeJson(const SymShape &shape) {
  json j = json::array();
  for (const SymExpr &d : shape)
    j.push_back(d.isConstant() ? json(d.coefficient) : json(d.symbols[0]));
  return j;
}

bool allDims(const SymShape &shape) {
  return std::all_of(shape.begin(), shape.end(), [](const SymExpr &d) { return d.isDim(); });
}

/// A shape of dmc dims with the same elements in the same order as `shape`: products of symbols are split
/// into their factors (2*S -> S, 2).
SymShape splitIntoDims(const SymShape &shape) {
  SymShape out;
  for (const SymExpr &d : shape) {
    if (d.isDim()) {
      out.push_back(d);
      continue;
    }
    if (d.coefficient <= 0)
      unsupported("dimension " + d.str() + " is not positive");
    for (const std::string &s : d.symbols)
      out.push_back(SymExpr::symbol(s));
    if (d.coefficient != 1)
      out.push_back(SymExpr::constant(d.coefficient));
  }
  return out;
}

class Translator {
public:
  Translator(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag)
      : model_(model), diag_(diag) {
    size_t slash = path.rfind('/');
    dir_ = slash == std::string::npos ? "" : path.substr(0, slash);
    std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
    std::set<std::string> names;
    t_.graphName = freshName(file.substr(0, file.rfind('.')), names);
  }

  Translation run() {
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

private:
  std::string describe(const onnx::NodeProto &n, int index) const {
    std::string domain = n.domain().empty() ? "" : n.domain() + ".";
    std::string who = n.name().empty() ? "node #" + std::to_string(index) : "node '" + n.name() + "'";
    return who + " (" + domain + n.op_type() + ", opset " + std::to_string(opset_) + ")";
  }

  bool checkOpset() {
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

  std::string symbolFor(const std::string &param, const std::string &fallback) {
    std::string base = param.empty() ? fallback : param;
    auto it = symbolNames_.find(base);
    if (it != symbolNames_.end())
      return it->second;
    std::string name = freshName(base, t_.taken);
    symbolNames_[base] = name;
    t_.symbols.push_back(name);
    return name;
  }

  void declareInput(const onnx::ValueInfoProto &in) {
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

  void declareOutput(const onnx::ValueInfoProto &o) {
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

  // --- values -------------------------------------------------------------------------------------

  static Value dynamic(const std::string &tensor, const SymShape &shape) {
    Value v;
    v.kind = Kind::Dynamic;
    v.tensor = tensor;
    v.shape = shape;
    v.storage = shape;
    return v;
  }

  const Value *input(const onnx::NodeProto &n, int k) {
    if (k >= n.input_size() || n.input(k).empty())
      return nullptr;
    auto it = values_.find(n.input(k));
    if (it == values_.end())
      unsupported("input '" + n.input(k) + "' is not defined before this node");
    return &it->second;
  }
  const Value &required(const onnx::NodeProto &n, int k) {
    const Value *v = input(n, k);
    if (!v)
      unsupported("missing input " + std::to_string(k));
    return *v;
  }
  void define(const onnx::NodeProto &n, int k, Value v) {
    if (k < n.output_size() && !n.output(k).empty())
      values_[n.output(k)] = std::move(v);
  }
  std::string outName(const onnx::NodeProto &n, int k = 0) const {
    return k < n.output_size() && !n.output(k).empty() ? n.output(k) : n.op_type();
  }

  std::string emit(const std::string &op, std::vector<std::string> inputs, json attrs, const SymShape &shape,
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
  std::string plain(const Value &v, const std::string &base) {
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
  std::string plainInput(const onnx::NodeProto &n, int k) { return plain(required(n, k), n.input(k)); }

  std::vector<int64_t> constInts(const Value &v, const std::string &what) {
    auto ints = v.asInts();
    if (!ints)
      unsupported(what + " must be known at import (an initializer, a Constant or shape arithmetic over known "
                         "dimensions)");
    return *ints;
  }
  double scalarFloat(const Value &v) {
    auto d = v.asDoubles();
    if (!d || d->size() != 1)
      unsupported("expected a known scalar");
    return (*d)[0];
  }

  // --- attributes ---------------------------------------------------------------------------------

  int64_t attrInt(const onnx::NodeProto &n, const char *name, int64_t fallback) {
    const auto *a = findAttribute(n, name);
    if (!a)
      return fallback;
    if (a->type() != onnx::AttributeProto::INT)
      unsupported(std::string("attribute '") + name + "' must be an int");
    return a->i();
  }
  double attrFloat(const onnx::NodeProto &n, const char *name, double fallback) {
    const auto *a = findAttribute(n, name);
    if (!a)
      return fallback;
    if (a->type() != onnx::AttributeProto::FLOAT)
      unsupported(std::string("attribute '") + name + "' must be a float");
    return a->f();
  }
  std::optional<std::vector<int64_t>> attrInts(const onnx::NodeProto &n, const char *name) {
    const auto *a = findAttribute(n, name);
    if (!a)
      return std::nullopt;
    if (a->type() != onnx::AttributeProto::INTS)
      unsupported(std::string("attribute '") + name + "' must be a list of ints");
    return std::vector<int64_t>(a->ints().begin(), a->ints().end());
  }
  void onlyAttributes(const onnx::NodeProto &n, std::set<std::string> known) {
    for (const auto &a : n.attribute())
      if (!known.count(a.name()))
        unsupported("attribute '" + a.name() + "' is not supported");
  }

  // --- dispatch -----------------------------------------------------------------------------------

  void translate(const onnx::NodeProto &n) {
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
  void checkBoolUses(const onnx::NodeProto &n) {
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

  // --- constants and shapes -----------------------------------------------------------------------

  void constant(const onnx::NodeProto &n) {
    if (n.attribute_size() != 1)
      unsupported("Constant needs exactly one attribute");
    const auto &a = n.attribute(0);
    std::string why;
    if (a.name() == "value" && a.type() == onnx::AttributeProto::TENSOR) {
      std::optional<Value> v = readTensor(a.t(), dir_, why);
      if (!v)
        unsupported("value: " + why);
      define(n, 0, std::move(*v));
    } else if (a.name() == "value_float") {
      define(n, 0, knownFloats({}, {a.f()}));
    } else if (a.name() == "value_floats") {
      define(n, 0, knownFloats({SymExpr::constant(a.floats_size())}, {a.floats().begin(), a.floats().end()}));
    } else if (a.name() == "value_int") {
      define(n, 0, knownInts({}, {SymExpr::constant(a.i())}));
    } else if (a.name() == "value_ints") {
      std::vector<SymExpr> v;
      for (int64_t i : a.ints())
        v.push_back(SymExpr::constant(i));
      define(n, 0, knownInts({SymExpr::constant(a.ints_size())}, v));
    } else {
      unsupported("Constant attribute '" + a.name() + "' is not supported");
    }
  }

  void constantOfShape(const onnx::NodeProto &n) {
    const Value &s = required(n, 0);
    if (!s.known() || s.dtype == DType::Float)
      unsupported("the shape must be known at import");
    double fill = 0;
    DType dtype = DType::Float;
    if (const auto *a = findAttribute(n, "value")) {
      std::string why;
      std::optional<Value> v = readTensor(a->t(), dir_, why);
      if (!v || v->count() != 1)
        unsupported("value must be a one-element tensor" + (why.empty() ? "" : ": " + why));
      dtype = v->dtype;
      fill = (*v->asDoubles())[0];
    }
    SymShape shape = s.ints;
    auto dims = constantDims(shape);
    if (!dims) {
      Value v;
      v.kind = Kind::Fill;
      v.dtype = dtype;
      v.shape = shape;
      v.fill = fill;
      define(n, 0, v);
      return;
    }
    define(n, 0, filled(shape, fill, dtype));
  }

  Value filled(const SymShape &shape, double fill, DType dtype) {
    int64_t count = 1;
    for (const SymExpr &d : shape) {
      if (d.coefficient < 0 || (d.coefficient > 0 && count > kMaxKnownElements / d.coefficient))
        unsupported("a known tensor of shape " + formatShape(shape) + " is too large to fold (2^26 elements)");
      count *= d.coefficient;
    }
    if (dtype == DType::Float)
      return knownFloats(shape, std::vector<double>(count, fill));
    return knownInts(shape, std::vector<SymExpr>(count, SymExpr::constant((int64_t)fill)), dtype);
  }

  void shapeOf(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    int64_t rank = (int64_t)x.shape.size();
    int64_t start = attrInt(n, "start", 0), end = attrInt(n, "end", rank);
    auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
    start = clampIndex(start);
    end = clampIndex(end);
    SymShape dims(x.shape.begin() + start, x.shape.begin() + std::max(start, end));
    define(n, 0, knownInts({SymExpr::constant((int64_t)dims.size())}, dims));
  }

  void sizeOf(const onnx::NodeProto &n) {
    auto p = product(required(n, 0).shape);
    if (!p)
      unsupported("element count overflows");
    define(n, 0, knownInts({}, {*p}));
  }

  void identity(const onnx::NodeProto &n) {
    if (n.op_type() == "Dropout" && input(n, 2)) {
      auto training = required(n, 2).asInts();
      if (!training || (!training->empty() && (*training)[0] != 0))
        unsupported("Dropout in training mode");
    }
    if (n.op_type() == "Dropout" && n.output_size() > 1 && used_.count(n.output(1)))
      unsupported("Dropout's mask output is not supported");
    define(n, 0, required(n, 0));
  }

  void cast(const onnx::NodeProto &n) {
    Value v = required(n, 0);
    int to;
    if (n.op_type() == "CastLike") {
      const Value &like = required(n, 1);
      to = like.dtype == DType::Float ? onnx::TensorProto::FLOAT : like.dtype == DType::Bool ? onnx::TensorProto::BOOL
                                                                                              : onnx::TensorProto::INT64;
    } else {
      to = (int)attrInt(n, "to", 0);
    }
    bool toFloat = to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE;
    bool toInt = to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32 || to == onnx::TensorProto::INT8 ||
                 to == onnx::TensorProto::UINT8;
    if (!toFloat && !toInt && to != onnx::TensorProto::BOOL)
      unsupported("Cast to type " + std::to_string(to) + " is not supported");
    if (v.dynamic() && v.dtype == DType::Bool) {
      // false, true are 0, 1 already: Cast to float only retypes them.
      if (!toFloat && to != onnx::TensorProto::BOOL)
        unsupported("Cast of a run-time bool to an integer type");
      v.dtype = toFloat ? DType::Float : DType::Bool;
      define(n, 0, v);
      return;
    }
    if (!v.known()) {
      if (!toFloat || v.dtype != DType::Float)
        unsupported("Cast of run-time data to a non-float type");
      define(n, 0, v); // f32 -> f32 (and f64, computed in f32)
      return;
    }
    if (toFloat && v.dtype != DType::Float) {
      auto d = v.asDoubles();
      if (!d)
        unsupported("Cast of a symbolic integer to float");
      define(n, 0, knownFloats(v.shape, *d));
      return;
    }
    if (!toFloat) {
      std::vector<SymExpr> out;
      if (v.dtype == DType::Float)
        for (double d : v.floats) {
          if (!std::isfinite(d))
            unsupported("Cast of a non-finite float to an integer");
          out.push_back(SymExpr::constant(to == onnx::TensorProto::BOOL ? d != 0 : (int64_t)d));
        }
      else
        for (const SymExpr &e : v.ints)
          out.push_back(to == onnx::TensorProto::BOOL ? SymExpr::constant(e.coefficient != 0) : e);
      define(n, 0, knownInts(v.shape, out, to == onnx::TensorProto::BOOL ? DType::Bool : DType::Int));
      return;
    }
    if (to == onnx::TensorProto::FLOAT)
      for (double &d : v.floats)
        d = (double)(float)d;
    define(n, 0, v);
  }

  // --- element-wise -------------------------------------------------------------------------------

  void compare(const onnx::NodeProto &n) {
    const Value &a = required(n, 0), &b = required(n, 1);
    if (!a.known() || !b.known())
      unsupported(n.op_type() + " of run-time data is not supported (only known at import)");
    std::string why;
    auto v = foldBinary(a, b, n.op_type(), why);
    if (!v)
      unsupported(why);
    define(n, 0, *v);
  }

  static bool isScalar(const Value &v) { return v.known() && v.dtype == DType::Float && v.count() == 1; }

  void binary(const onnx::NodeProto &n) {
    const std::string &op = n.op_type();
    const Value &a = required(n, 0), &b = required(n, 1);
    if (a.known() && b.known()) {
      std::string why;
      auto v = foldBinary(a, b, op, why);
      if (!v)
        unsupported(why);
      define(n, 0, *v);
      return;
    }
    if (a.kind == Kind::Fill || b.kind == Kind::Fill) {
      const Value &f = a.kind == Kind::Fill ? a : b, &o = a.kind == Kind::Fill ? b : a;
      if (isScalar(o) && o.shape.size() <= f.shape.size()) { // a fill stays a fill
        Value r = f;
        double c = o.floats[0];
        bool fillFirst = a.kind == Kind::Fill;
        r.fill = op == "Add" ? f.fill + c : op == "Mul" ? f.fill * c
                 : op == "Sub" ? (fillFirst ? f.fill - c : c - f.fill)
                 : op == "Div" ? (fillFirst ? f.fill / c : c / f.fill) : std::pow(fillFirst ? f.fill : c, fillFirst ? c : f.fill);
        define(n, 0, r);
        return;
      }
    }
    if (a.kind == Kind::CausalMask || b.kind == Kind::CausalMask) {
      maskBinary(n, a, b);
      return;
    }
    if (op == "Pow") {
      power(n, a, b);
      return;
    }
    // A scalar constant on one side: one Scale node (alpha * x + bias).
    bool aScalar = isScalar(a) && a.shape.size() <= b.shape.size();
    bool bScalar = isScalar(b) && b.shape.size() <= a.shape.size();
    if ((aScalar || bScalar) && !(a.known() && b.known())) {
      const Value &x = aScalar ? b : a;
      double c = aScalar ? a.floats[0] : b.floats[0];
      if (x.dtype != DType::Float)
        unsupported("integer run-time data");
      double alpha = 1, bias = 0;
      if (op == "Add")
        bias = c;
      else if (op == "Sub")
        aScalar ? (alpha = -1, bias = c) : (bias = -c);
      else if (op == "Mul")
        alpha = c;
      else if (bScalar) // x / c
        alpha = 1 / c;
      else { // c / x
        std::string r = emit("Reciprocal", {x.tensor}, json::object(), x.storage, outName(n) + "_reciprocal");
        if (c != 1)
          r = emit("Scale", {r}, {{"alpha", c}}, x.storage, outName(n));
        Value v = x;
        v.tensor = r;
        define(n, 0, v);
        return;
      }
      if (!std::isfinite(alpha) || !std::isfinite(bias))
        unsupported("scaling by a non-finite constant");
      Value v = x;
      v.tensor = emit("Scale", {x.tensor}, {{"alpha", alpha}, {"bias", bias}}, x.storage, outName(n));
      define(n, 0, v);
      return;
    }
    auto shape = broadcast(a.shape, b.shape);
    if (!shape)
      unsupported("shapes " + formatShape(a.shape) + " and " + formatShape(b.shape) + " do not broadcast");
    // Run-time data with a merged (virtual) shape: operate on its storage when the other operand only
    // covers trailing dimensions that the storage shares.
    if (a.dynamic() && a.storage != a.shape && *shape == a.shape && sharesTrailing(a, b)) {
      Value v = a;
      v.tensor = emit(op, {a.tensor, plain(b, n.input(1))}, json::object(), a.storage, outName(n));
      define(n, 0, v);
      return;
    }
    if (b.dynamic() && b.storage != b.shape && *shape == b.shape && sharesTrailing(b, a)) {
      Value v = b;
      v.tensor = emit(op, {plain(a, n.input(0)), b.tensor}, json::object(), b.storage, outName(n));
      define(n, 0, v);
      return;
    }
    std::string x = plain(a, n.input(0)), y = plain(b, n.input(1));
    if (!allDims(*shape))
      unsupported("result shape " + formatShape(*shape) + " has a product of symbols");
    define(n, 0, dynamic(emit(op, {x, y}, json::object(), *shape, outName(n)), *shape));
  }

  /// Whether `other` broadcasts against the last dims of `v` that its storage has too.
  static bool sharesTrailing(const Value &v, const Value &other) {
    size_t k = other.shape.size();
    if (k > v.shape.size() || k > v.storage.size())
      return false;
    for (size_t i = 0; i < k; ++i) {
      const SymExpr &o = other.shape[other.shape.size() - 1 - i];
      if (v.shape[v.shape.size() - 1 - i] != v.storage[v.storage.size() - 1 - i] && o != SymExpr::constant(1))
        return false;
    }
    return true;
  }

  void power(const onnx::NodeProto &n, const Value &a, const Value &b) {
    if (!isScalar(b) || !a.dynamic())
      unsupported("Pow needs a known scalar exponent");
    double e = b.floats[0];
    std::string x = a.tensor;
    Value v = a;
    if (e == 1)
      v.tensor = emit("Scale", {x}, {{"alpha", 1.0}}, a.storage, outName(n));
    else if (e == 2)
      v.tensor = emit("Mul", {x, x}, json::object(), a.storage, outName(n));
    else if (e == 3)
      v.tensor = emit("Mul", {emit("Mul", {x, x}, json::object(), a.storage, outName(n) + "_sq"), x}, json::object(),
                      a.storage, outName(n));
    else if (e == 0.5)
      v.tensor = emit("Sqrt", {x}, json::object(), a.storage, outName(n));
    else if (e == -1)
      v.tensor = emit("Reciprocal", {x}, json::object(), a.storage, outName(n));
    else
      unsupported("Pow with exponent " + json(e).dump() + " (dmc has x^1, x^2, x^3, x^0.5 and x^-1)");
    define(n, 0, v);
  }

  /// x + causal mask (an ONNX -inf upper triangle): a pseudo-node that Patterns.cpp folds into the Softmax
  /// reading it; a positive scale of the mask keeps it a mask.
  void maskBinary(const onnx::NodeProto &n, const Value &a, const Value &b) {
    const std::string &op = n.op_type();
    const Value &m = a.kind == Kind::CausalMask ? a : b, &o = a.kind == Kind::CausalMask ? b : a;
    if (op == "Mul" && isScalar(o) && o.floats[0] > 0 && o.shape.size() <= m.shape.size()) {
      define(n, 0, m);
      return;
    }
    if (op != "Add" || !o.dynamic())
      unsupported(op + " of a causal -inf mask (only adding it to run-time scores is supported)");
    auto shape = broadcast(o.shape, m.shape);
    size_t r = o.shape.size();
    if (!shape || *shape != o.shape || r < 2 || o.shape[r - 1] != m.shape.back() ||
        o.shape[r - 2] != m.shape[m.shape.size() - 2])
      unsupported("the causal mask " + formatShape(m.shape) + " does not match the scores " + formatShape(o.shape));
    std::string x = plain(o, n.input(a.kind == Kind::CausalMask ? 1 : 0));
    define(n, 0, dynamic(emit("$CausalMask", {x}, json::object(), o.shape, outName(n)), o.shape));
  }

  void unary(const onnx::NodeProto &n) {
    const std::string &op = n.op_type();
    const Value &x = required(n, 0);
    if (x.known()) {
      if (op == "Not") {
        std::vector<SymExpr> out;
        for (const SymExpr &e : x.ints)
          out.push_back(SymExpr::constant(e.coefficient == 0));
        define(n, 0, knownInts(x.shape, out, DType::Bool));
        return;
      }
      if (x.dtype == DType::Int && (op == "Neg" || op == "Relu")) { // integer ops stay integers
        std::vector<SymExpr> out;
        for (const SymExpr &e : x.ints) {
          auto r = op == "Neg" ? mul(e, SymExpr::constant(-1))
                   : e.isConstant() ? std::optional<SymExpr>(SymExpr::constant(std::max<int64_t>(0, e.coefficient)))
                                    : std::nullopt;
          if (!r)
            unsupported(op + " of " + e.str());
          out.push_back(*r);
        }
        define(n, 0, knownInts(x.shape, out));
        return;
      }
      auto d = x.asDoubles();
      if (!d || x.dtype != DType::Float)
        unsupported(op + " of a known integer tensor is not folded");
      std::function<double(double)> f = op == "Sqrt" ? [](double v) { return std::sqrt(v); }
                                       : op == "Reciprocal" ? [](double v) { return 1 / v; }
                                       : op == "Erf" ? [](double v) { return std::erf(v); }
                                       : op == "Tanh" ? [](double v) { return std::tanh(v); }
                                       : op == "Relu" ? [](double v) { return v > 0 ? v : 0; }
                                       : op == "Exp" ? [](double v) { return std::exp(v); }
                                                     : std::function<double(double)>([](double v) { return -v; });
      std::vector<double> out;
      for (double v : *d)
        out.push_back((double)(float)f(v));
      define(n, 0, knownFloats(x.shape, out));
      return;
    }
    if (op == "Not" && x.dynamic() && x.dtype == DType::Bool) { // 1 - c: exact on 0 and 1 (and -0)
      Value v = x;
      v.tensor = emit("Scale", {x.tensor}, {{"alpha", -1.0}, {"bias", 1.0}}, x.storage, outName(n));
      define(n, 0, v);
      return;
    }
    if (!x.dynamic() || op == "Not" || x.dtype != DType::Float)
      unsupported(op + " of this operand is not supported");
    Value v = x;
    if (op == "Neg")
      v.tensor = emit("Scale", {x.tensor}, {{"alpha", -1.0}}, x.storage, outName(n));
    else
      v.tensor = emit(op, {x.tensor}, json::object(), x.storage, outName(n));
    define(n, 0, v);
  }

  // --- contractions and normalisations ------------------------------------------------------------

  void matmul(const onnx::NodeProto &n) {
    const Value &a = required(n, 0), &b = required(n, 1);
    if (a.shape.size() < 2 || b.shape.size() < 2)
      unsupported("MatMul of a rank-1 operand is not supported");
    SymShape ab(a.shape.begin(), a.shape.end() - 2), bb(b.shape.begin(), b.shape.end() - 2);
    auto batch = broadcast(ab, bb);
    if (!batch || a.shape.back() != b.shape[b.shape.size() - 2])
      unsupported("shapes " + formatShape(a.shape) + " and " + formatShape(b.shape) + " do not multiply");
    SymShape out = *batch;
    out.push_back(a.shape[a.shape.size() - 2]);
    out.push_back(b.shape.back());
    std::string x = plain(a, n.input(0)), y = plain(b, n.input(1));
    define(n, 0, dynamic(emit("MatMul", {x, y}, json::object(), out, outName(n)), out));
  }

  void gemm(const onnx::NodeProto &n) {
    onlyAttributes(n, {"alpha", "beta", "transA", "transB"});
    const Value &a = required(n, 0), &b = required(n, 1);
    const Value *c = input(n, 2);
    double alpha = attrFloat(n, "alpha", 1), beta = attrFloat(n, "beta", 1);
    int64_t transA = attrInt(n, "transA", 0), transB = attrInt(n, "transB", 0);
    if (a.shape.size() != 2 || b.shape.size() != 2)
      unsupported("Gemm needs rank-2 operands");
    SymExpr m = a.shape[transA ? 1 : 0], k = a.shape[transA ? 0 : 1];
    SymExpr kb = b.shape[transB ? 1 : 0], nDim = b.shape[transB ? 0 : 1];
    if (k != kb)
      unsupported("shapes " + formatShape(a.shape) + " and " + formatShape(b.shape) + " do not multiply");
    if (a.dynamic() && a.storage != a.shape && !transA && a.storage.back() == k) {
      // A is a flattening reshape (Reshape [S, B, E] -> [S*B, E]): multiply the unflattened storage.
      SymShape out = a.storage;
      out.back() = nDim;
      json attrs = json::object();
      if (transB)
        attrs["transB"] = 1;
      if (alpha != 1)
        attrs["alpha"] = alpha;
      std::string r = emit("MatMul", {a.tensor, plain(b, n.input(1))}, attrs, out, outName(n) + "_mm");
      if (c) {
        if (c->shape.size() > 1 && c->shape[0] != SymExpr::constant(1))
          unsupported("Gemm on a flattened operand with a bias of shape " + formatShape(c->shape));
        std::string bias = plain(*c, n.input(2));
        if (beta != 1)
          bias = emit("Scale", {bias}, {{"alpha", beta}}, t_.shapes[bias], n.input(2) + "_scaled");
        r = emit("Add", {r, bias}, json::object(), out, outName(n));
      }
      Value v = dynamic(r, out);
      v.shape = {m, nDim};
      define(n, 0, v);
      return;
    }
    // MatMul (+ Add of beta * C) rather than dmc's Gemm: the same sum, and the form whose bias and
    // activation fuse-matmul-epilogues fuses.
    SymShape out = {m, nDim};
    json attrs = json::object();
    if (transA)
      attrs["transA"] = 1;
    if (transB)
      attrs["transB"] = 1;
    if (alpha != 1)
      attrs["alpha"] = alpha;
    std::string r = emit("MatMul", {plain(a, n.input(0)), plain(b, n.input(1))}, attrs, out, outName(n) + (c ? "_mm" : ""));
    if (c) {
      if (!broadcast(out, c->shape) || *broadcast(out, c->shape) != out)
        unsupported("C of shape " + formatShape(c->shape) + " does not broadcast to " + formatShape(out));
      std::string bias = plain(*c, n.input(2));
      if (beta != 1)
        bias = emit("Scale", {bias}, {{"alpha", beta}}, c->shape, n.input(2) + "_scaled");
      r = emit("Add", {r, bias}, json::object(), out, outName(n));
    }
    define(n, 0, dynamic(r, out));
  }

  void softmax(const onnx::NodeProto &n) {
    onlyAttributes(n, {"axis"});
    const Value &x = required(n, 0);
    int64_t axis = normAxis(attrInt(n, "axis", -1), x.shape.size());
    std::string in = plain(x, n.input(0));
    define(n, 0, dynamic(emit("Softmax", {in}, {{"axis", axis - (int64_t)x.shape.size()}}, x.shape, outName(n)), x.shape));
  }

  void layerNorm(const onnx::NodeProto &n) {
    onlyAttributes(n, {"axis", "epsilon", "stash_type"});
    bool statistics = false;
    for (int k = 1; k < n.output_size(); ++k)
      statistics |= !n.output(k).empty() && used_.count(n.output(k));
    const Value &x = required(n, 0), &scale = required(n, 1);
    const Value *bias = input(n, 2);
    int64_t rank = (int64_t)x.shape.size();
    int64_t axis = normAxis(attrInt(n, "axis", -1), x.shape.size());
    double eps = attrFloat(n, "epsilon", 1e-5);
    SymShape lead(x.shape.begin(), x.shape.begin() + axis), rest(x.shape.begin() + axis, x.shape.end());
    auto restCount = product(rest), leadCount = product(lead);
    bool flat = axis != rank - 1;
    if (!restCount || !restCount->isDim() || (flat && (!leadCount || !leadCount->isDim())))
      unsupported("LayerNormalization over " + formatShape(rest) + " cannot be flattened to one dmc dimension");
    SymShape norm = {*restCount};
    auto param = [&](const Value &p, const std::string &base) {
      auto pc = product(p.shape);
      if (!pc || *pc != *restCount)
        unsupported("parameter of shape " + formatShape(p.shape) + " does not match " + formatShape(rest));
      std::string t = plain(p, base);
      return p.shape == norm ? t : emit("Reshape", {t}, {{"shape", shapeJson(norm)}}, norm, base + "_flat");
    };
    std::string g = param(scale, n.input(1));
    std::string bb = bias ? param(*bias, n.input(2)) : plain(knownFloats(norm, std::vector<double>(restCount->coefficient, 0.0)), outName(n) + "_zero_bias");
    std::string in = plain(x, n.input(0));
    SymShape flatShape = flat ? SymShape{*leadCount, *restCount} : x.shape;
    if (flat)
      in = emit("Reshape", {in}, {{"shape", shapeJson(flatShape)}}, flatShape, outName(n) + "_rows");
    std::string y = emit("LayerNormalization", {in, g, bb}, {{"axis", -1}, {"epsilon", eps}}, flat ? flatShape : x.shape,
                         outName(n) + (flat ? "_flat" : ""));
    if (flat)
      y = emit("Reshape", {y}, {{"shape", shapeJson(x.shape)}}, x.shape, outName(n));
    define(n, 0, dynamic(y, x.shape));
    if (statistics)
      layerNormStatistics(n, x, axis, eps);
  }

  /// LayerNormalization's optional outputs Mean and InvStdDev (reduced axes kept as 1), computed apart.
  void layerNormStatistics(const onnx::NodeProto &n, const Value &x, int64_t axis, double eps) {
    std::vector<int64_t> axes;
    SymShape reduced = x.shape;
    for (size_t i = axis; i < x.shape.size(); ++i) {
      axes.push_back((int64_t)i);
      reduced[i] = SymExpr::constant(1);
    }
    json attrs = {{"axes", axes}, {"keepdims", 1}};
    std::string in = plain(x, n.input(0));
    std::string mean = emit("ReduceMean", {in}, attrs, reduced, outName(n, 1));
    std::string d = emit("Sub", {in, mean}, json::object(), x.shape, outName(n) + "_centered");
    std::string sq = emit("Mul", {d, d}, json::object(), x.shape, outName(n) + "_squared");
    std::string var = emit("ReduceMean", {sq}, attrs, reduced, outName(n) + "_variance");
    std::string shifted = emit("Scale", {var}, {{"alpha", 1.0}, {"bias", eps}}, reduced, outName(n) + "_variance_eps");
    std::string sd = emit("Sqrt", {shifted}, json::object(), reduced, outName(n) + "_stddev");
    define(n, 1, dynamic(mean, reduced));
    define(n, 2, dynamic(emit("Reciprocal", {sd}, json::object(), reduced, outName(n, 2)), reduced));
  }

  void reduce(const onnx::NodeProto &n) {
    onlyAttributes(n, {"axes", "keepdims", "noop_with_empty_axes"});
    const Value &x = required(n, 0);
    std::vector<int64_t> axes;
    if (auto a = attrInts(n, "axes"))
      axes = *a;
    else if (const Value *a = input(n, 1))
      axes = constInts(*a, "axes");
    int64_t keepdims = attrInt(n, "keepdims", 1);
    if (axes.empty()) {
      if (attrInt(n, "noop_with_empty_axes", 0)) {
        define(n, 0, x);
        return;
      }
      for (size_t i = 0; i < x.shape.size(); ++i)
        axes.push_back((int64_t)i);
    }
    std::set<int64_t> reduced;
    for (int64_t a : axes)
      reduced.insert(normAxis(a, x.shape.size()));
    SymShape out;
    for (size_t i = 0; i < x.shape.size(); ++i)
      if (!reduced.count((int64_t)i))
        out.push_back(x.shape[i]);
      else if (keepdims)
        out.push_back(SymExpr::constant(1));
    if (x.known())
      unsupported(n.op_type() + " of known data is not folded");
    std::string in = plain(x, n.input(0));
    json attrs = {{"axes", std::vector<int64_t>(reduced.begin(), reduced.end())}, {"keepdims", keepdims}};
    define(n, 0, dynamic(emit(n.op_type(), {in}, attrs, out, outName(n)), out));
  }

  // --- layout -------------------------------------------------------------------------------------

  /// A Known value's data permuted or gathered: `index(i)` gives the source index of output element i.
  Value gatherKnown(const Value &x, const SymShape &shape, const std::function<int64_t(int64_t)> &index) {
    auto dims = constantDims(shape);
    int64_t count = 1;
    for (int64_t d : *dims)
      count *= d;
    Value v = x;
    v.shape = shape;
    if (x.dtype == DType::Float) {
      v.floats.resize(count);
      for (int64_t i = 0; i < count; ++i)
        v.floats[i] = x.floats[index(i)];
    } else {
      v.ints.resize(count);
      for (int64_t i = 0; i < count; ++i)
        v.ints[i] = x.ints[index(i)];
    }
    return v;
  }

  void transpose(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    size_t rank = x.shape.size();
    std::vector<int64_t> perm;
    if (auto p = attrInts(n, "perm"))
      perm = *p;
    else
      for (size_t i = 0; i < rank; ++i)
        perm.push_back((int64_t)(rank - 1 - i));
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
      if (sorted.size() != rank || sorted[i] != (int64_t)i)
        unsupported("perm is not a permutation of the " + std::to_string(rank) + " axes");
    SymShape out;
    for (int64_t p : perm)
      out.push_back(x.shape[p]);
    if (x.known()) {
      auto inDims = *constantDims(x.shape), outDims = *constantDims(out);
      auto inStrides = strides(inDims);
      define(n, 0, gatherKnown(x, out, [&](int64_t i) {
               int64_t src = 0;
               for (size_t k = rank; k-- > 0;) {
                 src += (i % outDims[k]) * inStrides[perm[k]];
                 i /= outDims[k];
               }
               return src;
             }));
      return;
    }
    std::string in = plain(x, n.input(0));
    define(n, 0, dynamic(emit("Transpose", {in}, {{"perm", perm}}, out, outName(n)), out));
  }

  /// Any change of shape that keeps the elements in order (Reshape, Unsqueeze, Squeeze, Flatten).
  void reshapeTo(const onnx::NodeProto &n, const Value &x, const SymShape &target) {
    auto have = product(x.shape), want = product(target);
    if (!have || !want || *have != *want)
      unsupported("cannot reshape " + formatShape(x.shape) + " to " + formatShape(target));
    if (x.known() || x.kind == Kind::Fill) {
      Value v = x;
      v.shape = target;
      define(n, 0, v);
      return;
    }
    if (x.kind == Kind::CausalMask) { // only leading 1s may change
      auto strip = [](SymShape s) {
        while (!s.empty() && s.front() == SymExpr::constant(1))
          s.erase(s.begin());
        return s;
      };
      if (strip(target) != strip(x.shape))
        unsupported("reshape of a causal mask " + formatShape(x.shape) + " to " + formatShape(target));
      Value v = x;
      v.shape = target;
      define(n, 0, v);
      return;
    }
    SymShape storage = splitIntoDims(target);
    Value v = x;
    v.shape = target;
    v.storage = storage;
    if (storage != x.storage)
      v.tensor = emit("Reshape", {x.tensor}, {{"shape", shapeJson(storage)}}, storage, outName(n));
    define(n, 0, v);
  }

  void reshape(const onnx::NodeProto &n) {
    const Value &x = required(n, 0), &s = required(n, 1);
    if (!s.known() || s.dtype == DType::Float)
      unsupported("the target shape must be known at import");
    bool allowZero = attrInt(n, "allowzero", 0) != 0;
    SymShape target = s.ints;
    int inferred = -1;
    for (size_t i = 0; i < target.size(); ++i) {
      if (target[i] == SymExpr::constant(0) && !allowZero) {
        if (i >= x.shape.size())
          unsupported("shape entry 0 at " + std::to_string(i) + " has no input dimension to copy");
        target[i] = x.shape[i];
      } else if (target[i] == SymExpr::constant(-1)) {
        if (inferred >= 0)
          unsupported("more than one -1 in the target shape");
        inferred = (int)i;
      } else if (target[i].coefficient <= 0) {
        unsupported("target shape " + formatShape(s.ints) + " has a non-positive dimension");
      }
    }
    if (inferred >= 0) {
      SymShape others = target;
      others.erase(others.begin() + inferred);
      auto total = product(x.shape), known = product(others);
      std::optional<SymExpr> q = total && known ? div(*total, *known) : std::nullopt;
      if (!q || !mul(*q, *known) || *mul(*q, *known) != *total)
        unsupported("cannot infer the -1 of " + formatShape(s.ints) + " from " + formatShape(x.shape));
      target[inferred] = *q;
    }
    reshapeTo(n, x, target);
  }

  std::vector<int64_t> axesOf(const onnx::NodeProto &n, int inputIndex) {
    if (auto a = attrInts(n, "axes"))
      return *a;
    if (const Value *a = input(n, inputIndex))
      return constInts(*a, "axes");
    return {};
  }

  void unsqueeze(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    std::vector<int64_t> axes = axesOf(n, 1);
    size_t rank = x.shape.size() + axes.size();
    std::set<int64_t> at;
    for (int64_t a : axes)
      if (!at.insert(normAxis(a, rank)).second)
        unsupported("axis " + std::to_string(a) + " given twice");
    SymShape out;
    size_t k = 0;
    for (size_t i = 0; i < rank; ++i)
      out.push_back(at.count((int64_t)i) ? SymExpr::constant(1) : x.shape[k++]);
    reshapeTo(n, x, out);
  }

  void squeeze(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    std::vector<int64_t> axes = axesOf(n, 1);
    std::set<int64_t> at;
    for (int64_t a : axes)
      at.insert(normAxis(a, x.shape.size()));
    SymShape out;
    for (size_t i = 0; i < x.shape.size(); ++i) {
      bool one = x.shape[i] == SymExpr::constant(1);
      if (at.count((int64_t)i) && !one)
        unsupported("axis " + std::to_string(i) + " of " + formatShape(x.shape) + " is not 1");
      if (!(at.empty() ? one : at.count((int64_t)i)))
        out.push_back(x.shape[i]);
    }
    reshapeTo(n, x, out);
  }

  void flatten(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    int64_t axis = attrInt(n, "axis", 1);
    axis = axis < 0 ? axis + (int64_t)x.shape.size() : axis;
    if (axis < 0 || axis > (int64_t)x.shape.size())
      unsupported("axis out of range");
    auto a = product(SymShape(x.shape.begin(), x.shape.begin() + axis));
    auto b = product(SymShape(x.shape.begin() + axis, x.shape.end()));
    if (!a || !b)
      unsupported("element count overflows");
    reshapeTo(n, x, {*a, *b});
  }

  void concat(const onnx::NodeProto &n) {
    const Value &first = required(n, 0);
    int64_t axis = normAxis(attrInt(n, "axis", 0), first.shape.size());
    bool allKnown = true;
    SymShape out = first.shape;
    for (int k = 0; k < n.input_size(); ++k) {
      const Value &v = required(n, k);
      allKnown &= v.known();
      if (v.shape.size() != out.size())
        unsupported("operands of different ranks");
      for (size_t i = 0; i < out.size(); ++i)
        if ((int64_t)i != axis && v.shape[i] != out[i])
          unsupported("shapes " + formatShape(first.shape) + " and " + formatShape(v.shape) + " do not concatenate");
      if (k) {
        auto s = add(out[axis], v.shape[axis]);
        if (!s)
          unsupported("the concatenated dimension " + out[axis].str() + " + " + v.shape[axis].str() +
                      " is no dmc dimension");
        out[axis] = *s;
      }
    }
    if (allKnown) {
      auto dims = *constantDims(out);
      int64_t outer = 1, inner = 1;
      for (int64_t i = 0; i < axis; ++i)
        outer *= dims[i];
      for (size_t i = axis + 1; i < dims.size(); ++i)
        inner *= dims[i];
      Value v = first;
      v.shape = out;
      v.floats.clear();
      v.ints.clear();
      for (int64_t o = 0; o < outer; ++o)
        for (int k = 0; k < n.input_size(); ++k) {
          const Value &p = required(n, k);
          if (p.dtype != first.dtype)
            unsupported("operands of different types");
          int64_t chunk = p.shape[axis].coefficient * inner;
          if (p.dtype == DType::Float)
            v.floats.insert(v.floats.end(), p.floats.begin() + o * chunk, p.floats.begin() + (o + 1) * chunk);
          else
            v.ints.insert(v.ints.end(), p.ints.begin() + o * chunk, p.ints.begin() + (o + 1) * chunk);
        }
      define(n, 0, v);
      return;
    }
    std::vector<std::string> ins;
    for (int k = 0; k < n.input_size(); ++k)
      ins.push_back(plainInput(n, k));
    if (!allDims(out))
      unsupported("result shape " + formatShape(out) + " has a product of symbols");
    define(n, 0, dynamic(emit("Concat", ins, {{"axis", axis}}, out, outName(n)), out));
  }

  /// Slices `x` along `axes` to [starts, ends) with `steps`; emits or folds into output k of `n`.
  void sliceTo(const onnx::NodeProto &n, int k, const Value &x, std::vector<int64_t> starts, std::vector<int64_t> ends,
               std::vector<int64_t> axes, std::vector<int64_t> steps) {
    size_t rank = x.shape.size();
    SymShape out = x.shape;
    std::vector<int64_t> begin(rank, 0), step(rank, 1);
    std::vector<int64_t> dmcStarts, dmcEnds, dmcAxes;
    std::set<int64_t> seen;
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis = normAxis(axes[i], rank);
      if (!seen.insert(axis).second)
        unsupported("axis " + std::to_string(axes[i]) + " sliced twice");
      if (steps[i] == 0)
        unsupported("slice step 0");
      const SymExpr &dim = x.shape[axis];
      if (!dim.isConstant()) { // a symbolic dimension may only be kept whole
        bool whole = steps[i] == 1 && starts[i] == 0 && ends[i] >= (int64_t(1) << 31);
        if (!whole)
          unsupported("slice of the symbolic dimension " + dim.str() + " (only whole is supported)");
        continue;
      }
      int64_t d = dim.coefficient, s = starts[i], e = ends[i];
      if (steps[i] > 0) {
        s = std::clamp<int64_t>(s < 0 ? s + d : s, 0, d);
        e = std::clamp<int64_t>(e < 0 ? e + d : e, 0, d);
      } else {
        s = std::clamp<int64_t>(s < 0 ? s + d : s, -1, d - 1);
        e = std::clamp<int64_t>(e < 0 ? e + d : e, -1, d - 1);
      }
      int64_t len = steps[i] > 0 ? std::max<int64_t>(0, (e - s + steps[i] - 1) / steps[i])
                                 : std::max<int64_t>(0, (s - e + (-steps[i]) - 1) / (-steps[i]));
      out[axis] = SymExpr::constant(len);
      begin[axis] = s;
      step[axis] = steps[i];
      if (len == d && steps[i] == 1)
        continue;
      if (steps[i] != 1 && !x.known())
        unsupported("slices with steps other than 1 are not supported on run-time data");
      dmcStarts.push_back(s);
      dmcEnds.push_back(e);
      dmcAxes.push_back(axis);
    }
    if (x.known()) { // empty results are fine here (shape vectors); dmc tensors are never empty
      auto inDims = *constantDims(x.shape), outDims = *constantDims(out);
      auto inStrides = strides(inDims);
      define(n, k, gatherKnown(x, out, [&](int64_t i) {
               int64_t src = 0;
               for (size_t a = rank; a-- > 0;) {
                 src += (begin[a] + (i % outDims[a]) * step[a]) * inStrides[a];
                 i /= outDims[a];
               }
               return src;
             }));
      return;
    }
    for (const SymExpr &d : out)
      if (d == SymExpr::constant(0))
        unsupported("an empty slice");
    std::string in = plain(x, n.input(0));
    if (dmcAxes.empty()) {
      define(n, k, dynamic(in, x.shape));
      return;
    }
    json attrs = {{"starts", dmcStarts}, {"ends", dmcEnds}, {"axes", dmcAxes}};
    define(n, k, dynamic(emit("Slice", {in}, attrs, out, outName(n, k)), out));
  }

  void slice(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    std::vector<int64_t> starts = constInts(required(n, 1), "starts"), ends = constInts(required(n, 2), "ends");
    std::vector<int64_t> axes, steps;
    if (const Value *a = input(n, 3))
      axes = constInts(*a, "axes");
    else
      for (size_t i = 0; i < starts.size(); ++i)
        axes.push_back((int64_t)i);
    if (const Value *s = input(n, 4))
      steps = constInts(*s, "steps");
    else
      steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
      unsupported("starts, ends, axes and steps differ in length");
    sliceTo(n, 0, x, starts, ends, axes, steps);
  }

  void split(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    int64_t axis = normAxis(attrInt(n, "axis", 0), x.shape.size());
    std::vector<int64_t> sizes;
    if (const Value *s = input(n, 1))
      sizes = constInts(*s, "split");
    else if (auto a = attrInts(n, "split"))
      sizes = *a;
    if (!x.shape[axis].isConstant())
      unsupported("Split along the symbolic dimension " + x.shape[axis].str());
    int64_t d = x.shape[axis].coefficient, parts = n.output_size();
    if (sizes.empty()) {
      if (parts <= 0 || d % parts)
        unsupported("dimension " + std::to_string(d) + " does not split into " + std::to_string(parts) + " parts");
      sizes.assign(parts, d / parts);
    }
    int64_t sum = 0;
    for (int64_t s : sizes)
      sum += s;
    if ((int64_t)sizes.size() != parts || sum != d)
      unsupported("split sizes do not add up to dimension " + std::to_string(d) + " over " + std::to_string(parts) +
                  " outputs");
    int64_t at = 0;
    for (int64_t k = 0; k < parts; ++k) {
      sliceTo(n, (int)k, x, {at}, {at + sizes[k]}, {axis}, {1});
      at += sizes[k];
    }
  }

  void gather(const onnx::NodeProto &n) {
    const Value &x = required(n, 0), &idx = required(n, 1);
    int64_t axis = normAxis(attrInt(n, "axis", 0), x.shape.size());
    std::vector<int64_t> indices = constInts(idx, "indices");
    if (!x.shape[axis].isConstant() && !x.known())
      unsupported("Gather along the symbolic dimension " + x.shape[axis].str());
    int64_t d = x.shape[axis].coefficient;
    for (int64_t &i : indices) {
      if (i < -d || i >= d)
        unsupported("index " + std::to_string(i) + " out of range for dimension " + std::to_string(d));
      i = i < 0 ? i + d : i;
    }
    SymShape out(x.shape.begin(), x.shape.begin() + axis);
    out.insert(out.end(), idx.shape.begin(), idx.shape.end());
    out.insert(out.end(), x.shape.begin() + axis + 1, x.shape.end());
    if (x.known()) {
      auto dims = *constantDims(x.shape);
      int64_t inner = 1;
      for (size_t i = axis + 1; i < dims.size(); ++i)
        inner *= dims[i];
      int64_t m = (int64_t)indices.size();
      define(n, 0, gatherKnown(x, out, [&](int64_t i) {
               int64_t in = i % inner, rest = i / inner, j = rest % m, o = rest / m;
               return (o * d + indices[j]) * inner + in;
             }));
      return;
    }
    // Run-time data: each run of consecutive indices is a slice, several runs are concatenated.
    if (indices.empty())
      unsupported("Gather with no indices");
    constexpr size_t kMaxRuns = 64;
    std::string in = plain(x, n.input(0));
    std::vector<std::string> parts;
    for (size_t j = 0; j < indices.size();) {
      size_t k = j + 1;
      while (k < indices.size() && indices[k] == indices[k - 1] + 1)
        ++k;
      if (parts.size() == kMaxRuns)
        unsupported("Gather of run-time data with more than 64 runs of consecutive indices");
      SymShape part = x.shape;
      part[axis] = SymExpr::constant((int64_t)(k - j));
      parts.push_back(emit("Slice", {in},
                           {{"starts", {indices[j]}}, {"ends", {indices[k - 1] + 1}}, {"axes", {axis}}}, part,
                           outName(n) + "_slice"));
      j = k;
    }
    SymShape sliced = x.shape;
    sliced[axis] = SymExpr::constant((int64_t)indices.size());
    std::string s = parts.size() == 1 ? parts[0]
                                      : emit("Concat", parts, {{"axis", axis}}, sliced, outName(n) + "_gathered");
    Value v = dynamic(s, sliced);
    if (out != sliced)
      v.tensor = emit("Reshape", {s}, {{"shape", shapeJson(out)}}, out, outName(n));
    v.shape = v.storage = out;
    define(n, 0, v);
  }

  void where(const onnx::NodeProto &n) {
    const Value &c = required(n, 0), &x = required(n, 1), &y = required(n, 2);
    if (c.dynamic() && c.dtype == DType::Bool) {
      runtimeWhere(n, c, x, y);
      return;
    }
    if (!c.known())
      unsupported("Where with a run-time condition that is not a bool model input (or Not, Cast or a reshape "
                  "of one) is not supported");
    if (x.known() && y.known()) {
      auto shape = broadcast(c.shape, x.shape);
      shape = shape ? broadcast(*shape, y.shape) : shape;
      if (!shape)
        unsupported("operands do not broadcast");
      // select(c, x, y) = c*x + (1-c)*y is not exact for inf: select element by element instead.
      std::string why;
      auto cf = knownFloats(c.shape, *c.asDoubles());
      auto ones = filled(*shape, 1.0, DType::Float);
      auto cb = foldBinary(cf, ones, "Mul", why);
      auto xb = x.dtype == DType::Float ? foldBinary(x, ones, "Mul", why) : std::nullopt;
      auto yb = y.dtype == DType::Float ? foldBinary(y, ones, "Mul", why) : std::nullopt;
      if (!cb || !xb || !yb)
        unsupported("Where of known data: " + (why.empty() ? "integer operands" : why));
      Value v = *xb;
      for (size_t i = 0; i < v.floats.size(); ++i)
        v.floats[i] = cb->floats[i] != 0 ? xb->floats[i] : yb->floats[i];
      define(n, 0, v);
      return;
    }
    // masked_fill(scores, cond, -inf): an additive mask of -inf where the scores are replaced.
    bool xFill = isScalar(x) && y.dynamic(), yFill = isScalar(y) && x.dynamic();
    if (!xFill && !yFill)
      unsupported("Where of run-time data is supported only as masked_fill with a scalar");
    double fill = xFill ? x.floats[0] : y.floats[0];
    if (!(std::isinf(fill) && fill < 0))
      unsupported("Where of run-time data is supported only as masked_fill with -inf");
    const Value &data = xFill ? y : x;
    std::vector<double> mask;
    for (const SymExpr &e : c.ints)
      mask.push_back(((e.coefficient != 0) == xFill) ? fill : 0.0);
    Value m = knownFloats(c.shape, mask);
    addMask(n, data, m);
  }

  /// masked_fill(data, c, fill) with c a run-time bool (0 or 1 in its f32 tensor): Where(c, fill, data)
  /// hides data where c is 1, Where(c, data, fill) where c is 0. Only elementwise ops of dmc's vocabulary,
  /// each exact on 0 and 1, so the result is what ONNX's select gives (for finite data with a finite fill).
  void runtimeWhere(const onnx::NodeProto &n, const Value &c, const Value &x, const Value &y) {
    bool xFill = isScalar(x) && y.dynamic() && y.dtype == DType::Float;
    bool yFill = isScalar(y) && x.dynamic() && x.dtype == DType::Float;
    if (!xFill && !yFill)
      unsupported("Where with a run-time condition is supported only as masked_fill: a known scalar on one "
                  "side, run-time float data on the other");
    const Value &data = xFill ? y : x;
    double fill = xFill ? x.floats[0] : y.floats[0];
    bool minusInf = std::isinf(fill) && fill < 0;
    if (!minusInf && !std::isfinite(fill))
      unsupported(std::string("masked_fill with a run-time condition and the fill ") +
                  (std::isnan(fill) ? "NaN" : "+inf") + " (supported: -inf and finite values)");
    auto shape = broadcast(data.shape, c.shape);
    if (!shape || *shape != data.shape)
      unsupported("the condition " + formatShape(c.shape) + " does not broadcast to the data " +
                  formatShape(data.shape));
    std::string in = plain(data, n.input(xFill ? 2 : 1));
    Value cf = c;
    cf.dtype = DType::Float;
    size_t firstMaskNode = t_.nodes.size();
    std::string cond = plain(cf, n.input(0));
    const SymShape &cs = c.shape;
    auto oneMinus = [&](const std::string &t, const std::string &base) {
      return emit("Scale", {t}, {{"alpha", -1.0}, {"bias", 1.0}}, cs, base);
    };
    // kept: 1 where data stays. Both forms pass through 1 - v, which maps -0 to 1 like +0.
    std::string hidden = xFill ? cond : oneMinus(cond, outName(n) + "_hidden");
    std::string kept = oneMinus(hidden, outName(n) + "_kept");
    if (minusInf) {
      // The additive mask 0 / -inf as 1 - 1/kept (1/1 = 1, 1/+0 = +inf, both exact): added to scores, it is
      // Softmax's mask operand after the patterns, as an -inf mask known at import would be.
      std::string r = emit("Reciprocal", {kept}, json::object(), cs, outName(n) + "_inverse");
      std::string m = oneMinus(r, outName(n) + "_mask");
      hoistMaskNodes(firstMaskNode, c.tensor);
      define(n, 0, dynamic(emit("Add", {in, m}, json::object(), data.shape, outName(n)), data.shape));
      return;
    }
    // data * kept + fill * hidden: x*1 + (+-0) = x and x*0 + fill = fill for finite x.
    std::string filled = emit("Scale", {hidden}, {{"alpha", fill}}, cs, outName(n) + "_fill");
    hoistMaskNodes(firstMaskNode, c.tensor);
    std::string keptData = emit("Mul", {in, kept}, json::object(), data.shape, outName(n) + "_kept_data");
    define(n, 0, dynamic(emit("Add", {keptData, filled}, json::object(), data.shape, outName(n)), data.shape));
  }

  /// Moves the nodes from `first` on (they read only the condition `cond` and each other) to just after
  /// the node producing `cond`, or to the front when it is a graph input. Emitted in ONNX order they would
  /// stand between the scores' MatMul and the Softmax, where fuse-attention requires that nothing writes
  /// the mask it moves into nn.attention.
  void hoistMaskNodes(size_t first, const std::string &cond) {
    size_t at = 0;
    for (size_t i = 0; i < first; ++i)
      if (t_.nodes[i].output == cond)
        at = i + 1;
    std::rotate(t_.nodes.begin() + at, t_.nodes.begin() + first, t_.nodes.end());
  }

  /// data + m for a Known additive mask m: a causal pattern becomes the causal pseudo-node.
  void addMask(const onnx::NodeProto &n, const Value &data, const Value &m) {
    auto shape = broadcast(data.shape, m.shape);
    if (!shape || *shape != data.shape)
      unsupported("the mask " + formatShape(m.shape) + " does not broadcast to " + formatShape(data.shape));
    std::string in = plain(data, n.input(1));
    if (isCausal(m)) {
      define(n, 0, dynamic(emit("$CausalMask", {in}, json::object(), data.shape, outName(n)), data.shape));
      return;
    }
    std::string mt = plain(m, outName(n) + "_mask");
    define(n, 0, dynamic(emit("Add", {in, mt}, json::object(), data.shape, outName(n)), data.shape));
  }

  /// A Known mask that is 0 on and below the diagonal and -inf above it, over its last two (equal) dims.
  static bool isCausal(const Value &m) {
    if (!m.known() || m.dtype != DType::Float || m.shape.size() < 2)
      return false;
    int64_t r = m.shape[m.shape.size() - 2].coefficient, c = m.shape.back().coefficient;
    if (r != c || r < 1 || m.count() != r * c)
      return false; // leading dims must be 1
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < c; ++j) {
        double v = m.floats[i * c + j];
        if (j <= i ? v != 0 : !(std::isinf(v) && v < 0))
          return false;
      }
    return true;
  }

  void expand(const onnx::NodeProto &n) {
    const Value &x = required(n, 0), &s = required(n, 1);
    if (!s.known() || s.dtype == DType::Float)
      unsupported("the target shape must be known at import");
    auto out = broadcast(x.shape, s.ints);
    if (!out)
      unsupported("cannot expand " + formatShape(x.shape) + " to " + formatShape(s.ints));
    if (x.known()) {
      std::string why;
      auto ones = filled(*out, 1.0, DType::Float);
      if (x.dtype == DType::Float) {
        auto v = foldBinary(x, ones, "Mul", why);
        if (!v)
          unsupported(why);
        define(n, 0, *v);
      } else {
        auto dims = *constantDims(*out), xd = *constantDims(x.shape);
        define(n, 0, gatherKnown(x, *out, [&](int64_t i) {
                 int64_t src = 0, stride = 1;
                 for (size_t k = 0; k < dims.size(); ++k) {
                   size_t o = dims.size() - 1 - k;
                   int64_t coord = i % dims[o];
                   i /= dims[o];
                   if (k < xd.size()) {
                     size_t a = xd.size() - 1 - k;
                     src += (xd[a] == 1 ? 0 : coord) * stride;
                     stride *= xd[a];
                   }
                 }
                 return src;
               }));
      }
      return;
    }
    if (x.kind == Kind::Fill) {
      Value v = x;
      v.shape = *out;
      define(n, 0, v);
      return;
    }
    auto total = product(*out), have = product(x.shape);
    if (total && have && *total == *have) { // only leading 1s added
      reshapeTo(n, x, *out);
      return;
    }
    // Copies along broadcast dims: x * ones, with the ones only as large as the dims that grow (exact:
    // x * 1 is x for every float, -0, inf and NaN included).
    SymShape onesShape = *out;
    size_t lead = out->size() - x.shape.size();
    for (size_t i = lead; i < out->size(); ++i)
      if ((*out)[i] == x.shape[i - lead])
        onesShape[i] = SymExpr::constant(1);
    if (constantDims(onesShape) && x.dynamic() && allDims(*out)) {
      std::string ones = plain(filled(onesShape, 1.0, DType::Float), outName(n) + "_ones");
      define(n, 0, dynamic(emit("Mul", {plain(x, n.input(0)), ones}, json::object(), *out, outName(n)), *out));
      return;
    }
    unsupported("Expand that copies run-time data (" + formatShape(x.shape) + " to " + formatShape(*out) +
                ") is not supported");
  }

  void trilu(const onnx::NodeProto &n) {
    const Value &x = required(n, 0);
    int64_t k = 0;
    if (const Value *kv = input(n, 1)) {
      auto ks = constInts(*kv, "k");
      if (ks.size() != 1)
        unsupported("k must be a scalar");
      k = ks[0];
    }
    bool upper = attrInt(n, "upper", 1) != 0;
    if (x.shape.size() < 2)
      unsupported("Trilu needs rank 2 or more");
    if (x.kind == Kind::Fill) {
      const SymExpr &r = x.shape[x.shape.size() - 2], &c = x.shape.back();
      if (upper && k == 1 && std::isinf(x.fill) && x.fill < 0 && r == c) {
        Value v;
        v.kind = Kind::CausalMask;
        v.shape = x.shape;
        define(n, 0, v);
        return;
      }
      unsupported("Trilu of a symbolic-shape fill other than the causal -inf mask (upper, k = 1)");
    }
    if (!x.known())
      unsupported("Trilu of run-time data is not supported");
    auto dims = *constantDims(x.shape);
    int64_t rows = dims[dims.size() - 2], cols = dims.back();
    Value v = x;
    for (int64_t i = 0; i < v.count(); ++i) {
      int64_t col = i % cols, row = (i / cols) % rows;
      bool keep = upper ? col - row >= k : col - row <= k;
      if (!keep) {
        if (v.dtype == DType::Float)
          v.floats[i] = 0;
        else
          v.ints[i] = SymExpr::constant(0);
      }
    }
    define(n, 0, v);
  }

  void range(const onnx::NodeProto &n) {
    auto s = required(n, 0).asDoubles(), l = required(n, 1).asDoubles(), d = required(n, 2).asDoubles();
    if (!s || !l || !d || s->size() != 1 || l->size() != 1 || d->size() != 1 || (*d)[0] == 0)
      unsupported("Range needs known scalar start, limit and a non-zero delta");
    double count = std::max(0.0, std::ceil(((*l)[0] - (*s)[0]) / (*d)[0]));
    if (count > kMaxKnownElements)
      unsupported("Range too long to fold");
    bool floating = required(n, 0).dtype == DType::Float;
    std::vector<double> f;
    std::vector<SymExpr> ints;
    for (int64_t i = 0; i < (int64_t)count; ++i) {
      double v = (*s)[0] + i * (*d)[0];
      floating ? f.push_back(v) : ints.push_back(SymExpr::constant((int64_t)v));
    }
    SymShape shape = {SymExpr::constant((int64_t)count)};
    define(n, 0, floating ? knownFloats(shape, f) : knownInts(shape, ints));
  }

  const onnx::ModelProto &model_;
  Diagnostics &diag_;
  std::string dir_;
  Translation t_;
  std::map<std::string, Value> values_;
  std::map<std::string, std::string> symbolNames_;
  std::set<std::string> used_;
  int64_t opset_ = 0;
  int origin_ = -1;
};

} // namespace

Translation translateModel(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag) {
  return Translator(model, path, diag).run();
}

} // namespace dmc::onnx_import
