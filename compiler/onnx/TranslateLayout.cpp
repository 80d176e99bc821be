//===- TranslateLayout.cpp - shape ops --------------------------------------===//
//
// Translator's members for Transpose, Reshape, Unsqueeze, Squeeze, Flatten, Concat, Slice, Split, Gather,
// Expand and Range: folded over known data, dmc layout nodes on run-time data.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Translator.h"

namespace dmc::onnx_import::detail {

/// A Known value's data permuted or gathered: `index(i)` gives the source index of output element i.
Value Translator::gatherKnown(const Value &x, const SymShape &shape, const std::function<int64_t(int64_t)> &index) {
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

void Translator::transpose(const onnx::NodeProto &n) {
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
void Translator::reshapeTo(const onnx::NodeProto &n, const Value &x, const SymShape &target) {
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

void Translator::reshape(const onnx::NodeProto &n) {
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

std::vector<int64_t> Translator::axesOf(const onnx::NodeProto &n, int inputIndex) {
  if (auto a = attrInts(n, "axes"))
    return *a;
  if (const Value *a = input(n, inputIndex))
    return constInts(*a, "axes");
  return {};
}

void Translator::unsqueeze(const onnx::NodeProto &n) {
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

void Translator::squeeze(const onnx::NodeProto &n) {
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

void Translator::flatten(const onnx::NodeProto &n) {
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

void Translator::concat(const onnx::NodeProto &n) {
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
void Translator::sliceTo(const onnx::NodeProto &n, int k, const Value &x, std::vector<int64_t> starts, std::vector<int64_t> ends,
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

void Translator::slice(const onnx::NodeProto &n) {
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

void Translator::split(const onnx::NodeProto &n) {
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

void Translator::gather(const onnx::NodeProto &n) {
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

void Translator::expand(const onnx::NodeProto &n) {
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
      define(n, 0, gatherKnown(x, *out, [&](int64_t i) { return sourceIndex(i, dims, xd); }));
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

void Translator::range(const onnx::NodeProto &n) {
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

} // namespace dmc::onnx_import::detail
