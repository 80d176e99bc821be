//===- MovementAnalysisTest.cpp - bytes per container, node and state -----===//
//
// Parses small SDFGs and checks the numbers of analyzeMovement against counts made by hand (see the
// rules in docs/movement.md): library nodes, copies through views, maps (distinct subsets per map:
// matmul, tiled, triangular, strided, through views; accesses per execution, with nested and triangular
// ranges and wcr), on-chip storage, symbol values and unknowns, transient footprint and peak.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "passes/analysis/MovementAnalysis.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace dmc;

namespace {

class MovementAnalysisTest : public ::testing::Test {
protected:
  MovementAnalysisTest() {
    ctx.loadDialect<sdfg::SDFGDialect, nn::NNDialect, arith::ArithDialect, math::MathDialect>();
  }

  /// Parses `source` (one sdfg.sdfg) and analyses it with `bindings`.
  MovementResult analyze(const std::string &source, const Bindings &bindings = {}) {
    module = parseSourceString<ModuleOp>(source, &ctx);
    EXPECT_TRUE(module) << "failed to parse:\n" << source;
    if (!module)
      return {};
    auto sdfgs = module->getOps<sdfg::SDFGOp>();
    EXPECT_FALSE(sdfgs.empty());
    return analyzeMovement(*sdfgs.begin(), bindings);
  }

  /// {read, written} of a container, -1 for unknown.
  static std::pair<int64_t, int64_t> rw(const MovementResult &r, StringRef name) {
    const ContainerMovement *c = r.findContainer(name);
    EXPECT_TRUE(c) << "no container " << name.str();
    if (!c)
      return {-2, -2};
    return {c->read.known ? c->read.value : -1, c->written.known ? c->written.value : -1};
  }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

using RW = std::pair<int64_t, int64_t>;

TEST_F(MovementAnalysisTest, LibraryNodesReadInputsAndWriteOutputsWhole) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>, %b: !sdfg.array<f32[16]>)
        outputs(%y: !sdfg.array<f32[4, 16]>) {
      %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 16]>
      sdfg.state @s {
        nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%t : !sdfg.array<f32[4, 16]>) {label = "mm"}
        nn.add ins(%t, %b : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[16]>) outs(%y : !sdfg.array<f32[4, 16]>)
      }
    })mlir");
  EXPECT_EQ(rw(r, "x"), (RW{128, 0}));
  EXPECT_EQ(rw(r, "w"), (RW{512, 0}));
  EXPECT_EQ(rw(r, "b"), (RW{64, 0})); // broadcast input: read whole, once
  EXPECT_EQ(rw(r, "t"), (RW{256, 256}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 256}));
  EXPECT_EQ(r.totals.read, Bytes::of(128 + 512 + 64 + 256));
  EXPECT_EQ(r.totals.written, Bytes::of(512));
  EXPECT_EQ(r.totals.moved(), Bytes::of(1472));
  EXPECT_EQ(r.transientFootprint, Bytes::of(256));
  EXPECT_EQ(r.peakTransients, Bytes::of(256));
  ASSERT_EQ(r.states.size(), 1u);
  ASSERT_EQ(r.states[0].nodes.size(), 2u);
  EXPECT_EQ(r.states[0].nodes[0].kind, "nn.matmul");
  EXPECT_EQ(r.states[0].nodes[0].label, "mm");
  EXPECT_EQ(r.states[0].nodes[0].traffic.read, Bytes::of(640));
  EXPECT_EQ(r.states[0].nodes[0].traffic.written, Bytes::of(256));
  EXPECT_EQ(r.states[0].nodes[0].writes, std::vector<std::string>{"t"});
  EXPECT_EQ(r.containers[0].kind, ContainerKind::Input);
  EXPECT_EQ(r.findContainer("y")->kind, ContainerKind::Output);
  EXPECT_EQ(r.findContainer("t")->kind, ContainerKind::Transient);
  EXPECT_EQ(r.findContainer("w")->size, Bytes::of(512));
}

