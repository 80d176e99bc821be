//===- MicroKernels.cpp - the table of runtime micro-kernels ----------------===//
#include "dialects/SDFG/MicroKernels.h"

#include "llvm/ADT/STLExtras.h"

namespace dmc::sdfg {
namespace {

/// acc[MR x NR] (+)= sum over kc of packed panels a[kc x MR] and b[kc x NR]:
/// dmcrt_uk_gemm_MRxNR(kc, a, b, acc, ldacc, accumulate). Panels are slices [p][kc][MR] of a packed
/// buffer [panels][KC][MR], so a panel's rows are MR contiguous floats.
MicroKernel gemmKernel(llvm::StringRef name, llvm::StringRef function, int64_t mr, int64_t nr) {
  MicroKernel k;
  k.name = name;
  k.function = function;
  k.inputs = {TileOperand{{TileExtent::fixed(1), TileExtent::ofArg(0), TileExtent::fixed(mr)}, {mr}, true},
              TileOperand{{TileExtent::fixed(1), TileExtent::ofArg(0), TileExtent::fixed(nr)}, {nr}, true}};
  k.outputs = {TileOperand{{TileExtent::fixed(mr), TileExtent::fixed(nr)}, {}, true}};
  k.argNames = {"kc", "accumulate"};
  k.call = {{CallItem::Arg, 0},     {CallItem::Pointer, 0},   {CallItem::Pointer, 1},
            {CallItem::Pointer, 2}, {CallItem::RowStride, 2}, {CallItem::Arg, 1}};
  return k;
}

/// acc[MR x NR] (+)= A[MR x kc] B[kc x NR] with A and B read in place, rows of matrices of any row
/// stride (the last two dims of their containers, which may be views):
/// dmcrt_uk_gemm_MRxNR_rows(kc, a, lda, b, ldb, acc, ldacc, accumulate).
MicroKernel gemmRowsKernel(llvm::StringRef name, llvm::StringRef function, int64_t mr, int64_t nr) {
  MicroKernel k;
  k.name = name;
  k.function = function;
  TileOperand a{{TileExtent::fixed(mr), TileExtent::ofArg(0)}, {}, false};
  TileOperand b{{TileExtent::ofArg(0), TileExtent::fixed(nr)}, {}, false};
  for (TileOperand *operand : {&a, &b})
    operand->leadingUnitDims = operand->stridedRows = true;
  k.inputs = {a, b};
  k.outputs = {TileOperand{{TileExtent::fixed(mr), TileExtent::fixed(nr)}, {}, true}};
  k.argNames = {"kc", "accumulate"};
  k.call = {{CallItem::Arg, 0},       {CallItem::Pointer, 0}, {CallItem::RowStride, 0},
            {CallItem::Pointer, 1},   {CallItem::RowStride, 1}, {CallItem::Pointer, 2},
            {CallItem::RowStride, 2}, {CallItem::Arg, 1}};
  return k;
}

int64_t gemmFlops12x32(llvm::ArrayRef<int64_t> a) { return 2 * 12 * 32 * a[0]; }
int64_t gemmFlops6x16(llvm::ArrayRef<int64_t> a) { return 2 * 6 * 16 * a[0]; }

/// x[0 .. n) = act(x) in place, on one row: dmcrt_uk_activation(code, n, x).
MicroKernel activationKernel(llvm::StringRef name, int64_t code) {
  MicroKernel k;
  k.name = name;
  k.function = "dmcrt_uk_activation";
  k.outputs = {TileOperand{{TileExtent::fixed(1), TileExtent::ofArg(0)}, {}, false}};
  k.argNames = {"n"};
  k.call = {{CallItem::Constant, code}, {CallItem::Arg, 0}, {CallItem::Pointer, 0}};
  return k;
}

/// One online-softmax step of a query row over a block of n keys (runtime/include/dmc/runtime/ukernels.h):
/// dmcrt_uk_softmax_update_row(n, dv, s, m, l, o) on the row's scores s[1 x n], its running maximum m[1]
/// and sum l[1], and its output accumulator row o[1 x dv].
MicroKernel softmaxUpdateRowKernel() {
  MicroKernel k;
  k.name = "softmax_update_row";
  k.function = "dmcrt_uk_softmax_update_row";
  k.outputs = {TileOperand{{TileExtent::fixed(1), TileExtent::ofArg(0)}, {}, false},
               TileOperand{{TileExtent::fixed(1)}, {}, false}, TileOperand{{TileExtent::fixed(1)}, {}, false},
               TileOperand{{TileExtent::fixed(1), TileExtent::ofArg(1)}, {}, false}};
  k.argNames = {"n", "dv"};
  k.call = {{CallItem::Arg, 0},     {CallItem::Arg, 1},     {CallItem::Pointer, 0},
            {CallItem::Pointer, 1}, {CallItem::Pointer, 2}, {CallItem::Pointer, 3}};
  return k;
}

// max, subtract and exp, sum per score; the rescaling of o.
int64_t softmaxUpdateRowFlops(llvm::ArrayRef<int64_t> a) { return 4 * a[0] + a[1]; }

/// A reduction of one contiguous row of n floats (rank-1 tiles: the tiled rows stage each row in a
/// buffer of its own): `inputs` rows read, then `outputs` rows (written, extent n) and scalars (extent 1,
/// the kernel's results), called as function(n, pointer of each tile in order)
/// (runtime/include/dmc/runtime/ukernels.h).
MicroKernel rowKernel(llvm::StringRef name, llvm::StringRef function, int inputRows, int outputRows, int scalars,
                      int64_t (*flops)(llvm::ArrayRef<int64_t>)) {
  MicroKernel k;
  k.name = name;
  k.function = function;
  const TileOperand row{{TileExtent::ofArg(0)}, {}, false}, scalar{{TileExtent::fixed(1)}, {}, false};
  k.inputs.assign(inputRows, row);
  k.outputs.assign(outputRows, row);
  k.outputs.insert(k.outputs.end(), scalars, scalar);
  k.argNames = {"n"};
  k.call = {{CallItem::Arg, 0}};
  for (int i = 0; i < inputRows + outputRows + scalars; ++i)
    k.call.push_back({CallItem::Pointer, i});
  k.flops = flops;
  return k;
}

// One operation per element (an add or a comparison); the moments add, subtract, square and add again;
// the softmax row takes the maximum, subtracts, exponentiates and sums.
int64_t perElement(llvm::ArrayRef<int64_t> a) { return a[0]; }
int64_t fourPerElement(llvm::ArrayRef<int64_t> a) { return 4 * a[0]; }

const std::vector<MicroKernel> &table() {
  static const std::vector<MicroKernel> kernels = [] {
    std::vector<MicroKernel> t;
    t.push_back(gemmKernel("gemm_12x32", "dmcrt_uk_gemm_12x32", 12, 32));
    t.back().flops = gemmFlops12x32;
    t.push_back(gemmKernel("gemm_6x16", "dmcrt_uk_gemm_6x16", 6, 16));
    t.back().flops = gemmFlops6x16;
    t.push_back(gemmRowsKernel("gemm_12x32_rows", "dmcrt_uk_gemm_12x32_rows", 12, 32));
    t.back().flops = gemmFlops12x32;
    t.push_back(gemmRowsKernel("gemm_6x16_rows", "dmcrt_uk_gemm_6x16_rows", 6, 16));
    t.back().flops = gemmFlops6x16;
    // Codes of dmcrt_activation (runtime/include/dmc/runtime/tiled.h).
    t.push_back(activationKernel("relu_row", 1));
    t.push_back(activationKernel("gelu_erf_row", 2));
    t.push_back(activationKernel("gelu_tanh_row", 3));
    t.push_back(softmaxUpdateRowKernel());
    t.back().flops = softmaxUpdateRowFlops;
    // The rows of softmax, layer norm and the reductions (passes/expansions/TiledRows.cpp).
    t.push_back(rowKernel("sum_row", "dmcrt_uk_sum_row", 1, 0, 1, perElement));
    t.push_back(rowKernel("max_row", "dmcrt_uk_max_row", 1, 0, 1, perElement));
    t.push_back(rowKernel("moments_row", "dmcrt_uk_moments_row", 1, 0, 2, fourPerElement));
    t.push_back(rowKernel("softmax_row", "dmcrt_uk_softmax_row", 0, 1, 1, fourPerElement));
    return t;
  }();
  return kernels;
}

} // namespace

const MicroKernel *lookupMicroKernel(llvm::StringRef name) {
  for (const MicroKernel &k : table())
    if (k.name == name)
      return &k;
  return nullptr;
}

llvm::ArrayRef<MicroKernel> microKernels() { return table(); }

std::vector<TileExtent> tileExtents(const TileOperand &spec, int64_t rank) {
  int64_t named = spec.extents.size();
  if (rank < named || (!spec.leadingUnitDims && rank != named))
    return {};
  std::vector<TileExtent> extents(rank - named, TileExtent::fixed(1));
  extents.insert(extents.end(), spec.extents.begin(), spec.extents.end());
  return extents;
}

llvm::StringRef gemmRowsKernel(llvm::StringRef packedKernel) {
  if (packedKernel == "gemm_12x32")
    return "gemm_12x32_rows";
  if (packedKernel == "gemm_6x16")
    return "gemm_6x16_rows";
  return {};
}

llvm::ArrayRef<RegisterTile> gemmRegisterTiles() {
  static const RegisterTile tiles[] = {{12, 32, "gemm_12x32"}, {6, 16, "gemm_6x16"}};
  return tiles;
}

} // namespace dmc::sdfg
