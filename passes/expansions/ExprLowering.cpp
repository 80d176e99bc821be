//===- ExprLowering.cpp - mask and score expressions in tasklets ----------===//
#include "passes/expansions/ExprLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;

namespace dmc::expansions {
namespace {
using expr::Node;
using expr::Op;

/// The tensor reads of a tree, in the pre-order that lowering visits them.
void readsOf(const Node &n, std::vector<const Node *> &out) {
  if (n.op == Op::Read) {
    out.push_back(&n);
    return; // indices are int: they read nothing
  }
  for (const Node &a : n.args)
    readsOf(a, out);
}
std::vector<const Node *> readsOf(const nn::Expressions &x) {
  std::vector<const Node *> out;
  if (x.score)
    readsOf(*x.score, out);
  if (x.mask)
    readsOf(*x.mask, out);
  return out;
}

/// The values an IndexVar needs as tasklet operands.
void indexOperands(const IndexVar &v, SmallVectorImpl<Value> &out) {
  if (v.base)
    out.push_back(v.base);
  if (v.scale && v.offset)
    out.push_back(v.offset);
}
size_t numIndexOperands(const IndexVar &v) { return (v.base ? 1 : 0) + (v.scale && v.offset ? 1 : 0); }

/// An int tree as an affine expression of i, j, h (its checks made it quasi-affine).
AffineExpr affineOf(const Node &n, AffineOperands &o, const ExprSite &site) {
  switch (n.op) {
  case Op::IntLit:
    return getAffineConstantExpr(n.intValue, o.ctx);
  case Op::Var:
    return (n.name == "i" ? site.i : n.name == "j" ? site.j : site.h).fn()(o);
  case Op::Add:
    return affineOf(n.args[0], o, site) + affineOf(n.args[1], o, site);
  case Op::Sub:
    return affineOf(n.args[0], o, site) - affineOf(n.args[1], o, site);
  case Op::Neg:
    return -affineOf(n.args[0], o, site);
  case Op::Mul:
    return affineOf(n.args[0], o, site) * affineOf(n.args[1], o, site);
  case Op::Div: // floor division by a positive constant, as the tree's
    return affineOf(n.args[0], o, site).floorDiv(n.args[1].intValue);
  case Op::Mod:
    return affineOf(n.args[0], o, site) % n.args[1].intValue;
  default:
    llvm_unreachable("a checked tensor index is quasi-affine");
  }
}

struct Lowering {
  OpBuilder &b;
  Location loc;
  Value i, j, h, s;
  ValueRange reads;
  size_t nextRead = 0;

  Value intConst(int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); }
  Value f32Const(double v) { return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr((float)v)); }

  /// floor(a / d) and a - d * floor(a / d) from C++'s truncating / and %, for d != 0 (the checks).
  std::pair<Value, Value> floorDivMod(Value a, Value d, const Node &divisor) {
    using P = arith::CmpIPredicate;
    if (divisor.op == Op::IntLit && divisor.intValue > 0) { // the common case: only a negative rest adjusts
      Value q = b.create<arith::DivSIOp>(loc, a, d), r = b.create<arith::RemSIOp>(loc, a, d);
      Value negative = b.create<arith::CmpIOp>(loc, P::slt, r, intConst(0));
      return {b.create<arith::SelectOp>(loc, negative, b.create<arith::SubIOp>(loc, q, intConst(1)), q),
              b.create<arith::SelectOp>(loc, negative, b.create<arith::AddIOp>(loc, r, d), r)};
    }
    Value q = b.create<arith::DivSIOp>(loc, a, d), r = b.create<arith::RemSIOp>(loc, a, d);
    Value zero = intConst(0);
    Value inexact = b.create<arith::CmpIOp>(loc, P::ne, r, zero);
    Value signsDiffer = b.create<arith::XOrIOp>(loc, b.create<arith::CmpIOp>(loc, P::slt, r, zero),
                                                b.create<arith::CmpIOp>(loc, P::slt, d, zero));
    Value adjust = b.create<arith::AndIOp>(loc, inexact, signsDiffer);
    Value q1 = b.create<arith::SelectOp>(loc, adjust, b.create<arith::SubIOp>(loc, q, intConst(1)), q);
    Value r1 = b.create<arith::SelectOp>(loc, adjust, b.create<arith::AddIOp>(loc, r, d), r);
    return {q1, r1};
  }

