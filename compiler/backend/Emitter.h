//===- Emitter.h - shared state of the C++ emitter (internal) -------------===//
#ifndef DMC_BACKEND_EMITTER_H
#define DMC_BACKEND_EMITTER_H

#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/SDFG/Views.h"

#include "mlir/Support/IndentedOstream.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace dmc {

/// A C string literal of `text`: only printable ASCII other than quote and backslash passes through.
std::string stringLiteral(llvm::StringRef text);

/// Names and helpers for emitting one sdfg.sdfg. Every emit* routine prints one kind of op.
class Emitter {
public:
  Emitter(sdfg::SDFGOp sdfg, llvm::raw_ostream &os) : sdfg(sdfg), os(os) {}

  sdfg::SDFGOp sdfg;
  mlir::raw_indented_ostream os;
  llvm::DenseMap<mlir::Value, std::string> names;
  bool markNodes = false; // EmitOptions::markNodes
  /// Emits one op of a state (index: its position there) or of a map body (its position in the body)
  /// through `emit`; with markNodes, between `// dmc-node PATH` and `// dmc-node-end PATH`, PATH being the
  /// state's index then the op's position in each enclosing body. Every op is marked alike: which of them
  /// are drawn nodes is dmc view's business, not the emitter's.
  mlir::LogicalResult emitMarked(unsigned index, llvm::function_ref<mlir::LogicalResult()> emit);
  /// The positions of the op being emitted (emitMarked), outermost first; the first is the state's.
  llvm::SmallVector<unsigned> markPath;

  // Every C++ identifier made from an IR name has its namespace's prefix, and nothing else the generated
  // code declares or includes starts with one: the emitter's own names start with '_' (fresh) or `dmc_`,
  // the runtime's with `dmcrt_`/`DMCRT_`, and no macro of the included headers starts with `s_` or `v_`
  // (test/backend/check_names.py checks the preprocessor's complete list). So no graph name can spell a
  // keyword, an alternative token (`and`, `compl`), a macro (`M_PI`, `errno`) or another generated name.
  /// The C++ variable of the symbol (free or local) `name`.
  static std::string symbolName(llvm::StringRef name) { return "s_" + name.str(); }
  /// The C++ variable of the container (argument or transient) `name`.
  static std::string containerName(llvm::StringRef name) { return "v_" + name.str(); }
  /// A fresh local name; it starts with '_', which prefixed names never do.
  std::string fresh(llvm::StringRef stem) { return "_" + stem.str() + std::to_string(counter++); }
  unsigned persistentSlots = 0;
  const std::string &nameOf(mlir::Value v) const { return names.find(v)->second; }

  /// The C++ expression of a dimension: a constant or a symbol's variable.
  std::string dimExpr(const Dim &d) const;
  /// An element count (a stride or offset term), as a C++ int64_t expression.
  std::string elementCountExpr(const Monomial &m) const;
  /// Product of the dims, as a C++ int64_t expression.
  std::string numElementsExpr(const Shape &shape) const;

  // Library nodes (EmitLibraryCall.cpp).
  mlir::LogicalResult emitLibraryNode(mlir::Operation *op);
  /// A softmax's mask and score expressions before its runtime call: the scores, into its output
  /// (EmitExpr.cpp).
  mlir::LogicalResult emitSoftmaxExpressions(nn::SoftmaxOp op);
  /// Opens the `{ // op 'label'` block every library node's call is emitted in.
  void openNodeScope(mlir::Operation *op);
  /// Declares a dmcrt_tensor for a contiguous container and returns its name; fails for strided views.
  mlir::FailureOr<std::string> declareDescriptor(mlir::Value container, mlir::Operation *user);
  /// The pointer expression of a contiguous container (a reshape view shares its source's storage).
  mlir::FailureOr<std::string> contiguousPointer(mlir::Value container, mlir::Operation *user);

  // Nodes on the tiled kernels, which take strided views (EmitTiledCall.cpp).
  mlir::LogicalResult emitTiledNode(mlir::Operation *op);
  /// Declares a dmcrt_strided for a container or any strided view of one and returns its name.
  mlir::FailureOr<std::string> declareStrided(mlir::Value container, mlir::Operation *user);

  // Tile nests (EmitTile.cpp).
  /// sdfg.min / sdfg.max: a constant of the loop body, std::min / std::max of the expressions.
  mlir::LogicalResult emitTileBound(mlir::Operation *op, mlir::AffineMap map, mlir::ValueRange operands,
                                    llvm::StringRef function);
  mlir::LogicalResult emitMicroKernel(sdfg::UKernelOp call);
  /// Before the parallel loop of `owner`: allocates the per-worker buffers of the transients it owns.
  void emitWorkerBuffers(sdfg::MapOp owner);
  /// At the start of `owner`'s loop body: each owned transient's part for this worker.
  void bindWorkerBuffers(sdfg::MapOp owner);
  struct WorkerBuffer {
    sdfg::AllocOp alloc;
    std::string buffer, size;
  };
  llvm::SmallVector<WorkerBuffer> workerBuffers;

  // Maps, memlets and tasklets (EmitMap.cpp).
  mlir::LogicalResult emitMap(sdfg::MapOp map);      // a `once` map inside its guard
  mlir::LogicalResult emitMapLoops(sdfg::MapOp map);
  /// One op of a map's body: a nested map, a memlet, a tasklet, a tile bound or a micro-kernel call.
  mlir::LogicalResult emitBodyOp(mlir::Operation &op);
  mlir::LogicalResult emitCopy(sdfg::CopyOp copy);
  /// `base[offset]` for an element of `container` at C++ index expressions, through any views.
  std::string elementRef(mlir::Value container, llvm::SmallVector<std::string> indices);
  /// The element a load or store names: its affine indices, through views.
  std::string memletRef(mlir::Value array, mlir::AffineMap map, mlir::ValueRange indices);
  /// C++ for an affine expression whose dims/symbols are the given operands.
  std::string affineExpr(mlir::AffineExpr expr, mlir::ValueRange operands, unsigned numDims);
  /// Emits scalar ops of a region (tasklet body, edge condition); the yielded values' expressions are
  /// returned in `yielded`.
  mlir::LogicalResult emitScalarRegion(mlir::Region &region, llvm::SmallVectorImpl<std::string> &yielded);

private:
  unsigned counter = 0;
};

} // namespace dmc

#endif
