//===- Patterns.cpp - ONNX idioms rewritten into dmc's forms --------------===//
//
// PyTorch's exporter spells attention and encoder layers with more, smaller ops than dmc's vocabulary:
// the 1/sqrt(D) scale as a Div of Q, K^T as a Transpose, the causal mask as an -inf triangle added to the
// scores, GELU as Div/Erf/Add/Mul/Mul. These rewrites give the -O3 fusions (fuse-attention,
// fuse-matmul-epilogues) the forms they match, so an exported encoder compiles like the hand-written
// samples. Each rewrite is exact: it computes the same function as the nodes it replaces.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Rewriter.h"

#include <algorithm>
#include <cmath>

namespace dmc::onnx_import {
namespace patterns {

void Rewriter::run() {
  // The idioms first (the packed projection is matched before its transpose moves), then the sinking
  // of layout transposes below the projections, then the idioms once more.
  auto idioms = [&](size_t i) {
    return foldScaleIntoMatMul(i) || foldScaleIntoSoftmax(i) || splitPackedProjection(i) ||
           pretransposeConstant(i) || foldTransposeIntoMatMul(i) || foldMaskIntoSoftmax(i) ||
           foldIdentityScale(i) || matchGelu(i) || matchLayerNorm(i);
  };
  rewriteAll(idioms);
  rewriteAll([&](size_t i) { return sinkTranspose(i); });
  // Then the layout changes that are no data movement, so that a reshape next to a projection moves
  // above it and the residual add after the output projection meets the MatMul directly.
  rewriteAll([&](size_t i) {
    return unitTransposeToReshape(i) || foldReshapes(i) || hoistReshapeAboveProjection(i) ||
           hoistTransposeAboveProjection(i) || regroupHeads(i) || sinkHeadMerge(i);
  });
  rewriteAll(idioms);
  for (const DmcNode &n : t_.nodes)
    if (n.op == "$CausalMask")
      diag_.error(t_.origins[n.origin], "a causal -inf mask is added to scores that no Softmax reads directly; "
                                        "dmc applies causal masks inside Softmax only");
}

/// MatMul(Scale(x, alpha), B) -> MatMul(x, B, alpha): the attention scale folds into the contraction.
bool Rewriter::foldScaleIntoMatMul(size_t i) {
  DmcNode &mm = t_.nodes[i];
  if (mm.op != "MatMul")
    return false;
  for (size_t k = 0; k < 2; ++k) {
    DmcNode *s = soleProducer(mm.inputs[k], "Scale");
    if (!s || num(s->attrs, "bias", 0) != 0)
      continue;
    mm.attrs["alpha"] = num(mm.attrs, "alpha", 1) * num(s->attrs, "alpha", 1);
    mm.inputs[k] = s->inputs[0];
    kill(s);
    return true;
  }
  return false;
}

/// Softmax(Scale(x, alpha)) -> Softmax(x, scale = alpha): scores divided by sqrt(D) after Q K^T.
bool Rewriter::foldScaleIntoSoftmax(size_t i) {
  DmcNode &sm = t_.nodes[i];
  // softmax(alpha*x * scale + M), masks after: the same with the mask input or generated masks.
  if (sm.op != "Softmax" || sm.attrs["axis"].get<int64_t>() != -1)
    return false;
  DmcNode *s = soleProducer(sm.inputs[0], "Scale");
  if (!s || num(s->attrs, "bias", 0) != 0 || !(num(s->attrs, "alpha", 1) > 0))
    return false;
  sm.attrs["scale"] = num(sm.attrs, "scale", 1) * num(s->attrs, "alpha", 1);
  sm.inputs[0] = s->inputs[0];
  kill(s);
  return true;
}

/// MatMul(A, Transpose(K, perm)) where perm swaps the last two axes (after any batch permutation) ->
/// MatMul(A, Transpose(K, perm'), transB) with perm' the batch permutation alone (dropped when identity).
bool Rewriter::foldTransposeIntoMatMul(size_t i) {
  DmcNode &mm = t_.nodes[i];
  if (mm.op != "MatMul")
    return false;
  for (size_t k = 0; k < 2; ++k) {
    const char *flag = k ? "transB" : "transA";
    DmcNode *tr = soleProducer(mm.inputs[k], "Transpose");
    if (!tr)
      continue;
    std::vector<int64_t> perm = tr->attrs["perm"].get<std::vector<int64_t>>();
    size_t r = perm.size();
    if (r < 2)
      continue;
    std::swap(perm[r - 1], perm[r - 2]);
    bool identity = true;
    for (size_t a = 0; a < r; ++a)
      identity &= perm[a] == (int64_t)a;
    // Only when the last axis moved: a pure batch permutation would gain a swap.
    std::vector<int64_t> orig = tr->attrs["perm"].get<std::vector<int64_t>>();
    if (orig[r - 1] == (int64_t)r - 1)
      continue;
    int64_t was = mm.attrs.contains(flag) ? mm.attrs[flag].get<int64_t>() : 0;
    mm.attrs[flag] = 1 - was;
    if (identity) {
      mm.inputs[k] = tr->inputs[0];
      kill(tr);
    } else {
      tr->attrs["perm"] = perm; // the transposed shape of the new Transpose
      const SymShape &in = t_.shapes[tr->inputs[0]];
      SymShape out;
      for (int64_t p : perm)
        out.push_back(in[p]);
      t_.shapes[tr->output] = out;
    }
    return true;
  }
  return false;
}

/// Softmax($CausalMask(x)) -> Softmax(x, causal = 1); Softmax(Add(x, M)) -> Softmax(x, M) when the
/// additive mask M broadcasts to x (Softmax's optional mask input).
bool Rewriter::foldMaskIntoSoftmax(size_t i) {
  DmcNode &sm = t_.nodes[i];
  if (sm.op != "Softmax" || sm.inputs.size() != 1 || sm.attrs["axis"].get<int64_t>() != -1)
    return false;
  if (DmcNode *m = soleProducer(sm.inputs[0], "$CausalMask")) {
    if (t_.shapes[m->inputs[0]].size() < 2)
      return false;
    sm.attrs["causal"] = 1;
    sm.inputs[0] = m->inputs[0];
    kill(m);
    return true;
  }
  if (DmcNode *add = soleProducer(sm.inputs[0], "Add")) {
    for (size_t k = 0; k < 2; ++k) {
      const std::string &x = add->inputs[k], &m = add->inputs[1 - k];
      if (t_.shapes[x] != t_.shapes[add->output] || x == m)
        continue;
      // The scores: computed (by a MatMul, or a Scale of one), and the mask the operand that broadcasts.
      auto it = producer_.find(x);
      bool scores = it != producer_.end() && (t_.nodes[it->second].op == "MatMul" || t_.nodes[it->second].op == "Scale");
      if (!scores || (t_.shapes[m] == t_.shapes[x] && k == 1))
        continue;
      sm.inputs = {x, m};
      kill(add);
      return true;
    }
  }
  return false;
}

/// Columns [begin, end) of a constant of shape [..., N] as a new constant.
std::string Rewriter::constantColumns(const ConstantTensor &c, int64_t begin, int64_t end) {
  ConstantTensor part;
  part.name = freshName(c.name + "_" + std::to_string(begin), t_.taken);
  part.shape = c.shape;
  int64_t n = c.shape.back(), rows = (int64_t)c.data.size() / n;
  part.shape.back() = end - begin;
  for (int64_t r = 0; r < rows; ++r)
    part.data.insert(part.data.end(), c.data.begin() + r * n + begin, c.data.begin() + r * n + end);
  SymShape shape;
  for (int64_t d : part.shape)
    shape.push_back(SymExpr::constant(d));
  t_.shapes[part.name] = shape;
  t_.constants.push_back(part);
  return part.name;
}

/// A packed projection sliced along its columns (nn.MultiheadAttention's in_proj: x @ W[E, 3E] + b,
/// then Q, K, V as slices): one MatMul (+ Add) per slice with the constant weight's columns, the form
/// of separate projections that fuse-matmul-epilogues fuses one by one.
bool Rewriter::splitPackedProjection(size_t i) {
  DmcNode &out = t_.nodes[i];
  DmcNode *add = out.op == "Add" ? &out : nullptr;
  std::string mmOut = add ? "" : out.output;
  std::string bias;
  if (add) {
    for (size_t k = 0; k < 2 && mmOut.empty(); ++k) {
      auto it = producer_.find(add->inputs[k]);
      if (it != producer_.end() && t_.nodes[it->second].op == "MatMul" && uses_[add->inputs[k]] == 1 &&
          constant(add->inputs[1 - k]) && constant(add->inputs[1 - k])->shape.size() == 1) {
        mmOut = add->inputs[k];
        bias = add->inputs[1 - k];
      }
    }
  } else if (out.op != "MatMul") {
    return false;
  }
  if (mmOut.empty())
    return false;
  DmcNode &mm = t_.nodes[producer_[mmOut]];
  const ConstantTensor *w = constant(mm.inputs[1]);
  if (!w || w->shape.size() != 2 || mm.attrs.contains("transB") || mm.attrs.contains("transA"))
    return false;
  // Every reader of the result slices its last axis.
  const std::string &result = out.output;
  size_t rank = t_.shapes[result].size();
  std::vector<DmcNode *> slices;
  for (DmcNode &n : t_.nodes) {
    if (std::find(n.inputs.begin(), n.inputs.end(), result) == n.inputs.end())
      continue;
    if (n.op != "Slice" || n.attrs["axes"].size() != 1 || n.attrs["axes"][0].get<int64_t>() != (int64_t)rank - 1)
      return false;
    slices.push_back(&n);
  }
  if (slices.size() < 2 || (int)slices.size() != uses_[result])
    return false;
  const ConstantTensor *b = bias.empty() ? nullptr : constant(bias);
  ConstantTensor weight = *w, packedBias = b ? *b : ConstantTensor();
  DmcNode matmul = mm;
  for (DmcNode *s : slices) {
    int64_t begin = s->attrs["starts"][0].get<int64_t>(), end = s->attrs["ends"][0].get<int64_t>();
    if (begin < 0 || end > weight.shape[1] || begin >= end)
      return false;
  }
  std::vector<DmcNode> added;
  for (DmcNode *s : slices) {
    int64_t begin = s->attrs["starts"][0].get<int64_t>(), end = s->attrs["ends"][0].get<int64_t>();
    DmcNode part = matmul;
    part.inputs[1] = constantColumns(weight, begin, end);
    part.output = freshName(s->output + "_mm", t_.taken);
    t_.shapes[part.output] = t_.shapes[s->output];
    if (b) {
      DmcNode plus = *add;
      plus.inputs = {part.output, constantColumns(packedBias, begin, end)};
      plus.output = s->output;
      added.push_back(part);
      added.push_back(plus);
    } else {
      part.output = s->output;
      added.push_back(part);
    }
    kill(s);
  }
  kill(&mm);
  if (add)
    kill(add);
  t_.nodes.insert(t_.nodes.end(), added.begin(), added.end());
  return true;
}

/// MatMul(A, W, transB) with W a constant matrix read only here: W transposed at import (nn.Linear's
/// Gemm(transB = 1)), so the kernels read B row-major as in the hand-written samples.
bool Rewriter::pretransposeConstant(size_t i) {
  DmcNode &mm = t_.nodes[i];
  if (mm.op != "MatMul" || !mm.attrs.contains("transB") || mm.attrs["transB"] != 1 || uses_[mm.inputs[1]] != 1)
    return false;
  ConstantTensor *w = nullptr;
  for (ConstantTensor &c : t_.constants)
    if (c.name == mm.inputs[1] && c.shape.size() == 2)
      w = &c;
  if (!w)
    return false;
  int64_t rows = w->shape[0], cols = w->shape[1];
  std::vector<float> t(w->data.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = w->data[r * cols + c];
  w->data = std::move(t);
  w->shape = {cols, rows};
  t_.shapes[w->name] = {SymExpr::constant(cols), SymExpr::constant(rows)};
  mm.attrs.erase("transB");
  return true;
}

/// Scale(x, 1, 0) is x (a Mul by 1 of the exporter's baddbmm, a Pow by 1).
bool Rewriter::foldIdentityScale(size_t i) {
  DmcNode &s = t_.nodes[i];
  if (s.op != "Scale" || num(s.attrs, "alpha", 1) != 1 || num(s.attrs, "bias", 0) != 0)
    return false;
  for (const TensorInfo &o : t_.outputs)
    if (o.name == s.output)
      return false; // the copy that makes an output
  replaceUses(s.output, s.inputs[0]);
  dead_.insert(i);
  return true;
}

/// Scale(Mul(x, Scale(Erf(Scale(x, 1/sqrt 2)), 1, 1)), 0.5) -> Gelu(x) (PyTorch's exact GELU).
bool Rewriter::matchGelu(size_t i) {
  DmcNode &half = t_.nodes[i];
  if (half.op != "Scale" || num(half.attrs, "alpha", 1) != 0.5 || num(half.attrs, "bias", 0) != 0)
    return false;
  DmcNode *mul = soleProducer(half.inputs[0], "Mul");
  if (!mul)
    return false;
  for (size_t k = 0; k < 2; ++k) {
    const std::string &x = mul->inputs[k];
    DmcNode *plus = soleProducer(mul->inputs[1 - k], "Scale");
    if (!plus || num(plus->attrs, "alpha", 1) != 1 || num(plus->attrs, "bias", 0) != 1)
      continue;
    DmcNode *erf = soleProducer(plus->inputs[0], "Erf");
    DmcNode *div = erf ? soleProducer(erf->inputs[0], "Scale") : nullptr;
    if (!div || div->inputs[0] != x || num(div->attrs, "bias", 0) != 0 ||
        std::abs(num(div->attrs, "alpha", 1) - M_SQRT1_2) > 1e-6)
      continue;
    half.op = "Gelu";
    half.inputs = {x};
    half.attrs = {{"approximate", "none"}};
    for (DmcNode *n : {mul, plus, erf, div})
      kill(n);
    return true;
  }
  return false;
}

/// The decomposed LayerNorm of older exports: Div(Sub(x, mean(x)), Sqrt(mean(d*d) + eps)) [* g] [+ b]
/// over the last axis -> LayerNormalization(x, g, b).
bool Rewriter::matchLayerNorm(size_t i) {
  DmcNode &div = t_.nodes[i];
  if (div.op != "Div")
    return false;
  const std::string &d = div.inputs[0];
  auto sub = producer_.find(d);
  if (sub == producer_.end() || t_.nodes[sub->second].op != "Sub")
    return false;
  DmcNode &subNode = t_.nodes[sub->second];
  const std::string &x = subNode.inputs[0];
  size_t rank = t_.shapes[x].size();
  auto lastAxisMean = [&](const DmcNode *n) {
    if (!n || n->attrs["keepdims"] != 1 || n->attrs["axes"].size() != 1)
      return false;
    int64_t a = n->attrs["axes"][0].get<int64_t>();
    return a == (int64_t)rank - 1 || a == -1;
  };
  DmcNode *mean = soleProducer(subNode.inputs[1], "ReduceMean");
  if (!lastAxisMean(mean) || mean->inputs[0] != x)
    return false;
  DmcNode *sqrt = soleProducer(div.inputs[1], "Sqrt");
  DmcNode *eps = sqrt ? soleProducer(sqrt->inputs[0], "Scale") : nullptr;
  DmcNode *var = eps && num(eps->attrs, "alpha", 1) == 1 ? soleProducer(eps->inputs[0], "ReduceMean") : nullptr;
  DmcNode *sq = lastAxisMean(var) ? soleProducer(var->inputs[0], "Mul") : nullptr;
  if (!sq || sq->inputs[0] != d || sq->inputs[1] != d || uses_[d] != 3)
    return false;
  double epsilon = num(eps->attrs, "bias", 0);
  if (!(epsilon > 0))
    return false;
  // Optional affine parameters of shape [N].
  const SymShape &xs = t_.shapes[x];
  SymShape param = {xs.back()};
  DmcNode *last = &div;
  std::string gamma, beta;
  auto paramOf = [&](DmcNode *n, const std::string &from) -> std::string {
    if (!n)
      return "";
    const std::string &other = n->inputs[0] == from ? n->inputs[1] : n->inputs[0];
    return t_.shapes[other] == param && other != from ? other : "";
  };
  auto consumer = [&](const std::string &t, const char *op) -> DmcNode * {
    if (uses_[t] != 1)
      return nullptr;
    for (size_t k = 0; k < t_.nodes.size(); ++k)
      if (!dead_.count(k) && t_.nodes[k].op == op &&
          std::find(t_.nodes[k].inputs.begin(), t_.nodes[k].inputs.end(), t) != t_.nodes[k].inputs.end())
        return &t_.nodes[k];
    return nullptr;
  };
  for (const TensorInfo &o : t_.outputs)
    if (o.name == div.output)
      return false;
  DmcNode *mulG = consumer(last->output, "Mul");
  if ((gamma = paramOf(mulG, last->output)).size())
    last = mulG;
  DmcNode *addB = gamma.empty() ? nullptr : consumer(last->output, "Add");
  if ((beta = paramOf(addB, last->output)).size())
    last = addB;
  auto makeConstant = [&](double v, const std::string &base) {
    ConstantTensor c;
    c.name = freshName(base, t_.taken);
    c.shape = {xs.back().coefficient};
    c.data.assign(c.shape[0], (float)v);
    t_.constants.push_back(c);
    t_.shapes[c.name] = param;
    return c.name;
  };
  if (!xs.back().isConstant())
    return false;
  if (gamma.empty())
    gamma = makeConstant(1, last->output + "_scale");
  if (beta.empty())
    beta = makeConstant(0, last->output + "_bias");
  DmcNode ln;
  ln.op = "LayerNormalization";
  ln.inputs = {x, gamma, beta};
  ln.output = last->output;
  ln.attrs = {{"axis", -1}, {"epsilon", epsilon}};
  ln.origin = last->origin;
  bool scaled = last != &div, shifted = scaled && last == addB;
  for (DmcNode *n : {&div, &subNode, mean, sqrt, eps, var, sq})
    kill(n);
  if (scaled)
    kill(mulG);
  if (shifted)
    kill(addB);
  t_.nodes.push_back(ln); // the importer orders nodes topologically
  return true;
}

void Rewriter::removeDead() {
  // Also nodes whose result nobody reads any more.
  for (bool again = true; again;) {
    again = false;
    std::map<std::string, int> uses;
    for (size_t i = 0; i < t_.nodes.size(); ++i)
      if (!dead_.count(i))
        for (const std::string &in : t_.nodes[i].inputs)
          ++uses[in];
    for (const TensorInfo &o : t_.outputs)
      ++uses[o.name];
    for (size_t i = 0; i < t_.nodes.size(); ++i)
      if (!dead_.count(i) && !uses[t_.nodes[i].output]) {
        dead_.insert(i);
        again = true;
      }
  }
  std::vector<DmcNode> kept;
  for (size_t i = 0; i < t_.nodes.size(); ++i)
    if (!dead_.count(i))
      kept.push_back(std::move(t_.nodes[i]));
  t_.nodes = std::move(kept);
  dead_.clear();
  // Constants nobody reads are dropped too.
  std::set<std::string> read;
  for (const DmcNode &n : t_.nodes)
    read.insert(n.inputs.begin(), n.inputs.end());
  std::vector<ConstantTensor> constants;
  for (ConstantTensor &c : t_.constants)
    if (read.count(c.name))
      constants.push_back(std::move(c));
  t_.constants = std::move(constants);
}

} // namespace patterns

void applyPatterns(Translation &t, Diagnostics &diag) { patterns::Rewriter(t, diag).run(); }

} // namespace dmc::onnx_import
