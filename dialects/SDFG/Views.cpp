//===- Views.cpp - what a chain of views means: root, index mapping, layout ===//
#include "dialects/SDFG/Views.h"

#include <algorithm>

using namespace mlir;

namespace dmc::sdfg {

bool isView(Operation *op) { return isa_and_nonnull<TransposeViewOp, ReshapeViewOp, SliceViewOp>(op); }

bool isPerDimensionView(Operation *op) { return isa_and_nonnull<TransposeViewOp, SliceViewOp>(op); }

bool coversSource(Operation *op) { return isa_and_nonnull<TransposeViewOp, ReshapeViewOp>(op); }

Value rootOf(Value v) {
  while (isView(v.getDefiningOp()))
    v = v.getDefiningOp()->getOperand(0);
  return v;
}

bool isContiguous(Value v) {
  while (auto reshape = v.getDefiningOp<ReshapeViewOp>())
    v = reshape.getSource();
  return !v.getDefiningOp() || isa<AllocOp>(v.getDefiningOp());
}

/// a * b, symbols kept sorted so equal products compare equal; nullopt when the coefficient overflows.
static std::optional<Monomial> times(const Monomial &a, const Monomial &b) {
  Monomial m{0, a.symbols};
  if (__builtin_mul_overflow(a.coefficient, b.coefficient, &m.coefficient))
    return std::nullopt;
  m.symbols.insert(m.symbols.end(), b.symbols.begin(), b.symbols.end());
  std::sort(m.symbols.begin(), m.symbols.end());
  return m;
}

static Monomial monomialOf(const Dim &d) {
  return d.isSymbolic() ? Monomial{1, {d.symbol}} : Monomial{d.value, {}};
}

std::optional<SmallVector<Monomial>> rowMajorStrides(const Shape &shape) {
  SmallVector<Monomial> strides(shape.size(), Monomial{1, {}});
  for (size_t i = shape.size(); i-- > 1;) {
    std::optional<Monomial> stride = times(strides[i], monomialOf(shape[i]));
    if (!stride)
      return std::nullopt;
    strides[i - 1] = *stride;
  }
  return strides;
}

std::optional<StridedLayout> stridedLayout(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto t = dyn_cast_or_null<TransposeViewOp>(def)) {
    auto l = stridedLayout(t.getSource());
    if (!l)
      return std::nullopt;
    SmallVector<Monomial> strides;
    for (int64_t p : t.getPermutation())
      strides.push_back(l->strides[p]);
    l->strides = std::move(strides);
    return l;
  }
  if (auto s = dyn_cast_or_null<SliceViewOp>(def)) {
    auto l = stridedLayout(s.getSource());
    if (!l)
      return std::nullopt;
    for (auto [i, off] : llvm::enumerate(s.getOffsets()))
      if (off) {
        std::optional<Monomial> term = times(Monomial{off, {}}, l->strides[i]);
        if (!term)
          return std::nullopt;
        l->offset.push_back(*term);
      }
    return l;
  }
  if (!isContiguous(v))
    return std::nullopt; // a reshape of a strided value
  auto strides = rowMajorStrides(cast<ArrayType>(v.getType()).getShape());
  if (!strides)
    return std::nullopt;
  return StridedLayout{rootOf(v), {}, std::move(*strides)};
}

bool canSplitDimView(Value v) {
  if (isContiguous(v))
    return true;
  auto t = v.getDefiningOp<TransposeViewOp>();
  return t && canSplitDimView(t.getSource());
}

Value splitDimView(OpBuilder &b, Location loc, Value v, unsigned dim, int64_t outer, int64_t inner) {
  if (!canSplitDimView(v))
    return {};
  auto type = cast<ArrayType>(v.getType());
  Shape shape = type.getShape();
  shape[dim] = Dim::constant(outer);
  shape.insert(shape.begin() + dim + 1, Dim::constant(inner));
  auto result = ArrayType::get(type.getElementType(), shape);
  if (isContiguous(v))
    return b.create<ReshapeViewOp>(loc, result, v);
  auto t = v.getDefiningOp<TransposeViewOp>();
  ArrayRef<int64_t> perm = t.getPermutation();
  int64_t from = perm[dim];
  Value source = splitDimView(b, loc, t.getSource(), (unsigned)from, outer, inner);
  // View dim i shows source dim perm[i]; the split source has one more dim after `from`.
  SmallVector<int64_t> permutation;
  for (auto [i, p] : llvm::enumerate(perm)) {
    permutation.push_back(p > from ? p + 1 : p);
    if (i == dim)
      permutation.push_back(from + 1);
  }
  return b.create<TransposeViewOp>(loc, result, source, b.getDenseI64ArrayAttr(permutation));
}

} // namespace dmc::sdfg
