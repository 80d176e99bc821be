//===- Translator.h - the ONNX translator, shared by its four files --------===//
//
// The class that evaluates an ONNX graph node by node (Translate.h). Its members are defined by concern:
// Translate.cpp (the walk over the graph, inputs and outputs, values, attributes, dispatch),
// TranslateElementwise.cpp (constants, Cast, element-wise ops, contractions and normalisations),
// TranslateLayout.cpp (Transpose, Reshape, Unsqueeze/Squeeze/Flatten, Concat, Slice, Split, Gather, Expand,
// Range) and TranslateMasks.cpp (Where and masked_fill, additive and causal masks, Trilu). Private to
// compiler/onnx.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_ONNX_TRANSLATOR_H
#define DMC_ONNX_TRANSLATOR_H

#include "compiler/onnx/Tensors.h"
#include "compiler/onnx/Translate.h"

#include "onnx/onnx_pb.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

namespace dmc::onnx_import::detail {

using json = nlohmann::json;
using Kind = Value::Kind;

/// A failed translation step: the message is reported against the current node.
struct Unsupported {
  std::string message;
};

[[noreturn]] inline void unsupported(const std::string &message) { throw Unsupported{message}; }

inline int64_t normAxis(int64_t axis, size_t rank) {
  int64_t r = (int64_t)rank;
  if (axis < -r || axis >= r)
    unsupported("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + r : axis;
}

inline std::vector<int64_t> strides(const std::vector<int64_t> &dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;)
    s[i - 1] = s[i] * dims[i];
  return s;
}

/// A dmc shape attribute: integers and symbol names.
inline json shapeJson(const SymShape &shape) {
  json j = json::array();
  for (const SymExpr &d : shape)
    j.push_back(d.isConstant() ? json(d.coefficient) : json(d.symbols[0]));
  return j;
}

inline bool allDims(const SymShape &shape) {
  return std::all_of(shape.begin(), shape.end(), [](const SymExpr &d) { return d.isDim(); });
}

/// A shape of dmc dims with the same elements in the same order as `shape`: products of symbols are split
/// into their factors (2*S -> S, 2).
inline SymShape splitIntoDims(const SymShape &shape) {
  SymShape out;
  for (const SymExpr &d : shape) {
    if (d.isDim()) {
      out.push_back(d);
      continue;
    }
    if (d.coefficient <= 0)
      unsupported("dimension " + d.str() + " is not positive");
    for (const std::string &s : d.symbols)
      out.push_back(SymExpr::symbol(s));
    if (d.coefficient != 1)
      out.push_back(SymExpr::constant(d.coefficient));
  }
  return out;
}

class Translator {
public:
  Translator(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag);
  Translation run();

private:
  std::string describe(const onnx::NodeProto &n, int index) const;
  bool checkOpset();
  std::string symbolFor(const std::string &param, const std::string &fallback);
  void declareInput(const onnx::ValueInfoProto &in);
  void declareOutput(const onnx::ValueInfoProto &o);

  // --- values -------------------------------------------------------------------------------------
  static Value dynamic(const std::string &tensor, const SymShape &shape);
  const Value *input(const onnx::NodeProto &n, int k);
  const Value &required(const onnx::NodeProto &n, int k);
  void define(const onnx::NodeProto &n, int k, Value v);
  std::string outName(const onnx::NodeProto &n, int k = 0) const;
  std::string emit(const std::string &op, std::vector<std::string> inputs, json attrs, const SymShape &shape,
                   const std::string &base);
  std::string plain(const Value &v, const std::string &base);
  std::string plainInput(const onnx::NodeProto &n, int k);
  std::vector<int64_t> constInts(const Value &v, const std::string &what);
  double scalarFloat(const Value &v);

  // --- attributes ---------------------------------------------------------------------------------
  int64_t attrInt(const onnx::NodeProto &n, const char *name, int64_t fallback);
  double attrFloat(const onnx::NodeProto &n, const char *name, double fallback);
  std::optional<std::vector<int64_t>> attrInts(const onnx::NodeProto &n, const char *name);
  void onlyAttributes(const onnx::NodeProto &n, std::set<std::string> known);

  // --- dispatch -----------------------------------------------------------------------------------
  void translate(const onnx::NodeProto &n);
  void checkBoolUses(const onnx::NodeProto &n);

  // --- constants and shapes -----------------------------------------------------------------------
  void constant(const onnx::NodeProto &n);
  void constantOfShape(const onnx::NodeProto &n);
  Value filled(const SymShape &shape, double fill, DType dtype);
  void shapeOf(const onnx::NodeProto &n);
  void sizeOf(const onnx::NodeProto &n);
  void identity(const onnx::NodeProto &n);
  void cast(const onnx::NodeProto &n);

  // --- element-wise -------------------------------------------------------------------------------
  void compare(const onnx::NodeProto &n);
  static bool isScalar(const Value &v);
  void binary(const onnx::NodeProto &n);
  static bool sharesTrailing(const Value &v, const Value &other);
  void power(const onnx::NodeProto &n, const Value &a, const Value &b);
  void maskBinary(const onnx::NodeProto &n, const Value &a, const Value &b);
  void unary(const onnx::NodeProto &n);

  // --- contractions and normalisations ------------------------------------------------------------
  void matmul(const onnx::NodeProto &n);
  void gemm(const onnx::NodeProto &n);
  void softmax(const onnx::NodeProto &n);
  void layerNorm(const onnx::NodeProto &n);
  void layerNormStatistics(const onnx::NodeProto &n, const Value &x, int64_t axis, double eps);
  void reduce(const onnx::NodeProto &n);

  // --- layout -------------------------------------------------------------------------------------
  Value gatherKnown(const Value &x, const SymShape &shape, const std::function<int64_t(int64_t)> &index);
  void transpose(const onnx::NodeProto &n);
  void reshapeTo(const onnx::NodeProto &n, const Value &x, const SymShape &target);
  void reshape(const onnx::NodeProto &n);
  std::vector<int64_t> axesOf(const onnx::NodeProto &n, int inputIndex);
  void unsqueeze(const onnx::NodeProto &n);
  void squeeze(const onnx::NodeProto &n);
  void flatten(const onnx::NodeProto &n);
  void concat(const onnx::NodeProto &n);
  void sliceTo(const onnx::NodeProto &n, int k, const Value &x, std::vector<int64_t> starts, std::vector<int64_t> ends,
               std::vector<int64_t> axes, std::vector<int64_t> steps);
  void slice(const onnx::NodeProto &n);
  void split(const onnx::NodeProto &n);
  void gather(const onnx::NodeProto &n);
  void where(const onnx::NodeProto &n);
  void runtimeWhere(const onnx::NodeProto &n, const Value &c, const Value &x, const Value &y);
  void select(const onnx::NodeProto &n, const std::string &cond, const SymShape &cs, const Value &x, const Value &y);
  void hoistMaskNodes(size_t first, const std::string &cond);
  void addMask(const onnx::NodeProto &n, const Value &data, const Value &m);
  static bool isCausal(const Value &m);
  void expand(const onnx::NodeProto &n);
  void trilu(const onnx::NodeProto &n);
  void range(const onnx::NodeProto &n);

  const onnx::ModelProto &model_;
  Diagnostics &diag_;
  std::string dir_;
  Translation t_;
  std::map<std::string, Value> values_;
  std::map<std::string, std::string> symbolNames_;
  std::set<std::string> used_;
  int64_t opset_ = 0;
  int origin_ = -1;
};

} // namespace dmc::onnx_import::detail

#endif
