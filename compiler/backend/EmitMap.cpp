//===- EmitMap.cpp - maps, memlets, tasklets and copies as C++ -------------===//
#include "compiler/backend/Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace dmc {

std::string Emitter::affineExpr(AffineExpr expr, ValueRange operands, unsigned numDims) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return c.getValue() < 0 ? "(" + std::to_string(c.getValue()) + ")" : std::to_string(c.getValue());
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return nameOf(operands[d.getPosition()]);
  if (auto s = dyn_cast<AffineSymbolExpr>(expr))
    return nameOf(operands[numDims + s.getPosition()]);
  auto bin = cast<AffineBinaryOpExpr>(expr);
  std::string l = affineExpr(bin.getLHS(), operands, numDims), r = affineExpr(bin.getRHS(), operands, numDims);
  switch (expr.getKind()) {
  case AffineExprKind::Add: return "(" + l + " + " + r + ")";
  case AffineExprKind::Mul: return "(" + l + " * " + r + ")";
  // Affine division and modulo round towards negative infinity; C++'s round towards zero.
  case AffineExprKind::FloorDiv: return "dmc_floordiv(" + l + ", " + r + ")";
  case AffineExprKind::CeilDiv: return "dmc_ceildiv(" + l + ", " + r + ")";
  default: return "dmc_mod(" + l + ", " + r + ")";
  }
}

std::string Emitter::elementRef(Value container, SmallVector<std::string> indices) {
  // Which element of the root the view's element is: sdfg::rootOffset (Views.h). Indices are in
  // bounds, hence non-negative, so C++'s / and % are the row-major split of a linear index.
  sdfg::IndexArithmetic<std::string> cpp;
  cpp.addOffset = [](const std::string &i, int64_t off) { return "(" + i + " + " + std::to_string(off) + ")"; };
  cpp.mulAdd = [&](const std::string &a, const Dim &d, const std::string &b) {
    return "(" + a + ") * " + dimExpr(d) + " + " + b;
  };
  cpp.div = [&](const std::string &i, const Dim &d) { return "(" + i + ") / " + dimExpr(d); };
  cpp.mod = [&](const std::string &i, const Dim &d) { return "(" + i + ") % " + dimExpr(d); };
  auto [root, offset] = sdfg::rootOffset<std::string>(container, std::move(indices), cpp, "0");
  return nameOf(root) + "[" + offset + "]";
}

namespace {
std::string cppScalarType(Type t) {
  if (t.isF32()) return "float";
  if (t.isF64()) return "double";
  if (t.isIndex() || t.isInteger(64)) return "int64_t";
  if (t.isInteger(32)) return "int32_t";
  if (t.isInteger(1)) return "bool";
  return "";
}

std::string floatLiteral(FloatAttr f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  // %a-style hexadecimal floats are exact: the C++ compiler reads back the very same value.
  double v = f.getValueAsDouble();
  // %a prints "inf"/"nan", which are not C++: use <cmath>'s macros (float constants).
  if (std::isinf(v) || std::isnan(v)) {
    std::string m = std::isnan(v) ? "NAN" : v < 0 ? "(-INFINITY)" : "INFINITY";
    return f.getType().isF32() ? m : "((double)" + m + ")";
  }
  char buffer[64];
  snprintf(buffer, sizeof buffer, "%a", v);
  os << buffer << (f.getType().isF32() ? "f" : "");
  return s;
}

const char *cmpfOp(arith::CmpFPredicate p) {
  using P = arith::CmpFPredicate;
  switch (p) {
  case P::OEQ: case P::UEQ: return "==";
  case P::ONE: case P::UNE: return "!=";
  case P::OLT: case P::ULT: return "<";
  case P::OLE: case P::ULE: return "<=";
  case P::OGT: case P::UGT: return ">";
  case P::OGE: case P::UGE: return ">=";
  default: return nullptr;
  }
}

const char *cmpiOp(arith::CmpIPredicate p) {
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::eq: return "==";
  case P::ne: return "!=";
  case P::slt: return "<";
  case P::sle: return "<=";
  case P::sgt: return ">";
  case P::sge: return ">=";
  default: return nullptr;
  }
}
} // namespace

