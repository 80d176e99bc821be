//===- Expansions.h - pure expansions of library nodes (internal) ---------===//
//
// Shared helpers of the `--expand-library-nodes` pass and one entry point per family of library nodes.
// Every expansion replaces one `nn` op by maps, memlets and tasklets placed just before it in its state
// (plus transients at SDFG level); the pass erases the node afterwards. The pass first checks that every
// node of the SDFG has an expansion, so that an unsupported node leaves the SDFG untouched.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES_EXPANSIONS_EXPANSIONS_H
#define DMC_PASSES_EXPANSIONS_EXPANSIONS_H

#include "dialects/NN/Expressions.h"
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringSet.h"

#include <optional>

namespace dmc::expansions {

/// One memlet index: `param + offset`, or the constant `offset` when `param` is null.
struct Index {
  mlir::Value param;
  int64_t offset = 0;
};
using Indices = llvm::SmallVector<Index, 6>;

/// Block sizes of a tiled GEMM: C blocks of mc x nc, K panels of depth kc, register tiles of mr x nr
/// computed by the micro-kernel `kernel` (dialects/SDFG/MicroKernels.h).
struct GemmTiling {
  int64_t mc = 96, nc = 256, kc = 256, mr = 12, nr = 32;
  std::string kernel = "gemm_12x32";
};
/// The default blocking: the widest register tile when the target has 512-bit vectors.
GemmTiling defaultGemmTiling(bool wideVectors);
/// Whether the compiling machine has 512-bit vectors (AVX-512F): what register-tile=auto picks by.
bool hostHasWideVectors();

/// Block sizes of tiled attention: query blocks of `queries` rows (one omp iteration each), key blocks of
/// `keys` (a multiple of the register tile's columns); the register tile is the GemmTiling's.
struct AttentionTiling {
  int64_t queries = 120, keys = 256;
};
/// The default blocking for the register tile of `gemm`: at most 128 queries in whole register tiles and
/// 256 keys, so a worker's blocks (about 440 KiB) stay in L2.
AttentionTiling defaultAttentionTiling(const GemmTiling &gemm);

/// Builds the replacement of one library node. The builder's insertion point starts just before the
/// node (in its state); `map` moves it into map bodies and back.
class Expander {
public:
  Expander(mlir::Operation *node, llvm::StringSet<> &usedNames);

  mlir::OpBuilder b;
  mlir::Location loc;
  sdfg::SDFGOp sdfg;
  mlir::Operation *node;
  /// Block sizes of tiled GEMMs (expand-library-nodes' options).
  GemmTiling gemmTiling;
  /// Block sizes of tiled attention (expand-library-nodes' options).
  AttentionTiling attentionTiling;
  /// Rows per block of the tiled softmax, layer norm and reductions (expand-library-nodes' row-block).
  int64_t rowBlock = kDefaultRowBlock;
  static constexpr int64_t kDefaultRowBlock = 16;

  /// The node's label, or its op name without the dialect, as a stem for transient names.
  std::string stem() const;
  /// A fresh transient `<stem>_<suffix>` (unique among the SDFG's names), declared at SDFG level.
  mlir::Value transient(const Shape &shape, mlir::Type element, llvm::StringRef suffix);

  /// Builds a map over [0, d) for each d in `dims` and calls `body` with its parameters, the insertion
  /// point inside the map. An empty `dims` gives a one-iteration map (a map needs a parameter); `body`
  /// then receives no parameters. The insertion point is restored after the map.
  void map(const Shape &dims, sdfg::Schedule schedule, llvm::function_ref<void(mlir::ValueRange)> body);

  mlir::Value load(mlir::Value array, llvm::ArrayRef<Index> indices);
  void store(mlir::Value value, mlir::Value array, llvm::ArrayRef<Index> indices,
             std::optional<sdfg::WCR> wcr = std::nullopt);

