//===- LayoutPatterns.cpp - ONNX layout changes moved where dmc's fusions meet them --===//
//
// The exporter's layout ops around attention and projections (sequence-first transposes, unit-axis
// transposes, reshapes around Gemm, the B*H merge of nn.MultiheadAttention's heads) are moved or
// rewritten so that the projections, their epilogues and the attention see the samples' layout. None of
// these moves data: each rewrite gives the same elements in the same places.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/Rewriter.h"

#include <algorithm>

namespace dmc::onnx_import::patterns {

/// MatMul(Transpose(x, p), W) with W of rank 2 and p keeping the last axis -> Transpose(MatMul(x, W), p);
/// Add(Transpose(y, p), b) with b of rank 1 -> Transpose(Add(y, b), p). nn.MultiheadAttention works
/// sequence-first: without this its projections multiply [S, B, E], batched over S with M = B rows,
/// instead of [B, S, E] with M = S.
bool Rewriter::sinkTranspose(size_t i) {
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

/// Transpose(x, p) that moves only axes of size 1 (the others keep their order) -> Reshape(x): the
/// elements stay in the same order. At batch 1, sequence-first attention's [1, S, E] -> [S, 1, E] and
/// back are of this kind; as transposes they would stand between the projections and their reshapes.
bool Rewriter::unitTransposeToReshape(size_t i) {
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
bool Rewriter::foldReshapes(size_t i) {
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
bool Rewriter::hoistReshapeAboveProjection(size_t i) {
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
std::pair<DmcNode *, DmcNode *> Rewriter::projectionOf(const std::string &tensor) {
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
bool Rewriter::moreRows(const SymExpr &after, const SymExpr &before) {
  if (after.isConstant() != before.isConstant())
    return !after.isConstant();
  return after.isConstant() && after.coefficient > before.coefficient;
}

/// Transpose([Add](MatMul(y, W), b), p) with W a matrix, b of rank 1 and p keeping the last axis ->
/// [Add](MatMul(Transpose(y, p), W), b) when the product then has more rows: sinkTranspose's inverse,
/// for the output projection of sequence-first attention, which multiplies [S, B, E] (B rows, batched
/// over S) unless the final [S, B, E] -> [B, S, E] moves above it. The residual add then reads the
/// projection itself, which fuse-matmul-epilogues takes.
bool Rewriter::hoistTransposeAboveProjection(size_t i) {
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

/// Transpose(Reshape(Transpose(x, (1,0,2)), [S, C, D']), (1,0,2)) with x of shape [A, S, B'] (the
/// sequence-first heads of nn.MultiheadAttention at batch > 1) -> the sample's layout change:
///   C = A*H, B' = H*D' (heads split, [B, S, E] -> [B*H, S, D]):
///     Reshape(Transpose(Reshape(x, [A, S, H, D']), (0,2,1,3)), [C, S, D'])
///   A = C*H, D' = H*B' (heads merged back, [B*H, S, D] -> [B, S, E]):
///     Reshape(Transpose(Reshape(x, [C, H, S, B']), (0,2,1,3)), [C, S, D'])
/// The same element lands in the same place (out[c, s, d'] reads the same x element either way); the
/// merged B*H axis that remains is a Reshape that sinkHeadMerge moves past the attention.
bool Rewriter::regroupHeads(size_t i) {
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
DmcNode *Rewriter::mergeOfLeadingAxes(const std::string &tensor) {
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
bool Rewriter::sinkHeadMerge(size_t i) {
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

} // namespace dmc::onnx_import::patterns
