//===- OpSchema.h - the graph format's operators --------------------------===//
//
// For each graph op (ONNX-like name): its nn library node, arity, attributes with types, ranges and
// defaults, and how to infer its output shape. The importer is table-driven from here; adding an op
// means adding a row (and the nn op it maps to).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_IMPORTER_OPSCHEMA_H
#define DMC_IMPORTER_OPSCHEMA_H

#include "dialects/NN/ShapeInference.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dmc {

enum class AttrKind {
  Flag,      // 0/1 or true/false; becomes a unit attribute when set
  Bool,      // 0/1 or true/false; becomes a BoolAttr
  Int,       // i64
  Float,     // f32
  IntList,   // array<i64>
  DimList,   // ints and symbol names (Reshape's target shape); consumed by shape inference only
  TanhOrNone, // Gelu's "approximate": "none" or "tanh"; "tanh" sets a unit attribute
  MaskExpr,   // Softmax's "mask": a bool expression over i, j, h (dialects/Support/Expr.h); "" = none
  ScoreExpr,  // Softmax's "score": a float expression over s, i, j, h; "" = none
};

struct AttrSpec {
  const char *name;   // in the graph file
  AttrKind kind;
  const char *irName; // in the nn op; empty when not carried over
  nlohmann::json defaultValue; // null = required
  double min = -1e300, max = 1e300; // inclusive range for numbers and list elements
};

/// Attribute values after checking and defaulting, keyed by graph-file name. Int and Float attributes may
/// be written as expressions over bound symbols ("1/sqrt(D)"); they are folded here to numbers.
using AttrValues = nlohmann::json;

struct OpSpec {
  const char *op;   // graph op name
  const char *irOp; // nn op name
  size_t minInputs, maxInputs;
  std::vector<AttrSpec> attrs;
  nn::InferredShape (*infer)(const std::vector<Shape> &inputs, const AttrValues &attrs);
};

/// The spec of `op`, or null when unknown.
const OpSpec *lookupOp(const std::string &op);
/// Every op name, for "did you mean" style messages.
std::vector<std::string> knownOps();

} // namespace dmc

#endif
