//===- Values.cpp - symbolic integers and folding of known tensors --------===//
#include "compiler/onnx/Values.h"

#include <algorithm>
#include <cmath>

namespace dmc::onnx_import {

std::string SymExpr::str() const {
  if (symbols.empty())
    return std::to_string(coefficient);
  std::string s = coefficient == 1 ? "" : std::to_string(coefficient) + "*";
  for (size_t i = 0; i < symbols.size(); ++i)
    s += (i ? "*" : "") + symbols[i];
  return s;
}

std::optional<SymExpr> add(const SymExpr &a, const SymExpr &b) {
  if (b.coefficient == 0)
    return a;
  if (a.coefficient == 0)
    return b;
  int64_t c;
  if (a.symbols != b.symbols || __builtin_add_overflow(a.coefficient, b.coefficient, &c))
    return std::nullopt;
  return c == 0 ? SymExpr::constant(0) : SymExpr{c, a.symbols};
}

std::optional<SymExpr> sub(const SymExpr &a, const SymExpr &b) {
  if (b.coefficient == INT64_MIN)
    return std::nullopt;
  return add(a, SymExpr{-b.coefficient, b.symbols});
}

std::optional<SymExpr> mul(const SymExpr &a, const SymExpr &b) {
  int64_t c;
  if (__builtin_mul_overflow(a.coefficient, b.coefficient, &c))
    return std::nullopt;
  if (c == 0)
    return SymExpr::constant(0);
  SymExpr r{c, a.symbols};
  r.symbols.insert(r.symbols.end(), b.symbols.begin(), b.symbols.end());
  std::sort(r.symbols.begin(), r.symbols.end());
  return r;
}

std::optional<SymExpr> div(const SymExpr &a, const SymExpr &b) {
  if (b.coefficient == 0 || (b.coefficient == -1 && a.coefficient == INT64_MIN))
    return std::nullopt;
  if (a.isConstant() && b.isConstant()) { // ONNX integer Div truncates; shapes are never negative
    return SymExpr::constant(a.coefficient / b.coefficient);
  }
  if (a.coefficient % b.coefficient != 0)
    return std::nullopt;
  std::vector<std::string> rest = a.symbols;
  for (const std::string &s : b.symbols) {
    auto it = std::find(rest.begin(), rest.end(), s);
    if (it == rest.end())
      return std::nullopt;
    rest.erase(it);
  }
  return SymExpr{a.coefficient / b.coefficient, rest};
}

std::optional<SymExpr> product(const std::vector<SymExpr> &dims) {
  SymExpr p = SymExpr::constant(1);
  for (const SymExpr &d : dims) {
    auto next = mul(p, d);
    if (!next)
      return std::nullopt;
    p = *next;
  }
  return p;
}

std::string formatShape(const SymShape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + shape[i].str();
  return s + "]";
}

int64_t Value::count() const {
  int64_t n = 1;
  for (const SymExpr &d : shape)
    n *= d.coefficient;
  return n;
}

std::optional<std::vector<double>> Value::asDoubles() const {
  if (!known())
    return std::nullopt;
  if (dtype == DType::Float)
    return floats;
  std::vector<double> out;
  for (const SymExpr &e : ints) {
    if (!e.isConstant())
      return std::nullopt;
    out.push_back((double)e.coefficient);
  }
  return out;
}

std::optional<std::vector<int64_t>> Value::asInts() const {
  if (!known() || dtype == DType::Float)
    return std::nullopt;
  std::vector<int64_t> out;
  for (const SymExpr &e : ints) {
    if (!e.isConstant())
      return std::nullopt;
    out.push_back(e.coefficient);
  }
  return out;
}

Value knownFloats(SymShape shape, std::vector<double> data) {
  Value v;
  v.kind = Value::Kind::Known;
  v.dtype = DType::Float;
  v.shape = std::move(shape);
  v.floats = std::move(data);
  return v;
}

Value knownInts(SymShape shape, std::vector<SymExpr> data, DType dtype) {
  Value v;
  v.kind = Value::Kind::Known;
  v.dtype = dtype;
  v.shape = std::move(shape);
  v.ints = std::move(data);
  return v;
}

SymShape constantShape(const std::vector<int64_t> &dims) {
  SymShape s;
  for (int64_t d : dims)
    s.push_back(SymExpr::constant(d));
  return s;
}

std::optional<std::vector<int64_t>> constantDims(const SymShape &shape) {
  std::vector<int64_t> out;
  for (const SymExpr &d : shape) {
    if (!d.isConstant())
      return std::nullopt;
    out.push_back(d.coefficient);
  }
  return out;
}

std::optional<SymShape> broadcast(const SymShape &a, const SymShape &b) {
  size_t rank = std::max(a.size(), b.size());
  SymShape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const SymExpr *x = i + a.size() >= rank ? &a[i + a.size() - rank] : nullptr;
    const SymExpr *y = i + b.size() >= rank ? &b[i + b.size() - rank] : nullptr;
    if (!x || *x == SymExpr::constant(1))
      out[i] = y ? *y : *x;
    else if (!y || *y == SymExpr::constant(1) || *x == *y)
      out[i] = *x;
    else
      return std::nullopt;
  }
  return out;
}

