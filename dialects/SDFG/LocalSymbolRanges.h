//===- LocalSymbolRanges.h - the values local symbols take in each state --===//
//
// Local symbols (loop counters) are assigned only on interstate edges and start at 0 (the emitted run
// function initialises them). An interval analysis over the state machine gives, for each state, a
// [min, max] of every local symbol linear in the free symbols: edge conditions refine the ranges
// (`i < S` bounds i by S - 1 on that edge), assignments compute new ones from the old (`i + 1`), joins
// keep the provably smaller/larger bound, and a bound that still moves after a few rounds is dropped
// (widening), so loops converge. The memlet bounds verifier uses it for indices with local symbols.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_LOCALSYMBOLRANGES_H
#define DMC_SDFG_LOCALSYMBOLRANGES_H

#include "dialects/SDFG/SubsetPropagation.h"

#include "llvm/ADT/DenseMap.h"

namespace dmc::sdfg {

class SDFGOp;
class StateOp;

/// The range of each local symbol of `sdfg` while `state` runs, over every path of the state machine;
/// an end is nullopt when no bound is known. Sound: every value the symbol has in the state lies inside.
llvm::DenseMap<mlir::Value, Range> localSymbolRanges(SDFGOp sdfg, StateOp state);

} // namespace dmc::sdfg

#endif