TEST_F(MovementAnalysisTest, SameInputTwiceIsReadOnce) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
      sdfg.state @s {
        nn.mul ins(%x, %x : !sdfg.array<f32[4]>, !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>)
      }
    })mlir");
  EXPECT_EQ(rw(r, "x"), (RW{16, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 16}));
}

TEST_F(MovementAnalysisTest, NestedMapsAndWcr) {
  // The row sums of x[S, 64] into y[S] (wcr): 64*S executions of each memlet. The init map writes y once.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S]>) {
      sdfg.state @init {
        sdfg.map (%i) = (0) to (%S) {
          %z = sdfg.tasklet () -> f32 {
            %c = arith.constant 0.0 : f32
            sdfg.yield %c : f32
          }
          sdfg.store %z, %y[%i] : !sdfg.array<f32[S]>
        }
      }
      sdfg.state @sum {
        sdfg.map (%i) = (0) to (%S) schedule(omp) {
          sdfg.map (%j) = (0) to (64) step (2) {
            %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 64]>
            %b = sdfg.load %x[%i, %j + 1] : !sdfg.array<f32[S, 64]>
            %s = sdfg.tasklet (%p = %a : f32, %q = %b : f32) -> f32 {
              %r = arith.addf %p, %q : f32
              sdfg.yield %r : f32
            }
            sdfg.store %s, %y[%i] wcr(sum) : !sdfg.array<f32[S]>
          }
        }
      }
      sdfg.edge @init -> @sum
    })mlir",
                   {{"S", 10}});
  // @sum: 10 * 32 iterations. Moved: the distinct elements per container over the map. The two loads
  // of x have the boxes [0, 9] x [0, 63] (j <= 63, the exclusive bound minus one) and [0, 9] x [1, 64],
  // clamped to [0, 9] x [0, 63]: their union is all of x (640 elements). The wcr store reads and writes
  // y[0..9] once (40 B each).
  EXPECT_EQ(rw(r, "x"), (RW{10 * 64 * 4, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{10 * 4, 10 * 4 + 10 * 4}));
  const StateMovement *init = r.findState("init"), *sum = r.findState("sum");
  ASSERT_TRUE(init && sum);
  EXPECT_EQ(init->traffic.read, Bytes::of(0));
  EXPECT_EQ(init->traffic.written, Bytes::of(40));
  EXPECT_EQ(sum->traffic.read, Bytes::of(2560 + 40));
  EXPECT_EQ(sum->traffic.written, Bytes::of(40));
  ASSERT_EQ(sum->nodes.size(), 1u);
  EXPECT_EQ(sum->nodes[0].kind, "sdfg.map");
  EXPECT_EQ(sum->nodes[0].label, "map0");
  EXPECT_EQ(sum->nodes[0].writes, std::vector<std::string>{"y"});
  // Accesses: every execution, two loads of x and a read-modify-write of y per iteration.
  EXPECT_EQ(sum->nodes[0].accesses.read, Bytes::of(10 * 32 * 2 * 4 + 10 * 32 * 4));
  EXPECT_EQ(sum->nodes[0].accesses.written, Bytes::of(10 * 32 * 4));
  EXPECT_EQ(sum->accesses.moved(), Bytes::of(2560 + 1280 + 1280));
  EXPECT_EQ(r.totals.moved(), Bytes::of(40 + 2600 + 40));
  EXPECT_EQ(r.totalAccesses.moved(), Bytes::of(40 + 2560 + 1280 + 1280));
  EXPECT_TRUE(r.unknownSymbols.empty());
}

