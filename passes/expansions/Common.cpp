//===- Common.cpp - builders shared by the pure expansions ----------------===//
#include "passes/expansions/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace dmc::expansions {

Expander::Expander(Operation *node, llvm::StringSet<> &usedNames)
    : b(node), loc(node->getLoc()), sdfg(sdfg::getEnclosingSDFG(node)), node(node), usedNames(usedNames) {}

std::string Expander::stem() const {
  if (auto label = cast<nn::LibraryNode>(node).getLabel())
    return label->str();
  return node->getName().stripDialect().str();
}

Value Expander::transient(const Shape &shape, Type element, StringRef suffix) {
  std::string base = stem() + "_" + suffix.str(), name = base;
  for (unsigned n = 1; usedNames.contains(name); ++n)
    name = base + "_" + std::to_string(n);
  usedNames.insert(name);
  // Transients go after the SDFG's last alloc, before views and states.
  OpBuilder top(sdfg.getContext());
  auto allocs = sdfg.getBodyBlock().getOps<sdfg::AllocOp>();
  if (allocs.empty())
    top.setInsertionPointToStart(&sdfg.getBodyBlock());
  else
    top.setInsertionPointAfter(*std::prev(allocs.end()));
  auto alloc = top.create<sdfg::AllocOp>(loc, sdfg::ArrayType::get(element, shape), sdfg::Storage::heap,
                                         sdfg::Lifetime::state, top.getStringAttr(name));
  transients.push_back(alloc);
  return alloc;
}

Value Expander::symbolValue(const Dim &d) { return sdfg.lookupSymbolArg(d.symbol); }

void Expander::map(const Shape &dims, sdfg::Schedule schedule, llvm::function_ref<void(ValueRange)> body) {
  SmallVector<AffineExpr> upper;
  SmallVector<Value> upperOperands;
  for (const Dim &d : dims) {
    if (d.isSymbolic()) {
      upper.push_back(b.getAffineDimExpr(upperOperands.size()));
      upperOperands.push_back(symbolValue(d));
    } else {
      upper.push_back(b.getAffineConstantExpr(d.value));
    }
  }
  unsigned n = dims.empty() ? 1 : dims.size();
  if (dims.empty())
    upper.push_back(b.getAffineConstantExpr(1));
  SmallVector<AffineExpr> lower(n, b.getAffineConstantExpr(0));
  auto lb = AffineMap::get(0, 0, lower, b.getContext());
  auto ub = AffineMap::get(upperOperands.size(), 0, upper, b.getContext());
  auto m = b.create<sdfg::MapOp>(loc, lb, ub, SmallVector<int64_t>(n, 1), schedule, ValueRange{}, upperOperands);
  Block *block = b.createBlock(&m.getBody());
  for (unsigned i = 0; i < n; ++i)
    block->addArgument(b.getIndexType(), loc);
  b.setInsertionPointToEnd(block);
  body(dims.empty() ? ValueRange{} : ValueRange(block->getArguments()));
  b.setInsertionPointAfter(m);
}

namespace {
/// The affine map and operands of a memlet: one dim per distinct parameter used.
std::pair<AffineMap, SmallVector<Value>> memletMap(MLIRContext *ctx, ArrayRef<Index> indices) {
  SmallVector<Value> operands;
  SmallVector<AffineExpr> exprs;
  for (const Index &idx : indices) {
    AffineExpr e = getAffineConstantExpr(idx.offset, ctx);
    if (idx.param) {
      auto it = llvm::find(operands, idx.param);
      unsigned pos = it - operands.begin();
      if (it == operands.end())
        operands.push_back(idx.param);
      e = getAffineDimExpr(pos, ctx) + idx.offset;
    }
    exprs.push_back(e);
  }
  return {AffineMap::get(operands.size(), 0, exprs, ctx), operands};
}
} // namespace

Value Expander::load(Value array, ArrayRef<Index> indices) {
  auto [map, operands] = memletMap(b.getContext(), indices);
  return b.create<sdfg::LoadOp>(loc, elementOf(array), array, map, operands);
}

void Expander::store(Value value, Value array, ArrayRef<Index> indices, std::optional<sdfg::WCR> wcr) {
  auto [map, operands] = memletMap(b.getContext(), indices);
  sdfg::WCRAttr attr = wcr ? sdfg::WCRAttr::get(b.getContext(), *wcr) : sdfg::WCRAttr();
  b.create<sdfg::StoreOp>(loc, value, array, map, operands, attr);
}

SmallVector<Value> Expander::tasklet(ValueRange operands, TaskletBody body) {
  // The body is built first in a detached block, so that the result types are known when the op is made.
  auto block = std::make_unique<Block>();
  for (Value v : operands)
    block->addArgument(v.getType(), loc);
  OpBuilder inner(b.getContext());
  inner.setInsertionPointToStart(block.get());
  SmallVector<Value> results = body(inner, block->getArguments());
  inner.create<sdfg::YieldOp>(loc, results);
  OperationState state(loc, sdfg::TaskletOp::getOperationName());
  state.addOperands(operands);
  state.addTypes(ValueRange(results).getTypes());
  state.addRegion()->push_back(block.release());
  return SmallVector<Value>(b.create(state)->getResults());
}

Value floatConst(OpBuilder &b, Location loc, Type type, double value) {
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, value));
}

Value indexConst(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantIndexOp>(loc, value);
}

Indices identity(ValueRange params) {
  Indices out;
  for (Value p : params)
    out.push_back({p, 0});
  return out;
}

Indices broadcastIndices(const Shape &in, const Shape &out, ValueRange params) {
  Indices idx;
  size_t lead = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i].isOne() && !out[lead + i].isOne())
      idx.push_back({Value(), 0});
    else
      idx.push_back({params[lead + i], 0});
  }
  return idx;
}

Value countInTasklet(OpBuilder &b, Location loc, Type type, const Shape &dims, ValueRange symbolArgs) {
  int64_t constant = 1;
  for (const Dim &d : dims)
    if (!d.isSymbolic())
      constant *= d.value;
  Value count = floatConst(b, loc, type, (double)constant);
  for (Value s : symbolArgs) {
    Value i = b.create<arith::IndexCastOp>(loc, b.getI64Type(), s);
    Value f = b.create<arith::SIToFPOp>(loc, type, i);
    count = b.create<arith::MulFOp>(loc, count, f);
  }
  return count;
}

SmallVector<Value> symbolOperands(Expander &e, const Shape &dims) {
  SmallVector<Value> out;
  for (const Dim &d : dims)
    if (d.isSymbolic())
      out.push_back(e.symbolValue(d));
  return out;
}

Shape shapeOf(Value container) { return cast<sdfg::ArrayType>(container.getType()).getShape(); }
Type elementOf(Value container) { return cast<sdfg::ArrayType>(container.getType()).getElementType(); }


} // namespace dmc::expansions
