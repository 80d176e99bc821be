//===- ShapeInferenceTest.cpp - output shapes of library nodes ------------===//
#include "dialects/NN/ShapeInference.h"

#include <gtest/gtest.h>

using namespace dmc;
using namespace dmc::nn;

namespace {
Dim C(int64_t v) { return Dim::constant(v); }
Dim N(const char *s) { return Dim::named(s); }

/// Checks success and the shape, printing the error otherwise.
void expectShape(const InferredShape &r, const Shape &expected) {
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(formatShape(r.shape), formatShape(expected));
}
/// Checks failure with a message containing `part`.
void expectError(const InferredShape &r, const std::string &part) {
  ASSERT_FALSE(r.ok()) << "unexpectedly inferred " << formatShape(r.shape);
  EXPECT_NE(r.error.find(part), std::string::npos) << "error: " << r.error << "\nexpected to contain: " << part;
}
} // namespace

TEST(InferMatMulTest, Plain) {
  expectShape(inferMatMul({N("S"), C(64)}, {C(64), C(32)}, false, false), {N("S"), C(32)});
  expectShape(inferMatMul({C(64), N("S")}, {C(64), C(32)}, true, false), {N("S"), C(32)});
  expectShape(inferMatMul({N("S"), C(64)}, {N("T"), C(64)}, false, true), {N("S"), N("T")});
  expectShape(inferMatMul({C(64), N("S")}, {C(32), C(64)}, true, true), {N("S"), C(32)});
}

TEST(InferMatMulTest, BatchBroadcast) {
  expectShape(inferMatMul({N("H"), N("S"), C(64)}, {N("H"), N("S"), C(64)}, false, true),
              {N("H"), N("S"), N("S")});
  expectShape(inferMatMul({N("B"), C(1), N("S"), C(64)}, {C(12), C(64), C(64)}, false, false),
              {N("B"), C(12), N("S"), C(64)});
  expectShape(inferMatMul({N("S"), C(64)}, {C(4), C(64), C(8)}, false, false), {C(4), N("S"), C(8)});
}

TEST(InferMatMulTest, Errors) {
  expectError(inferMatMul({C(64)}, {C(64), C(8)}, false, false), "rank >= 2");
  expectError(inferMatMul({N("S"), C(64)}, {C(32), C(8)}, false, false),
              "MatMul contraction dimensions differ: [S, 64] and [32, 8] contract 64 with 32");
  expectError(inferMatMul({N("S"), C(64)}, {C(64), C(8)}, true, false), "(transposed)");
  expectError(inferMatMul({N("S"), C(64)}, {N("T"), C(64)}, false, false), "contract 64 with T");
  expectError(inferMatMul({C(3), N("S"), C(64)}, {C(4), C(64), C(8)}, false, false),
              "batch dimensions of [3, S, 64] and [4, 64, 8] do not broadcast");
}

TEST(InferGemmTest, BiasAndErrors) {
  expectShape(inferGemm({N("S"), C(256)}, {C(256), C(128)}, nullptr, false, false), {N("S"), C(128)});
  Shape bias{C(128)};
  expectShape(inferGemm({N("S"), C(256)}, {C(256), C(128)}, &bias, false, false), {N("S"), C(128)});
  Shape full{N("S"), C(128)};
  expectShape(inferGemm({N("S"), C(256)}, {C(128), C(256)}, &full, false, true), {N("S"), C(128)});
  Shape wrong{C(64)};
  expectError(inferGemm({N("S"), C(256)}, {C(256), C(128)}, &wrong, false, false),
              "Gemm bias [64] does not broadcast to [S, 128]");
  // A bias that broadcasts but would grow the output.
  Shape bigger{C(2), N("S"), C(128)};
  expectError(inferGemm({N("S"), C(256)}, {C(256), C(128)}, &bigger, false, false), "does not broadcast to");
  expectError(inferGemm({C(2), N("S"), C(256)}, {C(256), C(128)}, nullptr, false, false), "rank-2 operands");
  expectError(inferGemm({N("S"), C(256)}, {C(128), C(128)}, nullptr, false, false), "contraction");
}

TEST(InferBroadcastTest, SuccessAndError) {
  expectShape(inferBroadcast({N("S"), C(256)}, {C(256)}), {N("S"), C(256)});
  expectShape(inferBroadcast({N("S"), C(1)}, {C(1), C(8)}), {N("S"), C(8)});
  expectError(inferBroadcast({N("S"), C(64)}, {N("S"), C(32)}), "shapes [S, 64] and [S, 32] do not broadcast");
  expectError(inferBroadcast({N("S")}, {N("T")}), "do not broadcast");
}

