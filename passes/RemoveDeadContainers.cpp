//===- RemoveDeadContainers.cpp - erase unused transients and views -------===//
#include "passes/Passes.h"

#include "dialects/SDFG/Views.h"

namespace dmc {
#define GEN_PASS_DEF_REMOVEDEADCONTAINERS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;

namespace {
struct RemoveDeadContainers : dmc::impl::RemoveDeadContainersBase<RemoveDeadContainers> {
  dmc::PassStatistic numErased{this, "containers-erased", "transients and views erased"};
  void runOnOperation() override {
    // Views first, repeatedly: erasing a view can leave its source unused.
    bool changed = true;
    while (changed) {
      changed = false;
      getOperation().walk([&](Operation *op) {
        if ((dmc::sdfg::isView(op) || isa<dmc::sdfg::AllocOp>(op)) &&
            op->use_empty()) {
          op->erase();
          ++numErased;
          changed = true;
        }
      });
    }
  }
};
} // namespace
