//===- MatMul.cpp - batched matmul and gemm as map nests --------------------===//
//
//   init:    map (batch..., i, j) omp { C[...] = 0 }              (gemm: beta * Cin[broadcast])
//   product: map (batch..., i, j) omp { map (k) { C[...] += alpha * A[.., i, k] * B[.., k, j] wcr(sum) } }
//
// Batch dims broadcast as in NumPy matmul (a missing or size-1 batch dim of A or B is read at 0);
// transposes swap the last two indices of the memlet.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace dmc::expansions {

bool isMatMul(Operation *op) { return isa<nn::MatMulOp, nn::GemmOp>(op); }

LogicalResult expandMatMul(Expander &e) {
  Contraction c;
  if (auto mm = dyn_cast<nn::MatMulOp>(e.node)) {
    c.transA = mm.getTransposeA();
    c.transB = mm.getTransposeB();
    c.alpha = mm.getAlpha().convertToDouble();
  } else {
    auto gemm = cast<nn::GemmOp>(e.node);
    c.transA = gemm.getTransposeA();
    c.transB = gemm.getTransposeB();
    c.alpha = gemm.getAlpha().convertToDouble();
    if (gemm.getInputs().size() == 3) {
      c.bias = gemm.getInputs()[2];
      c.beta = gemm.getBeta().convertToDouble();
    }
  }
  auto node = cast<nn::LibraryNode>(e.node);
  c.a = node.getInputs()[0];
  c.b = node.getInputs()[1];
  c.out = node.getOutputs()[0];
  buildContraction(e, c);
  return success();
}

void buildContraction(Expander &e, const Contraction &c) {
  Value a = c.a, b = c.b, out = c.out, bias = c.bias;
  bool transA = c.transA, transB = c.transB;
  double alpha = c.alpha, beta = c.beta;
  Shape as = shapeOf(a), bs = shapeOf(b), os = shapeOf(out);
  Type type = elementOf(out);
  size_t ra = as.size(), ro = os.size();
  Dim k = transA ? as[ra - 2] : as[ra - 1];
  Shape batchOut(os.begin(), os.end() - 2);

  // Initialisation: the neutral element of the sum, or beta * C.
  e.map(os, sdfg::Schedule::omp, [&](ValueRange p) {
    SmallVector<Value> operands;
    if (bias)
      operands.push_back(e.load(bias, broadcastIndices(shapeOf(bias), os, p)));
    Value init = e.tasklet1(operands, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
      if (!bias)
        return {floatConst(bb, e.loc, type, 0.0)};
      if (beta == 1.0)
        return {args[0]};
      return {bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, type, beta), args[0])};
    });
    e.store(init, out, identity(p));
  });

  // Products, reduced over k into the output.
  e.map(os, sdfg::Schedule::omp, [&](ValueRange p) {
    ValueRange batch = p.take_front(ro - 2);
    Value i = p[ro - 2], j = p[ro - 1];
    e.map({k}, sdfg::Schedule::sequential, [&](ValueRange q) {
      Value kk = q[0];
      Indices ai = broadcastIndices(Shape(as.begin(), as.end() - 2), batchOut, batch);
      ai.push_back({transA ? kk : i, 0});
      ai.push_back({transA ? i : kk, 0});
      Indices bi = broadcastIndices(Shape(bs.begin(), bs.end() - 2), batchOut, batch);
      bi.push_back({transB ? j : kk, 0});
      bi.push_back({transB ? kk : j, 0});
      Value va = e.load(a, ai), vb = e.load(b, bi);
      Value prod = e.tasklet1({va, vb}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        Value m = bb.create<arith::MulFOp>(e.loc, args[0], args[1]);
        if (alpha != 1.0)
          m = bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, type, alpha), m);
        return {m};
      });
      e.store(prod, out, identity(p), sdfg::WCR::sum);
    });
  });
}

} // namespace dmc::expansions

namespace dmc::expansions {

LogicalResult expandMatMulTiled(Expander &e) {
  auto unit = [&](bool on) { return on ? e.b.getUnitAttr() : UnitAttr(); };
  if (auto mm = dyn_cast<nn::MatMulOp>(e.node)) {
    e.b.create<nn::FusedMatMulOp>(e.loc, mm.getInputs(), mm.getOutputs(), mm.getLabelAttr(),
                                  unit(mm.getTransposeA()), unit(mm.getTransposeB()), mm.getAlphaAttr(),
                                  e.b.getStringAttr("none"), UnitAttr(), UnitAttr(), e.b.getF32FloatAttr(1.0f),
                                  e.b.getF32FloatAttr(1.0f));
    return success();
  }
  // Gemm's beta * C is the fused node's pre-activation addend (C broadcasts to the output either way).
  auto gemm = cast<nn::GemmOp>(e.node);
  bool hasBias = gemm.getInputs().size() == 3;
  e.b.create<nn::FusedMatMulOp>(e.loc, gemm.getInputs(), gemm.getOutputs(), gemm.getLabelAttr(),
                                unit(gemm.getTransposeA()), unit(gemm.getTransposeB()), gemm.getAlphaAttr(),
                                e.b.getStringAttr("none"), unit(hasBias), UnitAttr(),
                                hasBias ? gemm.getBetaAttr() : e.b.getF32FloatAttr(1.0f), e.b.getF32FloatAttr(1.0f));
  return success();
}

} // namespace dmc::expansions
