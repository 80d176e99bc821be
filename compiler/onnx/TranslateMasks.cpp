//===- TranslateMasks.cpp - Where and masks ---------------------------------===//
//
// Translator's members for masks: Where (masked_fill on -inf with a known or a run-time condition as an
// additive mask, any other Where as the element-wise select nn.where), an additive
// mask added to scores, the causal -inf mask (Trilu) that becomes Softmax's `causal`.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Translator.h"

namespace dmc::onnx_import::detail {

/// x + causal mask (an ONNX -inf upper triangle): a pseudo-node that Patterns.cpp folds into the Softmax
/// reading it; a positive scale of the mask keeps it a mask.
void Translator::maskBinary(const onnx::NodeProto &n, const Value &a, const Value &b) {
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

void Translator::where(const onnx::NodeProto &n) {
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
  // masked_fill(scores, cond, -inf): an additive mask of -inf where the scores are replaced, so that a
  // Softmax reading it takes it as its mask operand (or its causal attribute).
  bool xFill = isScalar(x) && y.dynamic(), yFill = isScalar(y) && x.dynamic();
  if (xFill || yFill) {
    double fill = xFill ? x.floats[0] : y.floats[0];
    const Value &data = xFill ? y : x;
    auto masked = broadcast(data.shape, c.shape);
    if (std::isinf(fill) && fill < 0 && masked && *masked == data.shape) {
      std::vector<double> mask;
      for (const SymExpr &e : c.ints)
        mask.push_back(((e.coefficient != 0) == xFill) ? fill : 0.0);
      addMask(n, data, knownFloats(c.shape, mask));
      return;
    }
  }
  // Any other known condition: a constant f32 0/1 input of a select.
  Value cf = knownFloats(c.shape, *c.asDoubles());
  select(n, plain(cf, outName(n) + "_condition"), c.shape, x, y);
}

/// Where(c, x, y) as the element-wise select nn.where on the dmc tensor `cond` (f32 0/1) of ONNX shape
/// `cs`: exact for any data, inf and NaN included, in either operand.
void Translator::select(const onnx::NodeProto &n, const std::string &cond, const SymShape &cs, const Value &x,
                        const Value &y) {
  for (const Value *v : {&x, &y})
    if (v->dtype != DType::Float)
      unsupported("Where of integer or bool data (dmc selects between float tensors)");
  auto shape = broadcast(cs, x.shape);
  shape = shape ? broadcast(*shape, y.shape) : shape;
  if (!shape)
    unsupported("the condition " + formatShape(cs) + " and the data " + formatShape(x.shape) + " and " +
                formatShape(y.shape) + " do not broadcast");
  std::string xs = plain(x, n.input(1)), ys = plain(y, n.input(2));
  define(n, 0, dynamic(emit("Where", {cond, xs, ys}, json::object(), *shape, outName(n)), *shape));
}

/// Where(c, x, y) with c a run-time bool (0 or 1 in its f32 tensor). masked_fill(scores, c, -inf), a known
/// -inf on one side and run-time float data on the other, stays an additive mask, as one known at import
/// would be; everything else is a select.
void Translator::runtimeWhere(const onnx::NodeProto &n, const Value &c, const Value &x, const Value &y) {
  bool xFill = isScalar(x) && y.dynamic() && y.dtype == DType::Float;
  bool yFill = isScalar(y) && x.dynamic() && x.dtype == DType::Float;
  double fill = xFill ? x.floats[0] : yFill ? y.floats[0] : 0.0;
  const Value &data = xFill ? y : x;
  auto shape = broadcast(data.shape, c.shape);
  Value cf = c;
  cf.dtype = DType::Float;
  if (!(xFill || yFill) || !(std::isinf(fill) && fill < 0) || !shape || *shape != data.shape) {
    select(n, plain(cf, n.input(0)), c.shape, x, y);
    return;
  }
  std::string in = plain(data, n.input(xFill ? 2 : 1));
  size_t firstMaskNode = t_.nodes.size();
  std::string cond = plain(cf, n.input(0));
  const SymShape &cs = c.shape;
  auto oneMinus = [&](const std::string &t, const std::string &base) {
    return emit("Scale", {t}, {{"alpha", -1.0}, {"bias", 1.0}}, cs, base);
  };
  // kept: 1 where data stays. Both forms pass through 1 - v, which maps -0 to 1 like +0.
  std::string hidden = xFill ? cond : oneMinus(cond, outName(n) + "_hidden");
  std::string kept = oneMinus(hidden, outName(n) + "_kept");
  // The additive mask 0 / -inf as 1 - 1/kept (1/1 = 1, 1/+0 = +inf, both exact): added to scores, it is
  // Softmax's mask operand after the patterns, as an -inf mask known at import would be.
  std::string r = emit("Reciprocal", {kept}, json::object(), cs, outName(n) + "_inverse");
  std::string m = oneMinus(r, outName(n) + "_mask");
  hoistMaskNodes(firstMaskNode, c.tensor);
  define(n, 0, dynamic(emit("Add", {in, m}, json::object(), data.shape, outName(n)), data.shape));
}

/// Moves the nodes from `first` on (they read only the condition `cond` and each other) to just after
/// the node producing `cond`, or to the front when it is a graph input. Emitted in ONNX order they would
/// stand between the scores' MatMul and the Softmax, where fuse-attention requires that nothing writes
/// the mask it moves into nn.attention.
void Translator::hoistMaskNodes(size_t first, const std::string &cond) {
  size_t at = 0;
  for (size_t i = 0; i < first; ++i)
    if (t_.nodes[i].output == cond)
      at = i + 1;
  std::rotate(t_.nodes.begin() + at, t_.nodes.begin() + first, t_.nodes.end());
}

/// data + m for a Known additive mask m: a causal pattern becomes the causal pseudo-node.
void Translator::addMask(const onnx::NodeProto &n, const Value &data, const Value &m) {
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
bool Translator::isCausal(const Value &m) {
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

void Translator::trilu(const onnx::NodeProto &n) {
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

} // namespace dmc::onnx_import::detail
