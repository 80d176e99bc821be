//===- SubsetPropagationTest.cpp - memlet subsets over map scopes ---------===//
//
// Parses small SDFGs, then checks the [min, max] ranges memletSubset gives for tagged loads and stores,
// over all maps and over a given scope. Linear forms are printed with the SDFG's symbol names; a map
// parameter left in a range prints as <tag of its map>.<parameter index>.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/SubsetPropagation.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace mlir;
using namespace dmc::sdfg;

namespace {

class SubsetPropagationTest : public ::testing::Test {
protected:
  SubsetPropagationTest() {
    ctx.loadDialect<SDFGDialect, dmc::nn::NNDialect, arith::ArithDialect, math::MathDialect>();
  }

  /// Parses and verifies `source`; fails the test when it does not. Without `verify`, IR that the bounds
  /// verifier rejects (an index past its dimension) can show the ranges that make it reject.
  void parse(const std::string &source, bool verify = true) {
    module = parseSourceString<ModuleOp>(source, ParserConfig(&ctx, verify));
    ASSERT_TRUE(module) << "failed to parse:\n" << source;
  }

  /// The op carrying {tag = "<tag>"}.
  Operation *tagged(StringRef tag) {
    Operation *found = nullptr;
    module->walk([&](Operation *op) {
      if (auto attr = op->getAttrOfType<StringAttr>("tag"); attr && attr.getValue() == tag)
        found = op;
    });
    EXPECT_TRUE(found) << "no op tagged " << tag.str();
    return found;
  }

  /// A readable name for an index value: the SDFG symbol's name, or <map tag>.<param index>.
  std::string nameOf(Value v) {
    auto arg = cast<BlockArgument>(v);
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto sdfg = dyn_cast<SDFGOp>(owner))
      return sdfg.getArgName(arg.getArgNumber()).str();
    auto tag = owner->getAttrOfType<StringAttr>("tag");
    return (tag ? tag.getValue().str() : std::string("map")) + "." + std::to_string(arg.getArgNumber());
  }

  /// "2*S + T - 1": terms sorted by name, then the constant.
  std::string format(const std::optional<LinearExpr> &e) {
    if (!e)
      return "<unknown>";
    std::vector<std::pair<std::string, int64_t>> terms;
    for (auto [value, coeff] : e->terms)
      if (coeff)
        terms.push_back({nameOf(value), coeff});
    std::sort(terms.begin(), terms.end());
    std::string out;
    auto append = [&](int64_t coeff, const std::string &name) {
      if (out.empty())
        out += coeff < 0 ? "-" : "";
      else
        out += coeff < 0 ? " - " : " + ";
      int64_t magnitude = coeff < 0 ? -coeff : coeff;
      if (name.empty())
        out += std::to_string(magnitude);
      else
        out += (magnitude == 1 ? "" : std::to_string(magnitude) + "*") + name;
    };
    for (auto &[name, coeff] : terms)
      append(coeff, name);
    if (e->constant != 0 || terms.empty())
      append(e->constant, "");
    return out;
  }

  /// "[min, max]" per dimension of the memlet tagged `tag`, over `scopeTag`'s map (or all maps).
  std::vector<std::string> subset(StringRef tag, StringRef scopeTag = "") {
    Operation *memlet = tagged(tag);
    Operation *scope = scopeTag.empty() ? nullptr : tagged(scopeTag);
    std::vector<std::string> out;
    if (!memlet)
      return out;
    for (const Range &r : memletSubset(memlet, scope))
      out.push_back("[" + format(r.min) + ", " + format(r.max) + "]");
    return out;
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

using Strings = std::vector<std::string>;

TEST_F(SubsetPropagationTest, ShiftedIndex) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (%S - 1) attributes {tag = "m"} {
          %v = sdfg.load %A[%i + 1] {tag = "load"} : !sdfg.array<f32[S]>
          sdfg.store %v, %B[%i] {tag = "store"} : !sdfg.array<f32[S]>
        }
      }
    })mlir");
  EXPECT_EQ(subset("load"), (Strings{"[1, S - 1]"}));
  EXPECT_EQ(subset("store"), (Strings{"[0, S - 2]"}));
  // Over the map itself its parameter stays.
  EXPECT_EQ(subset("load", "m"), (Strings{"[m.0 + 1, m.0 + 1]"}));
}

