//===- SplitResidueClasses.cpp - strided attention as dense attention per class --===//
//
// A mask that keeps only keys with (i - j) % s == 0 (Sparse Transformer's strided pattern, a dilated
// window) joins query i only to the keys of its own residue class r = i % s. With i = t*s + r and
// j = u*s + r, i - j = s*(t - u): the residue condition always holds, causal j <= i is u <= t, and any
// other condition on i - j is the same condition on s*(t - u). So the attention is s dense attentions,
// one per class, over T = S / s positions each:
//
//   nn.attention(Q, K, V) -> O {stride = s [, causal] [, window = w]}      on [.., S, D]
//     ==>  nn.attention(Q', K', V') -> O' {[causal] [, window = w / s]}    on [.., s, T, D]
//   X' = transpose_view(reshape_view(X) : [.., T, s, D]) : [.., s, T, D]   for X in Q, K, V, O
//
// The views come from the operands' roots (sdfg::splitDimView), so nothing is copied, and the tiled
// expansion then visits the blocks of s attentions of T rows instead of every causal block of S rows,
// each of which the stride cut. Applies only where that is exact: Sq and Sk constant multiples of s, no
// other mask (global tokens, an additive mask, tensors read by an expression), no score expression
// (it would see the class indices), and a mask expression only when it is a conjunction of one residue
// atom ((i - j) % s == 0) and comparisons of affine forms in i - j (or their absolute values) with
// constants, which are rewritten for the class indices.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/Expressions.h"
#include "dialects/SDFG/Views.h"
#include "passes/Passes.h"

