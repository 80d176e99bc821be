//===- Views.h - what a chain of views means: root, index mapping, layout -===//
//
// One owner for the meaning of transpose_view / slice_view / reshape_view chains, which passes, the
// verifiers and the emitter all ask:
// - the root container a value refers to (an sdfg.alloc result or an argument);
// - which element of the view's source, and of its root, an index of a view addresses (transpose
//   permutes, slice adds its offsets; a reshape re-reads its source in row-major order);
// - whether a value is dense row-major storage (a root, or reshapes of a contiguous value);
// - the strided layout of a chain: an offset and a stride per dim, in elements of the root, symbolic
//   in the SDFG's size symbols (none for a reshape of a strided value: its rows are not evenly spaced).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_VIEWS_H
#define DMC_SDFG_VIEWS_H

#include "dialects/SDFG/SDFGOps.h"
#include "dialects/Support/Shape.h"

#include <functional>
#include <optional>

namespace dmc::sdfg {

/// A transpose_view, reshape_view or slice_view.
bool isView(mlir::Operation *op);

/// A transpose or slice view: each of its indices is one index of its source (toSourceIndices), so a
/// strided value stays strided through it.
bool isPerDimensionView(mlir::Operation *op);

/// A transpose or reshape view: it shows every element of its source exactly once, so writing all of
/// the view writes all of the source.
bool coversSource(mlir::Operation *op);

/// The container a (possibly viewed) value ultimately refers to: an sdfg.alloc result or an argument.
mlir::Value rootOf(mlir::Value v);

/// An allocation, an argument, or a chain of reshape views of one: dense row-major storage of the
/// value's own shape.
bool isContiguous(mlir::Value v);

/// Indices into a transpose view's source from indices into the view (view dim i is source dim
/// permutation[i]); T is whatever stands for an index (an expression, a string, a step).
template <typename T>
llvm::SmallVector<T> sourceIndices(TransposeViewOp view, llvm::ArrayRef<T> indices) {
  llvm::SmallVector<T> source(indices.size());
  for (auto [i, p] : llvm::enumerate(view.getPermutation()))
    source[p] = indices[i];
  return source;
}

/// Rewrites `indices` (into `view`, a transpose or slice view) into indices of its source, in place:
/// a transpose permutes them, a slice adds its offset of dim i to index i with `addOffset(index,
/// offset)` (only for nonzero offsets). Returns the source; a null value, indices untouched, for any
/// other op (a reshape has no per-dim mapping).
template <typename T, typename AddOffset>
mlir::Value toSourceIndices(mlir::Operation *view, llvm::SmallVectorImpl<T> &indices, AddOffset addOffset) {
  if (auto t = llvm::dyn_cast_or_null<TransposeViewOp>(view)) {
    llvm::SmallVector<T> source = sourceIndices<T>(t, indices);
    indices.assign(source.begin(), source.end());
    return t.getSource();
  }
  if (auto s = llvm::dyn_cast_or_null<SliceViewOp>(view)) {
    for (auto [i, off] : llvm::enumerate(s.getOffsets()))
      if (off)
        indices[i] = addOffset(indices[i], off);
    return s.getSource();
  }
  return {};
}

/// Follows transpose and slice views down from `container`, rewriting `indices` as toSourceIndices
/// does; returns the first value that is not one (a root or a reshape view).
template <typename T, typename AddOffset>
mlir::Value throughTransposesAndSlices(mlir::Value container, llvm::SmallVectorImpl<T> &indices,
                                       AddOffset addOffset) {
  while (mlir::Value source = toSourceIndices(container.getDefiningOp(), indices, addOffset))
    container = source;
  return container;
}

/// The arithmetic rootOffset needs on whatever stands for an index (a C++ expression, an affine
/// expression): `addOffset(i, c)` = i + c, `mulAdd(a, d, b)` = a * d + b, `div(i, d)` and `mod(i, d)`
/// (of a non-negative i by a positive dim d).
template <typename T>
struct IndexArithmetic {
  std::function<T(const T &, int64_t)> addOffset;
  std::function<T(const T &, const Dim &, const T &)> mulAdd;
  std::function<T(const T &, const Dim &)> div, mod;
  /// The row-major linear index of `indices` in `shape`; `zero` for rank 0.
  T linearise(llvm::ArrayRef<T> indices, const Shape &shape, const T &zero) const {
    if (shape.empty())
      return zero;
    T linear = indices[0];
    for (size_t i = 1; i < shape.size(); ++i)
      linear = mulAdd(linear, shape[i], indices[i]);
    return linear;
  }
  /// The indices in `shape` of the row-major linear index `linear` (the inverse of linearise).
  llvm::SmallVector<T> delinearise(T linear, const Shape &shape) const {
    llvm::SmallVector<T> indices(shape.size(), linear);
    for (size_t i = shape.size(); i-- > 1;) {
      indices[i] = mod(linear, shape[i]);
      linear = div(linear, shape[i]);
    }
    if (!shape.empty())
      indices[0] = linear;
    return indices;
  }
};

/// The root of `view` and the row-major linear offset in it of the element at `indices` of `view`:
/// transposes and slices rewrite the indices; a reshape re-reads its source in row-major order, so
/// over a contiguous source its linear index is the offset, and over a strided one the linear index
/// is split into the source's indices (div and mod) and the walk goes on.
template <typename T>
std::pair<mlir::Value, T> rootOffset(mlir::Value view, llvm::SmallVector<T> indices, const IndexArithmetic<T> &ops,
                                     const T &zero) {
  while (true) {
    view = throughTransposesAndSlices(view, indices, ops.addOffset);
    auto reshape = view.getDefiningOp<ReshapeViewOp>();
    T linear = ops.linearise(indices, llvm::cast<ArrayType>(view.getType()).getShape(), zero);
    if (!reshape || isContiguous(view))
      return {rootOf(view), linear};
    view = reshape.getSource();
    indices = ops.delinearise(linear, llvm::cast<ArrayType>(view.getType()).getShape());
  }
}

/// An element count that depends on symbols: a sum of monomials (the empty sum is 0).
using Polynomial = llvm::SmallVector<Monomial, 2>;

/// Where the elements of a view lie in its root: element (i0, i1, ...) of the view is element
/// offset + sum_k i_k * strides[k] of the root's row-major storage.
struct StridedLayout {
  mlir::Value root;
  Polynomial offset;
  llvm::SmallVector<Monomial> strides;
};

/// Row-major strides of `shape`, in elements; nullopt when a constant part overflows int64.
std::optional<llvm::SmallVector<Monomial>> rowMajorStrides(const Shape &shape);

/// The strided layout of `v` through its views; nullopt for a reshape of a non-contiguous value (or
/// an int64 overflow).
std::optional<StridedLayout> stridedLayout(mlir::Value v);

/// `v` seen with dim `dim` (of constant size outer * inner) split into [outer, inner], without copying:
/// a reshape view of a contiguous value, or through a transpose view the split of its source's dim,
/// permuted again. The new views go at `b`'s insertion point, which must follow `v`'s definition. Null
/// (nothing created) when `v`'s chain holds a slice or a reshape of a strided value.
mlir::Value splitDimView(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, unsigned dim, int64_t outer,
                         int64_t inner);
/// Whether splitDimView succeeds on `v` (creating nothing).
bool canSplitDimView(mlir::Value v);

} // namespace dmc::sdfg

#endif