  using TaskletBody = llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::OpBuilder &, mlir::ValueRange)>;
  /// A tasklet with the given operands; `body` builds arith/math ops from the block arguments and returns
  /// the values to yield (their types are the tasklet's result types).
  llvm::SmallVector<mlir::Value> tasklet(mlir::ValueRange operands, TaskletBody body);
  mlir::Value tasklet1(mlir::ValueRange operands, TaskletBody body) { return tasklet(operands, body)[0]; }

  /// The SDFG's `index` value of a symbolic dimension.
  mlir::Value symbolValue(const Dim &d);

  /// The transients created so far (for the pass to remove them again if the expansion fails).
  llvm::SmallVector<mlir::Operation *> transients;

private:
  llvm::StringSet<> &usedNames;
};

// Scalar helpers for tasklet bodies.
mlir::Value floatConst(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double value);
mlir::Value indexConst(mlir::OpBuilder &b, mlir::Location loc, int64_t value);

/// Identity indices over `params`.
Indices identity(mlir::ValueRange params);
/// Indices into a container of shape `in` that NumPy-broadcasts to an iteration space whose trailing
/// dims are `params` (dims of size 1 that stretch are read at 0).
Indices broadcastIndices(const Shape &in, const Shape &out, mlir::ValueRange params);
/// The element count of `dims` as a value of `type`, built inside a tasklet body from constants and
/// the tasklet arguments `symbolArgs` (one per symbolic dim of `dims`, in order).
mlir::Value countInTasklet(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, const Shape &dims,
                           mlir::ValueRange symbolArgs);
/// Operands for countInTasklet: the SDFG symbols of the symbolic dims of `dims`.
llvm::SmallVector<mlir::Value> symbolOperands(Expander &e, const Shape &dims);

Shape shapeOf(mlir::Value container);
mlir::Type elementOf(mlir::Value container);
/// `axis` in [-rank, rank) as a position in [0, rank).

// Families: `is*` says whether a node belongs to the family, `expand*` builds its replacement before it
// (the pass erases the node afterwards, or on failure everything built for it).
bool isElementwise(mlir::Operation *op);
mlir::LogicalResult expandElementwise(Expander &e);
bool isMatMul(mlir::Operation *op);
mlir::LogicalResult expandMatMul(Expander &e);
/// MatMul as an nn.fused_matmul without epilogue: the tiled micro-kernel form.
mlir::LogicalResult expandMatMulTiled(Expander &e);
/// nn.fused_matmul as a tile nest with the Expander's `gemmTiling`: packing copies into per-worker
/// buffers, register tiles on the micro-kernel, the epilogue per block row (TiledMatMul.cpp).
mlir::LogicalResult expandFusedMatMulTiled(Expander &e);
bool isSoftmax(mlir::Operation *op);
mlir::LogicalResult expandSoftmax(Expander &e);
bool isLayerNorm(mlir::Operation *op);
mlir::LogicalResult expandLayerNorm(Expander &e);
bool isReduce(mlir::Operation *op);
mlir::LogicalResult expandReduce(Expander &e);
/// The axes and keepdims of a reduce_sum, reduce_max or reduce_mean.
struct ReduceAttrs {
  llvm::ArrayRef<int64_t> axes;
  bool keepdims;
};
ReduceAttrs reduceAttrsOf(mlir::Operation *op);
/// Softmax, layer norm and reductions along the last axis as tile nests over blocks of rows, each row on
/// the row micro-kernels (TiledRows.cpp); whyNot: the reduced axis is not the last alone, or not f32.
mlir::LogicalResult expandSoftmaxTiled(Expander &e);
mlir::LogicalResult expandLayerNormTiled(Expander &e);
mlir::LogicalResult expandReduceTiled(Expander &e);
const char *whyNotTiledRows(mlir::Operation *op);
bool isLayout(mlir::Operation *op);
mlir::LogicalResult expandLayout(Expander &e);
bool isFusedMatMul(mlir::Operation *op);
mlir::LogicalResult expandFusedMatMul(Expander &e);
bool isAttention(mlir::Operation *op);
mlir::LogicalResult expandAttention(Expander &e);
/// nn.attention as a flash-style tile nest with the Expander's `attentionTiling` and the GEMM's register
/// tile: per query block, key blocks streamed through the online softmax (TiledAttention.cpp).
mlir::LogicalResult expandAttentionTiled(Expander &e);
/// The tiled attention needs a constant head width of V: its accumulator is padded to the register tile.
const char *whyNotTiledAttention(mlir::Operation *op);

