//===- Constants.h - constant inputs, loaded when a library is created ----===//
//
// An input named in the sdfg.sdfg attribute `dmc.constants` (ABI name -> dense f32 data; the ONNX
// importer writes it for a model's initializers) is no run-time argument: the generated create function
// reads its data from NAME.weights.bin beside the library (dmcrt_load_constants), the run function and
// the manifest's `args` leave it out, and `dmc compile` writes the data file (docs/onnx.md).
//
//===----------------------------------------------------------------------===//
#ifndef DMC_BACKEND_CONSTANTS_H
#define DMC_BACKEND_CONSTANTS_H

#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <string>
#include <vector>

namespace dmc {

/// Constants start at multiples of this many floats in the data file (64 bytes).
constexpr int64_t kConstantAlignment = 16;

struct ConstantInput {
  unsigned argNumber;
  std::string name;  // ABI name
  int64_t offset;    // in floats, into the data file
  int64_t count;
  mlir::DenseElementsAttr data;
};

struct ConstantLayout {
  std::string file; // NAME.weights.bin
  std::vector<ConstantInput> inputs; // in argument order
  int64_t total = 0;
  bool contains(unsigned argNumber) const;
  const ConstantInput *find(unsigned argNumber) const;
};

/// The constant inputs of `sdfg`; fails (after a diagnostic on the op) when `dmc.constants` names no
/// input, or data whose type is not the input's f32 shape with constant dimensions.
mlir::FailureOr<ConstantLayout> constantLayout(sdfg::SDFGOp sdfg);

/// The data file's bytes: every constant's floats, little-endian, in layout order, each at its offset
/// (zeros between).
std::string constantFileBytes(const ConstantLayout &layout);

} // namespace dmc

#endif
