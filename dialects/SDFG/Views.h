//===- Views.h - what a chain of views means: root, index mapping, layout -===//
//
// One owner for the meaning of transpose_view / slice_view / reshape_view chains, which passes, the
// verifiers and the emitter all ask:
// - the root container a value refers to (an sdfg.alloc result or an argument);
// - which element of the view's source an index of a view addresses (transpose permutes, slice adds
//   its offsets; a reshape re-reads its source in row-major order);
// - whether a value is dense row-major storage (a root, or reshapes of a contiguous value);
// - the strided layout of a chain: an offset and a stride per dim, in elements of the root, symbolic
//   in the SDFG's size symbols (none for a reshape of a strided value: its rows are not evenly spaced).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_VIEWS_H
#define DMC_SDFG_VIEWS_H

#include "dialects/SDFG/SDFGOps.h"
#include "dialects/Support/Shape.h"

#include <optional>

namespace dmc::sdfg {

/// A transpose_view, reshape_view or slice_view.
bool isView(mlir::Operation *op);

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

} // namespace dmc::sdfg

#endif