  Value lower(const Node &n) {
    using IP = arith::CmpIPredicate;
    using FP = arith::CmpFPredicate;
    auto arg = [&](size_t k) { return lower(n.args[k]); };
    bool isFloat = !n.args.empty() && n.args[0].type == expr::Type::Float;
    bool isBool = !n.args.empty() && n.args[0].type == expr::Type::Bool;
    switch (n.op) {
    case Op::IntLit:
      return intConst(n.intValue);
    case Op::FloatLit:
      return f32Const(n.floatValue);
    case Op::BoolLit:
      return b.create<arith::ConstantOp>(loc, b.getBoolAttr(n.intValue != 0));
    case Op::Var:
      return n.name == "i" ? i : n.name == "j" ? j : n.name == "h" ? h : s;
    case Op::Read:
      return reads[nextRead++];
    case Op::ToFloat: {
      Value v = b.create<arith::IndexCastOp>(loc, b.getI64Type(), arg(0));
      return b.create<arith::SIToFPOp>(loc, b.getF32Type(), v);
    }
    case Op::Neg:
      if (n.type == expr::Type::Float)
        return b.create<arith::NegFOp>(loc, arg(0));
      return b.create<arith::SubIOp>(loc, intConst(0), arg(0));
    case Op::Not:
      return b.create<arith::XOrIOp>(loc, arg(0), b.create<arith::ConstantOp>(loc, b.getBoolAttr(true)));
    case Op::Add:
      return isFloat ? (Value)b.create<arith::AddFOp>(loc, arg(0), arg(1)) : b.create<arith::AddIOp>(loc, arg(0), arg(1));
    case Op::Sub:
      return isFloat ? (Value)b.create<arith::SubFOp>(loc, arg(0), arg(1)) : b.create<arith::SubIOp>(loc, arg(0), arg(1));
    case Op::Mul:
      return isFloat ? (Value)b.create<arith::MulFOp>(loc, arg(0), arg(1)) : b.create<arith::MulIOp>(loc, arg(0), arg(1));
    case Op::Div:
      if (isFloat)
        return b.create<arith::DivFOp>(loc, arg(0), arg(1));
      return floorDivMod(arg(0), arg(1), n.args[1]).first;
    case Op::Mod:
      return floorDivMod(arg(0), arg(1), n.args[1]).second;
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne: {
      Value x = arg(0), y = arg(1);
      if (isFloat) {
        FP p = n.op == Op::Lt ? FP::OLT : n.op == Op::Le ? FP::OLE : n.op == Op::Gt ? FP::OGT
             : n.op == Op::Ge ? FP::OGE : n.op == Op::Eq ? FP::OEQ : FP::UNE;
        return b.create<arith::CmpFOp>(loc, p, x, y);
      }
      IP p = n.op == Op::Lt ? IP::slt : n.op == Op::Le ? IP::sle : n.op == Op::Gt ? IP::sgt
           : n.op == Op::Ge ? IP::sge : n.op == Op::Eq ? IP::eq : IP::ne;
      (void)isBool;
      return b.create<arith::CmpIOp>(loc, p, x, y);
    }
    case Op::And:
      return b.create<arith::AndIOp>(loc, arg(0), arg(1));
    case Op::Or:
      return b.create<arith::OrIOp>(loc, arg(0), arg(1));
    case Op::Select: {
      Value c = arg(0), x = arg(1), y = arg(2);
      return b.create<arith::SelectOp>(loc, c, x, y);
    }
    case Op::Min:
      return isFloat ? (Value)b.create<arith::MinimumFOp>(loc, arg(0), arg(1))
                     : b.create<arith::MinSIOp>(loc, arg(0), arg(1));
    case Op::Max:
      return isFloat ? (Value)b.create<arith::MaximumFOp>(loc, arg(0), arg(1))
                     : b.create<arith::MaxSIOp>(loc, arg(0), arg(1));
    case Op::Abs: {
      if (isFloat)
        return b.create<math::AbsFOp>(loc, arg(0));
      Value x = arg(0);
      Value negative = b.create<arith::CmpIOp>(loc, IP::slt, x, intConst(0));
      return b.create<arith::SelectOp>(loc, negative, b.create<arith::SubIOp>(loc, intConst(0), x), x);
    }
    case Op::Sqrt:
      return b.create<math::SqrtOp>(loc, arg(0));
    case Op::Exp:
      return b.create<math::ExpOp>(loc, arg(0));
    case Op::Log:
      return b.create<math::LogOp>(loc, arg(0));
    case Op::Tanh:
      return b.create<math::TanhOp>(loc, arg(0));
    }
    llvm_unreachable("unknown expression op");
  }
};