namespace dmc {
#define GEN_PASS_DEF_SPLITRESIDUECLASSES
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
using expr::Node;
using expr::Op;

/// k * (i - j) + c: an Int form affine in i - j alone.
struct Difference {
  int64_t k = 0, c = 0;
};
/// The form of `n`, or of `n - minus`, when it is affine in i - j alone.
std::optional<Difference> differenceOf(const Node &n, const Node *minus = nullptr) {
  std::optional<expr::Affine> f = expr::affineOf(n), g = minus ? expr::affineOf(*minus) : expr::Affine{};
  if (!f || !g)
    return std::nullopt;
  int64_t ci = 0, cj = 0, c = 0;
  auto add = [&](const expr::Affine &a, bool subtract) {
    auto acc = [&](int64_t &x, int64_t v) {
      return subtract ? !__builtin_sub_overflow(x, v, &x) : !__builtin_add_overflow(x, v, &x);
    };
    bool ok = acc(c, a.constant);
    for (auto &[v, k] : a.coefficients) {
      if (v == "i")
        ok &= acc(ci, k);
      else if (v == "j")
        ok &= acc(cj, k);
      else if (k != 0)
        ok = false;
    }
    return ok;
  };
  if (!add(*f, false) || !add(*g, true) || ci != -cj)
    return std::nullopt;
  return Difference{ci, c};
}

/// The spelling of a comparison, null for any other op.
const char *comparisonText(Op op) {
  bool comparison = op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq || op == Op::Ne;
  return comparison ? expr::opSpelling(op) : nullptr;
}

/// k * (i - j) + c for the class indices, where i - j = s * (t - u); nullopt on overflow.
std::optional<std::string> scaledText(const Difference &d, int64_t s) {
  int64_t k;
  if (__builtin_mul_overflow(d.k, s, &k))
    return std::nullopt;
  std::string text = std::to_string(k) + " * (i - j)";
  return "(" + (d.c ? text + " + " + std::to_string(d.c) : text) + ")";
}

/// The residue class stride and the mask for the class indices, of a mask expression that is a
/// conjunction of exactly one `(i - j) % s == 0` (or `0 == ...`, or j - i) with s >= 2 and comparisons
/// of affine forms in i - j, or of abs() of one with a constant. Nullopt for any other expression.
struct ClassMask {
  int64_t stride = 0;
  std::string mask; // empty: every entry of a class is kept
};
std::optional<ClassMask> classMaskOf(const Node &mask) {
  SmallVector<const Node *> atoms, pending{&mask};
  while (!pending.empty()) {
    const Node *n = pending.pop_back_val();
    if (n->op == Op::And)
      pending.append({&n->args[1], &n->args[0]});
    else
      atoms.push_back(n);
  }
  ClassMask out;
  SmallVector<std::pair<const Node *, const Node *>> rest; // comparisons: (atom, the abs argument or null)
  for (const Node *a : atoms) {
    const char *cmp = comparisonText(a->op);
    if (!cmp || a->args[0].type != expr::Type::Int)
      return std::nullopt;
    const Node &l = a->args[0], &r = a->args[1];
    // The residue atom: Mod(i - j or j - i, s) == 0, either side.
    const Node *mod = l.op == Op::Mod ? &l : r.op == Op::Mod ? &r : nullptr;
    const Node *zero = mod == &l ? &r : &l;
    if (mod && a->op == Op::Eq && zero->op == Op::IntLit && zero->intValue == 0 &&
        mod->args[1].op == Op::IntLit && mod->args[1].intValue >= 2) {
      std::optional<Difference> d = differenceOf(mod->args[0]);
      if (!d || std::abs(d->k) != 1 || d->c != 0 || out.stride)
        return std::nullopt;
      out.stride = mod->args[1].intValue;
      continue;
    }
    if (l.op == Op::Abs && r.op == Op::IntLit && differenceOf(l.args[0])) {
      rest.push_back({a, &l.args[0]});
      continue;
    }
    if (!differenceOf(l, &r))
      return std::nullopt;
    rest.push_back({a, nullptr});
  }
  if (!out.stride)
    return std::nullopt;
  for (auto [a, absArg] : rest) {
    std::string text;
    if (absArg) { // abs(k * (i - j) + c) op n
      std::optional<std::string> inner = scaledText(*differenceOf(*absArg), out.stride);
      if (!inner)
        return std::nullopt;
      text = "(abs" + *inner + " " + comparisonText(a->op) + " " + std::to_string(a->args[1].intValue) + ")";
    } else { // lhs - rhs op 0
      std::optional<std::string> lhs = scaledText(*differenceOf(a->args[0], &a->args[1]), out.stride);
      if (!lhs)
        return std::nullopt;
      text = "(" + *lhs + " " + comparisonText(a->op) + " 0)";
    }
    out.mask = out.mask.empty() ? text : out.mask + " && " + text;
  }
  return out;
}

/// The sequence length of dim `dim` from the end of `v`'s shape when it is a constant.
std::optional<int64_t> constantDim(Value v, unsigned fromEnd) {
  Shape shape = cast<sdfg::ArrayType>(v.getType()).getShape();
  if (shape.size() < fromEnd)
    return std::nullopt;
  const Dim &d = shape[shape.size() - fromEnd];
  return d.isSymbolic() ? std::nullopt : std::optional<int64_t>(d.value);
}

/// Whether classView can see `v` by class: defined at SDFG level (so that views right after its
/// definition reach every state) through views that can split a dim.
bool hasClassView(Value v) {
  Operation *def = v.getDefiningOp();
  return (!def || isa<sdfg::SDFGOp>(def->getParentOp())) && sdfg::canSplitDimView(v);
}

/// `v` [.., S, D] seen as [.., s, S / s, D]: the sequence split into (position in class, class) and the
/// class moved first. The views go at SDFG level right after `v`'s definition (an argument's before the
/// first state, after the allocations and views there).
Value classView(Value v, int64_t s) {
  OpBuilder b(v.getContext());
  if (Operation *def = v.getDefiningOp()) {
    b.setInsertionPointAfter(def);
  } else {
    Block *body = cast<BlockArgument>(v).getOwner();
    auto states = body->getOps<sdfg::StateOp>();
    if (states.empty())
      b.setInsertionPointToEnd(body);
    else
      b.setInsertionPoint(*states.begin());
  }
  unsigned rank = cast<sdfg::ArrayType>(v.getType()).getRank();
  int64_t length = *constantDim(v, 2);
  Value split = sdfg::splitDimView(b, v.getLoc(), v, rank - 2, length / s, s);
  SmallVector<int64_t> permutation = llvm::to_vector(llvm::seq<int64_t>(0, rank + 1));
  std::swap(permutation[rank - 2], permutation[rank - 1]);
  Shape shape = cast<sdfg::ArrayType>(split.getType()).getShape();
  std::swap(shape[rank - 2], shape[rank - 1]);
  auto type = sdfg::ArrayType::get(cast<sdfg::ArrayType>(v.getType()).getElementType(), shape);
  return b.create<sdfg::TransposeViewOp>(v.getLoc(), type, split, b.getDenseI64ArrayAttr(permutation));
}

bool trySplit(nn::AttentionOp op) {
  if (op.getInputs().size() != 3 || op.getExprTensors() != 0 || !op.getGlobalTokens().empty() ||
      op.getScoreExpr())
    return false;
  int64_t stride = (int64_t)op.getStride(), window = (int64_t)op.getWindow();
  bool causal = op.getCausal();
  std::string mask;
  if (std::optional<StringRef> text = op.getMaskExpr()) {
    if (stride != 0 || causal || window >= 0)
      return false; // shorthands beside an expression: not a form this pass reads
    std::optional<Node> tree = nn::expressionsOf(op).mask;
    std::optional<ClassMask> classes = tree ? classMaskOf(*tree) : std::nullopt;
    if (!classes)
      return false;
    stride = classes->stride;
    mask = classes->mask;
  }
  if (stride < 2)
    return false;
  Value q = op.getInputs()[0], k = op.getInputs()[1], v = op.getInputs()[2], o = op.getOutputs()[0];
  std::optional<int64_t> sq = constantDim(q, 2), sk = constantDim(k, 2);
  if (!sq || !sk || *sq % stride || *sk % stride || constantDim(v, 2) != sk || constantDim(o, 2) != sq)
    return false;
  if (!llvm::all_of(ValueRange{q, k, v, o}, hasClassView))
    return false;
  SmallVector<Value> views;
  for (Value x : {q, k, v, o})
    views.push_back(classView(x, stride));
  OpBuilder b(op);
  auto classOp = b.create<nn::AttentionOp>(
      op.getLoc(), ValueRange{views[0], views[1], views[2]}, ValueRange{views[3]}, op.getLabelAttr(),
      op.getScaleAttr(), causal ? b.getUnitAttr() : UnitAttr(), b.getI64IntegerAttr(window >= 0 ? window / stride : -1),
      b.getI64IntegerAttr(0), b.getDenseI64ArrayAttr({}), mask.empty() ? StringAttr() : b.getStringAttr(mask),
      StringAttr(), b.getI64IntegerAttr(0));
  for (NamedAttribute a : op->getDiscardableAttrs())
    classOp->setAttr(a.getName(), a.getValue());
  // The rewritten mask, checked against the views' shapes and kept in canonical form as every nn op's.
  if (!mask.empty()) {
    if (failed(nn::verifyExpressions(classOp))) {
      classOp->erase();
      return false;
    }
    classOp.setMaskExprAttr(b.getStringAttr(expr::print(*nn::expressionsOf(classOp).mask)));
  }
  op->erase();
  return true;
}

struct SplitResidueClasses : dmc::impl::SplitResidueClassesBase<SplitResidueClasses> {
  dmc::PassStatistic numSplit{this, "attentions-split",
                              "strided attentions turned into dense attentions per residue class"};
  void runOnOperation() override {
    SmallVector<nn::AttentionOp> attentions;
    getOperation().walk([&](nn::AttentionOp op) { attentions.push_back(op); });
    for (nn::AttentionOp op : attentions)
      if (trySplit(op))
        ++numSplit;
  }
};
} // namespace