int64_t sourceIndex(int64_t flat, const std::vector<int64_t> &outDims, const std::vector<int64_t> &dims) {
  int64_t index = 0, stride = 1;
  for (size_t k = 0; k < outDims.size(); ++k) {
    size_t o = outDims.size() - 1 - k;
    int64_t coord = flat % outDims[o];
    flat /= outDims[o];
    if (k < dims.size()) {
      size_t d = dims.size() - 1 - k;
      if (dims[d] != 1)
        index += coord * stride;
      stride *= dims[d];
    }
  }
  return index;
}

namespace {
bool isComparison(const std::string &op) {
  return op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" || op == "GreaterOrEqual";
}
} // namespace

std::optional<Value> foldBinary(const Value &a, const Value &b, const std::string &op, std::string &why) {
  auto outShape = broadcast(a.shape, b.shape);
  if (!outShape) {
    why = "shapes " + formatShape(a.shape) + " and " + formatShape(b.shape) + " do not broadcast";
    return std::nullopt;
  }
  auto outDims = constantDims(*outShape);
  auto aDims = constantDims(a.shape), bDims = constantDims(b.shape);
  if (!outDims || !aDims || !bDims) {
    why = "a known tensor of symbolic shape";
    return std::nullopt;
  }
  int64_t n = 1;
  for (int64_t d : *outDims)
    n *= d;
  bool floating = a.dtype == DType::Float || b.dtype == DType::Float;
  bool logical = op == "And" || op == "Or" || op == "Xor";
  if (floating || isComparison(op) || logical) {
    auto x = a.asDoubles(), y = b.asDoubles();
    if (x && y && !floating && !logical && isComparison(op)) {
      // integer comparisons stay exact below
    }
    if (floating && (!x || !y)) {
      why = "a symbolic integer mixed with floats";
      return std::nullopt;
    }
    if (!floating) {
      // Int/Bool comparisons and logic: symbolic operands compare only when identical.
      std::vector<SymExpr> out(n);
      for (int64_t i = 0; i < n; ++i) {
        const SymExpr &p = a.ints[sourceIndex(i, *outDims, *aDims)], &q = b.ints[sourceIndex(i, *outDims, *bDims)];
        int64_t r;
        if (op == "Equal" && p == q)
          r = 1;
        else if (!p.isConstant() || !q.isConstant()) {
          why = "cannot compare " + p.str() + " with " + q.str() + " at import";
          return std::nullopt;
        } else {
          int64_t u = p.coefficient, v = q.coefficient;
          r = op == "Equal" ? u == v : op == "Less" ? u < v : op == "Greater" ? u > v : op == "LessOrEqual" ? u <= v
              : op == "GreaterOrEqual" ? u >= v : op == "And" ? (u && v) : op == "Or" ? (u || v) : ((u != 0) != (v != 0));
        }
        out[i] = SymExpr::constant(r);
      }
      return knownInts(*outShape, out, DType::Bool);
    }
    std::vector<double> out(n);
    std::vector<SymExpr> bools(n);
    for (int64_t i = 0; i < n; ++i) {
      double u = (*x)[sourceIndex(i, *outDims, *aDims)], v = (*y)[sourceIndex(i, *outDims, *bDims)];
      if (isComparison(op)) {
        bool r = op == "Equal" ? u == v : op == "Less" ? u < v : op == "Greater" ? u > v : op == "LessOrEqual" ? u <= v
                                                                                                 : u >= v;
        bools[i] = SymExpr::constant(r);
        continue;
      }
      out[i] = op == "Add" ? u + v : op == "Sub" ? u - v : op == "Mul" ? u * v : op == "Div" ? u / v
               : op == "Pow" ? std::pow(u, v) : op == "Max" ? std::max(u, v) : op == "Min" ? std::min(u, v) : NAN;
    }
    if (isComparison(op))
      return knownInts(*outShape, bools, DType::Bool);
    // Float results are f32 in ONNX: round like the model's runtime would.
    for (double &d : out)
      d = (double)(float)d;
    return knownFloats(*outShape, out);
  }
  std::vector<SymExpr> out(n);
  for (int64_t i = 0; i < n; ++i) {
    const SymExpr &p = a.ints[sourceIndex(i, *outDims, *aDims)], &q = b.ints[sourceIndex(i, *outDims, *bDims)];
    std::optional<SymExpr> r;
    if (op == "Add")
      r = add(p, q);
    else if (op == "Sub")
      r = sub(p, q);
    else if (op == "Mul")
      r = mul(p, q);
    else if (op == "Div")
      r = div(p, q);
    else if ((op == "Max" || op == "Min") && p.isConstant() && q.isConstant())
      r = SymExpr::constant(op == "Max" ? std::max(p.coefficient, q.coefficient) : std::min(p.coefficient, q.coefficient));
    if (!r) {
      why = "cannot compute " + p.str() + " " + op + " " + q.str() + " at import";
      return std::nullopt;
    }
    out[i] = *r;
  }
  return knownInts(*outShape, out, a.dtype);
}

} // namespace dmc::onnx_import
