//===- EmitLibraryCall.cpp - unexpanded library nodes as libdmcrt calls ----===//
//
// The -O0 path: every nn op left at emission calls the runtime's reference kernel with dmcrt_tensor
// descriptors. A failing kernel returns its error code from the graph's run function.
//
//===----------------------------------------------------------------------===//
#include "compiler/backend/Emitter.h"
#include "dialects/NN/Expressions.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace dmc {

FailureOr<std::string> Emitter::contiguousPointer(Value container, Operation *user) {
  if (!sdfg::isContiguous(container))
    return user->emitOpError("reads or writes a strided view (a transpose or slice), which the -O0 backend "
                             "cannot pass to a runtime kernel; copy it into a container first");
  return nameOf(sdfg::rootOf(container));
}

FailureOr<std::string> Emitter::declareDescriptor(Value container, Operation *user) {
  auto ptr = contiguousPointer(container, user);
  if (failed(ptr))
    return failure();
  Shape shape = cast<sdfg::ArrayType>(container.getType()).getShape();
  if (shape.size() > 8)
    return user->emitOpError("has a container of rank ") << shape.size() << "; the runtime takes rank <= 8";
  std::string name = fresh("t");
  os << "dmcrt_tensor " << name << "{const_cast<float *>(" << *ptr << "), " << shape.size() << ", {";
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << dimExpr(shape[i]);
  os << "}};\n";
  return name;
}

namespace {
std::string floatArg(APFloat f) {
  char buffer[64];
  snprintf(buffer, sizeof buffer, "%af", f.convertToDouble());
  return buffer;
}

std::string int64Array(ArrayRef<int64_t> values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i)
    s += (i ? ", " : "") + std::to_string(values[i]) + "LL";
  return s + (values.empty() ? "0}" : "}"); // a zero-length array is not C++
}
} // namespace

void Emitter::openNodeScope(Operation *op) {
  os << "{ // " << op->getName().getStringRef();
  if (auto label = cast<nn::LibraryNode>(op).getLabel())
    os << " '" << *label << "'"; // labels are checked identifiers
  os << "\n";
  os.indent();
}