// Building blocks that several expansions share.

/// out = alpha * op(A) @ op(B) (+ beta * bias, broadcast): MatMul.cpp's init map and wcr(sum) product map.
struct Contraction {
  mlir::Value a, b, out, bias;
  bool transA = false, transB = false;
  double alpha = 1.0, beta = 0.0;
};
void buildContraction(Expander &e, const Contraction &c);

/// The generated masks of nn.softmax and nn.attention (docs/op-vocabulary.md).
struct GeneratedMask {
  bool causal = false;
  int64_t window = -1, stride = 0;
  llvm::ArrayRef<int64_t> globalTokens;
  bool any() const { return causal || window >= 0 || stride > 0 || !globalTokens.empty(); }
};
/// The generated mask of an nn.softmax or nn.attention (I64Attr getters return uint64_t: read as signed).
template <typename MaskedOp>
GeneratedMask generatedMaskOf(MaskedOp op) {
  return {op.getCausal(), (int64_t)op.getWindow(), (int64_t)op.getStride(), op.getGlobalTokens()};
}
/// i1: is (i, j) (query, key) kept by the generated mask `gen`? Built in a tasklet body from index
/// values; null when every position is kept.
mlir::Value keptByMask(const GeneratedMask &gen, mlir::OpBuilder &b, mlir::Location loc, mlir::Value i,
                       mlir::Value j);
/// out = softmax(scale * x + mask) along `axis`, with the generated mask: Softmax.cpp's four maps.
struct SoftmaxSpec {
  mlir::Value x, mask, out;
  int64_t axis = -1;
  double scale = 1.0;
  GeneratedMask generated;
  /// The mask and score expressions and the tensors they read (ExprLowering.h).
  nn::Expressions exprs;
  mlir::ValueRange exprTensors;
};
void buildSoftmax(Expander &e, const SoftmaxSpec &spec);

/// The scalar activation `name` (none, relu, gelu_erf, gelu_tanh: nn.fused_matmul's) of `x` in a tasklet
/// body, as the element-wise nodes compute it; null for an unknown name.
mlir::Value activation(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name, mlir::Value x);

// The expansion table: which function expands a node of a family under an implementation (pure, tiled).

using ExpandFn = mlir::LogicalResult (*)(Expander &);
struct Family {
  llvm::StringRef name;
  bool (*matches)(mlir::Operation *);
};
struct ExpansionEntry {
  llvm::StringRef family, impl;
  ExpandFn expand;
  /// Why the expansion does not take this node, or null when it does (the function itself null: it
  /// takes every node of the family).
  const char *(*whyNot)(mlir::Operation *) = nullptr;
};
/// Every family of library nodes (the names of expand-library-nodes' `only` and choose-implementations'
/// options). Table.cpp holds both tables; add rows there.
llvm::ArrayRef<Family> families();
llvm::ArrayRef<ExpansionEntry> expansionTable();
/// The family of `op`, or null for an op of no family.
const Family *familyOf(mlir::Operation *op);
/// The expansion of `op` under `impl` (a row of the table), or null when there is none.
ExpandFn findExpansion(mlir::Operation *op, llvm::StringRef impl);
/// The implementations `op` can be given: `library` (a runtime call) and those of its table rows.
llvm::SmallVector<llvm::StringRef> implementationsOf(mlir::Operation *op);
/// Whether the node's family has an expansion named `impl`, whether or not it takes this node.
bool familyHasExpansion(mlir::Operation *op, llvm::StringRef impl);
/// Why the family's expansion `impl` does not take this node, or null.
const char *whyNotExpansion(mlir::Operation *op, llvm::StringRef impl);
/// "a, b, c" for diagnostics.
std::string joinNames(llvm::ArrayRef<llvm::StringRef> names);
std::string familyNamesList();

} // namespace dmc::expansions

#endif
