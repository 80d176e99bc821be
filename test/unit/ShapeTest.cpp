//===- ShapeTest.cpp - symbolic shapes (dialects/Support/Shape.h) ---------===//
#include "dialects/Support/Shape.h"

#include <gtest/gtest.h>

#include <limits>

using namespace dmc;

namespace {
Dim C(int64_t v) { return Dim::constant(v); }
Dim N(const char *s) { return Dim::named(s); }
} // namespace

TEST(DimTest, FormatAndKind) {
  EXPECT_EQ(C(64).str(), "64");
  EXPECT_EQ(N("S").str(), "S");
  EXPECT_FALSE(C(64).isSymbolic());
  EXPECT_TRUE(N("S").isSymbolic());
  EXPECT_TRUE(C(1).isOne());
  EXPECT_FALSE(C(2).isOne());
  EXPECT_FALSE(N("S").isOne());
}

TEST(DimTest, Equality) {
  EXPECT_EQ(C(3), C(3));
  EXPECT_NE(C(3), C(4));
  EXPECT_EQ(N("S"), N("S"));
  EXPECT_NE(N("S"), N("T"));
  EXPECT_NE(N("S"), C(0)); // a symbol's unused value does not make it equal to a constant
  EXPECT_NE(C(0), N("S"));
  // The value of a symbolic dimension is ignored.
  Dim a = N("S"), b = N("S");
  a.value = 5;
  EXPECT_EQ(a, b);
}

TEST(ShapeTest, Format) {
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({C(7)}), "[7]");
  EXPECT_EQ(formatShape({N("B"), N("S"), C(768)}), "[B, S, 768]");
}

TEST(ShapeTest, Equality) {
  EXPECT_EQ((Shape{N("S"), C(64)}), (Shape{N("S"), C(64)}));
  EXPECT_NE((Shape{N("S"), C(64)}), (Shape{C(64), N("S")}));
  EXPECT_NE((Shape{N("S")}), (Shape{N("S"), C(1)}));
}

TEST(BroadcastTest, Constant) {
  EXPECT_EQ(broadcastShapes({C(4), C(1)}, {C(1), C(5)}), (Shape{C(4), C(5)}));
  EXPECT_EQ(broadcastShapes({C(2), C(3), C(4)}, {C(4)}), (Shape{C(2), C(3), C(4)}));
  EXPECT_EQ(broadcastShapes({C(4)}, {C(2), C(3), C(4)}), (Shape{C(2), C(3), C(4)}));
  EXPECT_EQ(broadcastShapes({}, {C(3)}), (Shape{C(3)}));
  EXPECT_EQ(broadcastShapes({}, {}), Shape{});
  EXPECT_EQ(broadcastShapes({C(1)}, {C(1)}), (Shape{C(1)}));
}

TEST(BroadcastTest, Symbolic) {
  EXPECT_EQ(broadcastShapes({N("B"), N("S"), C(64)}, {C(64)}), (Shape{N("B"), N("S"), C(64)}));
  EXPECT_EQ(broadcastShapes({N("S"), C(1)}, {C(1), N("S")}), (Shape{N("S"), N("S")}));
  EXPECT_EQ(broadcastShapes({C(1)}, {N("T")}), (Shape{N("T")}));
  EXPECT_EQ(broadcastShapes({N("S"), N("S")}, {N("S")}), (Shape{N("S"), N("S")}));
}

TEST(BroadcastTest, Failures) {
  EXPECT_FALSE(broadcastShapes({C(3)}, {C(4)}).has_value());
  EXPECT_FALSE(broadcastShapes({C(2), C(3)}, {C(3), C(3)}).has_value());
  // Two different symbols: neither is provably 1.
  EXPECT_FALSE(broadcastShapes({N("S")}, {N("T")}).has_value());
  // A symbol against a constant other than 1.
  EXPECT_FALSE(broadcastShapes({N("S")}, {C(64)}).has_value());
  EXPECT_FALSE(broadcastShapes({C(64)}, {N("S")}).has_value());
}

TEST(MonomialTest, ElementCounts) {
  Monomial m = numElements({N("B"), N("S"), C(768)});
  EXPECT_EQ(m.coefficient, 768);
  EXPECT_EQ(m.symbols, (std::vector<std::string>{"B", "S"}));
  EXPECT_EQ(m.str(), "768*B*S");
  // Symbols are sorted: the order of dimensions does not matter.
  EXPECT_EQ(numElements({N("S"), C(12), N("B"), C(64)}), m);
  EXPECT_EQ(numElements({N("S"), N("B"), C(768)}).str(), "768*B*S");
  EXPECT_NE(numElements({N("S"), N("B"), C(767)}), m);
  EXPECT_NE(numElements({N("S"), N("S"), C(768)}), m);
  // Repeated symbols are kept (S*S).
  EXPECT_EQ(numElements({N("S"), N("S")}).str(), "S*S");
  EXPECT_EQ(numElements({N("S")}).str(), "S");
  EXPECT_EQ(numElements({C(4), C(8)}).str(), "32");
}

