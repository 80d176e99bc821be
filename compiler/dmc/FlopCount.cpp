//===- FlopCount.cpp - floating-point work of a graph ---------------------===//
#include "compiler/dmc/FlopCount.h"
#include "dialects/NN/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace dmc {
namespace {
std::optional<int64_t> elements(Value v) { return evaluateNumElements(cast<sdfg::ArrayType>(v.getType()).getShape(), {}); }
} // namespace

std::optional<GraphWork> countWork(sdfg::SDFGOp sdfg) {
  GraphWork work;
  bool complete = true;
  sdfg.walk([&](nn::LibraryNode node) {
    Operation *op = node.getOperation();
    auto out = elements(node.getOutputs()[0]);
    if (!out) {
      complete = false;
      return;
    }
    auto contraction = [&](Value a, bool transposeA) {
      Shape s = cast<sdfg::ArrayType>(a.getType()).getShape();
      const Dim &k = transposeA ? s[s.size() - 2] : s.back();
      Shape outShape = cast<sdfg::ArrayType>(node.getOutputs()[0].getType()).getShape();
      double f = 2.0 * (double)*out * (double)k.value;
      work.contractionFlops += f;
      int64_t m = outShape[outShape.size() - 2].value, n = outShape.back().value;
      if ((double)m * n * k.value > (double)work.m * work.n * work.k)
        work.m = m, work.n = n, work.k = k.value;
      return f;
    };
    // Per-element costs of the other nodes are rough (exp counted as one); they matter little next to
    // the contractions but keep GFLOP/s honest for element-wise-heavy graphs.
    double f = llvm::TypeSwitch<Operation *, double>(op)
                   .Case([&](nn::MatMulOp m) { return contraction(m.getInputs()[0], m.getTransposeA()); })
                   .Case([&](nn::GemmOp g) { return contraction(g.getInputs()[0], g.getTransposeA()) + *out; })
                   .Case([&](nn::FusedMatMulOp m) {
                     return contraction(m.getInputs()[0], m.getTransposeA()) + 2.0 * (m.getInputs().size() - 2) * *out;
                   })
                   .Case([&](nn::AttentionOp a) {
                     // Per query and key: Q.K (2D), the softmax (~5) and P.V (2Dv); masked blocks counted.
                     Shape k = cast<sdfg::ArrayType>(a.getInputs()[1].getType()).getShape();
                     Shape o = cast<sdfg::ArrayType>(a.getOutputs()[0].getType()).getShape();
                     double keys = k[k.size() - 2].value, d = k.back().value, dv = o.back().value;
                     return (double)*out / dv * keys * (2 * d + 2 * dv + 5);
                   })
                   .Case([&](nn::SoftmaxOp) { return 5.0 * *out; })
                   .Case([&](nn::LayerNormOp) { return 8.0 * *out; })
                   .Case<nn::GeluOp>([&](auto) { return 8.0 * *out; })
                   .Case<nn::TransposeOp, nn::ReshapeOp, nn::SliceOp, nn::ConcatOp>([&](auto) { return 0.0; })
                   .Case<nn::ReduceSumOp, nn::ReduceMaxOp, nn::ReduceMeanOp>(
                       [&](auto r) { return (double)elements(r.getInputs()[0]).value_or(0); })
                   .Default([&](Operation *) { return (double)*out; });
    work.flops += f;
  });
  if (!complete)
    return std::nullopt;
  return work;
}

} // namespace dmc
