//===- Rewriter.h - the ONNX pattern rewriter's state (internal) ---------===//
//
// The rewrites of applyPatterns share one class: the translated nodes, who produces and who reads each
// tensor, and the nodes killed by the current rewrite. Each rewrite is documented at its definition:
// the idioms in Patterns.cpp, the layout changes (no data movement: transposes and reshapes moved past
// projections, heads regrouped) in LayoutPatterns.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_COMPILER_ONNX_REWRITER_H
#define DMC_COMPILER_ONNX_REWRITER_H

#include "compiler/onnx/Translate.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace dmc::onnx_import::patterns {

using nlohmann::json;

class Rewriter {
public:
  Rewriter(Translation &t, Diagnostics &diag) : t_(t), diag_(diag) {}

  void run();

private:
  /// Applies `rewrite` to the first node it matches, again and again until none matches.
  template <typename Rewrite> void rewriteAll(Rewrite rewrite) {
    for (bool changed = true; changed;) {
      changed = false;
      index();
      for (size_t i = 0; i < t_.nodes.size() && !changed; ++i)
        changed = !dead_.count(i) && rewrite(i);
      removeDead();
    }
  }

  void index() {
    producer_.clear();
    uses_.clear();
    for (size_t i = 0; i < t_.nodes.size(); ++i) {
      producer_[t_.nodes[i].output] = i;
      for (const std::string &in : t_.nodes[i].inputs)
        ++uses_[in];
    }
    for (const TensorInfo &o : t_.outputs)
      ++uses_[o.name];
  }

  /// The node producing `tensor` when it has no other reader and is no graph output; else null.
  DmcNode *soleProducer(const std::string &tensor, const char *op) {
    auto it = producer_.find(tensor);
    if (it == producer_.end() || uses_[tensor] != 1 || dead_.count(it->second))
      return nullptr;
    DmcNode &n = t_.nodes[it->second];
    return n.op == op ? &n : nullptr;
  }
  void kill(const DmcNode *n) { dead_.insert(n - t_.nodes.data()); }
  /// Every reader of `from` reads `to` instead.
  void replaceUses(const std::string &from, const std::string &to) {
    for (DmcNode &n : t_.nodes)
      for (std::string &in : n.inputs)
        if (in == from)
          in = to;
  }

  static double num(const json &attrs, const char *key, double fallback) {
    return attrs.contains(key) ? attrs[key].get<double>() : fallback;
  }

  bool foldScaleIntoMatMul(size_t i);
  bool foldScaleIntoSoftmax(size_t i);
  bool foldTransposeIntoMatMul(size_t i);
  bool foldMaskIntoSoftmax(size_t i);

  const ConstantTensor *constant(const std::string &name) const {
    for (const ConstantTensor &c : t_.constants)
      if (c.name == name)
        return &c;
    return nullptr;
  }
  std::string constantColumns(const ConstantTensor &c, int64_t begin, int64_t end);
  bool splitPackedProjection(size_t i);
  bool pretransposeConstant(size_t i);
  bool sinkTranspose(size_t i);

  static json shapeAttr(const SymShape &shape) {
    json j = json::array();
    for (const SymExpr &d : shape)
      j.push_back(d.isConstant() ? json(d.coefficient) : json(d.symbols.at(0)));
    return j;
  }
  bool isGraphOutput(const std::string &tensor) const {
    return std::any_of(t_.outputs.begin(), t_.outputs.end(), [&](const TensorInfo &o) { return o.name == tensor; });
  }

  bool unitTransposeToReshape(size_t i);
  bool foldReshapes(size_t i);
  bool hoistReshapeAboveProjection(size_t i);
  std::pair<DmcNode *, DmcNode *> projectionOf(const std::string &tensor);
  static bool moreRows(const SymExpr &after, const SymExpr &before);
  bool hoistTransposeAboveProjection(size_t i);

  static bool isPerm(const DmcNode &n, std::vector<int64_t> perm) {
    return n.op == "Transpose" && n.attrs["perm"].get<std::vector<int64_t>>() == perm;
  }
  static bool constantDims(const SymShape &shape, std::initializer_list<size_t> axes) {
    return std::all_of(axes.begin(), axes.end(), [&](size_t a) { return shape[a].isConstant(); });
  }
  DmcNode layoutNode(const char *op, const std::string &input, const std::string &output, const SymShape &shape,
                     int origin) {
    DmcNode n;
    n.op = op;
    n.inputs = {input};
    n.output = output;
    n.origin = origin;
    t_.shapes[output] = shape;
    if (std::string(op) == "Reshape")
      n.attrs = {{"shape", shapeAttr(shape)}};
    return n;
  }

  bool regroupHeads(size_t i);
  DmcNode *mergeOfLeadingAxes(const std::string &tensor);
  bool sinkHeadMerge(size_t i);
  bool foldIdentityScale(size_t i);
  bool matchGelu(size_t i);
  bool matchLayerNorm(size_t i);
  void removeDead();

  Translation &t_;
  Diagnostics &diag_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, int> uses_;
  std::set<size_t> dead_;
};

} // namespace dmc::onnx_import::patterns

#endif