TEST_F(MovementAnalysisTest, MatmulMapMovesEachOperandOnce) {
  // C[i, j] += A[i, k] * B[k, j] over (4, 6, 8): A and B are each read once, C read and written once,
  // although every element of A is loaded 6 times and every element of B 4 times.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%A: !sdfg.array<f32[4, 8]>, %B: !sdfg.array<f32[8, 6]>) outputs(%C: !sdfg.array<f32[4, 6]>) {
      sdfg.state @s {
        sdfg.map (%i, %j, %k) = (0, 0, 0) to (4, 6, 8) {
          %a = sdfg.load %A[%i, %k] : !sdfg.array<f32[4, 8]>
          %b = sdfg.load %B[%k, %j] : !sdfg.array<f32[8, 6]>
          %p = sdfg.tasklet (%x = %a : f32, %y = %b : f32) -> f32 {
            %m = arith.mulf %x, %y : f32
            sdfg.yield %m : f32
          }
          sdfg.store %p, %C[%i, %j] wcr(sum) : !sdfg.array<f32[4, 6]>
        }
      }
    })mlir");
  EXPECT_EQ(rw(r, "A"), (RW{4 * 8 * 4, 0}));
  EXPECT_EQ(rw(r, "B"), (RW{8 * 6 * 4, 0}));
  EXPECT_EQ(rw(r, "C"), (RW{4 * 6 * 4, 4 * 6 * 4}));
  EXPECT_EQ(r.totals.moved(), Bytes::of(128 + 192 + 96 + 96));
  // 192 iterations, each loading A and B and reading and writing C.
  EXPECT_EQ(r.totalAccesses.read, Bytes::of(192 * 3 * 4));
  EXPECT_EQ(r.totalAccesses.written, Bytes::of(192 * 4));
  ASSERT_EQ(r.accesses.size(), 4u); // per memlet, with executions
  EXPECT_EQ(r.accesses[0].elements, Bytes::of(192));
}

TEST_F(MovementAnalysisTest, TiledMatmulMovesEachOperandOnce) {
  // The same product over 8 x 8 x 8 in 4 x 4 x 4 tiles: the outer parameters are eliminated through the
  // inner bounds (ti + 3 with ti <= 7, clamped to the array), so the whole map still touches each
  // operand once.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%A: !sdfg.array<f32[8, 8]>, %B: !sdfg.array<f32[8, 8]>) outputs(%C: !sdfg.array<f32[8, 8]>) {
      sdfg.state @s {
        sdfg.map (%ti, %tj, %tk) = (0, 0, 0) to (8, 8, 8) step (4, 4, 4) {
          sdfg.map (%i, %j, %k) = (%ti, %tj, %tk) to (%ti + 4, %tj + 4, %tk + 4) {
            %a = sdfg.load %A[%i, %k] : !sdfg.array<f32[8, 8]>
            %b = sdfg.load %B[%k, %j] : !sdfg.array<f32[8, 8]>
            %p = sdfg.tasklet (%x = %a : f32, %y = %b : f32) -> f32 {
              %m = arith.mulf %x, %y : f32
              sdfg.yield %m : f32
            }
            sdfg.store %p, %C[%i, %j] wcr(sum) : !sdfg.array<f32[8, 8]>
          }
        }
      }
    })mlir");
  EXPECT_EQ(rw(r, "A"), (RW{256, 0}));
  EXPECT_EQ(rw(r, "B"), (RW{256, 0}));
  EXPECT_EQ(rw(r, "C"), (RW{256, 256}));
  EXPECT_EQ(r.totalAccesses.read, Bytes::of(512 * 3 * 4));
  EXPECT_EQ(r.totalAccesses.written, Bytes::of(512 * 4));
}

TEST_F(MovementAnalysisTest, CausalTriangleCountsItsBoundingBox) {
  // p[i, j] = s[i, j] for j <= i < 6: 21 elements, counted as the bounding box 6 x 6 = 36 (an
  // over-count, never an under-count). The accesses are exact: 21 loads and 21 stores.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%s: !sdfg.array<f32[S, S]>) outputs(%p: !sdfg.array<f32[S, S]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (%S) {
          sdfg.map (%j) = (0) to (%i + 1) {
            %v = sdfg.load %s[%i, %j] : !sdfg.array<f32[S, S]>
            sdfg.store %v, %p[%i, %j] : !sdfg.array<f32[S, S]>
          }
        }
      }
    })mlir",
                   {{"S", 6}});
  EXPECT_EQ(rw(r, "s"), (RW{36 * 4, 0}));
  EXPECT_EQ(rw(r, "p"), (RW{0, 36 * 4}));
  EXPECT_EQ(r.totalAccesses.read, Bytes::of(21 * 4));
  EXPECT_EQ(r.totalAccesses.written, Bytes::of(21 * 4));
}

