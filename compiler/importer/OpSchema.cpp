//===- OpSchema.cpp - the graph format's operators ------------------------===//
#include "compiler/importer/OpSchema.h"

namespace dmc {
using nn::InferredShape;
using json = nlohmann::json;

namespace {
std::vector<int64_t> ints(const json &v) { return v.get<std::vector<int64_t>>(); }

InferredShape same(const std::vector<Shape> &in, const AttrValues &) { return {in[0], {}}; }
InferredShape broadcast(const std::vector<Shape> &in, const AttrValues &) { return nn::inferBroadcast(in[0], in[1]); }
InferredShape where(const std::vector<Shape> &in, const AttrValues &) { return nn::inferWhere(in[0], in[1], in[2]); }
InferredShape matmul(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferMatMul(in[0], in[1], a["transA"].get<bool>(), a["transB"].get<bool>());
}
InferredShape gemm(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferGemm(in[0], in[1], in.size() > 2 ? &in[2] : nullptr, a["transA"].get<bool>(),
                       a["transB"].get<bool>());
}
InferredShape softmax(const std::vector<Shape> &in, const AttrValues &a) {
  bool generated = a["causal"].get<bool>() || a["window"].get<int64_t>() >= 0 || a["stride"].get<int64_t>() > 0 ||
                   !a["global_tokens"].empty() || a["mask"] != "" || a["score"] != "";
  return nn::inferSoftmax(in[0], in.size() > 1 ? &in[1] : nullptr, a["axis"].get<int64_t>(), generated);
}
InferredShape layerNorm(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferLayerNorm(in[0], in[1], in[2], a["axis"].get<int64_t>());
}
InferredShape reduce(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferReduce(in[0], ints(a["axes"]), a["keepdims"].get<bool>());
}
InferredShape transpose(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferTranspose(in[0], ints(a["perm"]));
}
InferredShape reshape(const std::vector<Shape> &in, const AttrValues &a) {
  Shape target;
  for (const json &d : a["shape"])
    target.push_back(d.is_string() ? Dim::named(d.get<std::string>()) : Dim::constant(d.get<int64_t>()));
  return nn::inferReshape(in[0], target);
}
InferredShape slice(const std::vector<Shape> &in, const AttrValues &a) {
  std::vector<int64_t> starts = ints(a["starts"]), ends = ints(a["ends"]), axes;
  if (a["axes"].empty()) // default: the leading axes
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  else
    axes = ints(a["axes"]);
  if (axes.size() != starts.size() || ends.size() != starts.size())
    return InferredShape::fail("Slice needs as many starts, ends and axes");
  // Negative starts and ends count from the end of a constant dimension (ONNX), then clamp.
  for (size_t i = 0; i < axes.size(); ++i) {
    auto axis = normalizeAxis(axes[i], in[0].size());
    if (!axis || in[0][*axis].isSymbolic())
      continue;
    int64_t dim = in[0][*axis].value;
    for (int64_t *v : {&starts[i], &ends[i]})
      if (*v < 0)
        *v = std::max<int64_t>(0, *v + dim);
  }
  return nn::inferSlice(in[0], starts, ends, axes);
}
InferredShape concat(const std::vector<Shape> &in, const AttrValues &a) {
  return nn::inferConcat(in, a["axis"].get<int64_t>());
}

const json kRequired = nullptr;
const AttrSpec kTransA{"transA", AttrKind::Flag, "transpose_a", false};
const AttrSpec kTransB{"transB", AttrKind::Flag, "transpose_b", false};

const std::vector<OpSpec> &table() {
  static const std::vector<OpSpec> ops = [] {
    std::vector<OpSpec> t = {
        {"MatMul", "nn.matmul", 2, 2, {kTransA, kTransB, {"alpha", AttrKind::Float, "alpha", 1.0}}, matmul},
        {"Gemm", "nn.gemm", 2, 3,
         {kTransA, kTransB, {"alpha", AttrKind::Float, "alpha", 1.0}, {"beta", AttrKind::Float, "beta", 1.0}}, gemm},
        {"Gelu", "nn.gelu", 1, 1, {{"approximate", AttrKind::TanhOrNone, "tanh_approximation", "none"}}, same},
        {"Elu", "nn.elu", 1, 1, {{"alpha", AttrKind::Float, "alpha", 1.0}}, same},
        {"Scale", "nn.scale", 1, 1,
         {{"alpha", AttrKind::Float, "alpha", kRequired}, {"bias", AttrKind::Float, "bias", 0.0}}, same},
        {"Softmax", "nn.softmax", 1, 2,
         {{"axis", AttrKind::Int, "axis", -1},
          {"scale", AttrKind::Float, "scale", 1.0},
          {"causal", AttrKind::Flag, "causal", false},
          {"window", AttrKind::Int, "window", -1, -1},
          {"stride", AttrKind::Int, "stride", 0, 0},
          {"global_tokens", AttrKind::IntList, "global_tokens", json::array(), 0},
          {"mask", AttrKind::MaskExpr, "mask_expr", ""},
          {"score", AttrKind::ScoreExpr, "score_expr", ""}},
         softmax},
        {"LayerNormalization", "nn.layer_norm", 3, 3,
         {{"axis", AttrKind::Int, "axis", -1}, {"epsilon", AttrKind::Float, "epsilon", 1e-5, 1e-30}}, layerNorm},
        {"Transpose", "nn.transpose", 1, 1, {{"perm", AttrKind::IntList, "permutation", kRequired}}, transpose},
        {"Reshape", "nn.reshape", 1, 1, {{"shape", AttrKind::DimList, "", kRequired}}, reshape},
        {"Slice", "nn.slice", 1, 1,
         {{"starts", AttrKind::IntList, "starts", kRequired},
          {"ends", AttrKind::IntList, "ends", kRequired},
          {"axes", AttrKind::IntList, "axes", json::array()}},
         slice},
        {"Concat", "nn.concat", 1, 64, {{"axis", AttrKind::Int, "axis", kRequired}}, concat},
        {"Where", "nn.where", 3, 3, {}, where},
    };
    for (auto [op, ir] : {std::pair{"Add", "nn.add"}, {"Sub", "nn.sub"}, {"Mul", "nn.mul"}, {"Div", "nn.div"}})
      t.push_back({op, ir, 2, 2, {}, broadcast});
    for (auto [op, ir] : {std::pair{"Exp", "nn.exp"}, {"Tanh", "nn.tanh"}, {"Erf", "nn.erf"}, {"Relu", "nn.relu"},
                          {"Sqrt", "nn.sqrt"}, {"Reciprocal", "nn.reciprocal"}})
      t.push_back({op, ir, 1, 1, {}, same});
    for (auto [op, ir] : {std::pair{"ReduceSum", "nn.reduce_sum"}, {"ReduceMax", "nn.reduce_max"},
                          {"ReduceMean", "nn.reduce_mean"}})
      t.push_back({op, ir, 1, 1,
                   {{"axes", AttrKind::IntList, "axes", kRequired}, {"keepdims", AttrKind::Bool, "keepdims", true}},
                   reduce});
    return t;
  }();
  return ops;
}
} // namespace

const OpSpec *lookupOp(const std::string &op) {
  for (const OpSpec &spec : table())
    if (op == spec.op)
      return &spec;
  return nullptr;
}

std::vector<std::string> knownOps() {
  std::vector<std::string> names;
  for (const OpSpec &spec : table())
    names.push_back(spec.op);
  return names;
}

} // namespace dmc
