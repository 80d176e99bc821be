//===- Containers.h - views, roots and accesses, for legality checks -------===//
//
// What the fusion and layout passes ask before moving or merging nodes: which container a (possibly
// viewed) value stands for, which containers an op reads and writes, and whether a transient is
// private to a pair of ops.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_ANALYSIS_CONTAINERS_H
#define DMC_PASSES_ANALYSIS_CONTAINERS_H

#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/Views.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <type_traits>

namespace dmc {

// What a view means (root, contiguity, index mapping, layout) is owned by dialects/SDFG/Views.h.
using sdfg::isContiguous;
using sdfg::isView;
using sdfg::rootOf;

/// A non-persistent `sdfg.alloc` result (not a view, not an argument): invisible outside the SDFG.
bool isPrivateTransient(mlir::Value v);

/// The one op other than `except` that uses `v`; null when there is none or more than one.
mlir::Operation *soleOtherUser(mlir::Value v, mlir::Operation *except);

/// Adds the roots `op` reads and writes (library nodes by their operands, copies, and the loads and
/// stores nested in maps). Returns false for an op whose accesses it does not know.
bool collectAccesses(mlir::Operation *op, llvm::SmallPtrSetImpl<mlir::Value> &reads,
                     llvm::SmallPtrSetImpl<mlir::Value> &writes);

/// True when every op strictly between `from` and `to` (same block, `from` first) has known accesses,
/// writes none of `readRoots` and neither reads nor writes any of `writtenRoots`: then reads of
/// `readRoots` and writes of `writtenRoots` can move from one end of the range to the other.
bool rangeIsIndependent(mlir::Operation *from, mlir::Operation *to, llvm::ArrayRef<mlir::Value> readRoots,
                        llvm::ArrayRef<mlir::Value> writtenRoots);

/// A map directly in a state with unit steps whose body holds only loads, stores and tasklets.
bool isSimpleMap(sdfg::MapOp m);

/// Same parameters count, bounds (maps and operands), steps and schedule.
bool sameSpace(sdfg::MapOp a, sdfg::MapOp b);

namespace detail {
/// One post-order sweep of `block` for rewriteToFixpoint; returns whether a rewrite succeeded.
template <typename OpT, typename Fn>
bool rewriteSweep(mlir::Block &block, Fn &tryRewrite) {
  bool changed = false;
  for (mlir::Operation *op = block.empty() ? nullptr : &block.front(); op;) {
    for (mlir::Region &region : op->getRegions())
      for (mlir::Block &inner : region)
        changed |= rewriteSweep<OpT>(inner, tryRewrite);
    // Taken after the nested rewrites, which may have erased ops around `op` (never `op` itself).
    mlir::Operation *prev = op->getPrevNode();
    OpT typed;
    if constexpr (std::is_same_v<OpT, mlir::Operation *>)
      typed = op;
    else
      typed = llvm::dyn_cast<OpT>(op);
    if (typed && tryRewrite(typed)) {
      changed = true;
      op = prev ? prev->getNextNode() : (block.empty() ? nullptr : &block.front());
      continue;
    }
    op = op->getNextNode();
  }
  return changed;
}
} // namespace detail

/// Calls `tryRewrite` on every op of type OpT under `root` (post-order, as Operation::walk) until a whole
/// sweep rewrites nothing. After a rewrite the sweep goes on from the op before the rewritten one, so a
/// rewrite may erase its op, later ops of its block and ops of other blocks, but not the op before it
/// nor an op enclosing it. Going on instead of starting again at the top keeps a graph of N nodes
/// from costing N sweeps of N ops.
template <typename OpT, typename Fn>
void rewriteToFixpoint(mlir::Operation *root, Fn tryRewrite) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (mlir::Region &region : root->getRegions())
      for (mlir::Block &block : region)
        changed |= detail::rewriteSweep<OpT>(block, tryRewrite);
  }
}

/// The ops directly in a state that use `root` or a view of it, found through the use lists (a
/// container is only reached through its SSA value), each once, in no particular order.
llvm::SmallVector<mlir::Operation *> stateOpsUsing(mlir::Value root);

/// The subset of stateOpsUsing(root) that may write it: through a store, a library node's output, a
/// copy's destination, or a use this analysis does not know.
llvm::SmallVector<mlir::Operation *> stateOpsWriting(mlir::Value root);

/// The ops directly in a state that access `root` (through any view), in block order, when all of them
/// are in one state and have known accesses; empty otherwise.
llvm::SmallVector<mlir::Operation *> accessesInOneState(mlir::Value root);

/// True when `first` writes every element of `root` without reading it: a library node with `root` (or
/// a transpose/reshape view of it) as an output and not an input, or a perfect map nest whose stores
/// to `root` (directly, without wcr) each cover it and which loads none of it.
bool writesAllWithoutReading(mlir::Operation *first, mlir::Value root);

} // namespace dmc

#endif
