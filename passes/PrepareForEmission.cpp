//===- PrepareForEmission.cpp - legalise the IR so the emitter only prints ===//
//
// Runtime kernels take contiguous row-major tensors. A library node that reads a transposed or sliced
// view gets a copy of it in a fresh contiguous transient; one that writes such a view writes a transient
// that is copied into the view afterwards. The tiled kernels (fused_matmul, attention) take strided
// views, so only their operands without a strided layout (a reshape of a transposed or sliced view,
// sdfg::stridedLayout) get copies. Every transient also gets a unique identifier name, so the
// emitter never has to invent or repair names.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

namespace dmc {
#define GEN_PASS_DEF_PREPAREFOREMISSION
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
struct PrepareForEmission : dmc::impl::PrepareForEmissionBase<PrepareForEmission> {
  dmc::PassStatistic numCopies{this, "contiguous-copies", "copies made for library nodes that touch strided views"};
  void runOnOperation() override {
    sdfg::SDFGOp sdfg = getOperation();
    llvm::StringSet<> names;
    for (Attribute n : sdfg.getArgNames())
      names.insert(cast<StringAttr>(n).getValue());
    auto uniqueName = [&](StringRef stem) {
      std::string base = isIdentifier(stem.str()) ? stem.str() : "tmp", name = base;
      for (int i = 1; !names.insert(name).second; ++i)
        name = base + "_" + std::to_string(i);
      return name;
    };
    for (auto alloc : sdfg.getBodyBlock().getOps<sdfg::AllocOp>())
      if (alloc.getName())
        names.insert(*alloc.getName());
    OpBuilder b(&getContext());
    for (auto alloc : llvm::make_early_inc_range(sdfg.getBodyBlock().getOps<sdfg::AllocOp>()))
      if (!alloc.getName())
        alloc.setNameAttr(b.getStringAttr(uniqueName("tmp")));

    // A contiguous stand-in for each strided view a library node touches.
    Operation *firstState = *sdfg.getStates().begin();
    auto newTransient = [&](Value like, StringRef stem) {
      b.setInsertionPoint(firstState);
      return b.create<sdfg::AllocOp>(like.getLoc(), like.getType(), sdfg::Storage::heap, sdfg::Lifetime::state,
                                     b.getStringAttr(uniqueName(stem)));
    };
    sdfg.walk([&](nn::LibraryNode node) {
      Operation *op = node.getOperation();
      // The tiled kernels take any view with a strided layout, the reference kernels contiguous ones.
      bool takesStrided = isa<nn::FusedMatMulOp, nn::AttentionOp>(op);
      std::string label = node.getLabel() ? node.getLabel()->str() : "node";
      unsigned numInputs = node.getInputs().size();
      for (OpOperand &operand : op->getOpOperands()) {
        Value view = operand.get();
        if (takesStrided ? sdfg::stridedLayout(view).has_value() : isContiguous(view))
          continue;
        bool isInput = operand.getOperandNumber() < numInputs;
        auto tmp = newTransient(view, label + (isInput ? "_in" : "_out"));
        if (isInput) {
          b.setInsertionPoint(op);
          b.create<sdfg::CopyOp>(op->getLoc(), view, tmp);
        } else {
          b.setInsertionPointAfter(op);
          b.create<sdfg::CopyOp>(op->getLoc(), tmp, view);
        }
        operand.set(tmp);
        ++numCopies;
      }
    });
  }
};
} // namespace
