//===- EmitTiledCall.cpp - fused_matmul and attention as tiled-kernel calls ===//
//
// These nodes take strided views (docs/abi.md): each operand becomes a dmcrt_strided descriptor whose
// base pointer, offset and strides are the view chain's layout in its root (sdfg::stridedLayout), so a
// transposed, sliced or reshaped container is passed in place.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Emitter.h"
#include "dialects/NN/Expressions.h"

using namespace mlir;

namespace dmc {

std::string Emitter::elementCountExpr(const Monomial &m) const {
  std::string e = std::to_string(m.coefficient) + "LL";
  for (const std::string &symbol : m.symbols)
    e += " * " + dimExpr(Dim::named(symbol));
  return e;
}

FailureOr<std::string> Emitter::declareStrided(Value container, Operation *user) {
  if (!cast<sdfg::ArrayType>(container.getType()).getElementType().isF32())
    return user->emitOpError("runs on f32 only");
  std::optional<sdfg::StridedLayout> l = sdfg::stridedLayout(container);
  if (!l)
    return user->emitOpError("reads or writes a view without a strided layout (a reshape of a transpose or "
                             "slice); prepare-for-emission copies such operands into a container");
  Shape shape = cast<sdfg::ArrayType>(container.getType()).getShape();
  if (shape.size() > 8)
    return user->emitOpError("has a container of rank ") << shape.size() << "; the runtime takes rank <= 8";
  std::string offset = "0";
  for (const Monomial &term : l->offset)
    offset += " + " + elementCountExpr(term);
  std::string name = fresh("s");
  os << "dmcrt_strided " << name << "{const_cast<float *>(" << nameOf(l->root) << ") + " << offset << ", "
     << shape.size() << ", {";
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << dimExpr(shape[i]);
  os << "}, {";
  for (size_t i = 0; i < l->strides.size(); ++i)
    os << (i ? ", " : "") << elementCountExpr(l->strides[i]);
  os << "}};\n";
  return name;
}

LogicalResult Emitter::emitTiledNode(Operation *op) {
  openNodeScope(op);
  SmallVector<std::string> operands;
  for (Value v : op->getOperands()) {
    auto d = declareStrided(v, op);
    if (failed(d))
      return failure();
    operands.push_back("&" + *d);
  }
  auto floatArg = [](float f) {
    char buffer[64];
    snprintf(buffer, sizeof buffer, "%af", (double)f);
    return std::string(buffer);
  };
  std::string call;
  if (auto mm = dyn_cast<nn::FusedMatMulOp>(op)) {
    // A transposed operand is its view with the last two dims swapped.
    auto swapLast = [&](std::string &name, Value v) {
      std::string t = fresh("t");
      int64_t r = cast<sdfg::ArrayType>(v.getType()).getRank();
      os << "dmcrt_strided " << t << " = " << name.substr(1) << ";\n";
      os << "std::swap(" << t << ".shape[" << r - 2 << "], " << t << ".shape[" << r - 1 << "]);\n";
      os << "std::swap(" << t << ".stride[" << r - 2 << "], " << t << ".stride[" << r - 1 << "]);\n";
      name = "&" + t;
    };
    if (mm.getTransposeA())
      swapLast(operands[0], mm.getInputs()[0]);
    if (mm.getTransposeB())
      swapLast(operands[1], mm.getInputs()[1]);
    size_t next = 2;
    std::string pre = mm.getHasPre() ? operands[next++] : "nullptr";
    std::string post = mm.getHasPost() ? operands[next++] : "nullptr";
    StringRef act = mm.getActivation();
    const char *kind = act == "relu" ? "DMCRT_ACT_RELU" : act == "gelu_erf" ? "DMCRT_ACT_GELU_ERF"
                       : act == "gelu_tanh" ? "DMCRT_ACT_GELU_TANH" : "DMCRT_ACT_NONE";
    // `impl = "dnnl"`: the same operation on oneDNN's matmul primitive (runtime/src/kernels_dnnl.cpp).
    const char *kernel = nn::getImpl(op) == nn::kDnnlImpl ? "dmcrt_matmul_dnnl(" : "dmcrt_matmul_tiled(";
    call = kernel + operands[0] + ", " + operands[1] + ", " + pre + ", " + post + ", " +
           operands.back() + ", " + floatArg(mm.getAlpha().convertToFloat()) + ", " + kind + ", " +
           floatArg(mm.getPreScale().convertToFloat()) + ", " + floatArg(mm.getPostScale().convertToFloat()) + ")";
  } else {
    auto at = cast<nn::AttentionOp>(op);
    if (nn::hasExpressions(op))
      return op->emitOpError("has a mask or score expression, which the runtime kernel does not take");
    std::string globals = fresh("globals");
    os << "const int64_t " << globals << "[] = {";
    for (int64_t t : at.getGlobalTokens())
      os << t << "LL, ";
    os << "0};\n"; // a zero-length array is not C++
    std::string mask = at.getInputs().size() == 4 ? operands[3] : "nullptr";
    call = "dmcrt_attention(" + operands[0] + ", " + operands[1] + ", " + operands[2] + ", " + mask + ", " +
           operands.back() + ", " + floatArg(at.getScale().convertToFloat()) + ", " + std::to_string(at.getCausal()) +
           ", " + std::to_string((int64_t)at.getWindow()) + "LL, " + std::to_string((int64_t)at.getStride()) + "LL, " +
           globals + ", " + std::to_string(at.getGlobalTokens().size()) + ")";
  }
  os << "if (int rc = " << call << ") return rc;\n";
  os.unindent();
  os << "}\n";
  return success();
}

} // namespace dmc
