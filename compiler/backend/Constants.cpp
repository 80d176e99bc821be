//===- Constants.cpp - constant inputs of a compiled graph ----------------===//
#include "compiler/backend/Constants.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cstring>

using namespace mlir;

namespace dmc {

bool ConstantLayout::contains(unsigned argNumber) const { return find(argNumber) != nullptr; }

const ConstantInput *ConstantLayout::find(unsigned argNumber) const {
  for (const ConstantInput &c : inputs)
    if (c.argNumber == argNumber)
      return &c;
  return nullptr;
}

FailureOr<ConstantLayout> constantLayout(sdfg::SDFGOp sdfg) {
  ConstantLayout layout;
  layout.file = sdfg.getSymName().str() + ".weights.bin";
  Attribute attr = sdfg->getAttr(sdfg::SDFGOp::kConstantsAttr);
  if (!attr)
    return layout;
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return sdfg.emitOpError("dmc.constants must be a dictionary of input names to dense f32 data"), failure();
  size_t matched = 0;
  for (BlockArgument a : sdfg.getInputArgs()) {
    StringRef name = sdfg.getAbiName(a.getArgNumber());
    Attribute value = dict.get(name);
    if (!value)
      continue;
    ++matched;
    auto data = dyn_cast<DenseElementsAttr>(value);
    auto arrayType = cast<sdfg::ArrayType>(a.getType());
    std::vector<int64_t> shape;
    for (const Dim &d : arrayType.getShape()) {
      if (d.isSymbolic())
        return sdfg.emitOpError("constant input '") << name << "' has a symbolic shape", failure();
      shape.push_back(d.value);
    }
    auto type = data ? dyn_cast<RankedTensorType>(data.getType()) : nullptr;
    if (!type || !type.getElementType().isF32() || type.getShape() != ArrayRef<int64_t>(shape))
      return sdfg.emitOpError("dmc.constants entry '") << name << "' is not dense f32 data of the input's shape",
             failure();
    int64_t count = type.getNumElements();
    // Each constant starts on a 64-byte boundary, like a run-time argument from dmcrt_alloc: the kernels'
    // packing reads them at full speed.
    layout.total = (layout.total + kConstantAlignment - 1) / kConstantAlignment * kConstantAlignment;
    layout.inputs.push_back({a.getArgNumber(), name.str(), layout.total, count, data});
    layout.total += count;
  }
  if (matched != dict.size())
    return sdfg.emitOpError("dmc.constants names something that is not an input"), failure();
  return layout;
}

std::string constantFileBytes(const ConstantLayout &layout) {
  std::string bytes;
  bytes.reserve(layout.total * 4);
  for (const ConstantInput &c : layout.inputs) {
    bytes.resize(c.offset * 4, '\0'); // the padding up to its aligned offset
    ArrayRef<char> raw = c.data.getRawData(); // f32, host order = little-endian on the targets dmc builds for
    for (int64_t i = 0, n = c.data.isSplat() ? c.count : 1; i < n; ++i) // a splat holds one element
      bytes.append(raw.data(), raw.size());
  }
  return bytes;
}

} // namespace dmc
