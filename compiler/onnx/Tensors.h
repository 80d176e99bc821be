//===- Tensors.h - ONNX TensorProto and AttributeProto as Values ----------===//
#ifndef DMC_ONNX_TENSORS_H
#define DMC_ONNX_TENSORS_H

#include "compiler/onnx/Values.h"

#include <optional>
#include <string>

namespace onnx {
class TensorProto;
class AttributeProto;
class NodeProto;
} // namespace onnx

namespace dmc::onnx_import {

/// Folded data are capped: a hostile ConstantOfShape or Expand must not allocate without bound.
constexpr int64_t kMaxKnownElements = int64_t(1) << 26;

/// The data of a tensor (raw_data, the typed fields, or an external data file inside `modelDir`) as a
/// Known value. nullopt with `why` for unsupported types, inconsistent sizes or unreadable files.
std::optional<Value> readTensor(const onnx::TensorProto &tensor, const std::string &modelDir, std::string &why);

/// Attribute accessors; `found` tells whether the node has it at all.
const onnx::AttributeProto *findAttribute(const onnx::NodeProto &node, const std::string &name);

} // namespace dmc::onnx_import

#endif
