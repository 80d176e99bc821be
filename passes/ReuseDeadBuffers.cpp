//===- ReuseDeadBuffers.cpp - transients with disjoint lives share memory -===//
//
// In a layer's single state most intermediates live from one node to the next. A transient whose
// life starts after another's has ended can use the other's memory: the later one becomes a view of
// the earlier one, which shrinks the transient footprint (and the number of persistent buffers).
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/analysis/Containers.h"

namespace dmc {
#define GEN_PASS_DEF_REUSEDEADBUFFERS
#include "passes/Passes.h.inc"
} // namespace dmc

using namespace mlir;
using namespace dmc;

namespace {
struct Life {
  sdfg::AllocOp alloc;
  Operation *first, *last;
};

struct ReuseDeadBuffers : dmc::impl::ReuseDeadBuffersBase<ReuseDeadBuffers> {
  dmc::PassStatistic numReused{this, "buffers-reused", "transients placed in the allocation of a dead one"};
  void runOnOperation() override {
    // Program order of the ops directly in states (states in order): a total order for the sort below.
    // (Block::isBeforeInBlock is no such order across states, and MLIR 19's crashes when an op that is
    // alone in its block is compared with itself, as when two dead buffers are written by one map.)
    DenseMap<Operation *, unsigned> position;
    getOperation().walk([&](sdfg::StateOp state) {
      for (Operation &op : state->getRegion(0).front())
        position[&op] = position.size();
    });
    SmallVector<Life> lives;
    for (auto alloc : getOperation().getBodyBlock().getOps<sdfg::AllocOp>()) {
      if (!isPrivateTransient(alloc.getResult()) || alloc.getStorage() != sdfg::Storage::heap ||
          alloc.getLifetime() == sdfg::Lifetime::scope) // per-worker buffers of a tile nest
        continue;
      SmallVector<Operation *> ops = accessesInOneState(alloc.getResult());
      if (!ops.empty())
        lives.push_back({alloc, ops.front(), ops.back()});
    }
    // Buffers in order of their first access; each later transient takes the first buffer of the same
    // element type and count whose current occupant's life ended before it starts.
    llvm::stable_sort(lives, [&](const Life &a, const Life &b) { return position[a.first] < position[b.first]; });
    SmallVector<Life> buffers; // the allocation kept, and the last access of its latest occupant
    for (Life &life : lives) {
      auto type = life.alloc.getType();
      Life *host = nullptr;
      if (writesAllWithoutReading(life.first, life.alloc.getResult()))
        for (Life &b : buffers)
          if (b.alloc.getType().getElementType() == type.getElementType() &&
              numElements(b.alloc.getType().getShape()) == numElements(type.getShape()) &&
              b.last->getBlock() == life.first->getBlock() && position[b.last] < position[life.first]) {
            host = &b;
            break;
          }
      if (!host) {
        buffers.push_back(life);
        continue;
      }
      // The view is placed right after the host's allocation, so it dominates every use.
      OpBuilder builder(host->alloc);
      builder.setInsertionPointAfter(host->alloc);
      Value storage = host->alloc.getResult();
      if (storage.getType() != type)
        storage = builder.create<sdfg::ReshapeViewOp>(life.alloc.getLoc(), type, storage);
      life.alloc.getResult().replaceAllUsesWith(storage);
      life.alloc->erase();
      host->last = life.last;
      ++numReused;
    }
  }
};
} // namespace
