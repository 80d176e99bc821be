//===- MemletBoundsTest.cpp - the bounds verifier against brute force -----===//
//
// Soundness of the memlet bounds proof: random nests of up to three maps (bounds affine in the symbols
// and the outer parameters, steps 1 to 3) around one load whose indices are affine, possibly under mod,
// floordiv or ceildiv. Whenever the verifier accepts such an SDFG, running every iteration for every
// symbol value in [1, 5] must keep every index inside its dimension. The test also requires that the
// random programs include both accepted ones and ones brute force proves out of bounds, so that it
// cannot pass vacuously. The same for loops of the state machine whose local symbol indexes memory.
//
//===----------------------------------------------------------------------===//
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

using namespace mlir;
using namespace dmc::sdfg;

namespace {

/// Affine floor division and modulo (what the emitted dmc_floordiv / dmc_mod compute).
int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t mod(int64_t a, int64_t b) { return a - b * floorDiv(a, b); }

int64_t evaluate(AffineExpr expr, ValueRange operands, unsigned numDims, const DenseMap<Value, int64_t> &env) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return c.getValue();
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return env.lookup(operands[d.getPosition()]);
  if (auto s = dyn_cast<AffineSymbolExpr>(expr))
    return env.lookup(operands[numDims + s.getPosition()]);
  auto bin = cast<AffineBinaryOpExpr>(expr);
  int64_t l = evaluate(bin.getLHS(), operands, numDims, env), r = evaluate(bin.getRHS(), operands, numDims, env);
  switch (expr.getKind()) {
  case AffineExprKind::Add: return l + r;
  case AffineExprKind::Mul: return l * r;
  case AffineExprKind::FloorDiv: return floorDiv(l, r);
  case AffineExprKind::CeilDiv: return -floorDiv(-l, r);
  default: return mod(l, r);
  }
}

class ProgramGenerator {
public:
  explicit ProgramGenerator(unsigned seed) : rng(seed) {}

  /// An SDFG over symbols S, T with one load from A inside `depth` nested maps.
  std::string next() {
    int depth = pick(1, 3);
    std::vector<std::string> dims = {"S", "T", "5", "8"};
    std::string d0 = dims[pick(0, 3)], d1 = dims[pick(0, 3)];
    std::string text = "sdfg.sdfg @f symbols(%S, %T) inputs(%A: !sdfg.array<f32[" + d0 + ", " + d1 +
                       "]>) outputs(%B: !sdfg.array<f32[S]>) {\n  sdfg.state @s {\n";
    std::vector<std::string> params;
    for (int level = 0; level < depth; ++level) {
      std::string lower = pick(0, 1) ? simple(params, 0, 1) : affine(params, -1, 2);
      std::string upper = pick(0, 2) ? simple(params, 0, 2) : affine(params, 0, 6);
      std::string p = "%p" + std::to_string(level);
      text += "sdfg.map (" + p + ") = (" + lower + ") to (" + upper + ") step (" + std::to_string(pick(1, 3)) +
              ") {\n";
      params.push_back(p);
    }
    text += "%v = sdfg.load %A[" + index(params) + ", " + index(params) + "] : !sdfg.array<f32[" + d0 + ", " +
            d1 + "]>\n";
    for (int level = 0; level < depth; ++level)
      text += "}\n";
    return text + "}\n}\n";
  }

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

  /// constant + sum of coefficient * (symbol or parameter), small coefficients, mostly positive.
  std::string affine(const std::vector<std::string> &params, int lo, int hi) {
    std::string e = std::to_string(pick(lo, hi));
    std::vector<std::string> values = params;
    values.push_back("%S");
    values.push_back("%T");
    for (const std::string &v : values) {
      int coeff = pick(-1, 2) * (pick(0, 2) == 0 ? 0 : 1);
      if (coeff)
        e += (coeff > 0 ? " + " : " - ") + std::to_string(std::abs(coeff)) + " * " + v;
    }
    return e;
  }