TEST(InferWhereTest, ThreeOperandsBroadcast) {
  expectShape(inferWhere({N("S"), C(1)}, {C(1), C(8)}, {C(8)}), {N("S"), C(8)});
  expectShape(inferWhere({}, {C(2), C(1), C(8)}, {N("S"), C(1)}), {C(2), N("S"), C(8)});
  // x and y broadcast with the condition one by one but not with each other.
  expectError(inferWhere({N("S"), C(1)}, {C(4)}, {C(3)}), "shapes [S, 1], [4] and [3] do not broadcast");
  expectError(inferWhere({C(5)}, {N("S"), C(4)}, {C(4)}), "do not broadcast");
}

TEST(InferSoftmaxTest, AxesAndMasks) {
  Shape x{N("H"), N("S"), N("S")};
  expectShape(inferSoftmax(x, nullptr, -1, false), x);
  expectShape(inferSoftmax(x, nullptr, 1, false), x);
  expectShape(inferSoftmax(x, nullptr, 2, true), x);
  Shape mask{N("S"), N("S")};
  expectShape(inferSoftmax(x, &mask, -1, true), x);
  expectError(inferSoftmax(x, nullptr, 3, false), "Softmax axis 3 is out of range for [H, S, S]");
  expectError(inferSoftmax(x, nullptr, 1, true), "generated mask needs rank >= 2 and axis = last");
  expectError(inferSoftmax({N("S")}, nullptr, -1, true), "generated mask needs rank >= 2");
  Shape badMask{N("S"), C(4)};
  expectError(inferSoftmax(x, &badMask, -1, false), "Softmax mask [S, 4] does not broadcast to [H, S, S]");
  Shape growingMask{C(2), N("H"), N("S"), N("S")};
  expectError(inferSoftmax(x, &growingMask, -1, false), "does not broadcast to");
}

TEST(InferLayerNormTest, GammaBetaAxis) {
  Shape x{N("S"), C(768)};
  expectShape(inferLayerNorm(x, {C(768)}, {C(768)}, -1), x);
  expectShape(inferLayerNorm(x, {C(768)}, {C(768)}, 1), x);
  expectError(inferLayerNorm(x, {C(512)}, {C(768)}, -1),
              "LayerNormalization scale [512] and bias [768] must both be [768]");
  expectError(inferLayerNorm(x, {C(768)}, {C(1), C(768)}, -1), "must both be [768]");
  expectError(inferLayerNorm(x, {C(768)}, {C(768)}, 0), "last axis only, got axis 0");
  expectError(inferLayerNorm(x, {C(768)}, {C(768)}, 2), "got axis 2");
}

TEST(InferReduceTest, KeepdimsAndErrors) {
  Shape x{N("B"), N("S"), C(64)};
  expectShape(inferReduce(x, {-1}, true), {N("B"), N("S"), C(1)});
  expectShape(inferReduce(x, {-1}, false), {N("B"), N("S")});
  expectShape(inferReduce(x, {0, 2}, false), {N("S")});
  expectShape(inferReduce(x, {0, 1, 2}, false), {});
  expectShape(inferReduce(x, {1, 0}, true), {C(1), C(1), C(64)});
  expectError(inferReduce(x, {}, true), "at least one axis");
  expectError(inferReduce(x, {3}, true), "reduction axis 3 is out of range for [B, S, 64]");
  expectError(inferReduce(x, {1, -2}, true), "reduction axis -2 is repeated");
}

TEST(InferTransposeTest, PermutationsAndErrors) {
  expectShape(inferTranspose({N("S"), C(4), C(64)}, {1, 0, 2}), {C(4), N("S"), C(64)});
  expectShape(inferTranspose({N("S"), C(64)}, {0, 1}), {N("S"), C(64)});
  expectShape(inferTranspose({}, {}), {});
  expectError(inferTranspose({N("S"), C(64)}, {1, 1}),
              "Transpose perm is not a permutation of the 2 dimensions of [S, 64]");
  expectError(inferTranspose({N("S"), C(64)}, {0}), "not a permutation");
  expectError(inferTranspose({N("S"), C(64)}, {0, 1, 2}), "not a permutation");
  expectError(inferTranspose({N("S"), C(64)}, {-1, 0}), "not a permutation");
  // Regression: an empty perm of a non-scalar used to be accepted (and produced a rank-0 shape).
  expectError(inferTranspose({N("S"), C(64)}, {}), "not a permutation");
}

