//===- EmitExpr.cpp - mask and score expressions on the -O0 path ----------===//
//
// A softmax left as a runtime call (-O0, or `impl = "library"`) with a mask or score expression: the
// runtime kernel takes neither, so the scores are first written into the output by a loop nest printed
// from the checked trees (dialects/NN/Expressions.h),
//
//   out[.., i, j] = mask(i, j, h) ? score(scale * x[.., i, j] + addend[..], i, j, h) : -inf
//
// and dmcrt_softmax then normalises the output in place with scale 1 and the shorthand masks (a dropped
// position is -inf either way, a row with nothing kept all 0). Only the trees' own printing below makes
// C++: numbers are printed from their values, variables and tensors get the emitter's names, and every
// tensor index is the tree's (affine and proven in range when the op verified).
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Emitter.h"
#include "dialects/NN/Expressions.h"

#include <cstdio>
#include <limits>

using namespace mlir;

namespace dmc {
namespace {
using expr::Node;
using expr::Op;

struct Printer {
  std::string i, j, h, s;                  // the C++ variables of the loop and the score
  std::vector<std::string> tensors;        // pointer expressions of t0, t1, ...
  std::vector<std::vector<int64_t>> shapes;

  std::string print(const Node &n) const {
    auto arg = [&](size_t k) { return print(n.args[k]); };
    auto bin = [&](const char *op) { return "(" + arg(0) + " " + op + " " + arg(1) + ")"; };
    bool isFloat = !n.args.empty() && n.args[0].type == expr::Type::Float;
    switch (n.op) {
    case Op::IntLit:
      if (n.intValue == std::numeric_limits<int64_t>::min())
        return "(-9223372036854775807LL - 1)";
      return "(" + std::to_string(n.intValue) + "LL)";
    case Op::FloatLit: {
      char buffer[64];
      snprintf(buffer, sizeof buffer, "(%af)", n.floatValue);
      return buffer;
    }
    case Op::BoolLit:
      return n.intValue ? "true" : "false";
    case Op::Var:
      return n.name == "i" ? i : n.name == "j" ? j : n.name == "h" ? h : s;
    case Op::Read: {
      std::string offset = "0LL";
      for (size_t k = 0; k < n.args.size(); ++k)
        offset = "(" + offset + " * " + std::to_string(shapes[n.tensor][k]) + "LL + " + arg(k) + ")";
      return tensors[n.tensor] + "[" + offset + "]";
    }
    case Op::ToFloat:
      return "((float)" + arg(0) + ")";
    case Op::Neg:
      return "(-" + arg(0) + ")";
    case Op::Not:
      return "(!" + arg(0) + ")";
    case Op::Add:
      return bin("+");
    case Op::Sub:
      return bin("-");
    case Op::Mul:
      return bin("*");
    case Op::Div:
      return isFloat ? bin("/") : "_floordiv(" + arg(0) + ", " + arg(1) + ")";
    case Op::Mod:
      return "_floormod(" + arg(0) + ", " + arg(1) + ")";
    case Op::Lt:
      return bin("<");
    case Op::Le:
      return bin("<=");
    case Op::Gt:
      return bin(">");
    case Op::Ge:
      return bin(">=");
    case Op::Eq:
      return bin("==");
    case Op::Ne:
      return bin("!=");
    case Op::And:
      return bin("&&");
    case Op::Or:
      return bin("||");
    case Op::Select:
      return "(" + arg(0) + " ? " + arg(1) + " : " + arg(2) + ")";
    case Op::Min:
      return (isFloat ? "std::fmin(" : "std::min(") + arg(0) + ", " + arg(1) + ")";
    case Op::Max:
      return (isFloat ? "std::fmax(" : "std::max(") + arg(0) + ", " + arg(1) + ")";
    case Op::Abs:
      return (isFloat ? "std::fabs(" : "std::abs(") + arg(0) + ")";
    case Op::Sqrt:
      return "std::sqrt(" + arg(0) + ")";
    case Op::Exp:
      return "std::exp(" + arg(0) + ")";
    case Op::Log:
      return "std::log(" + arg(0) + ")";
    case Op::Tanh:
      return "std::tanh(" + arg(0) + ")";
    }
    return "0";
  }
};

std::string floatText(float f) {
  char buffer[64];
  snprintf(buffer, sizeof buffer, "%af", (double)f);
  return buffer;
}
} // namespace

LogicalResult Emitter::emitSoftmaxExpressions(nn::SoftmaxOp op) {
  nn::Expressions exprs = nn::expressionsOf(op);
  if (!exprs.any())
    return op.emitOpError("internal: expressions that do not check");
  Value x = op.getInputs()[0], out = op.getOutputs()[0], addend = op.getAdditiveMask();
  Shape xs = cast<sdfg::ArrayType>(x.getType()).getShape();
  size_t rank = xs.size();
  auto xPtr = contiguousPointer(x, op), outPtr = contiguousPointer(out, op);
  if (failed(xPtr) || failed(outPtr))
    return failure();
  Printer p;
  for (Value t : nn::exprTensorsOf(op)) {
    auto ptr = contiguousPointer(t, op);
    if (failed(ptr))
      return failure();
    p.tensors.push_back(*ptr);
    std::vector<int64_t> shape;
    for (const Dim &d : cast<sdfg::ArrayType>(t.getType()).getShape())
      shape.push_back(d.value); // constant: the verifier checked
    p.shapes.push_back(shape);
  }
  os << "auto _floordiv = [](int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };\n";
  os << "auto _floormod = [](int64_t a, int64_t b) { int64_t r = a % b; return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r; };\n";
  os << "(void)_floordiv; (void)_floormod;\n";
  // One loop per dim; the flat offset of x and out, and the addend's with its broadcast dims read at 0.
  std::vector<std::string> idx;
  for (size_t d = 0; d < rank; ++d) {
    idx.push_back(fresh("k"));
    os << "for (int64_t " << idx[d] << " = 0; " << idx[d] << " < " << dimExpr(xs[d]) << "; ++" << idx[d] << ") {\n";
    os.indent();
  }
  std::string offset = "0LL";
  for (size_t d = 0; d < rank; ++d)
    offset = "(" + offset + " * " + dimExpr(xs[d]) + " + " + idx[d] + ")";
  std::string flat = fresh("at");
  os << "const int64_t " << flat << " = " << offset << ";\n";
  std::string score = fresh("s");
  os << "float " << score << " = " << floatText(op.getScale().convertToFloat()) << " * " << *xPtr << "[" << flat
     << "];\n";
  if (addend) {
    Shape ms = cast<sdfg::ArrayType>(addend.getType()).getShape();
    auto mPtr = contiguousPointer(addend, op);
    if (failed(mPtr))
      return failure();
    std::string mOffset = "0LL";
    for (size_t d = 0; d < ms.size(); ++d) {
      bool stretched = ms[d] != xs[rank - ms.size() + d];
      mOffset = "(" + mOffset + " * " + dimExpr(ms[d]) + " + " + (stretched ? "0" : idx[rank - ms.size() + d]) + ")";
    }
    os << score << " += " << *mPtr << "[" << mOffset << "];\n";
  }
  p.i = idx[rank - 2], p.j = idx[rank - 1], p.h = rank >= 3 ? idx[rank - 3] : "0LL", p.s = score;
  std::string value = exprs.score ? p.print(*exprs.score) : score;
  if (exprs.mask)
    value = "(" + p.print(*exprs.mask) + " ? " + value + " : -INFINITY)";
  os << *outPtr << "[" << flat << "] = " << value << ";\n";
  for (size_t d = 0; d < rank; ++d) {
    os.unindent();
    os << "}\n";
  }
  return success();
}

} // namespace dmc
