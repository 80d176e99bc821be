//===- MovementAnalysis.h - bytes moved per container, node and state -----===//
//
// The data-movement analysis of one sdfg.sdfg: which container every op reads and writes and how many
// bytes, summed per container, per top-level node of a state (library node, copy, map), per state and
// in total, plus the heap-transient footprint. The counting rules are the contract of docs/movement.md:
//
//   - a library node reads each distinct input operand whole and writes each output whole;
//   - sdfg.copy reads the source and writes the destination, whole;
//   - memlets (sdfg.load / sdfg.store) inside a top-level map move, per container, the distinct elements
//     the map touches: the bounding box of the propagated subsets (memletSubset) of its loads, and of
//     its stores, clamped to the container (a wcr store reads and writes its box). The number of memlet
//     executions (iterations of all enclosing maps, counted exactly) x element size is kept apart as
//     "accesses";
//   - accesses through a view count for the viewed container, with the view's size;
//   - containers with storage register or stack are on-chip: counted apart, not in the memory totals.
//
// Sizes use the shapes' constant dimensions and, for free symbols, the values in `Bindings` (by
// symbol name). A number that needs a symbol without a value is unknown, never guessed.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_ANALYSIS_MOVEMENTANALYSIS_H
#define DMC_PASSES_ANALYSIS_MOVEMENTANALYSIS_H

#include "dialects/SDFG/SDFGOps.h"
#include "dialects/Support/Shape.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dmc {

/// A byte (or element) count that may be unknown: sums with an unknown term are unknown.
struct Bytes {
  int64_t value = 0;
  bool known = true;

  static Bytes of(int64_t v) { return Bytes{v, true}; }
  static Bytes unknown() { return Bytes{0, false}; }
  Bytes &operator+=(const Bytes &other);
  friend Bytes operator+(Bytes a, const Bytes &b) { return a += b; }
  bool operator==(const Bytes &o) const { return known == o.known && (!known || value == o.value); }
  bool operator!=(const Bytes &o) const { return !(*this == o); }
};

/// Bytes read and written in memory, and apart from them the on-chip (register/stack) traffic.
struct Traffic {
  Bytes read, written;
  Bytes onChipRead, onChipWritten;
  Bytes moved() const { return read + written; }
  Traffic &operator+=(const Traffic &other);
};

enum class ContainerKind { Input, Output, Transient };
llvm::StringRef stringifyContainerKind(ContainerKind kind);

struct ContainerMovement {
  mlir::Value value;      // the block argument or sdfg.alloc result
  std::string name;       // argument name, or the alloc's `name` (alloc<N> without one)
  ContainerKind kind;
  std::string storage;    // heap, stack, register, thread_local (arguments: heap)
  std::string lifetime;   // transients only
  bool onChip = false;    // storage register or stack
  std::string shape;      // "[2, S, 64]" as declared
  int64_t elementSize = 0;
  Bytes size;             // elements * element size
  Bytes read, written;
};

/// One access of an op to a container (views resolved) in one execution of its state. A wcr store
/// gives a read and a write access. For library nodes and copies `elements` is the whole operand (what
/// the op moves). For memlets it is the number of executions, so `bytes` is the access volume, not the
/// moved bytes: those are counted per top-level map and container (see docs/movement.md).
struct Access {
  mlir::Operation *op;
  mlir::Value container;  // the viewed container (argument or alloc)
  bool isWrite;
  Bytes elements;         // elements touched (memlets: executions)
  Bytes bytes;
};

/// A top-level op of a state that moves data.
struct NodeMovement {
  mlir::Operation *op;
  std::string kind;       // "nn.matmul", "sdfg.copy", "sdfg.map"
  std::string label;      // a library node's label, "src -> dst" for a copy, "mapN" for a map
  std::vector<std::string> writes; // containers written (maps and copies; library nodes: outputs)
  Traffic traffic;        // moved: distinct elements per container (maps), whole operands (others)
  Traffic accesses;       // memlet executions x element size (maps); equal to `traffic` for the others
  /// The parts of `traffic`: bytes moved per container (index into MovementResult::containers) and
  /// direction, in first-access order (a container reached through two operands has two entries).
  struct Part {
    size_t container;
    bool isWrite;
    Bytes bytes;
  };
  std::vector<Part> parts;
};

struct StateMovement {
  std::string name;
  Traffic traffic;
  Traffic accesses;       // sum of the nodes' accesses
  std::vector<NodeMovement> nodes;
  Bytes liveTransients;   // heap transients live during this state (see docs/movement.md)
};

struct MovementResult {
  std::string sdfgName;
  std::vector<ContainerMovement> containers; // inputs, outputs, then transients in declaration order
  std::vector<StateMovement> states;         // in block order
  std::vector<Access> accesses;
  Traffic totals;
  Traffic totalAccesses;                     // sum of the states' accesses
  Bytes transientFootprint;                  // sum of the sizes of heap transients
  Bytes peakTransients;                      // max over states of liveTransients
  std::vector<std::string> unknownSymbols;   // symbols whose missing value made a number unknown
  std::vector<std::string> notes;            // other reasons for unknown numbers

  const ContainerMovement *findContainer(llvm::StringRef name) const;
  const StateMovement *findState(llvm::StringRef name) const;
};

/// Analyses `sdfg` with values for its remaining free (and, rarely, local) symbols.
MovementResult analyzeMovement(sdfg::SDFGOp sdfg, const Bindings &bindings = {});

/// The analysis in MLIR's analysis-manager form (`getAnalysis<MovementAnalysis>()` in a pass on
/// sdfg.sdfg), without symbol values: numbers depending on free symbols are unknown.
struct MovementAnalysis {
  explicit MovementAnalysis(mlir::Operation *op);
  MovementResult result;
};

} // namespace dmc

#endif
