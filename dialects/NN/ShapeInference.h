//===- ShapeInference.h - output shapes of library nodes ------------------===//
//
// One function per op computes the output shape from the input shapes and attributes, or explains why
// they are inconsistent. The importer uses them to infer shapes and the nn verifiers to check them, so
// both speak the same rules (docs/op-vocabulary.md). Plain C++ on dmc::Shape.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_NN_SHAPEINFERENCE_H
#define DMC_NN_SHAPEINFERENCE_H

#include "dialects/Support/Shape.h"

#include <string>
#include <vector>

namespace dmc::nn {

/// A shape, or an error message when `error` is not empty.
struct InferredShape {
  Shape shape;
  std::string error;
  static InferredShape fail(std::string message) { return {{}, std::move(message)}; }
  bool ok() const { return error.empty(); }
};

InferredShape inferMatMul(const Shape &a, const Shape &b, bool transposeA, bool transposeB);
InferredShape inferGemm(const Shape &a, const Shape &b, const Shape *c, bool transposeA, bool transposeB);
InferredShape inferBroadcast(const Shape &a, const Shape &b);
/// Where's three operands (condition, x, y) broadcast together.
InferredShape inferWhere(const Shape &condition, const Shape &x, const Shape &y);
InferredShape inferSoftmax(const Shape &x, const Shape *mask, int64_t axis, bool generatedMask);
InferredShape inferLayerNorm(const Shape &x, const Shape &gamma, const Shape &beta, int64_t axis);
InferredShape inferReduce(const Shape &x, const std::vector<int64_t> &axes, bool keepdims);
InferredShape inferTranspose(const Shape &x, const std::vector<int64_t> &permutation);
/// `target` may hold one dimension -1 (inferred) when the other sizes are constant.
InferredShape inferReshape(const Shape &x, const Shape &target);
InferredShape inferSlice(const Shape &x, const std::vector<int64_t> &starts, const std::vector<int64_t> &ends,
                         const std::vector<int64_t> &axes);
InferredShape inferConcat(const std::vector<Shape> &inputs, int64_t axis);

} // namespace dmc::nn

#endif
