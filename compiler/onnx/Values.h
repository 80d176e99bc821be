//===- Values.h - what the ONNX importer knows about each tensor ----------===//
//
// Every ONNX tensor gets one abstract value while the graph is translated: data known at import (an
// initializer, a Constant, or shape arithmetic folded over symbols), a constant fill of a symbolic shape
// (ConstantOfShape of Shape(x)), a causal additive mask (Trilu of a -inf fill), or a tensor computed at
// run time by a dmc node. Integer data are symbolic: Shape(x) of an input with a dynamic axis S holds S.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_ONNX_VALUES_H
#define DMC_ONNX_VALUES_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dmc::onnx_import {

/// coefficient * product(symbols), symbols sorted: a dimension or an integer computed from dimensions.
struct SymExpr {
  int64_t coefficient = 0;
  std::vector<std::string> symbols;

  static SymExpr constant(int64_t v) { return SymExpr{v, {}}; }
  static SymExpr symbol(std::string name) { return SymExpr{1, {std::move(name)}}; }
  bool isConstant() const { return symbols.empty(); }
  /// A dmc dimension: a positive constant or one symbol alone.
  bool isDim() const { return isConstant() ? coefficient > 0 : coefficient == 1 && symbols.size() == 1; }
  bool operator==(const SymExpr &o) const { return coefficient == o.coefficient && symbols == o.symbols; }
  bool operator!=(const SymExpr &o) const { return !(*this == o); }
  std::string str() const;
};

/// Arithmetic that stays a SymExpr; nullopt when the result is not one (S + 1, S / 3, overflow).
std::optional<SymExpr> add(const SymExpr &a, const SymExpr &b);
std::optional<SymExpr> sub(const SymExpr &a, const SymExpr &b);
std::optional<SymExpr> mul(const SymExpr &a, const SymExpr &b);
/// Exact division: a / b when b divides a (as monomials); floor division of constants.
std::optional<SymExpr> div(const SymExpr &a, const SymExpr &b);
std::optional<SymExpr> product(const std::vector<SymExpr> &dims);
std::string formatShape(const std::vector<SymExpr> &shape);

using SymShape = std::vector<SymExpr>;

enum class DType { Float, Int, Bool };

struct Value {
  enum class Kind { Known, Fill, CausalMask, Dynamic };
  Kind kind = Kind::Known;
  DType dtype = DType::Float;
  SymShape shape;                 // the ONNX shape (Known: all constant)
  std::vector<double> floats;     // Known Float data, row-major
  std::vector<SymExpr> ints;      // Known Int/Bool data
  double fill = 0;                // Fill: every element
  std::string tensor;             // Dynamic: the dmc tensor holding it
  SymShape storage;               // Dynamic: the dmc tensor's shape; differs from `shape` only when a dim of
                                  // `shape` is no dmc dim (2*S after a Reshape merging axes)

  bool known() const { return kind == Kind::Known; }
  bool dynamic() const { return kind == Kind::Dynamic; }
  /// Element count of a Known value (its shape is constant).
  int64_t count() const;
  /// Known Float or Int data as doubles (Int elements must be constant); nullopt otherwise.
  std::optional<std::vector<double>> asDoubles() const;
  /// Known Int data as constants; nullopt when an element is symbolic or the value is not Known Int.
  std::optional<std::vector<int64_t>> asInts() const;
};

Value knownFloats(SymShape shape, std::vector<double> data);
Value knownInts(SymShape shape, std::vector<SymExpr> data, DType dtype = DType::Int);
SymShape constantShape(const std::vector<int64_t> &dims);
/// The shape when every dim is constant.
std::optional<std::vector<int64_t>> constantDims(const SymShape &shape);

/// The flat index into an operand of shape `dims` (right-aligned in `outDims`, NumPy broadcasting) of the
/// output element `flat`.
int64_t sourceIndex(int64_t flat, const std::vector<int64_t> &outDims, const std::vector<int64_t> &dims);

/// NumPy broadcasting of symbolic shapes; nullopt when incompatible.
std::optional<SymShape> broadcast(const SymShape &a, const SymShape &b);

/// Element-wise op over Known operands with broadcasting; `fn` maps the two doubles (Float) or SymExprs
/// (Int). Returns nullopt (with `why`) when the operands cannot be folded.
std::optional<Value> foldBinary(const Value &a, const Value &b, const std::string &op, std::string &why);

} // namespace dmc::onnx_import

#endif