TEST_F(SubsetPropagationTest, NestedMapsAndScopes) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[S, S]>) {
      sdfg.state @s {
        sdfg.map (%i, %j) = (0, 0) to (%S, 64) attributes {tag = "outer"} {
          sdfg.map (%k) = (%i) to (%S) attributes {tag = "inner"} {
            %v = sdfg.load %A[%k, %j] {tag = "a"} : !sdfg.array<f32[S, 64]>
            %w = sdfg.load %A[%S - %k - 1, 63 - %j] {tag = "rev"} : !sdfg.array<f32[S, 64]>
            sdfg.store %v, %B[%i, %k] wcr(sum) {tag = "b"} : !sdfg.array<f32[S, S]>
          }
        }
      }
    })mlir");
  // Over every map: symbols only.
  EXPECT_EQ(subset("a"), (Strings{"[0, S - 1]", "[0, 63]"}));
  EXPECT_EQ(subset("b"), (Strings{"[0, S - 1]", "[0, S - 1]"}));
  // Negative coefficients take the opposite bound.
  EXPECT_EQ(subset("rev"), (Strings{"[0, S - 1]", "[0, 63]"}));
  // Over the outer map's body, i.e. one iteration of it: %k is eliminated, %i and %j stay.
  EXPECT_EQ(subset("a", "outer"), (Strings{"[outer.0, S - 1]", "[outer.1, outer.1]"}));
  EXPECT_EQ(subset("rev", "outer"), (Strings{"[0, S - outer.0 - 1]", "[-outer.1 + 63, -outer.1 + 63]"}));
  // Over the inner map: nothing nested inside it, every parameter stays.
  EXPECT_EQ(subset("b", "inner"), (Strings{"[outer.0, outer.0]", "[inner.0, inner.0]"}));
}

TEST_F(SubsetPropagationTest, TiledMapEliminatesBothParams) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[S, 64]>) {
      sdfg.state @s {
        sdfg.map (%i0) = (0) to (%S) step (64) attributes {tag = "tile"} {
          sdfg.map (%i, %j) = (%i0, 0) to (%i0 + 64, 64) attributes {tag = "point"} {
            %v = sdfg.load %A[%i, %j] {tag = "load"} : !sdfg.array<f32[S, 64]>
            sdfg.store %v, %B[%i, %j] {tag = "store"} : !sdfg.array<f32[S, 64]>
          }
        }
      }
    })mlir",
        /*verify=*/false);
  // i0 <= S - 1 and i <= i0 + 63: the tile may run past S (the map does not clip), which the range shows.
  EXPECT_EQ(subset("load"), (Strings{"[0, S + 62]", "[0, 63]"}));
  EXPECT_EQ(subset("store"), (Strings{"[0, S + 62]", "[0, 63]"}));
  // One tile.
  EXPECT_EQ(subset("load", "tile"), (Strings{"[tile.0, tile.0 + 63]", "[0, 63]"}));
}

TEST_F(SubsetPropagationTest, ScaledAndCombinedIndices) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S, %T) inputs(%A: !sdfg.array<f32[T]>) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
        sdfg.map (%i, %j) = (1, 2) to (%S, %S + 3) {
          %v = sdfg.load %A[2 * %i + %j - 3] {tag = "lin"} : !sdfg.array<f32[T]>
          %w = sdfg.load %A[%i mod 4] {tag = "mod"} : !sdfg.array<f32[T]>
          %x = sdfg.load %A[%S] {tag = "sym"} : !sdfg.array<f32[T]>
          %d = sdfg.load %A[(%i + %S) floordiv 4] {tag = "div"} : !sdfg.array<f32[T]>
          %c = sdfg.load %A[(%j + 2) ceildiv 2] {tag = "ceil"} : !sdfg.array<f32[T]>
          %s = sdfg.load %A[%i floordiv symbol(%S)] {tag = "bysym"} : !sdfg.array<f32[T]>
          %n = sdfg.load %A[(%i - 2) floordiv symbol(%S)] {tag = "negbysym"} : !sdfg.array<f32[T]>
        }
      }
    })mlir",
        /*verify=*/false);
  // min: 2*1 + 2 - 3 = 1; max: 2*(S - 1) + (S + 2) - 3 = 3*S - 3.
  EXPECT_EQ(subset("lin"), (Strings{"[1, 3*S - 3]"}));
  // A mod lies in [0, modulus - 1] (here i may exceed 3, so it is not i itself).
  EXPECT_EQ(subset("mod"), (Strings{"[0, 3]"}));
  // floor((i + S) / 4) with i + S in [S + 1, 2*S - 1]: [floor(1/4)*S + floor(1/4), ceil(2/4)*S + floor(-1/4)]
  EXPECT_EQ(subset("div"), (Strings{"[0, S - 1]"}));
  // ceil((j + 2) / 2) = floor((j + 3) / 2) with j + 3 in [5, S + 5]: [2, S + 2].
  EXPECT_EQ(subset("ceil"), (Strings{"[2, S + 2]"}));
  // Division by a symbol (>= 1) of a non-negative value: [0, the value's maximum]; of a value that may be
  // negative: no bound.
  EXPECT_EQ(subset("bysym"), (Strings{"[0, S - 1]"}));
  EXPECT_EQ(subset("negbysym"), (Strings{"[<unknown>, <unknown>]"}));
  EXPECT_EQ(subset("sym"), (Strings{"[S, S]"}));
}

