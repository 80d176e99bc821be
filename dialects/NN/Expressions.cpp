//===- Expressions.cpp - the mask and score expressions of nn ops ---------===//
#include "dialects/NN/Expressions.h"
#include "dialects/NN/NNOps.h"
#include "dialects/NN/ShapeInference.h"

#include <variant>

using namespace mlir;

namespace dmc::nn {
namespace {

/// The scores' shape of the op: x for a softmax, Q @ K^T for an attention.
std::optional<Shape> scoresShape(Operation *op) {
  auto shape = [](Value v) { return cast<sdfg::ArrayType>(v.getType()).getShape(); };
  if (auto s = dyn_cast<SoftmaxOp>(op))
    return shape(s.getInputs()[0]);
  if (auto a = dyn_cast<AttentionOp>(op)) {
    InferredShape scores = inferMatMul(shape(a.getInputs()[0]), shape(a.getInputs()[1]), false, true);
    if (scores.ok())
      return scores.shape;
  }
  return std::nullopt;
}

StringAttr maskText(Operation *op) { return op->getAttrOfType<StringAttr>("mask_expr"); }
StringAttr scoreText(Operation *op) { return op->getAttrOfType<StringAttr>("score_expr"); }
int64_t numTensors(Operation *op) {
  auto n = op->getAttrOfType<IntegerAttr>("expr_tensors");
  return n ? n.getInt() : 0;
}

/// The scope of the op's expressions, or an error message.
std::variant<expr::Scope, std::string> scopeOf(Operation *op) {
  std::optional<Shape> scores = scoresShape(op);
  if (!scores || scores->size() < 2)
    return std::string("an expression needs scores of rank >= 2");
  size_t r = scores->size();
  auto dim = [&](size_t k) { return (*scores)[k]; };
  if (dim(r - 1).isSymbolic() || dim(r - 2).isSymbolic() || (r >= 3 && dim(r - 3).isSymbolic()))
    return "an expression needs constant sizes of the scores, got " + formatShape(*scores);
  expr::Scope scope;
  scope.variables = {{"i", expr::Type::Int}, {"j", expr::Type::Int}, {"h", expr::Type::Int}};
  scope.ranges = {{"i", {0, dim(r - 2).value - 1}},
                  {"j", {0, dim(r - 1).value - 1}},
                  {"h", {0, r >= 3 ? dim(r - 3).value - 1 : 0}}};
  auto inputs = cast<LibraryNode>(op).getInputs();
  int64_t n = numTensors(op);
  if (n < 0 || n > (int64_t)inputs.size())
    return std::string("expr_tensors exceeds the inputs");
  for (int64_t t = 0; t < n; ++t) {
    Shape shape = cast<sdfg::ArrayType>(inputs[inputs.size() - n + t].getType()).getShape();
    expr::TensorRef ref{"t" + std::to_string(t), {}};
    for (const Dim &d : shape) {
      if (d.isSymbolic())
        return "tensor t" + std::to_string(t) + " of an expression needs constant sizes, got " + formatShape(shape);
      ref.shape.push_back(d.value);
    }
    scope.tensors.push_back(ref);
  }
  return scope;
}

std::optional<expr::Node> checkOne(Operation *op, StringAttr text, expr::Scope scope, bool score,
                                   std::string &error) {
  if (!text)
    return std::nullopt;
  if (score) {
    scope.variables["s"] = expr::Type::Float;
    scope.result = expr::Type::Float;
  } else {
    scope.result = expr::Type::Bool;
  }
  expr::Checked c = expr::check(text.getValue().str(), scope);
  if (!c.tree)
    error = std::string(score ? "score_expr" : "mask_expr") + " column " + std::to_string(c.column) + ": " + c.error;
  return c.tree;
}
} // namespace

LogicalResult verifyExpressions(Operation *op) {
  if (!maskText(op) && !scoreText(op)) {
    if (numTensors(op) != 0)
      return op->emitOpError("has expr_tensors but no expression");
    return success();
  }
  auto scope = scopeOf(op);
  if (auto *why = std::get_if<std::string>(&scope))
    return op->emitOpError(*why);
  std::string error;
  std::vector<int> read;
  for (bool score : {false, true}) {
    std::optional<expr::Node> tree =
        checkOne(op, score ? scoreText(op) : maskText(op), std::get<expr::Scope>(scope), score, error);
    if (!error.empty())
      return op->emitOpError(error);
    if (tree)
      expr::tensorsRead(*tree, read);
  }
  if ((int64_t)read.size() != numTensors(op))
    return op->emitOpError("reads ") << read.size() << " tensor(s) in its expressions but has expr_tensors = "
                                     << numTensors(op);
  return success();
}

Expressions expressionsOf(Operation *op) {
  Expressions out;
  if (!maskText(op) && !scoreText(op))
    return out;
  auto scope = scopeOf(op);
  if (!std::holds_alternative<expr::Scope>(scope))
    return out;
  std::string error;
  out.mask = checkOne(op, maskText(op), std::get<expr::Scope>(scope), false, error);
  out.score = checkOne(op, scoreText(op), std::get<expr::Scope>(scope), true, error);
  return out;
}

OperandRange exprTensorsOf(Operation *op) {
  auto inputs = cast<LibraryNode>(op).getInputs();
  return inputs.drop_front(inputs.size() - numTensors(op));
}

} // namespace dmc::nn