TEST(MonomialTest, ScalarAndZero) {
  Monomial scalar = numElements({});
  EXPECT_EQ(scalar.coefficient, 1);
  EXPECT_TRUE(scalar.symbols.empty());
  EXPECT_EQ(scalar.str(), "1");
  // A zero dimension empties the shape whatever the symbols are.
  Monomial zero = numElements({N("S"), C(0)});
  EXPECT_EQ(zero.coefficient, 0);
  EXPECT_TRUE(zero.symbols.empty());
  EXPECT_EQ(zero, numElements({C(0), N("T")}));
  EXPECT_EQ(zero.str(), "0");
}

TEST(BindShapeTest, BindsOnlyKnownSymbols) {
  Bindings b{{"S", 128}, {"H", 12}};
  EXPECT_EQ(bindShape({N("B"), N("S"), C(64)}, b), (Shape{N("B"), C(128), C(64)}));
  EXPECT_EQ(bindShape({N("H"), N("S"), N("S")}, b), (Shape{C(12), C(128), C(128)}));
  EXPECT_EQ(bindShape({}, b), Shape{});
  EXPECT_EQ(bindShape({N("S")}, {}), (Shape{N("S")}));
}

TEST(EvaluateNumElementsTest, Values) {
  Bindings b{{"S", 128}, {"B", 2}};
  EXPECT_EQ(evaluateNumElements({N("B"), N("S"), C(768)}, b), 2 * 128 * 768);
  EXPECT_EQ(evaluateNumElements({}, b), 1);
  EXPECT_EQ(evaluateNumElements({C(0), N("S")}, b), 0);
  // An unbound symbol.
  EXPECT_FALSE(evaluateNumElements({N("T"), C(4)}, b).has_value());
  // A negative binding.
  EXPECT_FALSE(evaluateNumElements({N("S")}, {{"S", -1}}).has_value());
}

TEST(EvaluateNumElementsTest, Overflow) {
  const int64_t big = int64_t(1) << 32;
  EXPECT_EQ(evaluateNumElements({C(big), C(big / 4)}, {}), big * (big / 4)); // 2^62 fits
  EXPECT_FALSE(evaluateNumElements({C(big), C(big / 2)}, {}).has_value());   // 2^63 does not
  EXPECT_FALSE(evaluateNumElements({C(big), C(big)}, {}).has_value());       // 2^64
  EXPECT_FALSE(evaluateNumElements({N("S"), N("S"), N("S")}, {{"S", 1 << 22}}).has_value()); // 2^66
  EXPECT_EQ(evaluateNumElements({C(std::numeric_limits<int64_t>::max())}, {}),
            std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(evaluateNumElements({C(std::numeric_limits<int64_t>::max()), C(2)}, {}).has_value());
}

TEST(NormalizeAxisTest, Range) {
  EXPECT_EQ(normalizeAxis(0, 3), 0);
  EXPECT_EQ(normalizeAxis(2, 3), 2);
  EXPECT_EQ(normalizeAxis(-1, 3), 2);
  EXPECT_EQ(normalizeAxis(-3, 3), 0);
  EXPECT_FALSE(normalizeAxis(3, 3).has_value());
  EXPECT_FALSE(normalizeAxis(-4, 3).has_value());
  EXPECT_FALSE(normalizeAxis(0, 0).has_value()); // a scalar has no axis
  EXPECT_FALSE(normalizeAxis(-1, 0).has_value());
}

TEST(IsIdentifierTest, Names) {
  EXPECT_TRUE(isIdentifier("S"));
  EXPECT_TRUE(isIdentifier("_x1"));
  EXPECT_TRUE(isIdentifier("seq_len2"));
  EXPECT_TRUE(isIdentifier("_"));
  EXPECT_FALSE(isIdentifier(""));
  EXPECT_FALSE(isIdentifier("1S"));
  EXPECT_FALSE(isIdentifier("a-b"));
  EXPECT_FALSE(isIdentifier("a b"));
  EXPECT_FALSE(isIdentifier("a.b"));
  EXPECT_FALSE(isIdentifier("%S"));
  EXPECT_FALSE(isIdentifier("\xc3\xa9t\xc3\xa9")); // non-ASCII
}

TEST(PrintableTest, EscapesEveryByteOutsidePrintableAscii) {
  EXPECT_EQ(printable("seq_len 'x' \\ ok"), "seq_len 'x' \\ ok");
  EXPECT_EQ(printable("a\nb"), "a\\x0ab");
  EXPECT_EQ(printable("\x1b[31mred\x07"), "\\x1b[31mred\\x07");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("\x7f\xc3\xa9"), "\\x7f\\xc3\\xa9"); // DEL and UTF-8 bytes
  EXPECT_EQ(printable(""), "");
}