TEST_F(SubsetPropagationTest, NonLinearBoundIsBounded) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (%S floordiv 2) {
          %v = sdfg.load %A[%i] {tag = "load"} : !sdfg.array<f32[S]>
        }
      }
    })mlir");
  // i < S floordiv 2 <= ceil(1/2)*S: a sound, if loose, upper bound.
  EXPECT_EQ(subset("load"), (Strings{"[0, S - 1]"}));
}

TEST_F(SubsetPropagationTest, InnermostParameterFirst) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (%S) {
          sdfg.map (%j) = (0) to (%i + 1) {
            %v = sdfg.load %A[%i - %j] {tag = "diff"} : !sdfg.array<f32[S]>
          }
        }
        sdfg.map (%t) = (0) to (50) step (16) {
          sdfg.map (%k) = (%t) to (%t + 16) {
            %w = sdfg.load %A[%k] {tag = "tiled"} : !sdfg.array<f32[S]>
          }
        }
      }
    })mlir",
        /*verify=*/false);
  // j is replaced first (by i for the minimum, 0 for the maximum), then i: i - j stays in [0, S - 1].
  // Replacing i first would give [-(S - 1), S - 1].
  EXPECT_EQ(subset("diff"), (Strings{"[0, S - 1]"}));
  // The last value of t is 48, not 49: k <= 63.
  EXPECT_EQ(subset("tiled"), (Strings{"[0, 63]"}));
}

TEST_F(SubsetPropagationTest, RankZero) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%A: !sdfg.array<f32[]>) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (%S) {
          %v = sdfg.load %A[] {tag = "load"} : !sdfg.array<f32[]>
        }
      }
    })mlir");
  EXPECT_TRUE(subset("load").empty());
}

TEST_F(SubsetPropagationTest, LinearExprHelpers) {
  parse(R"mlir(
    sdfg.sdfg @f symbols(%S, %T) outputs(%B: !sdfg.array<f32[S]>) {
      sdfg.state @s {
      }
    })mlir");
  auto sdfg = cast<SDFGOp>(&module->getBody()->front());
  Value s = sdfg.getSymbolArgs()[0], t = sdfg.getSymbolArgs()[1];
  LinearExpr e = LinearExpr::of(-1);
  e.terms[s] = 1; // S - 1 >= 0 since S >= 1
  EXPECT_TRUE(e.provablyAtLeast(0));
  EXPECT_FALSE(e.provablyAtLeast(1));
  EXPECT_FALSE(e.provablyBelow(0));
  LinearExpr d = e;
  d.add(LinearExpr::of(0).add(e), -1); // (S - 1) - (S - 1) = 0, and the S term disappears
  EXPECT_TRUE(d.isConstant());
  EXPECT_EQ(d.constant, 0);
  LinearExpr neg = LinearExpr::of(0);
  neg.terms[t] = -2; // -2*T <= -2
  EXPECT_TRUE(neg.provablyBelow(-1));
  EXPECT_FALSE(neg.provablyBelow(-2));
  EXPECT_FALSE(neg.provablyAtLeast(-100)); // T is unbounded above
  LinearExpr mixed = e;
  mixed.add(neg); // S - 2*T - 1: neither sign is provable
  EXPECT_FALSE(mixed.provablyAtLeast(-100));
  EXPECT_FALSE(mixed.provablyBelow(100));

  // toLinear over (d0)[s0] with operands (T, S): 3*d0 - s0 + 4.
  AffineExpr d0 = getAffineDimExpr(0, &ctx), s0 = getAffineSymbolExpr(0, &ctx);
  SmallVector<Value> operands{t, s};
  auto linear = toLinear(d0 * 3 - s0 + 4, operands, 1);
  ASSERT_TRUE(linear);
  EXPECT_EQ(format(linear), "-S + 3*T + 4");
  EXPECT_FALSE(toLinear(d0 * s0, operands, 1));
  EXPECT_FALSE(toLinear(d0.floorDiv(2), operands, 1));
  EXPECT_FALSE(toLinear(d0.ceilDiv(2), operands, 1));
}

} // namespace
