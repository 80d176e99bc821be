//===- ViewsTest.cpp - what a chain of views means (dialects/SDFG/Views.h) ===//
//
// Parses views of arguments and transients, then checks their roots, contiguity, the index mapping of
// transposes and slices, and their strided layouts in the root (offsets and strides, symbolic in S).
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/Views.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace dmc::sdfg;

namespace {

const char *kViews = R"mlir(
sdfg.sdfg @views symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>, %w: !sdfg.array<f32[4, S]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 64]>
  %tr = sdfg.transpose_view %x [1, 0] {tag = "tr"} : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
  %sl = sdfg.slice_view %tr [8, 0] {tag = "sl"} : !sdfg.array<f32[64, S]> -> !sdfg.array<f32[32, S]>
  %r = sdfg.reshape_view %t {tag = "r"} : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 4, 16]>
  %rs = sdfg.slice_view %r [0, 1, 0] {tag = "rs"} : !sdfg.array<f32[S, 4, 16]> -> !sdfg.array<f32[S, 2, 16]>
  %bad = sdfg.reshape_view %tr {tag = "bad"} : !sdfg.array<f32[64, S]> -> !sdfg.array<f32[S, 64]>
  %ws = sdfg.slice_view %w [1, 0] {tag = "ws"} : !sdfg.array<f32[4, S]> -> !sdfg.array<f32[2, S]>
  sdfg.state @s {
  }
}
)mlir";

class ViewsTest : public ::testing::Test {
protected:
  ViewsTest() {
    ctx.loadDialect<SDFGDialect, dmc::nn::NNDialect, arith::ArithDialect, math::MathDialect>();
    module = parseSourceString<ModuleOp>(kViews, ParserConfig(&ctx));
  }

  /// The result of the op carrying {tag = "<tag>"}.
  Value tagged(StringRef tag) {
    Value found;
    module->walk([&](Operation *op) {
      if (auto attr = op->getAttrOfType<StringAttr>("tag"); attr && attr.getValue() == tag)
        found = op->getResult(0);
    });
    EXPECT_TRUE(found) << "no op tagged " << tag.str();
    return found;
  }

  /// The input argument `name` (x or w).
  Value arg(StringRef name) {
    SDFGOp sdfg = *module->getOps<SDFGOp>().begin();
    for (BlockArgument a : sdfg.getInputArgs())
      if (sdfg.getArgName(a.getArgNumber()) == name)
        return a;
    ADD_FAILURE() << "no input " << name.str();
    return {};
  }

