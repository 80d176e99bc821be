//===- ChooseTransientStorage.cpp - small transients on the stack ---------===//
//
// A heap transient costs an allocation (and a zeroing) per call; a small one of constant size fits in
// the run function's stack frame (or, at a few elements, in registers) at no cost. Stack memory is not
// zeroed, so only a transient that no call can read before writing qualifies: all its accesses are in
// one state, the first a library node that writes all of it without reading it.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_CHOOSETRANSIENTSTORAGE
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
struct ChooseTransientStorage : dmc::impl::ChooseTransientStorageBase<ChooseTransientStorage> {
  using Base::Base;
  dmc::PassStatistic numStack{this, "transients-on-stack", "transients moved from the heap to the stack"};
  dmc::PassStatistic numRegister{this, "transients-in-registers", "transients moved from the heap to registers"};
  void runOnOperation() override {
    constexpr int64_t kRegisterElements = 16;
    for (auto alloc : getOperation().getBodyBlock().getOps<sdfg::AllocOp>()) {
      sdfg::ArrayType type = alloc.getType();
      auto count = evaluateNumElements(type.getShape(), {});
      unsigned bits = type.getElementType().getIntOrFloatBitWidth();
      if (!count || alloc.getStorage() != sdfg::Storage::heap || alloc.getLifetime() != sdfg::Lifetime::sdfg ||
          *count * (int64_t)(bits / 8) > (int64_t)maxStackBytes)
        continue;
      SmallVector<Operation *> ops = accessesInOneState(alloc.getResult());
      if (ops.empty() || !writesAllWithoutReading(ops.front(), alloc.getResult()))
        continue;
      alloc.setStorage(*count <= kRegisterElements ? sdfg::Storage::reg : sdfg::Storage::stack);
      ++(*count <= kRegisterElements ? numRegister : numStack);
    }
  }
};
} // namespace
