//===- Shape.h - symbolic shapes ------------------------------------------===//
//
// Shapes whose dimensions are integers or named symbols (S, B, ...), with the arithmetic the importer and
// verifiers need: equality, NumPy broadcasting, element counts as monomials, and binding symbols to values.
// Plain C++ (no MLIR) so it is shared by the dialects, the importer and unit tests.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SUPPORT_SHAPE_H
#define DMC_SUPPORT_SHAPE_H

#include "dialects/Support/Names.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dmc {

/// One dimension: a constant or a symbol's name.
struct Dim {
  int64_t value = 0;  // meaningful only when `symbol` is empty
  std::string symbol;

  static Dim constant(int64_t v) { return Dim{v, {}}; }
  static Dim named(std::string name) { return Dim{0, std::move(name)}; }
  bool isSymbolic() const { return !symbol.empty(); }
  bool isOne() const { return !isSymbolic() && value == 1; }
  bool operator==(const Dim &o) const { return symbol == o.symbol && (isSymbolic() || value == o.value); }
  bool operator!=(const Dim &o) const { return !(*this == o); }
  std::string str() const;
};

using Shape = std::vector<Dim>;
using Bindings = std::map<std::string, int64_t>;

/// "[B, S, 768]".
std::string formatShape(const Shape &shape);

/// coefficient * product(symbols): the element count of a symbolic shape. Symbols are kept sorted so
/// equal products compare equal (B*S*768 == S*B*768).
struct Monomial {
  int64_t coefficient = 1;
  std::vector<std::string> symbols;
  bool operator==(const Monomial &o) const {
    return coefficient == o.coefficient && symbols == o.symbols;
  }
  bool operator!=(const Monomial &o) const { return !(*this == o); }
  std::string str() const;
};

Monomial numElements(const Shape &shape);

/// NumPy broadcasting of two shapes; nullopt when some pair of dimensions is incompatible. Two different
/// symbols are incompatible (we cannot prove either is 1).
std::optional<Shape> broadcastShapes(const Shape &a, const Shape &b);

/// Replaces bound symbols by their values.
Shape bindShape(const Shape &shape, const Bindings &bindings);

/// The element count when every symbol is bound; nullopt otherwise (or on overflow).
std::optional<int64_t> evaluateNumElements(const Shape &shape, const Bindings &bindings);

/// Normalises a possibly negative axis; nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

} // namespace dmc

#endif
