//===- Translate.h - an ONNX graph as a dmc graph description -------------===//
//
// The ONNX graph is evaluated node by node over the abstract values of Values.h: what is known at import
// (initializers, constants, shape arithmetic over symbols) is folded, and every op on run-time data
// becomes nodes of dmc's vocabulary (docs/op-vocabulary.md). Patterns.cpp then rewrites the node list
// into dmc's fused forms. The result is turned into the JSON graph format and checked by the importer.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_ONNX_TRANSLATE_H
#define DMC_ONNX_TRANSLATE_H

#include "compiler/importer/Diagnostics.h"
#include "compiler/onnx/Values.h"

#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}

namespace dmc::onnx_import {

/// One node of the dmc graph; `origin` indexes Translation::origins (the ONNX node it came from).
struct DmcNode {
  std::string op;
  std::vector<std::string> inputs;
  std::string output;
  nlohmann::json attrs = nlohmann::json::object();
  int origin = -1;
};

/// An initializer (or folded constant) that a dmc node reads: a graph input whose data the library loads
/// when it is created, not a run-time argument.
struct ConstantTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

struct TensorInfo {
  std::string name;   // the dmc tensor
  std::string onnxName;
  SymShape shape;
};

struct Translation {
  std::string graphName;
  std::vector<std::string> symbols; // dynamic axes, in order of appearance
  std::vector<TensorInfo> inputs, outputs;
  std::vector<ConstantTensor> constants;
  std::vector<DmcNode> nodes;
  std::map<std::string, SymShape> shapes;  // every dmc tensor's shape
  std::vector<std::string> origins;         // "node 'name' (Op, opset N)"
  std::set<std::string> taken;              // dmc tensor names in use
};

/// Translates `model` (read from `path`, whose folder holds external data files). Reports every problem
/// to `diag` naming the ONNX node; the result is trustworthy only when `diag` has no errors.
Translation translateModel(const onnx::ModelProto &model, const std::string &path, Diagnostics &diag);

/// Rewrites the node list into dmc's forms (Patterns.cpp): scalar scaling into MatMul's alpha, transposed
/// operands into transA/transB, causal -inf masks into Softmax's `causal`, decomposed LayerNorm and GELU
/// into their nodes. Unused nodes are removed.
void applyPatterns(Translation &t, Diagnostics &diag);

/// A new dmc tensor name derived from `base` (an ONNX name: any characters), unique in `taken`.
std::string freshName(const std::string &base, std::set<std::string> &taken);

} // namespace dmc::onnx_import

#endif
