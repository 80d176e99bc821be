//===- WriteOwnership.h - which iteration of a parallel map owns an element ===//
//
// A wcr store updates an element in place. Inside an `omp` map, iterations run concurrently, so two of
// them updating one element race unless the update is synchronised. A store whose element is written
// by one iteration of every enclosing `omp` map needs no synchronisation: that iteration owns it. The
// `resolve-write-conflicts` pass marks such stores `owned`; the store verifier checks the claim with
// this proof, and the emitter synchronises every wcr store not marked `owned`.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SDFG_WRITEOWNERSHIP_H
#define DMC_SDFG_WRITEOWNERSHIP_H

#include "dialects/SDFG/SDFGOps.h"

namespace dmc::sdfg {

/// True when distinct iterations of `owner` (an omp map around `store`) store to distinct elements:
/// every parameter of `owner` is, by itself, one of the store's indices, or a tile origin whose tile
/// parameter (ranging over [origin, origin + step of origin)) is. Two iterations differ in some
/// parameter, hence in that index or in a tile no other origin shares.
bool isOwnedByIterationOf(StoreOp store, MapOp owner);

/// True when no two concurrently running iterations update the element `store` writes: for every
/// enclosing `omp` map, isOwnedByIterationOf holds (trivially true outside any `omp` map).
bool isOwnedByIteration(StoreOp store);

} // namespace dmc::sdfg

#endif
