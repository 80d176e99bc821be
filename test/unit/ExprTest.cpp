//===- ExprTest.cpp - the expression language: checking, folding, printing ===//
#include "dialects/Support/Expr.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace dmc::expr;

namespace {
Scope maskScope() {
  Scope s;
  s.variables = {{"i", Type::Int}, {"j", Type::Int}, {"h", Type::Int}};
  s.ranges = {{"i", {0, 76}}, {"j", {0, 76}}, {"h", {0, 2}}};
  s.symbols = {{"S", 77}, {"W", 8}};
  s.tensors = {{"slope", {3}}, {"rel", {3, 153}}};
  s.result = Type::Bool;
  return s;
}
double at(const Node &n, double i, double j, double h = 0, Env env = {}) {
  env.variables = {{"i", i}, {"j", j}, {"h", h}};
  return evaluate(n, env);
}
} // namespace

TEST(Expr, FoldsSymbolicAttributeValues) {
  Scope s;
  s.symbols = {{"D", 64}, {"W", 9}};
  s.result = Type::Float;
  Checked c = check("1/sqrt(D)", s);
  ASSERT_TRUE(c.tree) << c.error;
  EXPECT_EQ(c.tree->op, Op::FloatLit);
  EXPECT_DOUBLE_EQ(c.tree->floatValue, 0.125);
  s.result = Type::Int;
  c = check("W/2 - -7 % 3", s); // floor division and modulo: 4 - 2
  ASSERT_TRUE(c.tree) << c.error;
  EXPECT_EQ(c.tree->intValue, 2);
  EXPECT_FALSE(check("W/2.0", s).tree); // a float where an int is needed
  EXPECT_FALSE(check("9223372036854775807 + 1", s).tree);
  EXPECT_EQ(check("W / (W - 9)", s).error, "division by zero");
}

TEST(Expr, MasksEvaluateAndPrintCanonically) {
  Checked c = check("j <= i && i - j < W || (i - j) % 3 == 0 && !(h == 1)", maskScope());
  ASSERT_TRUE(c.tree) << c.error;
  EXPECT_EQ(at(*c.tree, 5, 0), 1.0); // 5 - 0 < 8
  EXPECT_EQ(at(*c.tree, 20, 2), 1.0); // 18 % 3 == 0, h = 0
  EXPECT_EQ(at(*c.tree, 20, 2, 1), 0.0);
  EXPECT_EQ(at(*c.tree, 0, 4), 0.0); // (-4) % 3 == 2 (floor)
  EXPECT_EQ(at(*c.tree, 0, 3), 1.0); // (-3) % 3 == 0
  // The printed form checks back to the same canonical text (the nn ops carry it).
  std::string text = print(*c.tree);
  Checked again = check(text, maskScope());
  ASSERT_TRUE(again.tree) << again.error;
  EXPECT_EQ(print(*again.tree), text);
}

TEST(Expr, ScoresReadTensorsInRange) {
  Scope s = maskScope();
  s.variables["s"] = Type::Float;
  s.result = Type::Float;
  Checked c = check("s - slope[h] * (i - j) + rel[h, i - j + S - 1]", s);
  ASSERT_TRUE(c.tree) << c.error;
  std::vector<int> read;
  tensorsRead(*c.tree, read);
  EXPECT_EQ(read, (std::vector<int>{0, 1}));
  EXPECT_NE(check("s + rel[h, i - j + S]", s).error.find("outside [0, 152]"), std::string::npos);
  EXPECT_NE(check("s + rel[h, i * j]", s).error.find("affine"), std::string::npos);
  Checked cap = check("5.0 * tanh(s / 5)", s);
  ASSERT_TRUE(cap.tree) << cap.error;
  Env env;
  env.variables = {{"s", 10.0}};
  EXPECT_NEAR(evaluate(*cap.tree, env), 5.0 * std::tanh(2.0), 1e-12);
}

TEST(Expr, IntervalsAndAffineForms) {
  Checked c = check("i - 2 * j + 3", [] {
    Scope s = maskScope();
    s.result = Type::Int;
    return s;
  }());
  ASSERT_TRUE(c.tree) << c.error;
  std::optional<Range> r = intervalOf(*c.tree, maskScope());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lo, 3 - 2 * 76);
  EXPECT_EQ(r->hi, 76 + 3);
  std::optional<Affine> a = affineOf(*c.tree);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->constant, 3);
  EXPECT_EQ(a->coefficients["i"], 1);
  EXPECT_EQ(a->coefficients["j"], -2);
}

TEST(Expr, RejectsBadTextWithColumns) {
  Checked c = check("i < (j", maskScope());
  EXPECT_FALSE(c.tree);
  EXPECT_EQ(c.column, 7u);
  c = check("i @ j", maskScope());
  EXPECT_EQ(c.column, 3u);
  std::string deep(200, '(');
  EXPECT_FALSE(check(deep + "i" + std::string(200, ')') + " < j", maskScope()).tree); // nesting bound
  EXPECT_FALSE(check("", maskScope()).tree);
}