/// One C++ expression per scalar op. Unsigned comparisons and exotic ops are rejected, not guessed.
LogicalResult Emitter::emitScalarRegion(Region &region, SmallVectorImpl<std::string> &yielded) {
  for (Operation &op : region.front()) {
    if (auto yield = dyn_cast<sdfg::YieldOp>(op)) {
      for (Value v : yield.getValues())
        yielded.push_back(nameOf(v));
      return success();
    }
    auto operand = [&](unsigned i) { return nameOf(op.getOperand(i)); };
    std::string expr = llvm::TypeSwitch<Operation *, std::string>(&op)
        .Case([&](arith::ConstantOp c) -> std::string {
          if (auto f = dyn_cast<FloatAttr>(c.getValue()))
            return floatLiteral(f);
          if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
            return c.getType().isInteger(1) ? (i.getValue().isZero() ? "false" : "true")
                                            : std::to_string(i.getValue().getSExtValue()) + "LL";
          return "";
        })
        .Case<arith::AddFOp, arith::AddIOp>([&](auto) { return operand(0) + " + " + operand(1); })
        .Case<arith::SubFOp, arith::SubIOp>([&](auto) { return operand(0) + " - " + operand(1); })
        .Case<arith::MulFOp, arith::MulIOp>([&](auto) { return operand(0) + " * " + operand(1); })
        .Case<arith::DivFOp, arith::DivSIOp>([&](auto) { return operand(0) + " / " + operand(1); })
        .Case<arith::RemSIOp>([&](auto) { return operand(0) + " % " + operand(1); })
        .Case<arith::AndIOp>([&](auto) { return operand(0) + " & " + operand(1); })
        .Case<arith::OrIOp>([&](auto) { return operand(0) + " | " + operand(1); })
        .Case<arith::XOrIOp>([&](auto) { return operand(0) + " ^ " + operand(1); })
        .Case<arith::NegFOp>([&](auto) { return "-" + operand(0); })
        .Case<arith::MaximumFOp, arith::MaxNumFOp>([&](auto) { return "std::fmax(" + operand(0) + ", " + operand(1) + ")"; })
        .Case<arith::MinimumFOp, arith::MinNumFOp>([&](auto) { return "std::fmin(" + operand(0) + ", " + operand(1) + ")"; })
        .Case<arith::MaxSIOp>([&](auto) { return "std::max(" + operand(0) + ", " + operand(1) + ")"; })
        .Case<arith::MinSIOp>([&](auto) { return "std::min(" + operand(0) + ", " + operand(1) + ")"; })
        .Case([&](arith::CmpFOp c) -> std::string {
          const char *o = cmpfOp(c.getPredicate());
          return o ? operand(0) + " " + o + " " + operand(1) : "";
        })
        .Case([&](arith::CmpIOp c) -> std::string {
          const char *o = cmpiOp(c.getPredicate());
          return o ? operand(0) + " " + o + " " + operand(1) : "";
        })
        .Case<arith::SelectOp>([&](auto) { return operand(0) + " ? " + operand(1) + " : " + operand(2); })
        .Case<arith::IndexCastOp, arith::SIToFPOp, arith::FPToSIOp, arith::ExtFOp, arith::TruncFOp>(
            [&](Operation *o) { return "(" + cppScalarType(o->getResult(0).getType()) + ")" + operand(0); })
        .Case<math::ExpOp>([&](auto) { return "std::exp(" + operand(0) + ")"; })
        .Case<math::ExpM1Op>([&](auto) { return "std::expm1(" + operand(0) + ")"; })
        .Case<math::LogOp>([&](auto) { return "std::log(" + operand(0) + ")"; })
        .Case<math::TanhOp>([&](auto) { return "std::tanh(" + operand(0) + ")"; })
        .Case<math::ErfOp>([&](auto) { return "std::erf(" + operand(0) + ")"; })
        .Case<math::SqrtOp>([&](auto) { return "std::sqrt(" + operand(0) + ")"; })
        .Case<math::RsqrtOp>([&](auto) { return "1.0f / std::sqrt(" + operand(0) + ")"; })
        .Case<math::AbsFOp>([&](auto) { return "std::fabs(" + operand(0) + ")"; })
        .Case<math::PowFOp>([&](auto) { return "std::pow(" + operand(0) + ", " + operand(1) + ")"; })
        .Case<math::FmaOp>([&](auto) { return "std::fma(" + operand(0) + ", " + operand(1) + ", " + operand(2) + ")"; })
        .Default([](Operation *) { return ""; });
    std::string type = op.getNumResults() == 1 ? cppScalarType(op.getResult(0).getType()) : "";
    if (expr.empty() || type.empty())
      return op.emitOpError("cannot be emitted as C++ yet");
    std::string name = fresh("v");
    os << "const " << type << " " << name << " = " << expr << ";\n";
    names[op.getResult(0)] = name;
  }
  return region.getParentOp()->emitOpError("region has no sdfg.yield");
}

std::string Emitter::memletRef(Value array, AffineMap map, ValueRange indices) {
  SmallVector<std::string> idx;
  for (AffineExpr e : map.getResults())
    idx.push_back(affineExpr(e, indices, map.getNumDims()));
  return elementRef(array, idx);
}

LogicalResult Emitter::emitMap(sdfg::MapOp map) {
  if (map.isOnce()) {
    // Constant inputs into a persistent buffer (run-constant-maps-once): until a run succeeds.
    os << "if (!_state->ran) {\n";
    os.indent();
    LogicalResult r = emitMapLoops(map);
    os.unindent();
    os << "}\n";
    return r;
  }
  return emitMapLoops(map);
}

