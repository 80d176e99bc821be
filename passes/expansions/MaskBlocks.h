//===- MaskBlocks.h - key blocks a mask expression may keep (internal) ----===//
//
// Block skipping by analysis for the tiled attention (TiledAttention.cpp): for the query block at row
// q0, the key blocks that can hold a kept entry of a mask expression, and among them those where it
// keeps every entry. The expression is brought to a disjunction of conjunctions of atoms; an atom is
// affine, a*i + b*j + c >= 0 (comparisons of affine ints; |e| <= f is two atoms), or unknown (anything
// else: modulo, division, h, tensors), which may be true and never proves a block full. Per conjunct,
// interval reasoning over the query block's rows [q0, q0 + BQ - 1] bounds j from both sides (atoms
// with b != 0) and decides whether any row can satisfy the atoms in i alone (b = 0); the same atoms over
// the whole block box give the blocks where the conjunct holds everywhere. A disjunction visits each
// conjunct's blocks outside the ranges of the conjuncts before it (MaskBlocks.cpp, `minus`), so no block
// is visited twice; past 16 ranges it visits every block, with the mask.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_EXPANSIONS_MASKBLOCKS_H
#define DMC_PASSES_EXPANSIONS_MASKBLOCKS_H

#include "dialects/Support/Expr.h"
#include "passes/expansions/TileNest.h"

namespace dmc::expansions {

/// A range [first, last) of key blocks, whether the mask may cut its blocks, and the one query block it
/// is for (-1: every query block).
struct KeyBlocks {
  IndexFn first, last;
  bool masked;
  int64_t queryBlock = -1;
};

/// The key-block ranges of the query block at row `q0` (blocks of `bq` queries and `bk` keys, `rows`
/// queries and `blocks` key blocks in all) that the mask expression `mask` may keep, disjoint; blocks
/// outside them hold no kept entry, and those marked unmasked are kept whole.
llvm::SmallVector<KeyBlocks> maskExprRanges(Expander &e, const expr::Node &mask, IndexFn q0, int64_t bq, int64_t bk,
                                            int64_t rows, IndexFn blocks);

} // namespace dmc::expansions

#endif
