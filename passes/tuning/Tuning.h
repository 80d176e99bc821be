//===- Tuning.h - measured kernel choices: what is tuned and how it is keyed -===//
//
// `dmc tune` times candidate implementations of each kernel-level node on this machine and stores the
// fastest in a tuning database (TuningDatabase.h); --apply-tuned-choices writes a stored choice onto
// the node (`impl`, `tiles`) when -O3 compiles a graph on the same machine. This file owns what both
// sides must agree on: which nodes are tuned, the key of a node (its signature) and of a machine, and
// what a choice is.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_TUNING_TUNING_H
#define DMC_PASSES_TUNING_TUNING_H

#include "mlir/IR/Operation.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dmc::tuning {

/// The discardable attribute --apply-tuned-choices writes on every tunable node: "tuned" (its `impl`
/// and `tiles` come from the database) or "default" (no stored choice: the pass options decide).
inline constexpr llvm::StringLiteral kTuningAttrName = "tuning";

/// What a measurement is valid for: the CPU model (lower case, runs of other characters as '-'), the
/// vector ISA the kernels use (avx512, avx2, generic) and the OpenMP thread count.
struct Machine {
  std::string cpu, isa;
  int64_t threads = 1;
  /// "cpu/isa/Nt", for messages.
  std::string describe() const;
};
/// This machine with `threads` threads.
Machine hostMachine(int64_t threads);
/// A CPU model name as Machine::cpu spells it: "AMD EPYC 9B45 " -> "amd-epyc-9b45".
std::string cpuSlug(llvm::StringRef model);

/// Whether the node is one `dmc tune` times: a GEMM, attention, softmax or layer norm whose
/// implementation the graph file did not fix, with every size known.
bool isTunable(mlir::Operation *node);

/// The node as the database keys it: op name, operand types (sizes included), which inputs are constant
/// inputs of the SDFG (work on those alone runs once per handle, so the fastest choice may differ), and
/// the attributes that change what it computes; not its label nor the attributes a choice writes.
std::string nodeSignature(mlir::Operation *node);
/// The positions of the node's inputs that are constant inputs of its SDFG (SDFGOp::isConstantInput).
std::vector<unsigned> constantOperands(mlir::Operation *node);

/// One implementation of a node: `impl` (pure, tiled, library) and, for tiled, block sizes by their
/// `tiles` keys (nn::tileParameterNames); missing keys take the pass options' defaults.
struct Choice {
  std::string impl;
  std::map<std::string, int64_t> tiles;
  /// "tiled m=48 n=256 k=256", "library". Tile keys other than the tileParameterNames are not shown
  /// (none are stored: the verifier refuses them).
  std::string describe() const;
  bool operator==(const Choice &other) const { return impl == other.impl && tiles == other.tiles; }
};
/// The candidates `dmc tune` times for `node`: the default choice of -O3 first, then the runtime call,
/// the tiled expansion at its default blocks and at one block halved or doubled at a time (in multiples
/// of the register tile, repeats of an equivalent blocking dropped), and the pure expansion when
/// `withPure`. Only implementations the node can take.
std::vector<Choice> candidatesFor(mlir::Operation *node, const Choice &defaultChoice, bool withPure);
/// Writes `choice` onto the node: `impl`, and `tiles` (removed when the choice has none).
void applyChoice(mlir::Operation *node, const Choice &choice);

} // namespace dmc::tuning

#endif
