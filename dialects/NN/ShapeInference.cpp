//===- ShapeInference.cpp - output shapes of library nodes ----------------===//
#include "dialects/NN/ShapeInference.h"

#include <algorithm>
#include <set>

namespace dmc::nn {

InferredShape inferMatMul(const Shape &a, const Shape &b, bool transposeA, bool transposeB) {
  if (a.size() < 2 || b.size() < 2)
    return InferredShape::fail("MatMul needs operands of rank >= 2, got " + formatShape(a) + " and " +
                               formatShape(b));
  size_t ra = a.size(), rb = b.size();
  Dim m = transposeA ? a[ra - 1] : a[ra - 2], ka = transposeA ? a[ra - 2] : a[ra - 1];
  Dim kb = transposeB ? b[rb - 1] : b[rb - 2], n = transposeB ? b[rb - 2] : b[rb - 1];
  if (ka != kb)
    return InferredShape::fail("MatMul contraction dimensions differ: " + formatShape(a) +
                               (transposeA ? " (transposed)" : "") + " and " + formatShape(b) +
                               (transposeB ? " (transposed)" : "") + " contract " + ka.str() + " with " +
                               kb.str());
  auto batch = broadcastShapes(Shape(a.begin(), a.end() - 2), Shape(b.begin(), b.end() - 2));
  if (!batch)
    return InferredShape::fail("MatMul batch dimensions of " + formatShape(a) + " and " + formatShape(b) +
                               " do not broadcast");
  batch->push_back(m);
  batch->push_back(n);
  return {*batch, {}};
}

InferredShape inferGemm(const Shape &a, const Shape &b, const Shape *c, bool transposeA, bool transposeB) {
  if (a.size() != 2 || b.size() != 2)
    return InferredShape::fail("Gemm needs rank-2 operands, got " + formatShape(a) + " and " + formatShape(b));
  InferredShape y = inferMatMul(a, b, transposeA, transposeB);
  if (!y.ok() || !c)
    return y;
  auto withBias = broadcastShapes(y.shape, *c);
  if (!withBias || *withBias != y.shape)
    return InferredShape::fail("Gemm bias " + formatShape(*c) + " does not broadcast to " + formatShape(y.shape));
  return y;
}

InferredShape inferBroadcast(const Shape &a, const Shape &b) {
  auto out = broadcastShapes(a, b);
  if (!out)
    return InferredShape::fail("shapes " + formatShape(a) + " and " + formatShape(b) + " do not broadcast");
  return {*out, {}};
}

InferredShape inferWhere(const Shape &condition, const Shape &x, const Shape &y) {
  auto cx = broadcastShapes(condition, x);
  auto out = cx ? broadcastShapes(*cx, y) : std::nullopt;
  if (!out)
    return InferredShape::fail("shapes " + formatShape(condition) + ", " + formatShape(x) + " and " + formatShape(y) +
                               " do not broadcast");
  return {*out, {}};
}

InferredShape inferSoftmax(const Shape &x, const Shape *mask, int64_t axis, bool generatedMask) {
  auto normalized = normalizeAxis(axis, x.size());
  if (!normalized)
    return InferredShape::fail("Softmax axis " + std::to_string(axis) + " is out of range for " + formatShape(x));
  if (generatedMask && (x.size() < 2 || *normalized != (int64_t)x.size() - 1))
    return InferredShape::fail("Softmax with a generated mask needs rank >= 2 and axis = last, got axis " +
                               std::to_string(axis) + " of " + formatShape(x));
  if (mask) {
    auto b = broadcastShapes(x, *mask);
    if (!b || *b != x)
      return InferredShape::fail("Softmax mask " + formatShape(*mask) + " does not broadcast to " + formatShape(x));
  }
  return {x, {}};
}

InferredShape inferLayerNorm(const Shape &x, const Shape &gamma, const Shape &beta, int64_t axis) {
  auto normalized = normalizeAxis(axis, x.size());
  if (!normalized || *normalized != (int64_t)x.size() - 1)
    return InferredShape::fail("LayerNormalization normalises over the last axis only, got axis " +
                               std::to_string(axis) + " of " + formatShape(x));
  Shape expected{x.back()};
  if (gamma != expected || beta != expected)
    return InferredShape::fail("LayerNormalization scale " + formatShape(gamma) + " and bias " + formatShape(beta) +
                               " must both be " + formatShape(expected));
  return {x, {}};
}

InferredShape inferReduce(const Shape &x, const std::vector<int64_t> &axes, bool keepdims) {
  if (axes.empty())
    return InferredShape::fail("reduction needs at least one axis");
  std::set<int64_t> reduced;
  for (int64_t axis : axes) {
    auto normalized = normalizeAxis(axis, x.size());
    if (!normalized)
      return InferredShape::fail("reduction axis " + std::to_string(axis) + " is out of range for " + formatShape(x));
    if (!reduced.insert(*normalized).second)
      return InferredShape::fail("reduction axis " + std::to_string(axis) + " is repeated");
  }
  Shape out;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!reduced.count(i))
      out.push_back(x[i]);
    else if (keepdims)
      out.push_back(Dim::constant(1));
  }
  return {out, {}};
}

