//===- TranslateElementwise.cpp - constants, Cast, arithmetic ---------------===//
//
// Translator's members for Constant, ConstantOfShape, Shape, Size, Identity, Cast, the element-wise ops
// (folded when known, a dmc node or a Scale otherwise), MatMul, Gemm, Softmax, LayerNormalization, Reduce*.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Translator.h"

namespace dmc::onnx_import::detail {

void Translator::constant(const onnx::NodeProto &n) {
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

void Translator::constantOfShape(const onnx::NodeProto &n) {
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

Value Translator::filled(const SymShape &shape, double fill, DType dtype) {
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

void Translator::shapeOf(const onnx::NodeProto &n) {
  const Value &x = required(n, 0);
  int64_t rank = (int64_t)x.shape.size();
  int64_t start = attrInt(n, "start", 0), end = attrInt(n, "end", rank);
  auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
  start = clampIndex(start);
  end = clampIndex(end);
  SymShape dims(x.shape.begin() + start, x.shape.begin() + std::max(start, end));
  define(n, 0, knownInts({SymExpr::constant((int64_t)dims.size())}, dims));
}

void Translator::sizeOf(const onnx::NodeProto &n) {
  auto p = product(required(n, 0).shape);
  if (!p)
    unsupported("element count overflows");
  define(n, 0, knownInts({}, {*p}));
}

void Translator::identity(const onnx::NodeProto &n) {
  if (n.op_type() == "Dropout" && input(n, 2)) {
    auto training = required(n, 2).asInts();
    if (!training || (!training->empty() && (*training)[0] != 0))
      unsupported("Dropout in training mode");
  }
  if (n.op_type() == "Dropout" && n.output_size() > 1 && used_.count(n.output(1)))
    unsupported("Dropout's mask output is not supported");
  define(n, 0, required(n, 0));
}

void Translator::cast(const onnx::NodeProto &n) {
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

void Translator::compare(const onnx::NodeProto &n) {
  const Value &a = required(n, 0), &b = required(n, 1);
  if (!a.known() || !b.known())
    unsupported(n.op_type() + " of run-time data is not supported (only known at import)");
  std::string why;
  auto v = foldBinary(a, b, n.op_type(), why);
  if (!v)
    unsupported(why);
  define(n, 0, *v);
}

bool Translator::isScalar(const Value &v) { return v.known() && v.dtype == DType::Float && v.count() == 1; }

void Translator::binary(const onnx::NodeProto &n) {
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
bool Translator::sharesTrailing(const Value &v, const Value &other) {
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

void Translator::power(const onnx::NodeProto &n, const Value &a, const Value &b) {
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

void Translator::unary(const onnx::NodeProto &n) {
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

void Translator::matmul(const onnx::NodeProto &n) {
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

void Translator::gemm(const onnx::NodeProto &n) {
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

void Translator::softmax(const onnx::NodeProto &n) {
  onlyAttributes(n, {"axis"});
  const Value &x = required(n, 0);
  int64_t axis = normAxis(attrInt(n, "axis", -1), x.shape.size());
  std::string in = plain(x, n.input(0));
  define(n, 0, dynamic(emit("Softmax", {in}, {{"axis", axis - (int64_t)x.shape.size()}}, x.shape, outName(n)), x.shape));
}

void Translator::layerNorm(const onnx::NodeProto &n) {
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
void Translator::layerNormStatistics(const onnx::NodeProto &n, const Value &x, int64_t axis, double eps) {
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

void Translator::reduce(const onnx::NodeProto &n) {
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

} // namespace dmc::onnx_import::detail