TEST_F(MovementAnalysisTest, MapSubsetsThroughViewsStridesAndModulo) {
  // Through a transpose view, the box is taken in the view's coordinates and counts for x. A strided
  // index 2*i (i < 4) has the box [0, 6]: 7 elements for 4 touched. A `mod` index whose operand stays
  // below the modulus is the operand: (3*i) mod 5 with i < 2 has the box [0, 3].
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[4, 8]>, %v: !sdfg.array<f32[8]>, %w: !sdfg.array<f32[2, 16]>)
        outputs(%y: !sdfg.array<f32[8, 2]>, %z: !sdfg.array<f32[4]>, %u: !sdfg.array<f32[2]>) {
      sdfg.state @s {
        %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
        sdfg.map (%i, %j) = (0, 0) to (8, 2) {
          %a = sdfg.load %xt[%i, %j] : !sdfg.array<f32[8, 4]>
          sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[8, 2]>
        }
        sdfg.map (%i) = (0) to (4) {
          %b = sdfg.load %v[2 * %i] : !sdfg.array<f32[8]>
          sdfg.store %b, %z[%i] : !sdfg.array<f32[4]>
        }
        sdfg.map (%i) = (0) to (2) {
          %c = sdfg.load %w[%i, (%i * 3) mod 5] : !sdfg.array<f32[2, 16]>
          sdfg.store %c, %u[%i] : !sdfg.array<f32[2]>
        }
      }
    })mlir");
  EXPECT_EQ(rw(r, "x"), (RW{16 * 4, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 16 * 4}));
  EXPECT_EQ(rw(r, "v"), (RW{7 * 4, 0}));
  EXPECT_EQ(rw(r, "z"), (RW{0, 16}));
  EXPECT_EQ(rw(r, "w"), (RW{2 * 4 * 4, 0}));
  EXPECT_EQ(rw(r, "u"), (RW{0, 8}));
}

TEST_F(MovementAnalysisTest, TriangularMapsAccessesAreCountedExactly) {
  // j in [0, i], k in [j, S): sum over i < S of sum over j <= i of (S - j) executions of the inner memlets.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f symbols(%S) inputs(%x: !sdfg.array<f32[S, S]>) outputs(%y: !sdfg.array<f32[S, S]>) {
      sdfg.state @s {
        sdfg.map (%i, %b) = (0, 0) to (%S, 3) {
          sdfg.map (%j) = (0) to (%i + 1) {
            %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, S]>
            sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, S]>
            sdfg.map (%k) = (%j) to (%S) {
              %w = sdfg.load %x[%j, %k] : !sdfg.array<f32[S, S]>
              sdfg.store %w, %y[%i, %k] wcr(max) : !sdfg.array<f32[S, S]>
            }
          }
        }
      }
    })mlir",
                   {{"S", 7}});
  int64_t S = 7, tri = S * (S + 1) / 2, inner = 0;
  for (int64_t i = 0; i < S; ++i)
    for (int64_t j = 0; j <= i; ++j)
      inner += S - j;
  // Accesses: the %b dimension (3 iterations) multiplies everything.
  ASSERT_EQ(r.states[0].nodes.size(), 1u);
  const NodeMovement &map = r.states[0].nodes[0];
  EXPECT_EQ(map.accesses.read, Bytes::of(3 * (tri + inner) * 4 + 3 * inner * 4));
  EXPECT_EQ(map.accesses.written, Bytes::of(3 * (tri + inner) * 4));
  // Moved: every memlet's box is [0, 6] x [0, 6] (j <= i <= 6, k <= 6), whatever %b.
  EXPECT_EQ(rw(r, "x"), (RW{S * S * 4, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{S * S * 4, S * S * 4}));
}

TEST_F(MovementAnalysisTest, EmptyRangesMoveNothing) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[8]>) {
      sdfg.state @s {
        sdfg.map (%i) = (8) to (2) {
          %v = sdfg.load %x[%i] : !sdfg.array<f32[8]>
          sdfg.store %v, %y[%i] : !sdfg.array<f32[8]>
        }
      }
    })mlir");
  EXPECT_EQ(rw(r, "x"), (RW{0, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 0}));
}