/// The value of an IndexVar in the tasklet body, from its operands at `args`.
Value indexValue(OpBuilder &b, Location loc, const IndexVar &v, ValueRange &args) {
  if (!v.base)
    return b.create<arith::ConstantIndexOp>(loc, 0);
  Value base = args.front();
  args = args.drop_front();
  if (!v.scale)
    return base;
  Value start = b.create<arith::MulIOp>(loc, base, b.create<arith::ConstantIndexOp>(loc, v.scale));
  if (!v.offset)
    return start;
  Value offset = args.front();
  args = args.drop_front();
  return b.create<arith::AddIOp>(loc, start, offset);
}
} // namespace

IndexFn IndexVar::fn() const {
  IndexVar v = *this;
  return [v](AffineOperands &o) -> AffineExpr {
    if (!v.base)
      return getAffineConstantExpr(0, o.ctx);
    if (!v.scale)
      return o(v.base);
    AffineExpr e = o(v.base) * v.scale;
    return v.offset ? e + o(v.offset) : e;
  };
}

sdfg::Schedule exprLoopSchedule(const nn::Expressions &exprs) {
  return readsOf(exprs).empty() ? sdfg::Schedule::vector : sdfg::Schedule::sequential;
}

size_t numExprOperands(const nn::Expressions &exprs, const ExprSite &site) {
  return numIndexOperands(site.i) + numIndexOperands(site.j) + numIndexOperands(site.h) + readsOf(exprs).size();
}

void appendExprOperands(Expander &e, const nn::Expressions &exprs, ValueRange tensors, const ExprSite &site,
                        SmallVectorImpl<Value> &operands) {
  for (const IndexVar *v : {&site.i, &site.j, &site.h})
    indexOperands(*v, operands);
  for (const Node *read : readsOf(exprs)) {
    SmallVector<IndexFn> indices;
    for (const Node &index : read->args)
      indices.push_back([&index, &site](AffineOperands &o) { return affineOf(index, o, site); });
    operands.push_back(loadAt(e, tensors[read->tensor], indices));
  }
}

Value applyExprs(OpBuilder &b, Location loc, const nn::Expressions &exprs, const ExprSite &site, ValueRange args,
                 Value s) {
  Lowering l{b, loc, {}, {}, {}, s, {}};
  l.i = indexValue(b, loc, site.i, args);
  l.j = indexValue(b, loc, site.j, args);
  l.h = indexValue(b, loc, site.h, args);
  l.reads = args;
  Value v = exprs.score ? l.lower(*exprs.score) : s;
  if (exprs.mask) {
    Value keep = l.lower(*exprs.mask);
    Value dropped = l.f32Const(-std::numeric_limits<double>::infinity());
    v = b.create<arith::SelectOp>(loc, keep, v, dropped);
  }
  return v;
}

} // namespace dmc::expansions