  /// Shapes that in-bounds code has: a constant, a size, or an outer parameter, plus a small constant.
  std::string simple(const std::vector<std::string> &params, int lo, int hi) {
    std::vector<std::string> values = params;
    values.insert(values.end(), {"%S", "%T", "5", "8"});
    std::string e = values[pick(0, values.size() - 1)];
    int c = pick(lo - 1, hi);
    return c == 0 ? e : e + (c > 0 ? " + " : " - ") + std::to_string(std::abs(c));
  }

  std::string index(const std::vector<std::string> &params) {
    std::string e = pick(0, 2) ? simple(params, -1, 1) : affine(params, -1, 1);
    switch (pick(0, 5)) {
    case 0: return "(" + e + ") mod " + std::to_string(pick(2, 6));
    case 1: return "(" + e + ") floordiv " + std::to_string(pick(2, 3));
    case 2: return "(" + e + ") ceildiv " + std::to_string(pick(2, 3));
    default: return e;
    }
  }

  std::mt19937 rng;
};

/// Runs every iteration of the maps around `load` for the given symbol values; true when some index
/// leaves its dimension.
bool outOfBounds(LoadOp load, SDFGOp sdfg, int64_t s, int64_t t) {
  DenseMap<Value, int64_t> env;
  env[sdfg.getSymbolArgs()[0]] = s;
  env[sdfg.getSymbolArgs()[1]] = t;
  SmallVector<MapOp> maps;
  for (auto map = load->getParentOfType<MapOp>(); map; map = map->getParentOfType<MapOp>())
    maps.insert(maps.begin(), map);
  SmallVector<int64_t> sizes;
  for (const dmc::Dim &d : load.getArray().getType().getShape())
    sizes.push_back(d.isSymbolic() ? (d.symbol == "S" ? s : t) : d.value);
  std::function<bool(size_t)> run = [&](size_t level) -> bool {
    if (level == maps.size()) {
      AffineMap map = load.getMap();
      for (auto [i, e] : llvm::enumerate(map.getResults())) {
        int64_t v = evaluate(e, load.getIndices(), map.getNumDims(), env);
        if (v < 0 || v >= sizes[i])
          return true;
      }
      return false;
    }
    MapOp map = maps[level];
    int64_t lb = evaluate(map.getLowerBounds().getResult(0), map.getLowerOperands(),
                          map.getLowerBounds().getNumDims(), env);
    int64_t ub = evaluate(map.getUpperBounds().getResult(0), map.getUpperOperands(),
                          map.getUpperBounds().getNumDims(), env);
    for (int64_t p = lb; p < ub; p += map.getSteps()[0]) {
      env[map.getParams()[0]] = p;
      if (run(level + 1))
        return true;
    }
    return false;
  };
  return run(0);
}

TEST(MemletBoundsTest, AcceptedMemletsStayInBoundsUnderBruteForce) {
  MLIRContext ctx;
  ctx.loadDialect<SDFGDialect, dmc::nn::NNDialect, arith::ArithDialect, math::MathDialect>();
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  ProgramGenerator generator(/*seed=*/20261128);
  int accepted = 0, rejectedOutOfBounds = 0, rejectedInBounds = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string source = generator.next();
    auto module = parseSourceString<ModuleOp>(source, ParserConfig(&ctx, /*verifyAfterParse=*/false));
    ASSERT_TRUE(module) << source;
    SDFGOp sdfg = *module->getOps<SDFGOp>().begin();
    LoadOp load;
    sdfg.walk([&](LoadOp op) { load = op; });
    bool verified = succeeded(verify(*module));
    bool bad = false;
    for (int64_t s = 1; s <= 5 && !bad; ++s)
      for (int64_t t = 1; t <= 5 && !bad; ++t)
        bad = outOfBounds(load, sdfg, s, t);
    EXPECT_FALSE(verified && bad) << "accepted, but out of bounds:\n" << source;
    if (verified)
      ++accepted;
    else if (bad)
      ++rejectedOutOfBounds;
    else
      ++rejectedInBounds; // in bounds for these sizes; the proof is for all sizes, and not complete
  }
  EXPECT_GE(accepted, 100) << "too few accepted programs to test soundness";
  EXPECT_GE(rejectedOutOfBounds, 100);
  std::printf("accepted %d, rejected and out of bounds %d, rejected otherwise %d\n", accepted,
              rejectedOutOfBounds, rejectedInBounds);
}

