//===- Table.cpp - which function expands a node of a family under an impl ===//
//
// The one owner of the node families and of the (family, impl) -> expansion rows. A node's `impl`
// attribute (or expand-library-nodes' `impl` option) selects the row; `library` has no row: the node
// stays and becomes a runtime call. To add an implementation, add a row.
//
//===----------------------------------------------------------------------===//
#include "passes/expansions/Expansions.h"

using namespace mlir;

namespace dmc::expansions {

namespace {
const Family kFamilies[] = {
    {"elementwise", isElementwise}, {"matmul", isMatMul},     {"softmax", isSoftmax},
    {"layernorm", isLayerNorm},     {"reduce", isReduce},     {"layout", isLayout},
    {"fused_matmul", isFusedMatMul}, {"attention", isAttention},
};

const ExpansionEntry kExpansions[] = {
    {"elementwise", "pure", expandElementwise},
    {"matmul", "pure", expandMatMul},
    // `tiled` MatMul/Gemm: an nn.fused_matmul without epilogue (Gemm's beta * C as its pre addend), which
    // the backend runs on the tiled micro-kernels.
    {"matmul", "tiled", expandMatMulTiled},
    {"softmax", "pure", expandSoftmax},
    // `tiled` softmax, layer norm and reductions along the last axis: blocks of rows in parallel, each row
    // staged in a per-worker buffer and reduced by a row micro-kernel (TiledRows.cpp).
    {"softmax", "tiled", expandSoftmaxTiled, whyNotTiledRows},
    {"layernorm", "pure", expandLayerNorm},
    {"layernorm", "tiled", expandLayerNormTiled, whyNotTiledRows},
    {"reduce", "pure", expandReduce},
    {"reduce", "tiled", expandReduceTiled, whyNotTiledRows},
    {"layout", "pure", expandLayout},
    {"fused_matmul", "pure", expandFusedMatMul},
    // `tiled` fused_matmul: a tile nest of maps over packed panels and the runtime's GEMM micro-kernel.
    {"fused_matmul", "tiled", expandFusedMatMulTiled},
    {"attention", "pure", expandAttention},
    // `tiled` attention: query blocks in parallel, key blocks streamed through the online softmax on the
    // GEMM micro-kernel, only the blocks the generated mask keeps.
    {"attention", "tiled", expandAttentionTiled, whyNotTiledAttention},
};
} // namespace

ArrayRef<Family> families() { return kFamilies; }
ArrayRef<ExpansionEntry> expansionTable() { return kExpansions; }

const Family *familyOf(Operation *op) {
  for (const Family &f : kFamilies)
    if (f.matches(op))
      return &f;
  return nullptr;
}

ExpandFn findExpansion(Operation *op, StringRef impl) {
  const Family *family = familyOf(op);
  if (!family)
    return nullptr;
  for (const ExpansionEntry &row : kExpansions)
    if (row.family == family->name && row.impl == impl)
      return !row.whyNot || !row.whyNot(op) ? row.expand : nullptr;
  return nullptr;
}

const char *whyNotExpansion(Operation *op, StringRef impl) {
  if (impl == nn::kDnnlImpl)
    return nn::whyNotDnnl(op);
  const Family *family = familyOf(op);
  for (const ExpansionEntry &row : kExpansions)
    if (family && row.family == family->name && row.impl == impl && row.whyNot)
      return row.whyNot(op);
  return nullptr;
}

bool familyHasExpansion(Operation *op, StringRef impl) {
  if (impl == nn::kDnnlImpl) // not an expansion, but the family's all the same
    return isa<nn::FusedMatMulOp>(op);
  const Family *family = familyOf(op);
  return family && llvm::any_of(kExpansions, [&](const ExpansionEntry &row) {
           return row.family == family->name && row.impl == impl;
         });
}

SmallVector<StringRef> implementationsOf(Operation *op) {
  SmallVector<StringRef> out;
  if (const Family *family = familyOf(op))
    for (const ExpansionEntry &row : kExpansions)
      if (row.family == family->name && (!row.whyNot || !row.whyNot(op)))
        out.push_back(row.impl);
  // The runtime's attention kernel takes no mask or score expressions (the -O0 softmax call writes them
  // first: compiler/backend/EmitExpr.cpp).
  if (!(isa<nn::AttentionOp>(op) && nn::hasExpressions(op)))
    out.push_back("library");
  if (!nn::whyNotDnnl(op))
    out.push_back(nn::kDnnlImpl);
  return out;
}

std::string joinNames(ArrayRef<StringRef> names) {
  std::string out;
  for (StringRef n : names)
    out += (out.empty() ? "" : ", ") + n.str();
  return out;
}

std::string familyNamesList() {
  SmallVector<StringRef> names;
  for (const Family &f : kFamilies)
    names.push_back(f.name);
  return joinNames(names);
}

} // namespace dmc::expansions
