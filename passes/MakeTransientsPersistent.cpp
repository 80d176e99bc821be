//===- MakeTransientsPersistent.cpp - keep heap transients across calls ---===//
//
// A heap transient of lifetime `sdfg` is allocated (and zeroed by dmcrt_alloc) on every call; for the
// megabyte-sized intermediates of an attention layer that is page faults and a memset per call. A
// `persistent` transient lives in the handle instead and is allocated once. Its contents then survive
// from one call to the next, so the pass only applies where no call can observe them: every access to
// the transient is in one state, and the first one is a library node that writes all of it (as an
// output, directly or through a transpose or reshape view) without reading it.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_MAKETRANSIENTSPERSISTENT
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
bool firstAccessWritesAll(sdfg::AllocOp alloc) {
  SmallVector<Operation *> ops = accessesInOneState(alloc.getResult());
  return !ops.empty() && writesAllWithoutReading(ops.front(), alloc.getResult());
}

struct MakeTransientsPersistent : dmc::impl::MakeTransientsPersistentBase<MakeTransientsPersistent> {
  dmc::PassStatistic numPersistent{this, "transients-made-persistent", "heap transients allocated once per handle"};
  void runOnOperation() override {
    for (auto alloc : getOperation().getBodyBlock().getOps<sdfg::AllocOp>())
      if (alloc.getStorage() == sdfg::Storage::heap && alloc.getLifetime() == sdfg::Lifetime::sdfg &&
          firstAccessWritesAll(alloc)) {
        alloc.setLifetime(sdfg::Lifetime::persistent);
        ++numPersistent;
      }
  }
};
} // namespace