TEST_F(MovementAnalysisTest, CopiesAndViews) {
  // A copy reads the source and writes the destination; through views, the viewed container counts with
  // the view's size.
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 2]>, %z: !sdfg.array<f32[8, 4]>) {
      %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
      sdfg.state @s {
        sdfg.copy %x -> %t : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[4, 8]>
        %part = sdfg.slice_view %t [0, 2] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[4, 2]>
        sdfg.copy %part -> %y : !sdfg.array<f32[4, 2]> -> !sdfg.array<f32[4, 2]>
        %tt = sdfg.transpose_view %t [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
        nn.relu ins(%tt : !sdfg.array<f32[8, 4]>) outs(%z : !sdfg.array<f32[8, 4]>)
      }
    })mlir");
  EXPECT_EQ(rw(r, "x"), (RW{128, 0}));
  EXPECT_EQ(rw(r, "t"), (RW{32 + 128, 128}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 32}));
  EXPECT_EQ(rw(r, "z"), (RW{0, 128}));
  ASSERT_EQ(r.states[0].nodes.size(), 3u); // views are not nodes
  EXPECT_EQ(r.states[0].nodes[1].kind, "sdfg.copy");
  EXPECT_EQ(r.states[0].nodes[1].label, "t -> y");
  EXPECT_EQ(r.totals.read, Bytes::of(288));
  EXPECT_EQ(r.totals.written, Bytes::of(288));
}

TEST_F(MovementAnalysisTest, UnboundSymbolsMakeNumbersUnknown) {
  const char *source = R"mlir(
    sdfg.sdfg @f symbols(%S, %T) inputs(%x: !sdfg.array<f32[S, 4]>, %c: !sdfg.array<f32[4]>)
        outputs(%y: !sdfg.array<f32[S, 4]>, %d: !sdfg.array<f32[4]>) {
      sdfg.state @s {
        nn.exp ins(%x : !sdfg.array<f32[S, 4]>) outs(%y : !sdfg.array<f32[S, 4]>)
        nn.relu ins(%c : !sdfg.array<f32[4]>) outs(%d : !sdfg.array<f32[4]>)
        sdfg.map (%i) = (0) to (%T) {
          %v = sdfg.load %c[0] : !sdfg.array<f32[4]>
          sdfg.store %v, %d[0] wcr(sum) : !sdfg.array<f32[4]>
        }
      }
    })mlir";
  auto r = analyze(source);
  EXPECT_EQ(rw(r, "x"), (RW{-1, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, -1}));
  EXPECT_EQ(rw(r, "c"), (RW{-1, 0})); // 16 from relu + c[0] if the map over T runs at all
  EXPECT_FALSE(r.findContainer("x")->size.known);
  EXPECT_EQ(r.findContainer("c")->size, Bytes::of(16));
  EXPECT_FALSE(r.totals.read.known);
  EXPECT_FALSE(r.totals.moved().known);
  EXPECT_EQ(r.unknownSymbols, (std::vector<std::string>{"S", "T"}));

  // With values every number is known.
  r = analyze(source, {{"S", 3}, {"T", 5}});
  EXPECT_EQ(rw(r, "x"), (RW{48, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 48}));
  // The map touches c[0] and d[0] only: one element each (5 accesses).
  EXPECT_EQ(rw(r, "c"), (RW{16 + 4, 0}));
  EXPECT_EQ(rw(r, "d"), (RW{4, 16 + 4}));
  EXPECT_EQ(r.totals.moved(), Bytes::of(48 + 48 + 20 + 24));
  EXPECT_EQ(r.totalAccesses.moved(), Bytes::of(48 + 48 + 36 + 56));
  EXPECT_TRUE(r.unknownSymbols.empty());
}

