//===- Shape.cpp - symbolic shapes ----------------------------------------===//
#include "dialects/Support/Shape.h"

#include <algorithm>

namespace dmc {

std::string Dim::str() const { return isSymbolic() ? symbol : std::to_string(value); }

std::string formatShape(const Shape &shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + shape[i].str();
  return out + "]";
}

std::string Monomial::str() const {
  std::string out;
  if (coefficient != 1 || symbols.empty())
    out = std::to_string(coefficient);
  for (const std::string &s : symbols)
    out += (out.empty() ? "" : "*") + s;
  return out;
}

Monomial numElements(const Shape &shape) {
  Monomial m;
  for (const Dim &d : shape) {
    if (d.isSymbolic())
      m.symbols.push_back(d.symbol);
    else
      m.coefficient *= d.value;
  }
  std::sort(m.symbols.begin(), m.symbols.end());
  if (m.coefficient == 0)
    m.symbols.clear();
  return m;
}

std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align trailing dimensions; a missing leading dimension acts as 1.
    const Dim one = Dim::constant(1);
    const Dim &da = i + a.size() >= rank ? a[i + a.size() - rank] : one;
    const Dim &db = i + b.size() >= rank ? b[i + b.size() - rank] : one;
    if (da == db || db.isOne())
      out[i] = da;
    else if (da.isOne())
      out[i] = db;
    else
      return std::nullopt;
  }
  return out;
}

Shape bindShape(const Shape &shape, const Bindings &bindings) {
  Shape out = shape;
  for (Dim &d : out) {
    if (!d.isSymbolic())
      continue;
    auto it = bindings.find(d.symbol);
    if (it != bindings.end())
      d = Dim::constant(it->second);
  }
  return out;
}

std::optional<int64_t> evaluateNumElements(const Shape &shape, const Bindings &bindings) {
  int64_t n = 1;
  for (const Dim &d : bindShape(shape, bindings)) {
    if (d.isSymbolic() || d.value < 0 || __builtin_mul_overflow(n, d.value, &n))
      return std::nullopt;
  }
  return n;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

} // namespace dmc