LogicalResult Emitter::emitMapLoops(sdfg::MapOp map) {
  unsigned n = map.getNumParams();
  // resolve-write-conflicts leaves one omp map per nest.
  bool parallel = map.getSchedule() == sdfg::Schedule::omp;
  if (parallel) {
    emitWorkerBuffers(map);
    os << "#pragma omp parallel for" << (n > 1 ? " collapse(" + std::to_string(n) + ")" : "")
       << (map.isDynamic() ? " schedule(dynamic, 1)" : "") << "\n";
  }
  for (unsigned i = 0; i < n; ++i) {
    std::string p = fresh("i");
    names[map.getParams()[i]] = p;
    AffineMap lb = map.getLowerBounds(), ub = map.getUpperBounds();
    if (i + 1 == n && map.getSchedule() == sdfg::Schedule::vector)
      os << "#pragma omp simd\n";
    os << "for (int64_t " << p << " = " << affineExpr(lb.getResult(i), map.getLowerOperands(), lb.getNumDims())
       << "; " << p << " < " << affineExpr(ub.getResult(i), map.getUpperOperands(), ub.getNumDims()) << "; " << p
       << " += " << map.getSteps()[i] << ") {\n";
    os.indent();
  }
  if (parallel)
    bindWorkerBuffers(map);
  unsigned opIndex = 0;
  for (Operation &op : map.getBodyBlock()) {
    LogicalResult result = emitMarked(opIndex++, [&] { return emitBodyOp(op); });
    if (failed(result))
      return failure();
  }
  for (unsigned i = 0; i < n; ++i) {
    os.unindent();
    os << "}\n";
  }
  return success();
}

LogicalResult Emitter::emitBodyOp(Operation &op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](sdfg::MapOp inner) { return emitMap(inner); })
      .Case([&](sdfg::LoadOp load) -> LogicalResult {
        std::string ref = memletRef(load.getArray(), load.getMap(), load.getIndices());
        std::string name = fresh("v");
        os << "const " << cppScalarType(load.getType()) << " " << name << " = " << ref << ";\n";
        names[load.getResult()] = name;
        return success();
      })
      .Case([&](sdfg::StoreOp store) -> LogicalResult {
        std::string ref = memletRef(store.getArray(), store.getMap(), store.getIndices());
        std::string v = nameOf(store.getValue());
        if (!store.getWcr()) {
          os << ref << " = " << v << ";\n";
          return success();
        }
        // Synchronised unless resolve-write-conflicts proved no other thread updates the element.
        bool atomic = !store.getOwned();
        switch (*store.getWcr()) {
        case sdfg::WCR::sum:
          os << (atomic ? "#pragma omp atomic\n" : "") << ref << " += " << v << ";\n";
          break;
        case sdfg::WCR::product:
          os << (atomic ? "#pragma omp atomic\n" : "") << ref << " *= " << v << ";\n";
          break;
        case sdfg::WCR::max:
        case sdfg::WCR::min:
          os << (atomic ? "#pragma omp critical(dmc_wcr)\n" : "") << "{ " << ref << " = std::"
             << (*store.getWcr() == sdfg::WCR::max ? "fmax" : "fmin") << "(" << ref << ", " << v << "); }\n";
          break;
        }
        return success();
      })
      .Case([&](sdfg::TaskletOp tasklet) -> LogicalResult {
        for (auto [arg, operand] : llvm::zip(tasklet.getBody().getArguments(), tasklet.getOperands())) {
          // Copy first: names[arg] may grow the map and invalidate a reference returned by nameOf.
          std::string name = nameOf(operand);
          names[arg] = std::move(name);
        }
        SmallVector<std::string> yielded;
        if (failed(emitScalarRegion(tasklet.getBody(), yielded)))
          return failure();
        for (auto [result, expr] : llvm::zip(tasklet.getResults(), yielded))
          names[result] = expr;
        return success();
      })
      .Case([&](sdfg::MinOp min) { return emitTileBound(min, min.getMap(), min.getOperands(), "min"); })
      .Case([&](sdfg::MaxOp max) { return emitTileBound(max, max.getMap(), max.getOperands(), "max"); })
      .Case([&](sdfg::UKernelOp call) { return emitMicroKernel(call); })
      .Default([](Operation *o) { return o->emitOpError("cannot be emitted inside a map"); });
}

LogicalResult Emitter::emitCopy(sdfg::CopyOp copy) {
  // A copy is a map over the destination's shape, so views on either side are handled alike.
  Shape shape = copy.getDest().getType().getShape();
  SmallVector<std::string> idx;
  for (const Dim &d : shape) {
    std::string p = fresh("i");
    os << "for (int64_t " << p << " = 0; " << p << " < " << dimExpr(d) << "; ++" << p << ") {\n";
    os.indent();
    idx.push_back(p);
  }
  os << elementRef(copy.getDest(), idx) << " = " << elementRef(copy.getSource(), idx) << ";\n";
  for (size_t i = 0; i < shape.size(); ++i) {
    os.unindent();
    os << "}\n";
  }
  return success();
}

} // namespace dmc