TEST_F(MovementAnalysisTest, OnChipStorageIsCountedApart) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[16]>) outputs(%y: !sdfg.array<f32[16]>) {
      %acc = sdfg.alloc {name = "acc", storage = #sdfg.storage<register>, lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[16]>
      %tmp = sdfg.alloc {name = "tmp", storage = #sdfg.storage<stack>} : !sdfg.array<f32[16]>
      sdfg.state @s {
        sdfg.map (%i) = (0) to (16) {
          %v = sdfg.load %x[%i] : !sdfg.array<f32[16]>
          sdfg.store %v, %acc[%i] : !sdfg.array<f32[16]>
          %w = sdfg.load %acc[%i] : !sdfg.array<f32[16]>
          sdfg.store %w, %y[%i] : !sdfg.array<f32[16]>
        }
        nn.exp ins(%y : !sdfg.array<f32[16]>) outs(%tmp : !sdfg.array<f32[16]>)
      }
    })mlir");
  EXPECT_EQ(rw(r, "acc"), (RW{64, 64}));
  EXPECT_EQ(rw(r, "tmp"), (RW{0, 64}));
  EXPECT_TRUE(r.findContainer("acc")->onChip);
  EXPECT_EQ(r.totals.read, Bytes::of(64 + 64));
  EXPECT_EQ(r.totals.written, Bytes::of(64));
  EXPECT_EQ(r.totals.onChipRead, Bytes::of(64));
  EXPECT_EQ(r.totals.onChipWritten, Bytes::of(128));
  EXPECT_EQ(r.transientFootprint, Bytes::of(0)); // heap transients only
}

TEST_F(MovementAnalysisTest, PeakTransientsFollowLifetimes) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[64]>) outputs(%y: !sdfg.array<f32[64]>) {
      %a = sdfg.alloc {name = "a", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[64]>
      %b = sdfg.alloc {name = "b", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[64]>
      %c = sdfg.alloc {name = "c", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[64]>
      %keep = sdfg.alloc {name = "keep"} : !sdfg.array<f32[16]>
      sdfg.state @one {
        nn.exp ins(%x : !sdfg.array<f32[64]>) outs(%a : !sdfg.array<f32[64]>)
        nn.exp ins(%a : !sdfg.array<f32[64]>) outs(%b : !sdfg.array<f32[64]>)
      }
      sdfg.state @two {
        nn.exp ins(%b : !sdfg.array<f32[64]>) outs(%c : !sdfg.array<f32[64]>)
        nn.exp ins(%c : !sdfg.array<f32[64]>) outs(%y : !sdfg.array<f32[64]>)
      }
      sdfg.edge @one -> @two
    })mlir");
  EXPECT_EQ(r.transientFootprint, Bytes::of(3 * 256 + 64));
  EXPECT_EQ(r.findState("one")->liveTransients, Bytes::of(2 * 256 + 64));
  EXPECT_EQ(r.findState("two")->liveTransients, Bytes::of(2 * 256 + 64));
  EXPECT_EQ(r.peakTransients, Bytes::of(2 * 256 + 64));
}

TEST_F(MovementAnalysisTest, AccessesListEveryMemlet) {
  auto r = analyze(R"mlir(
    sdfg.sdfg @f inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[]>) {
      sdfg.state @s {
        sdfg.map (%i) = (0) to (4) {
          %v = sdfg.load %x[%i] : !sdfg.array<f32[4]>
          sdfg.store %v, %y[] wcr(sum) : !sdfg.array<f32[]>
        }
      }
    })mlir");
  ASSERT_EQ(r.accesses.size(), 3u); // the load, and the wcr store as a read and a write
  EXPECT_FALSE(r.accesses[0].isWrite);
  EXPECT_EQ(r.accesses[0].elements, Bytes::of(4));
  EXPECT_FALSE(r.accesses[1].isWrite);
  EXPECT_TRUE(r.accesses[2].isWrite);
  EXPECT_EQ(r.accesses[2].bytes, Bytes::of(16)); // accesses, not moved bytes
  EXPECT_EQ(r.findContainer("y")->size, Bytes::of(4));
  EXPECT_EQ(rw(r, "y"), (RW{4, 4}));            // moved: the one element, read and written once
}

} // namespace