/// entry -> guard -> body -> guard ... -> exit, with a local counter `it` (random start, step, guard)
/// indexing A inside a map of the body.
std::string randomLoop(std::mt19937 &rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char *predicates[] = {"slt", "sle", "sgt", "sge", "eq", "ne", "ult"};
  std::string start[] = {"0", "1", "-1", "%S", "%T"};
  std::string limit[] = {"%S", "%T", "%S - 1", "%S + 1", "4", "5"};
  std::string index[] = {"%it", "%it + %j", "%it - 1", "%S - %it", "%S - 1 - %it", "2 * %it"};
  std::string pred = predicates[pick(0, 6)];
  bool counterFirst = pick(0, 3) != 0;
  std::string lhs = counterFirst ? "%it" : "%lim", rhs = counterFirst ? "%lim" : "%it";
  return "sdfg.sdfg @loop symbols(%S, %T) locals(%it) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: "
         "!sdfg.array<f32[S]>) {\n"
         "  sdfg.state @entry {\n  }\n  sdfg.state @guard {\n  }\n"
         "  sdfg.state @body {\n    sdfg.map (%j) = (0) to (" + std::to_string(pick(1, 2)) + ") {\n"
         "      %v = sdfg.load %A[" + index[pick(0, 5)] + "] : !sdfg.array<f32[S]>\n    }\n  }\n"
         "  sdfg.state @exit {\n  }\n"
         "  sdfg.edge @entry -> @guard assign [it] {\n"
         "    %s = affine_like_start\n    sdfg.yield %s : index\n  }\n"
         "  sdfg.edge @guard -> @body if {\n    %lim = limit_value\n"
         "    %c = arith.cmpi " + pred + ", " + lhs + ", " + rhs + " : index\n    sdfg.yield %c : i1\n  }\n"
         "  sdfg.edge @guard -> @exit if {\n    %lim = limit_value\n"
         "    %c = arith.cmpi " + pred + ", " + lhs + ", " + rhs + " : index\n"
         "    %true = arith.constant true\n    %n = arith.xori %c, %true : i1\n    sdfg.yield %n : i1\n  }\n"
         "  sdfg.edge @body -> @guard assign [it] {\n    %d = arith.constant " + std::to_string(pick(-1, 2)) +
         " : index\n    %n = arith.addi %it, %d : index\n    sdfg.yield %n : index\n  }\n}\n";
}