LogicalResult Emitter::emitLibraryNode(Operation *op) {
  auto node = cast<nn::LibraryNode>(op);
  openNodeScope(op);
  auto softmax = dyn_cast<nn::SoftmaxOp>(op);
  if (softmax && nn::hasExpressions(op)) {
    // The scores go into the output first (EmitExpr.cpp); the kernel normalises them there.
    if (failed(emitSoftmaxExpressions(softmax)))
      return failure();
    std::string o = *declareDescriptor(softmax.getOutputs()[0], op);
    std::string globals = fresh("globals");
    os << "const int64_t " << globals << "[] = " << int64Array(softmax.getGlobalTokens()) << ";\n";
    os << "if (int rc = dmcrt_softmax(&" << o << ", nullptr, &" << o << ", -1LL, 1.0f, " << softmax.getCausal()
       << ", " << (int64_t)softmax.getWindow() << "LL, " << (int64_t)softmax.getStride() << "LL, " << globals << ", "
       << softmax.getGlobalTokens().size() << ")) return rc;\n";
    os.unindent();
    os << "}\n";
    return success();
  }
  SmallVector<std::string> in, out;
  for (Value v : node.getInputs()) {
    auto d = declareDescriptor(v, op);
    if (failed(d))
      return failure();
    in.push_back("&" + *d);
  }
  for (Value v : node.getOutputs()) {
    auto d = declareDescriptor(v, op);
    if (failed(d))
      return failure();
    out.push_back("&" + *d);
  }
  auto unary = [&](const char *kind, std::string param = "0.0f") {
    return "dmcrt_unary(" + std::string(kind) + ", " + in[0] + ", " + out[0] + ", " + param + ")";
  };
  auto binary = [&](const char *kind) {
    return "dmcrt_binary(" + std::string(kind) + ", " + in[0] + ", " + in[1] + ", " + out[0] + ")";
  };
  auto arrays = [&](StringRef name, ArrayRef<int64_t> values) {
    std::string var = fresh(name.str());
    os << "const int64_t " << var << "[] = " << int64Array(values) << ";\n";
    return var;
  };
  std::string call = llvm::TypeSwitch<Operation *, std::string>(op)
      .Case([&](nn::MatMulOp m) {
        return "dmcrt_matmul(" + in[0] + ", " + in[1] + ", " + out[0] + ", " + std::to_string(m.getTransposeA()) +
               ", " + std::to_string(m.getTransposeB()) + ", " + floatArg(m.getAlpha()) + ")";
      })
      .Case([&](nn::GemmOp g) {
        return "dmcrt_gemm(" + in[0] + ", " + in[1] + ", " + (in.size() > 2 ? in[2] : "nullptr") + ", " + out[0] +
               ", " + std::to_string(g.getTransposeA()) + ", " + std::to_string(g.getTransposeB()) + ", " +
               floatArg(g.getAlpha()) + ", " + floatArg(g.getBeta()) + ")";
      })
      .Case([&](nn::AddOp) { return binary("DMCRT_ADD"); })
      .Case([&](nn::SubOp) { return binary("DMCRT_SUB"); })
      .Case([&](nn::MulOp) { return binary("DMCRT_MUL"); })
      .Case([&](nn::DivOp) { return binary("DMCRT_DIV"); })
      .Case([&](nn::WhereOp) { return "dmcrt_where(" + in[0] + ", " + in[1] + ", " + in[2] + ", " + out[0] + ")"; })
      .Case([&](nn::ExpOp) { return unary("DMCRT_EXP"); })
      .Case([&](nn::TanhOp) { return unary("DMCRT_TANH"); })
      .Case([&](nn::ErfOp) { return unary("DMCRT_ERF"); })
      .Case([&](nn::ReluOp) { return unary("DMCRT_RELU"); })
      .Case([&](nn::SqrtOp) { return unary("DMCRT_SQRT"); })
      .Case([&](nn::ReciprocalOp) { return unary("DMCRT_RECIPROCAL"); })
      .Case([&](nn::GeluOp g) { return unary(g.getTanhApproximation() ? "DMCRT_GELU_TANH" : "DMCRT_GELU_ERF"); })
      .Case([&](nn::EluOp e) { return unary("DMCRT_ELU", floatArg(e.getAlpha())); })
      .Case([&](nn::ScaleOp s) {
        return "dmcrt_scale(" + in[0] + ", " + out[0] + ", " + floatArg(s.getAlpha()) + ", " + floatArg(s.getBias()) + ")";
      })
      .Case([&](nn::SoftmaxOp s) {
        std::string globals = arrays("globals", s.getGlobalTokens());
        return "dmcrt_softmax(" + in[0] + ", " + (in.size() > 1 ? in[1] : "nullptr") + ", " + out[0] + ", " +
               std::to_string((int64_t)s.getAxis()) + "LL, " + floatArg(s.getScale()) + ", " + std::to_string(s.getCausal()) +
               ", " + std::to_string((int64_t)s.getWindow()) + "LL, " + std::to_string((int64_t)s.getStride()) + "LL, " + globals +
               ", " + std::to_string(s.getGlobalTokens().size()) + ")";
      })
      .Case([&](nn::LayerNormOp l) {
        return "dmcrt_layer_norm(" + in[0] + ", " + in[1] + ", " + in[2] + ", " + out[0] + ", " +
               floatArg(l.getEpsilon()) + ")";
      })
      .Case<nn::ReduceSumOp, nn::ReduceMaxOp, nn::ReduceMeanOp>([&](auto r) {
        const char *kind = isa<nn::ReduceSumOp>(op) ? "DMCRT_REDUCE_SUM"
                           : isa<nn::ReduceMaxOp>(op) ? "DMCRT_REDUCE_MAX" : "DMCRT_REDUCE_MEAN";
        std::string axes = arrays("axes", r.getAxes());
        return "dmcrt_reduce(" + std::string(kind) + ", " + in[0] + ", " + out[0] + ", " + axes + ", " +
               std::to_string(r.getAxes().size()) + ", " + std::to_string(r.getKeepdims()) + ")";
      })
      .Case([&](nn::TransposeOp t) {
        return "dmcrt_transpose(" + in[0] + ", " + out[0] + ", " + arrays("perm", t.getPermutation()) + ")";
      })
      .Case([&](nn::ReshapeOp) { return "dmcrt_copy(" + in[0] + ", " + out[0] + ")"; })
      .Case([&](nn::SliceOp s) {
        std::string starts = arrays("starts", s.getStarts()), ends = arrays("ends", s.getEnds()),
                    axes = arrays("axes", s.getAxes());
        return "dmcrt_slice(" + in[0] + ", " + out[0] + ", " + starts + ", " + ends + ", " + axes + ", " +
               std::to_string(s.getStarts().size()) + ")";
      })
      .Case([&](nn::ConcatOp c) {
        std::string list = fresh("inputs");
        os << "const dmcrt_tensor " << list << "[] = {";
        for (size_t i = 0; i < in.size(); ++i)
          os << (i ? ", " : "") << in[i].substr(1); // the descriptor itself, not its address
        os << "};\n";
        return "dmcrt_concat(" + list + ", " + std::to_string(in.size()) + ", " + out[0] + ", " +
               std::to_string((int64_t)c.getAxis()) + "LL)";
      })
      .Default([](Operation *) { return std::string(); });
  if (call.empty())
    return op->emitOpError("has no runtime kernel");
  os << "if (int rc = " << call << ") return rc;\n";
  os.unindent();
  os << "}\n";
  return success();
}

} // namespace dmc