TEST(InferReshapeTest, Constant) {
  expectShape(inferReshape({C(4), C(6)}, {C(2), C(12)}), {C(2), C(12)});
  expectShape(inferReshape({C(4), C(6)}, {C(-1), C(8)}), {C(3), C(8)});
  expectShape(inferReshape({C(4), C(6)}, {C(24), C(-1)}), {C(24), C(1)});
  expectError(inferReshape({C(4), C(6)}, {C(5), C(5)}), "Reshape from [4, 6] (24 elements) to [5, 5] (25 elements)");
  expectError(inferReshape({C(4), C(6)}, {C(-1), C(5)}), "Reshape cannot infer -1 of [-1, 5] from [4, 6]");
  expectError(inferReshape({C(4), C(6)}, {C(-1), C(-1)}), "neither positive nor a single -1");
  expectError(inferReshape({C(4), C(6)}, {C(0), C(24)}), "neither positive nor a single -1");
}

TEST(InferReshapeTest, Symbolic) {
  expectShape(inferReshape({N("S"), C(256)}, {N("S"), C(4), C(64)}), {N("S"), C(4), C(64)});
  // -1 takes the leftover symbol.
  expectShape(inferReshape({N("S"), C(256)}, {C(-1), C(4), C(64)}), {N("S"), C(4), C(64)});
  expectShape(inferReshape({N("B"), N("S"), C(64)}, {N("S"), C(-1), C(64)}), {N("S"), N("B"), C(64)});
  // -1 takes the leftover constant.
  expectShape(inferReshape({N("S"), C(256)}, {N("S"), C(-1), C(64)}), {N("S"), C(4), C(64)});
  expectError(inferReshape({N("B"), N("S"), C(8)}, {C(-1)}), "Reshape cannot infer -1");
  // The leftover would be 2*S: not a single dimension.
  expectError(inferReshape({N("S"), C(128)}, {C(-1), C(64)}), "Reshape cannot infer -1 of [-1, 64] from [S, 128]");
  // A symbol of the target the source does not have.
  expectError(inferReshape({N("S"), C(64)}, {N("T"), C(-1)}), "Reshape cannot infer -1");
  expectError(inferReshape({N("S"), C(64)}, {N("T"), C(64)}), "Reshape from [S, 64] (64*S elements) to [T, 64] (64*T elements)");
  // Symbol reordering keeps the element count.
  expectShape(inferReshape({N("B"), N("S"), C(64)}, {N("S"), N("B"), C(8), C(8)}), {N("S"), N("B"), C(8), C(8)});
}

TEST(InferSliceTest, SuccessAndErrors) {
  Shape x{N("S"), C(256)};
  expectShape(inferSlice(x, {64}, {128}, {1}), {N("S"), C(64)});
  expectShape(inferSlice(x, {64}, {1000}, {-1}), {N("S"), C(192)}); // end clamped
  expectShape(inferSlice({C(8), C(8)}, {1, 2}, {3, 8}, {0, 1}), {C(2), C(6)});
  expectError(inferSlice(x, {0}, {1}, {0}), "Slice of symbolic dimension S needs the symbol bound");
  expectError(inferSlice(x, {0, 1}, {1}, {1}), "as many starts, ends and axes");
  expectError(inferSlice(x, {0}, {1}, {2}), "Slice axis 2 is out of range or repeated for [S, 256]");
  expectError(inferSlice(x, {0, 0}, {1, 1}, {1, -1}), "out of range or repeated");
  expectError(inferSlice(x, {8}, {8}, {1}), "Slice [8, 8) of axis 1 is empty or negative");
  expectError(inferSlice(x, {-1}, {8}, {1}), "empty or negative");
  expectError(inferSlice(x, {300}, {400}, {1}), "Slice start 300 is past dimension 256");
}

TEST(InferConcatTest, SuccessAndErrors) {
  expectShape(inferConcat({{N("S"), C(64)}, {N("S"), C(32)}}, 1), {N("S"), C(96)});
  expectShape(inferConcat({{C(2), C(4)}, {C(3), C(4)}, {C(1), C(4)}}, -2), {C(6), C(4)});
  expectShape(inferConcat({{N("S"), C(64)}}, 0), {N("S"), C(64)});
  expectError(inferConcat({}, 0), "at least one input");
  expectError(inferConcat({{N("S"), C(64)}}, 2), "Concat axis 2 is out of range for [S, 64]");
  expectError(inferConcat({{N("S"), C(64)}, {C(64)}}, 1), "Concat inputs [S, 64] and [64] differ in rank");
  expectError(inferConcat({{N("S"), C(64)}, {N("T"), C(64)}}, 1),
              "Concat inputs [S, 64] and [T, 64] differ outside axis 1");
  expectError(inferConcat({{N("S"), C(64)}, {N("S"), C(64)}}, 0), "Concat along symbolic dimension");
}