InferredShape inferTranspose(const Shape &x, const std::vector<int64_t> &permutation) {
  std::vector<int64_t> sorted = permutation;
  std::sort(sorted.begin(), sorted.end());
  bool isPermutation = sorted.size() == x.size(); // also rejects an empty perm of a non-scalar
  for (size_t i = 0; i < sorted.size(); ++i)
    isPermutation &= sorted[i] == (int64_t)i;
  if (!isPermutation)
    return InferredShape::fail("Transpose perm is not a permutation of the " + std::to_string(x.size()) +
                               " dimensions of " + formatShape(x));
  Shape out;
  for (int64_t p : permutation)
    out.push_back(x[p]);
  return {out, {}};
}

InferredShape inferReshape(const Shape &x, const Shape &target) {
  Shape out = target;
  auto inferred = std::find_if(out.begin(), out.end(), [](const Dim &d) { return !d.isSymbolic() && d.value == -1; });
  for (auto it = out.begin(); it != out.end(); ++it)
    if (!it->isSymbolic() && it->value <= 0 && it != inferred)
      return InferredShape::fail("Reshape target " + formatShape(target) +
                                 " has a dimension that is neither positive nor a single -1");
  Monomial have = numElements(x);
  if (inferred != out.end()) {
    Shape rest = out;
    rest.erase(rest.begin() + (inferred - out.begin()));
    Monomial part = numElements(rest);
    // Divide symbol by symbol: the -1 becomes the leftover constant and symbols.
    std::multiset<std::string> remaining(have.symbols.begin(), have.symbols.end());
    for (const std::string &s : part.symbols) {
      auto it = remaining.find(s);
      if (it == remaining.end())
        return InferredShape::fail("Reshape cannot infer -1 of " + formatShape(target) + " from " + formatShape(x));
      remaining.erase(it);
    }
    if (part.coefficient == 0 || have.coefficient % part.coefficient != 0 || remaining.size() > 1 ||
        (remaining.size() == 1 && have.coefficient / part.coefficient != 1))
      return InferredShape::fail("Reshape cannot infer -1 of " + formatShape(target) + " from " + formatShape(x));
    *inferred = remaining.empty() ? Dim::constant(have.coefficient / part.coefficient) : Dim::named(*remaining.begin());
  }
  if (numElements(out) != have)
    return InferredShape::fail("Reshape from " + formatShape(x) + " (" + have.str() + " elements) to " +
                               formatShape(out) + " (" + numElements(out).str() + " elements)");
  return {out, {}};
}

InferredShape inferSlice(const Shape &x, const std::vector<int64_t> &starts, const std::vector<int64_t> &ends,
                         const std::vector<int64_t> &axes) {
  if (starts.size() != ends.size() || starts.size() != axes.size())
    return InferredShape::fail("Slice needs as many starts, ends and axes");
  Shape out = x;
  std::set<int64_t> seen;
  for (size_t i = 0; i < axes.size(); ++i) {
    auto axis = normalizeAxis(axes[i], x.size());
    if (!axis || !seen.insert(*axis).second)
      return InferredShape::fail("Slice axis " + std::to_string(axes[i]) + " is out of range or repeated for " +
                                 formatShape(x));
    const Dim &d = x[*axis];
    if (starts[i] < 0 || ends[i] <= starts[i])
      return InferredShape::fail("Slice [" + std::to_string(starts[i]) + ", " + std::to_string(ends[i]) +
                                 ") of axis " + std::to_string(axes[i]) + " is empty or negative");
    if (d.isSymbolic()) // the size of the slice would depend on the binding
      return InferredShape::fail("Slice of symbolic dimension " + d.symbol + " needs the symbol bound");
    int64_t end = std::min(ends[i], d.value);
    if (starts[i] >= end)
      return InferredShape::fail("Slice start " + std::to_string(starts[i]) + " is past dimension " + d.str());
    out[*axis] = Dim::constant(end - starts[i]);
  }
  return {out, {}};
}

InferredShape inferConcat(const std::vector<Shape> &inputs, int64_t axis) {
  if (inputs.empty())
    return InferredShape::fail("Concat needs at least one input");
  const Shape &first = inputs.front();
  auto normalized = normalizeAxis(axis, first.size());
  if (!normalized)
    return InferredShape::fail("Concat axis " + std::to_string(axis) + " is out of range for " + formatShape(first));
  Shape out = first;
  int64_t total = 0;
  bool symbolic = false;
  for (const Shape &s : inputs) {
    if (s.size() != first.size())
      return InferredShape::fail("Concat inputs " + formatShape(first) + " and " + formatShape(s) + " differ in rank");
    for (size_t i = 0; i < s.size(); ++i)
      if ((int64_t)i != *normalized && s[i] != first[i])
        return InferredShape::fail("Concat inputs " + formatShape(first) + " and " + formatShape(s) +
                                   " differ outside axis " + std::to_string(axis));
    symbolic |= s[*normalized].isSymbolic();
    total += s[*normalized].value;
  }
  if (symbolic && inputs.size() > 1)
    return InferredShape::fail("Concat along symbolic dimension needs the symbols bound");
  if (!symbolic)
    out[*normalized] = Dim::constant(total);
  return {out, {}};
}

} // namespace dmc::nn
