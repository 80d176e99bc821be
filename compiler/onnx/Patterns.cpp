//===- Patterns.cpp - ONNX idioms rewritten into dmc's forms --------------===//
//
// PyTorch's exporter spells attention and encoder layers with more, smaller ops than dmc's vocabulary:
// the 1/sqrt(D) scale as a Div of Q, K^T as a Transpose, the causal mask as an -inf triangle added to the
// scores, GELU as Div/Erf/Add/Mul/Mul. These rewrites give the -O3 fusions (fuse-attention,
// fuse-matmul-epilogues) the forms they match, so an exported encoder compiles like the hand-written
// samples. Each rewrite is exact: it computes the same function as the nodes it replaces.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Translate.h"

#include <algorithm>
#include <cmath>

using nlohmann::json;

namespace dmc::onnx_import {
namespace {

class Rewriter {
public:
  Rewriter(Translation &t, Diagnostics &diag) : t_(t), diag_(diag) {}

  void run() {
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

private:
  /// Applies `rewrite` to the first node it matches, again and again until none matches.
  template <typename Rewrite> void rewriteAll(Rewrite rewrite) {
    for (bool changed = true; changed;) {
      changed = false;
      index();
      for (size_t i = 0; i < t_.nodes.size() && !changed; ++i)
        changed = !dead_.count(i) && rewrite(i);
      removeDead();
    }
  }

  void index() {
    producer_.clear();
    uses_.clear();
    for (size_t i = 0; i < t_.nodes.size(); ++i) {
      producer_[t_.nodes[i].output] = i;
      for (const std::string &in : t_.nodes[i].inputs)
        ++uses_[in];
    }
    for (const TensorInfo &o : t_.outputs)
      ++uses_[o.name];
  }

  /// The node producing `tensor` when it has no other reader and is no graph output; else null.
  DmcNode *soleProducer(const std::string &tensor, const char *op) {
    auto it = producer_.find(tensor);
    if (it == producer_.end() || uses_[tensor] != 1 || dead_.count(it->second))
      return nullptr;
    DmcNode &n = t_.nodes[it->second];
    return n.op == op ? &n : nullptr;
  }
  void kill(const DmcNode *n) { dead_.insert(n - t_.nodes.data()); }
  /// Every reader of `from` reads `to` instead.
  void replaceUses(const std::string &from, const std::string &to) {
    for (DmcNode &n : t_.nodes)
      for (std::string &in : n.inputs)
        if (in == from)
          in = to;
  }

  static double num(const json &attrs, const char *key, double fallback) {
    return attrs.contains(key) ? attrs[key].get<double>() : fallback;
  }

  /// MatMul(Scale(x, alpha), B) -> MatMul(x, B, alpha): the attention scale folds into the contraction.
  bool foldScaleIntoMatMul(size_t i) {
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
  bool foldScaleIntoSoftmax(size_t i) {
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
  bool foldTransposeIntoMatMul(size_t i) {
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
  bool foldMaskIntoSoftmax(size_t i) {
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

  const ConstantTensor *constant(const std::string &name) const {
    for (const ConstantTensor &c : t_.constants)
      if (c.name == name)
        return &c;
    return nullptr;
  }
  /// Columns [begin, end) of a constant of shape [..., N] as a new constant.
  std::string constantColumns(const ConstantTensor &c, int64_t begin, int64_t end) {
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
  bool splitPackedProjection(size_t i) {
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
  bool pretransposeConstant(size_t i) {
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

  /// MatMul(Transpose(x, p), W) with W of rank 2 and p keeping the last axis -> Transpose(MatMul(x, W), p);
  /// Add(Transpose(y, p), b) with b of rank 1 -> Transpose(Add(y, b), p). nn.MultiheadAttention works
  /// sequence-first: without this its projections multiply [S, B, E], batched over S with M = B rows,
  /// instead of [B, S, E] with M = S.
  bool sinkTranspose(size_t i) {
    DmcNode &n = t_.nodes[i];
    bool matmul = n.op == "MatMul" && n.attrs.empty(), add = n.op == "Add";
    if (!matmul && !add)
      return false;
    for (size_t k = 0; k < (add ? 2 : 1); ++k) {
      auto it = producer_.find(n.inputs[k]);
      if (it == producer_.end() || t_.nodes[it->second].op != "Transpose" || dead_.count(it->second))
        continue;
      DmcNode tr = t_.nodes[it->second];
      std::vector<int64_t> perm = tr.attrs["perm"].get<std::vector<int64_t>>();
      const SymShape &other = t_.shapes[n.inputs[matmul ? 1 : 1 - k]];
      if (perm.empty() || perm.back() != (int64_t)perm.size() - 1 || other.size() != (matmul ? 2u : 1u))
        continue;
      const SymShape &x = t_.shapes[tr.inputs[0]];
      SymShape inner = x;
      inner.back() = t_.shapes[n.output].back();
      DmcNode moved = n;
      moved.inputs[k] = tr.inputs[0];
      moved.output = freshName(n.output + "_unpermuted", t_.taken);
      t_.shapes[moved.output] = inner;
      DmcNode permute = tr;
      permute.inputs = {moved.output};
      permute.output = n.output;
      permute.origin = n.origin;
      kill(&n);
      if (uses_[tr.output] == 1)
        dead_.insert(it->second);
      t_.nodes.push_back(moved);
      t_.nodes.push_back(permute);
      return true;
    }
    return false;
  }

  static json shapeAttr(const SymShape &shape) {
    json j = json::array();
    for (const SymExpr &d : shape)
      j.push_back(d.isConstant() ? json(d.coefficient) : json(d.symbols.at(0)));
    return j;
  }
  bool isGraphOutput(const std::string &tensor) const {
    return std::any_of(t_.outputs.begin(), t_.outputs.end(), [&](const TensorInfo &o) { return o.name == tensor; });
  }

  /// Transpose(x, p) that moves only axes of size 1 (the others keep their order) -> Reshape(x): the
  /// elements stay in the same order. At batch 1, sequence-first attention's [1, S, E] -> [S, 1, E] and
  /// back are of this kind; as transposes they would stand between the projections and their reshapes.
  bool unitTransposeToReshape(size_t i) {
    DmcNode &n = t_.nodes[i];
    if (n.op != "Transpose")
      return false;
    const SymShape &x = t_.shapes[n.inputs[0]];
    int64_t last = -1;
    for (int64_t p : n.attrs["perm"].get<std::vector<int64_t>>()) {
      if (x[p] == SymExpr::constant(1))
        continue;
      if (p < last)
        return false;
      last = p;
    }
    n.op = "Reshape";
    n.attrs = {{"shape", shapeAttr(t_.shapes[n.output])}};
    return true;
  }

  /// Reshape(Reshape(x)) -> Reshape(x); a Reshape to its input's own shape -> its input.
  bool foldReshapes(size_t i) {
    DmcNode &n = t_.nodes[i];
    if (n.op != "Reshape")
      return false;
    if (DmcNode *inner = soleProducer(n.inputs[0], "Reshape")) {
      n.inputs[0] = inner->inputs[0];
      kill(inner);
      return true;
    }
    if (t_.shapes[n.inputs[0]] != t_.shapes[n.output] || isGraphOutput(n.output))
      return false;
    replaceUses(n.output, n.inputs[0]);
    dead_.insert(i);
    return true;
  }

  /// Reshape([Add](MatMul(A, W), b), R) with W a matrix, b of rank 1, R keeping the last dim N and the row
  /// dim M of A -> [Add](MatMul(Reshape(A, R[..-1] + [K]), W), b): a reshape of the leading (batch) dims
  /// commutes with a product by a matrix and a bias on the last dim. The output projection of an exported
  /// encoder works on [S, E] (Gemm is rank 2) and then reshapes to [1, S, E]; with the reshape moved above,
  /// the residual add reads the projection itself and fuse-matmul-epilogues takes it, as in the sample.
  /// Keeping M keeps the contraction's shape: [1, S, E] -> [S, 1, E] would batch S products of one row.
  bool hoistReshapeAboveProjection(size_t i) {
    DmcNode &r = t_.nodes[i];
    if (r.op != "Reshape")
      return false;
    auto [add, mm] = projectionOf(r.inputs[0]);
    if (!mm)
      return false;
    const SymShape out = t_.shapes[r.output], a = t_.shapes[mm->inputs[0]];
    if (out.size() < 2 || a.size() < 2 || out.back() != t_.shapes[mm->output].back() ||
        out[out.size() - 2] != a[a.size() - 2] || out == t_.shapes[mm->output])
      return false;
    SymShape rows = out;
    rows.back() = a.back();
    DmcNode reshape = layoutNode("Reshape", mm->inputs[0], freshName(mm->output + "_rows", t_.taken), rows, r.origin);
    mm->inputs[0] = reshape.output;
    t_.shapes[mm->output] = out;
    // The last node takes over the Reshape's result (its old one had no other reader).
    (add ? add : mm)->output = r.output;
    kill(&r);
    t_.nodes.push_back(reshape); // the importer orders nodes topologically
    return true;
  }

  /// The MatMul (+ bias Add) of a projection by a matrix whose result `tensor` is read only by the caller:
  /// {add or null, matmul}, or {null, null}.
  std::pair<DmcNode *, DmcNode *> projectionOf(const std::string &tensor) {
    DmcNode *add = soleProducer(tensor, "Add"), *mm = nullptr;
    if (add) {
      for (size_t k = 0; k < 2 && !mm; ++k)
        if (t_.shapes[add->inputs[1 - k]].size() == 1)
          mm = soleProducer(add->inputs[k], "MatMul");
    } else {
      mm = soleProducer(tensor, "MatMul");
    }
    if (!mm || (mm->attrs.contains("transA") && mm->attrs["transA"] == 1) || t_.shapes[mm->inputs[1]].size() != 2)
      return {nullptr, nullptr};
    return {add, mm};
  }

  /// Whether a contraction with `after` rows is the better one than with `before`: a symbol (a sequence
  /// length) beats a constant (a batch), a larger constant a smaller one.
  static bool moreRows(const SymExpr &after, const SymExpr &before) {
    if (after.isConstant() != before.isConstant())
      return !after.isConstant();
    return after.isConstant() && after.coefficient > before.coefficient;
  }

  /// Transpose([Add](MatMul(y, W), b), p) with W a matrix, b of rank 1 and p keeping the last axis ->
  /// [Add](MatMul(Transpose(y, p), W), b) when the product then has more rows: sinkTranspose's inverse,
  /// for the output projection of sequence-first attention, which multiplies [S, B, E] (B rows, batched
  /// over S) unless the final [S, B, E] -> [B, S, E] moves above it. The residual add then reads the
  /// projection itself, which fuse-matmul-epilogues takes.
  bool hoistTransposeAboveProjection(size_t i) {
    DmcNode &tr = t_.nodes[i];
    if (tr.op != "Transpose")
      return false;
    std::vector<int64_t> perm = tr.attrs["perm"].get<std::vector<int64_t>>();
    size_t r = perm.size();
    if (r < 2 || perm.back() != (int64_t)r - 1)
      return false;
    auto [add, mm] = projectionOf(tr.inputs[0]);
    if (!mm)
      return false;
    const SymShape y = t_.shapes[mm->inputs[0]];
    if (y.size() != r)
      return false;
    SymShape permuted;
    for (int64_t p : perm)
      permuted.push_back(y[p]);
    if (!moreRows(permuted[r - 2], y[r - 2]))
      return false;
    DmcNode moved = tr;
    moved.inputs = {mm->inputs[0]};
    moved.output = freshName(mm->output + "_permuted", t_.taken);
    t_.shapes[moved.output] = permuted;
    mm->inputs[0] = moved.output;
    t_.shapes[mm->output] = t_.shapes[tr.output];
    // The last node takes over the Transpose's result (its old one had no other reader).
    (add ? add : mm)->output = tr.output;
    kill(&tr);
    t_.nodes.push_back(moved); // the importer orders nodes topologically
    return true;
  }

  static bool isPerm(const DmcNode &n, std::vector<int64_t> perm) {
    return n.op == "Transpose" && n.attrs["perm"].get<std::vector<int64_t>>() == perm;
  }
  static bool constantDims(const SymShape &shape, std::initializer_list<size_t> axes) {
    return std::all_of(axes.begin(), axes.end(), [&](size_t a) { return shape[a].isConstant(); });
  }
  DmcNode layoutNode(const char *op, const std::string &input, const std::string &output, const SymShape &shape,
                     int origin) {
    DmcNode n;
    n.op = op;
    n.inputs = {input};
    n.output = output;
    n.origin = origin;
    t_.shapes[output] = shape;
    if (std::string(op) == "Reshape")
      n.attrs = {{"shape", shapeAttr(shape)}};
    return n;
  }

  /// Transpose(Reshape(Transpose(x, (1,0,2)), [S, C, D']), (1,0,2)) with x of shape [A, S, B'] (the
  /// sequence-first heads of nn.MultiheadAttention at batch > 1) -> the sample's layout change:
  ///   C = A*H, B' = H*D' (heads split, [B, S, E] -> [B*H, S, D]):
  ///     Reshape(Transpose(Reshape(x, [A, S, H, D']), (0,2,1,3)), [C, S, D'])
  ///   A = C*H, D' = H*B' (heads merged back, [B*H, S, D] -> [B, S, E]):
  ///     Reshape(Transpose(Reshape(x, [C, H, S, B']), (0,2,1,3)), [C, S, D'])
  /// The same element lands in the same place (out[c, s, d'] reads the same x element either way); the
  /// merged B*H axis that remains is a Reshape that sinkHeadMerge moves past the attention.
  bool regroupHeads(size_t i) {
    DmcNode &outer = t_.nodes[i];
    if (!isPerm(outer, {1, 0, 2}))
      return false;
    DmcNode *reshape = soleProducer(outer.inputs[0], "Reshape");
    DmcNode *inner = reshape ? soleProducer(reshape->inputs[0], "Transpose") : nullptr;
    if (!inner || !isPerm(*inner, {1, 0, 2}))
      return false;
    const std::string x = inner->inputs[0];
    const SymShape in = t_.shapes[x], mid = t_.shapes[reshape->output];
    if (in.size() != 3 || mid.size() != 3 || !constantDims(in, {0, 2}) || !constantDims(mid, {1, 2}) ||
        mid[0] != in[1])
      return false;
    int64_t a = in[0].coefficient, b = in[2].coefficient, c = mid[1].coefficient, d = mid[2].coefficient;
    SymShape split, permuted;
    const SymExpr &s = in[1];
    // A batch of 1 is left to unitTransposeToReshape: its transposes move no data and fold away.
    if (c % a == 0 && a > 1 && c / a > 1 && b == (c / a) * d) {
      int64_t h = c / a;
      split = {in[0], s, SymExpr::constant(h), mid[2]};
      permuted = {in[0], SymExpr::constant(h), s, mid[2]};
    } else if (a % c == 0 && c > 1 && a / c > 1 && d == (a / c) * b) {
      int64_t h = a / c;
      split = {mid[1], SymExpr::constant(h), s, in[2]};
      permuted = {mid[1], s, SymExpr::constant(h), in[2]};
    } else {
      return false;
    }
    std::string splitName = freshName(outer.output + "_heads", t_.taken);
    std::string permutedName = freshName(outer.output + "_heads_permuted", t_.taken);
    DmcNode first = layoutNode("Reshape", x, splitName, split, inner->origin);
    DmcNode transpose = layoutNode("Transpose", splitName, permutedName, permuted, reshape->origin);
    transpose.attrs = {{"perm", std::vector<int64_t>{0, 2, 1, 3}}};
    DmcNode last = layoutNode("Reshape", permutedName, outer.output, t_.shapes[outer.output], outer.origin);
    kill(inner);
    kill(reshape);
    kill(&outer);
    t_.nodes.push_back(first); // the importer orders nodes topologically
    t_.nodes.push_back(transpose);
    t_.nodes.push_back(last);
    return true;
  }

  /// The [P, Q, ...] input of `tensor` when a Reshape read by nothing else merges its two leading constant
  /// axes into `tensor` ([P, Q, rest] -> [P*Q, rest]); else null.
  DmcNode *mergeOfLeadingAxes(const std::string &tensor) {
    DmcNode *r = soleProducer(tensor, "Reshape");
    if (!r)
      return nullptr;
    const SymShape &in = t_.shapes[r->inputs[0]], &out = t_.shapes[tensor];
    if (in.size() != out.size() + 1 || out.size() < 2 || !constantDims(in, {0, 1}) ||
        out[0] != SymExpr::constant(in[0].coefficient * in[1].coefficient) ||
        !std::equal(out.begin() + 1, out.end(), in.begin() + 2))
      return nullptr;
    return r;
  }

  /// Op(Reshape(x, merge of the leading [P, Q])) -> Reshape(Op(x), merge) for the ops that treat leading
  /// axes as a batch: a batched MatMul whose two operands are merges of the same [P, Q], a Softmax over
  /// the last axis (its mask, if any, without the merged axis; no mask or score expression, which read
  /// the head index), a Scale. regroupHeads leaves B*H merged before Q K^T; moved past P V it meets the
  /// Reshape that splits it again, and both fold away: the attention runs on [B, H, S, D] as in the sample.
  bool sinkHeadMerge(size_t i) {
    DmcNode &n = t_.nodes[i];
    size_t operands = 0;
    if (n.op == "MatMul" && t_.shapes[n.inputs[0]].size() >= 3 && t_.shapes[n.inputs[1]].size() >= 3)
      operands = 2;
    else if (n.op == "Scale")
      operands = 1;
    else if (n.op == "Softmax" && n.attrs["axis"].get<int64_t>() == -1 && !n.attrs.contains("mask") &&
             !n.attrs.contains("score") &&
             std::all_of(n.inputs.begin() + 1, n.inputs.end(),
                         [&](const std::string &m) { return t_.shapes[m].size() < t_.shapes[n.output].size(); }))
      operands = 1;
    if (!operands)
      return false;
    std::vector<DmcNode *> merges;
    for (size_t k = 0; k < operands; ++k)
      merges.push_back(mergeOfLeadingAxes(n.inputs[k]));
    if (std::find(merges.begin(), merges.end(), nullptr) != merges.end())
      return false;
    const SymShape &lead = t_.shapes[merges[0]->inputs[0]];
    for (DmcNode *m : merges) {
      const SymShape &s = t_.shapes[m->inputs[0]];
      if (s[0] != lead[0] || s[1] != lead[1])
        return false;
    }
    const SymShape out = t_.shapes[n.output];
    SymShape unmerged = {lead[0], lead[1]};
    unmerged.insert(unmerged.end(), out.begin() + 1, out.end());
    DmcNode moved = n;
    for (size_t k = 0; k < operands; ++k)
      moved.inputs[k] = merges[k]->inputs[0];
    moved.output = freshName(n.output + "_unmerged", t_.taken);
    t_.shapes[moved.output] = unmerged;
    DmcNode merge = layoutNode("Reshape", moved.output, n.output, out, merges[0]->origin);
    for (DmcNode *m : merges)
      kill(m);
    kill(&n);
    t_.nodes.push_back(moved); // the importer orders nodes topologically
    t_.nodes.push_back(merge);
    return true;
  }

  /// Scale(x, 1, 0) is x (a Mul by 1 of the exporter's baddbmm, a Pow by 1).
  bool foldIdentityScale(size_t i) {
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
  bool matchGelu(size_t i) {
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
  bool matchLayerNorm(size_t i) {
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

  void removeDead() {
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

  Translation &t_;
  Diagnostics &diag_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, int> uses_;
  std::set<size_t> dead_;
};

} // namespace

void applyPatterns(Translation &t, Diagnostics &diag) { Rewriter(t, diag).run(); }

} // namespace dmc::onnx_import