/// `text` with the placeholders for the start value and the guard's limit replaced by arith ops.
std::string withValues(std::string text, std::mt19937 &rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto value = [&](const std::string &name, int choice) {
    switch (choice) {
    case 0: return "arith.constant " + std::to_string(pick(-1, 5)) + " : index";
    case 1: return std::string("arith.addi %S, %T : index");
    case 2: return std::string("arith.muli %S, %S : index"); // not linear: no bound from it
    default: return "arith.subi %" + name + ", %T : index";
    }
  };
  auto replaceAll = [&](const std::string &from, const std::string &to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  replaceAll("affine_like_start", value("S", pick(0, 3)));
  replaceAll("limit_value", value("S", pick(0, 3)));
  return text;
}

/// Interprets the state machine for the given symbol values (at most `steps` states); true when a
/// memlet of a visited state leaves its container.
bool loopOutOfBounds(SDFGOp sdfg, int64_t s, int64_t t, int steps) {
  DenseMap<Value, int64_t> env;
  env[sdfg.getSymbolArgs()[0]] = s;
  env[sdfg.getSymbolArgs()[1]] = t;
  for (Value local : sdfg.getLocalSymbolArgs())
    env[local] = 0;
  auto run = [&](Region &region) {
    for (Operation &op : region.front()) {
      auto arg = [&](unsigned i) { return env.lookup(op.getOperand(i)); };
      if (auto c = dyn_cast<arith::ConstantOp>(op))
        env[c] = cast<IntegerAttr>(c.getValue()).getInt();
      else if (isa<arith::AddIOp>(op))
        env[op.getResult(0)] = arg(0) + arg(1);
      else if (isa<arith::SubIOp>(op))
        env[op.getResult(0)] = arg(0) - arg(1);
      else if (isa<arith::MulIOp>(op))
        env[op.getResult(0)] = arg(0) * arg(1);
      else if (isa<arith::XOrIOp>(op))
        env[op.getResult(0)] = (arg(0) ^ arg(1)) & 1;
      else if (auto cmp = dyn_cast<arith::CmpIOp>(op))
        env[cmp] = arith::applyCmpPredicate(cmp.getPredicate(), APInt(64, arg(0), true), APInt(64, arg(1), true));
    }
    return cast<YieldOp>(region.front().back()).getValues();
  };
  StateOp state = *sdfg.getStates().begin();
  for (int step = 0; step < steps && state; ++step) {
    bool bad = false;
    state.walk([&](LoadOp load) {
      SmallVector<MapOp> maps;
      for (auto map = load->getParentOfType<MapOp>(); map; map = map->getParentOfType<MapOp>())
        maps.insert(maps.begin(), map);
      std::function<void(size_t)> iterate = [&](size_t level) {
        if (bad)
          return;
        if (level == maps.size()) {
          int64_t v = evaluate(load.getMap().getResult(0), load.getIndices(), load.getMap().getNumDims(), env);
          bad = v < 0 || v >= s;
          return;
        }
        MapOp map = maps[level];
        int64_t lb = evaluate(map.getLowerBounds().getResult(0), map.getLowerOperands(),
                              map.getLowerBounds().getNumDims(), env);
        int64_t ub = evaluate(map.getUpperBounds().getResult(0), map.getUpperOperands(),
                              map.getUpperBounds().getNumDims(), env);
        for (int64_t p = lb; p < ub; p += map.getSteps()[0]) {
          env[map.getParams()[0]] = p;
          iterate(level + 1);
        }
      };
      iterate(0);
    });
    if (bad)
      return true;
    StateOp next;
    for (EdgeOp edge : sdfg.getEdges()) {
      if (edge.getSrc() != state.getSymName() || (edge.hasCondition() && !env.lookup(run(edge.getCondition())[0])))
        continue;
      if (!edge.getAssign().empty()) {
        SmallVector<int64_t> values;
        for (Value v : run(edge.getAssignments()))
          values.push_back(env.lookup(v));
        for (auto [name, v] : llvm::zip(edge.getAssign().getAsValueRange<StringAttr>(), values))
          env[sdfg.lookupSymbolArg(name)] = v;
      }
      next = sdfg.lookupSymbol<StateOp>(edge.getDst());
      break;
    }
    state = next;
  }
  return false;
}

TEST(MemletBoundsTest, LoopCountersStayInBoundsUnderBruteForce) {
  MLIRContext ctx;
  ctx.loadDialect<SDFGDialect, dmc::nn::NNDialect, arith::ArithDialect, math::MathDialect>();
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  std::mt19937 rng(/*seed=*/1128);
  int accepted = 0, rejectedOutOfBounds = 0;
  for (int n = 0; n < 1500; ++n) {
    std::string source = withValues(randomLoop(rng), rng);
    auto module = parseSourceString<ModuleOp>(source, ParserConfig(&ctx, /*verifyAfterParse=*/false));
    ASSERT_TRUE(module) << source;
    SDFGOp sdfg = *module->getOps<SDFGOp>().begin();
    bool verified = succeeded(verify(*module));
    bool bad = false;
    for (int64_t s = 1; s <= 5 && !bad; ++s)
      for (int64_t t = 1; t <= 5 && !bad; ++t)
        bad = loopOutOfBounds(sdfg, s, t, /*steps=*/60);
    EXPECT_FALSE(verified && bad) << "accepted, but out of bounds:\n" << source;
    accepted += verified;
    rejectedOutOfBounds += !verified && bad;
  }
  EXPECT_GE(accepted, 50) << "too few accepted programs to test soundness";
  EXPECT_GE(rejectedOutOfBounds, 50);
  std::printf("loops: accepted %d, rejected and out of bounds %d\n", accepted, rejectedOutOfBounds);
}

} // namespace
