//===- MovementAnalysisTest.cpp - bytes per container, node and state -----===//
//
// Parses small SDFGs and checks the numbers of analyzeMovement against counts made by hand (see the
// rules in docs/movement.md): library nodes, copies through views, maps with nested and triangular
// ranges and wcr, on-chip storage, symbol values and unknowns, transient footprint and peak.
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
  // @sum: 10 * 32 iterations; two loads of x; the wcr store reads and writes y.
  EXPECT_EQ(rw(r, "x"), (RW{10 * 32 * 2 * 4, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{10 * 32 * 4, 10 * 4 + 10 * 32 * 4}));
  const StateMovement *init = r.findState("init"), *sum = r.findState("sum");
  ASSERT_TRUE(init && sum);
  EXPECT_EQ(init->traffic.read, Bytes::of(0));
  EXPECT_EQ(init->traffic.written, Bytes::of(40));
  EXPECT_EQ(sum->traffic.read, Bytes::of(2560 + 1280));
  EXPECT_EQ(sum->traffic.written, Bytes::of(1280));
  ASSERT_EQ(sum->nodes.size(), 1u);
  EXPECT_EQ(sum->nodes[0].kind, "sdfg.map");
  EXPECT_EQ(sum->nodes[0].label, "map0");
  EXPECT_EQ(sum->nodes[0].writes, std::vector<std::string>{"y"});
  EXPECT_EQ(r.totals.moved(), Bytes::of(40 + 2560 + 1280 + 1280));
  EXPECT_TRUE(r.unknownSymbols.empty());
}

TEST_F(MovementAnalysisTest, TriangularMapsAreCountedExactly) {
  // j in [0, i], k in [j, S): sum over i < S of sum over j <= i of (S - j).
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
  // The %b dimension (3 iterations) multiplies everything.
  EXPECT_EQ(rw(r, "x"), (RW{3 * (tri + inner) * 4, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{3 * inner * 4, 3 * (tri + inner) * 4}));
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
  EXPECT_EQ(rw(r, "c"), (RW{-1, 0})); // 16 from relu + an unknown number of loads
  EXPECT_FALSE(r.findContainer("x")->size.known);
  EXPECT_EQ(r.findContainer("c")->size, Bytes::of(16));
  EXPECT_FALSE(r.totals.read.known);
  EXPECT_FALSE(r.totals.moved().known);
  EXPECT_EQ(r.unknownSymbols, (std::vector<std::string>{"S", "T"}));

  // With values every number is known.
  r = analyze(source, {{"S", 3}, {"T", 5}});
  EXPECT_EQ(rw(r, "x"), (RW{48, 0}));
  EXPECT_EQ(rw(r, "y"), (RW{0, 48}));
  EXPECT_EQ(rw(r, "c"), (RW{16 + 20, 0}));
  EXPECT_EQ(rw(r, "d"), (RW{20, 16 + 20}));
  EXPECT_EQ(r.totals.moved(), Bytes::of(48 + 48 + 36 + 56));
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
  EXPECT_EQ(r.accesses[2].bytes, Bytes::of(16));
  EXPECT_EQ(r.findContainer("y")->size, Bytes::of(4));
}

} // namespace