  /// "coefficient*S*..." of each term, joined by " + ".
  static std::string format(ArrayRef<dmc::Monomial> terms) {
    std::string s;
    for (const dmc::Monomial &m : terms) {
      s += (s.empty() ? "" : " + ") + std::to_string(m.coefficient);
      for (const std::string &symbol : m.symbols)
        s += "*" + symbol;
    }
    return s.empty() ? "0" : s;
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ViewsTest, RootsAndContiguity) {
  ASSERT_TRUE(module);
  Value x = arg("x"), t = tagged("r").getDefiningOp()->getOperand(0);
  EXPECT_EQ(rootOf(tagged("sl")), x);
  EXPECT_EQ(rootOf(tagged("rs")), t);
  EXPECT_EQ(rootOf(x), x);
  EXPECT_TRUE(isContiguous(x));
  EXPECT_TRUE(isContiguous(t));
  EXPECT_TRUE(isContiguous(tagged("r")));
  EXPECT_FALSE(isContiguous(tagged("tr")));
  EXPECT_FALSE(isContiguous(tagged("rs")));
  EXPECT_FALSE(isContiguous(tagged("bad"))); // a reshape of a transpose
  EXPECT_TRUE(isView(tagged("bad").getDefiningOp()));
  EXPECT_FALSE(isView(t.getDefiningOp()));
  EXPECT_TRUE(isPerDimensionView(tagged("tr").getDefiningOp()));
  EXPECT_TRUE(isPerDimensionView(tagged("sl").getDefiningOp()));
  EXPECT_FALSE(isPerDimensionView(tagged("r").getDefiningOp()));
  EXPECT_TRUE(coversSource(tagged("tr").getDefiningOp()));
  EXPECT_TRUE(coversSource(tagged("r").getDefiningOp()));
  EXPECT_FALSE(coversSource(tagged("sl").getDefiningOp()));
}

TEST_F(ViewsTest, IndicesThroughTransposesAndSlices) {
  ASSERT_TRUE(module);
  auto addOffset = [](const std::string &i, int64_t off) { return i + "+" + std::to_string(off); };
  // sl[i, j] = tr[i + 8, j] = x[j, i + 8]
  SmallVector<std::string> indices = {"i", "j"};
  EXPECT_EQ(throughTransposesAndSlices(tagged("sl"), indices, addOffset), arg("x"));
  EXPECT_EQ(indices, (SmallVector<std::string>{"j", "i+8"}));
  // rs[a, b, c] = r[a, b + 1, c]; the walk stops at the reshape.
  indices = {"a", "b", "c"};
  EXPECT_EQ(throughTransposesAndSlices(tagged("rs"), indices, addOffset), tagged("r"));
  EXPECT_EQ(indices, (SmallVector<std::string>{"a", "b+1", "c"}));
  // One step, and no step for a reshape.
  indices = {"i", "j"};
  EXPECT_EQ(toSourceIndices(tagged("tr").getDefiningOp(), indices, addOffset), arg("x"));
  EXPECT_EQ(indices, (SmallVector<std::string>{"j", "i"}));
  EXPECT_FALSE(toSourceIndices(tagged("r").getDefiningOp(), indices, addOffset));
}

TEST_F(ViewsTest, RootOffsets) {
  ASSERT_TRUE(module);
  IndexArithmetic<std::string> ops;
  ops.addOffset = [](const std::string &i, int64_t off) { return "(" + i + "+" + std::to_string(off) + ")"; };
  ops.mulAdd = [](const std::string &a, const dmc::Dim &d, const std::string &b) { return a + "*" + d.str() + "+" + b; };
  ops.div = [](const std::string &i, const dmc::Dim &d) { return "(" + i + ")/" + d.str(); };
  ops.mod = [](const std::string &i, const dmc::Dim &d) { return "(" + i + ")%" + d.str(); };
  // sl[i, j] = x[j, i + 8]: row-major in x's [S, 64].
  auto [x, sl] = rootOffset<std::string>(tagged("sl"), {"i", "j"}, ops, "0");
  EXPECT_EQ(x, arg("x"));
  EXPECT_EQ(sl, "j*64+(i+8)");
  // rs[a, b, c] = r[a, b + 1, c], and r's linear index is t's offset (r is a reshape of t).
  auto [t, rs] = rootOffset<std::string>(tagged("rs"), {"a", "b", "c"}, ops, "0");
  EXPECT_EQ(t, tagged("r").getDefiningOp()->getOperand(0));
  EXPECT_EQ(rs, "a*4+(b+1)*16+c");
  // bad[i, j] (a reshape of tr, [64, S] -> [S, 64]) is tr's element at the linear index l = i*64+j
  // split in [64, S], that is x[l % S, l / S].
  auto [x2, bad] = rootOffset<std::string>(tagged("bad"), {"i", "j"}, ops, "0");
  EXPECT_EQ(x2, arg("x"));
  EXPECT_EQ(bad, "(i*64+j)%S*64+(i*64+j)/S");
}

TEST_F(ViewsTest, StridedLayouts) {
  ASSERT_TRUE(module);
  auto sl = stridedLayout(tagged("sl"));
  ASSERT_TRUE(sl);
  EXPECT_EQ(sl->root, arg("x"));
  EXPECT_EQ(format(sl->strides), "1 + 64"); // x is [S, 64]: its transpose steps 1 then 64
  EXPECT_EQ(format(sl->offset), "8");
  auto rs = stridedLayout(tagged("rs"));
  ASSERT_TRUE(rs);
  EXPECT_EQ(format(rs->strides), "64 + 16 + 1");
  EXPECT_EQ(format(rs->offset), "16");
  auto ws = stridedLayout(tagged("ws")); // w is [4, S]: a row is S elements
  ASSERT_TRUE(ws);
  EXPECT_EQ(format(ws->strides), "1*S + 1");
  EXPECT_EQ(format(ws->offset), "1*S");
  auto x = stridedLayout(arg("x"));
  ASSERT_TRUE(x);
  EXPECT_EQ(format(x->strides), "64 + 1");
  EXPECT_EQ(format(x->offset), "0");
  EXPECT_FALSE(stridedLayout(tagged("bad"))); // rows of a transposed value are not evenly spaced
}

} // namespace
