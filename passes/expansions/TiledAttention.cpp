//===- TiledAttention.cpp - nn.attention as a flash-style tile nest -------===//
//
// The streaming softmax of dmcrt_attention, written as maps so the passes, the dumps and the movement
// report see it (BQ query rows and BK keys per block, MR x NR the GEMM's register tile):
//
//   map (batch..., qb) omp {                                    one query block per iteration
//     %rows = sdfg.min (BQ, Sq - qb*BQ)    %rowPanels = ...
//     map (i, d) { packed_q[i floordiv MR, d, i mod MR] = scale * Q[.., qb*BQ + i, d] }
//     map (i) { m[i] = -inf; l[i] = 0 }
//     map (kb) = (first) to (last) {                            key blocks the generated mask may keep
//       %cols = sdfg.min (BK, Sk - kb*BK)
//       map (j, d) { packed_k[j floordiv NR, d, j mod NR] = K[.., kb*BK + j, d] }
//       map (jp, ip) { ukernel gemm_MRxNR (packed_q[ip], packed_k[jp]) -> s[ip*MR, jp*NR], depth D }
//       map (i, j) { s[i, j] = s[i, j] + mask[..] or -inf where the generated mask drops (i, j) }
//       map (i) { ukernel softmax_update_row (s[i, 0], m[i], l[i], o[i, 0]) args(cols, Dv) }
//       map (jp, ip) { ukernel gemm_MRxNR_rows (s[ip*MR, 0], V[.., kb*BK, jp*NR]) -> o[ip*MR, jp*NR] +=,
//                      depth cols }                             P and V read in place, or where V's head
//       (map (i, j) { packed_p[..] = s[i, j] }  map (j, d) { packed_v[..] = V[..] }    width is not whole
//        map (jp, ip) { ukernel gemm_MRxNR (packed_p[ip], packed_v[jp]) -> o[..] += }) register tiles
//     }
//     map (i, d) { O[.., qb*BQ + i, d] = l[i] > 0 ? o[i, d] / l[i] : 0 }
//   }
//
// The key-block range follows the generated mask: causal stops at the block of the block's last query
// (sdfg.min), a window starts at the block of its first query minus the window (sdfg.max) and stops
// after its last plus the window. Without a stride the range splits into the blocks the mask cuts and
// those where it keeps every position (left of the causal diagonal, the middle of a wide band), which
// carry no mask code. Global tokens add, outside the band, the key blocks of their columns for every
// query block, and every other key block for the query blocks of their rows only (in a map of one
// iteration for that block, none for the others); past kMaxGlobalTokenBlocks such blocks, every query
// block visits every key block. The element-wise mask map exists only
// where something is to be applied: an additive mask input, or a generated mask on a block it may cut.
//
// Every transient is of lifetime `scope` (one zeroed buffer per worker). Partial blocks pack only their
// valid rows and columns; the register tiles past an edge compute on values an earlier block left in
// the padding (finite) and nothing reads them back: rows of s and o past `rows` are never updated nor
// stored, columns of s past `cols` are beyond the softmax's n and the P V depth. A row with nothing kept
// keeps l = 0 and outputs 0, as dmcrt_softmax; its o is never read.
//
//===----------------------------------------------------------------------===//
#include "dialects/SDFG/MicroKernels.h"
#include "dialects/SDFG/Views.h"
#include "passes/expansions/ExprLowering.h"
#include "passes/expansions/MaskBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <algorithm>
#include <limits>
#include <set>

using namespace mlir;

namespace dmc::expansions {
namespace {

/// Past this many distinct blocks holding global tokens (their rows' query blocks and their columns' key
/// blocks together), every query block visits every key block instead.
constexpr size_t kMaxGlobalTokenBlocks = 8;

/// The key-block ranges of the causal / window / stride mask `band` (no global tokens) for the query
/// block starting at row `q0` (an affine function of the omp map's parameter), for blocks of `bq` queries
/// and `bk` keys, `blocks` key blocks in all. `bandStart` and `bandEnd` get the band's first block and
/// its end as single expressions (the range is [max(0, start), min(blocks, end))), null where the band
/// starts at 0 or reaches the last block.
SmallVector<KeyBlocks> bandRanges(Expander &e, const GeneratedMask &band, IndexFn q0, int64_t bq, int64_t bk,
                                  IndexFn blocks, IndexFn &bandStart, IndexFn &bandEnd) {
  IndexFn zero = constant(0);
  if (!band.any())
    return {{zero, blocks, false}};
  // Keys kept by the queries [q0, q0 + bq): j <= i (causal), |i - j| <= window.
  int64_t w = band.window;
  IndexFn qLast = [=](AffineOperands &o) { return q0(o) + (bq - 1); };
  SmallVector<IndexFn> ends{blocks};
  if (band.causal)
    ends.push_back([=](AffineOperands &o) { return qLast(o).floorDiv(bk) + 1; });
  if (w >= 0)
    ends.push_back([=](AffineOperands &o) { return (qLast(o) + w).floorDiv(bk) + 1; });
  // With causal the causal end is the smaller of the two (w >= 0).
  if (ends.size() > 1)
    bandEnd = ends[1];
  Value last = buildMin(e, ends);
  SmallVector<IndexFn> starts{zero};
  if (w >= 0)
    starts.push_back(bandStart = [=](AffineOperands &o) { return (q0(o) - w).floorDiv(bk); });
  IndexFn first = w >= 0 ? param(buildMax(e, starts)) : zero;
  if (band.stride != 0) // the stride cuts every block
    return {{first, param(last), true}};
  // Blocks where every position is kept: kb >= fullFrom and kb < fullTo. Causal: the block's last key
  // is at most the first query, (kb + 1) * bk - 1 <= q0. A window: the block's last key at most the
  // first query plus the window, (kb + 1) * bk - 1 <= q0 + w, and its first key at least the last query
  // minus the window, kb * bk >= q0 + bq - 1 - w.
  SmallVector<IndexFn> fullTo{blocks}, fullFrom{zero};
  if (band.causal)
    fullTo.push_back([=](AffineOperands &o) { return (q0(o) + 1).floorDiv(bk); });
  if (w >= 0) {
    // With causal, the causal end is the smaller (w >= 0): fullTo keeps one expression, so that the last
    // range can start at it (a max cannot take a min).
    if (!band.causal)
      fullTo.push_back([=](AffineOperands &o) { return (q0(o) + w + 1).floorDiv(bk); });
    fullFrom.push_back([=](AffineOperands &o) { return (q0(o) + (bq - 1 - w)).ceilDiv(bk); });
  }
  // [first, min(last, fullFrom)) cut, [max(first, fullFrom), min(last, fullTo)) kept, then
  // [max(first, fullFrom, fullTo), last) cut: disjoint, and together [first, last), even when the kept
  // range is empty.
  SmallVector<IndexFn> beforeEnd{blocks}, keptStart = starts, afterStart = starts, keptEnd = ends;
  beforeEnd.append(ends.begin() + 1, ends.end());
  beforeEnd.append(fullFrom.begin() + 1, fullFrom.end());
  keptStart.append(fullFrom.begin() + 1, fullFrom.end());
  keptEnd.append(fullTo.begin() + 1, fullTo.end());
  afterStart.append(fullFrom.begin() + 1, fullFrom.end());
  afterStart.append(fullTo.begin() + 1, fullTo.end());
  SmallVector<KeyBlocks> ranges;
  if (w >= 0) // before the band's kept blocks (causal alone has none there)
    ranges.push_back({first, param(buildMin(e, beforeEnd)), true});
  ranges.push_back({w >= 0 ? param(buildMax(e, keptStart)) : zero, param(buildMin(e, keptEnd)), false});
  ranges.push_back({param(buildMax(e, afterStart)), param(last), true});
  return ranges;
}

/// The key-block ranges of the query block starting at row `q0` under the generated mask `gen`: the
/// band's (bandRanges), and outside the band, with global tokens, the key blocks holding a global
/// column (for every query block) and the rest (only for the query blocks holding a global row). All
/// disjoint, so that no key block is visited twice.
SmallVector<KeyBlocks> keyBlockRanges(Expander &e, const GeneratedMask &gen, IndexFn q0, int64_t bq, int64_t bk,
                                      IndexFn blocks) {
  std::set<int64_t> columnBlocks, rowBlocks;
  for (int64_t token : gen.globalTokens)
    columnBlocks.insert(token / bk), rowBlocks.insert(token / bq);
  GeneratedMask band = gen;
  band.globalTokens = {};
  if (band.any() && columnBlocks.size() + rowBlocks.size() > kMaxGlobalTokenBlocks)
    return {{constant(0), blocks, true}};
  IndexFn bandStart, bandEnd;
  SmallVector<KeyBlocks> ranges = bandRanges(e, band, q0, bq, bk, blocks, bandStart, bandEnd);
  if (gen.globalTokens.empty() || (!bandStart && !bandEnd)) // nothing outside the band
    return ranges;
  // [a, b) outside the band: [a, min(b, start)) before it and [max(a, end), b) after it. `blocks` in
  // each upper bound keeps a token past a run-time sequence length out of range.
  auto outside = [&](IndexFn a, IndexFn b, int64_t queryBlock) {
    if (bandStart)
      ranges.push_back({a, param(buildMin(e, {b, blocks, bandStart})), true, queryBlock});
    if (bandEnd)
      ranges.push_back({param(buildMax(e, {a, bandEnd})), param(buildMin(e, {b, blocks})), true, queryBlock});
  };
  for (int64_t c : columnBlocks)
    outside(constant(c), constant(c + 1), -1);
  for (int64_t g : rowBlocks) { // the gaps between the global columns' blocks
    int64_t from = 0;
    for (int64_t c : columnBlocks) {
      if (from < c)
        outside(constant(from), constant(c), g);
      from = c + 1;
    }
    outside(constant(from), blocks, g);
  }
  return ranges;
}

} // namespace

const char *whyNotTiledAttention(Operation *op) {
  auto attention = dyn_cast<nn::AttentionOp>(op);
  if (attention && shapeOf(attention.getOutputs()[0]).back().isSymbolic())
    return "it needs a constant head width of V (its accumulator is padded to the register tile)";
  return nullptr;
}

LogicalResult expandAttentionTiled(Expander &e) {
  auto op = cast<nn::AttentionOp>(e.node);
  const GemmTiling &t = e.gemmTiling;
  const int64_t bq = e.attentionTiling.queries, bk = e.attentionTiling.keys, mr = t.mr, nr = t.nr;
  if (!sdfg::lookupMicroKernel(t.kernel) || mr <= 0 || nr <= 0 || bq <= 0 || bk <= 0 || bk % nr)
    return op.emitOpError("attention blocks of ") << bq << " queries and " << bk
                                                  << " keys do not fit the register tile " << mr << "x" << nr
                                                  << " (keys must be a positive multiple of " << nr << ")";
  Value q = op.getInputs()[0], k = op.getInputs()[1], v = op.getInputs()[2], out = op.getOutputs()[0];
  Value mask = op.getAdditiveMask();
  const nn::Expressions exprs = nn::expressionsOf(op);
  if (!elementOf(out).isF32())
    return op.emitOpError("the tiled expansion runs on f32 only");
  Shape qs = shapeOf(q), ks = shapeOf(k), vs = shapeOf(v), os = shapeOf(out);
  Dim sq = os[os.size() - 2], dv = os.back(), d = qs.back(), sk = ks[ks.size() - 2];
  if (dv.isSymbolic())
    return op.emitOpError("the tiled expansion needs a constant head width of V (its accumulator is padded "
                          "to the register tile), got ")
           << dv.str();
  Shape batchShape(os.begin(), os.end() - 2);
  Shape scoresShape = batchShape;
  scoresShape.push_back(sq);
  scoresShape.push_back(sk);
  const GeneratedMask gen = generatedMaskOf(op);
  const float scale = op.getScale().convertToFloat();
  Type f32 = e.b.getF32Type();
  auto c = [](int64_t v) { return Dim::constant(v); };
  const int64_t rowPanelsMax = (bq + mr - 1) / mr, dvPanels = (dv.value + nr - 1) / nr;

  SmallVector<Value> scoped;
  auto local = [&](const Shape &shape, StringRef name) {
    Value x = e.transient(shape, f32, name);
    cast<sdfg::AllocOp>(x.getDefiningOp()).setLifetime(sdfg::Lifetime::scope);
    return x;
  };
  Value packedQ = local({c(rowPanelsMax), d, c(mr)}, "packed_q");
  // K's rows are B panels of Q K^T for every query block. Where K's length and batch dims are known,
  // they are packed once per run, before the query blocks, into panels of all of K (panel jp of K's
  // matrix b at b * kPanels + jp, b its batch index flattened); otherwise each query block packs each
  // key block it visits again.
  Shape kBatch(ks.begin(), ks.end() - 2);
  const bool packKOnce = !sk.isSymbolic() && llvm::none_of(kBatch, [](const Dim &x) { return x.isSymbolic(); });
  // Whole key blocks of panels per matrix (the last one's panels past K's end are never written nor
  // read), so that a key block's panels kb * (BK/NR) + jp are provably inside the matrix's.
  const int64_t kPanels = packKOnce ? (sk.value + bk - 1) / bk * (bk / nr) : 0;
  int64_t kMatrices = 1;
  if (packKOnce)
    for (const Dim &x : kBatch)
      kMatrices *= x.value;
  Value packedK = packKOnce ? e.transient({c(kMatrices * kPanels), d, c(nr)}, f32, "packed_k")
                            : local({c(bk / nr), d, c(nr)}, "packed_k");
  // Allocated once per handle; every run writes each panel before any read of it.
  if (packKOnce)
    cast<sdfg::AllocOp>(packedK.getDefiningOp()).setLifetime(sdfg::Lifetime::persistent);
  // The flattened batch index of K's matrix at the batch indices `at` (one per dim of kBatch).
  auto kMatrixOf = [kBatch](SmallVector<IndexFn> at) -> IndexFn {
    return [=](AffineOperands &o) {
      AffineExpr flat = getAffineConstantExpr(0, o.ctx);
      for (size_t i = 0; i < at.size(); ++i)
        flat = flat * kBatch[i].value + at[i](o);
      return flat;
    };
  };
  if (packKOnce) {
    SmallVector<IndexFn> uppers;
    for (const Dim &x : kBatch)
      uppers.push_back(constant(x.value));
    uppers.push_back(constant((sk.value + nr - 1) / nr));
    sdfg::MapOp packing = buildMap(e, uppers, sdfg::Schedule::omp);
    OpBuilder::InsertionGuard guard(e.b);
    e.b.setInsertionPointToEnd(&packing.getBodyBlock());
    ValueRange at = packing.getBodyBlock().getArguments().drop_back();
    Value jp = packing.getBodyBlock().getArguments().back();
    SmallVector<IndexFn> matrix;
    for (Value x : at)
      matrix.push_back(param(x));
    PanelPacking pk;
    pk.source = k, pk.packed = packedK, pk.batchShape = kBatch, pk.batch = at;
    pk.alongIsRow = true, pk.width = nr, pk.panels = constant(1), pk.depth = dimFn(e, d);
    pk.edge = dimFn(e, sk), pk.depthOrigin = constant(0);
    pk.origin = [jp, nr](AffineOperands &o) { return o(jp) * nr; };
    IndexFn flat = kMatrixOf(matrix);
    pk.panelBase = [flat, jp, kPanels](AffineOperands &o) { return flat(o) * kPanels + o(jp); };
    packPanels(e, pk);
  }
  Value scores = local({c(rowPanelsMax * mr), c(bk)}, "scores");
  Value rowMax = local({c(bq)}, "row_max");
  Value rowSum = local({c(bq)}, "row_sum");
  Value acc = local({c(rowPanelsMax * mr), c(dvPanels * nr)}, "acc");
  // P V reads P (the scores' rows) and V in place where V's head width is whole register tiles and its
  // rows are evenly spaced; otherwise both are packed into panels first.
  StringRef rowsKernel = sdfg::gemmRowsKernel(t.kernel);
  std::optional<sdfg::StridedLayout> vLayout = sdfg::stridedLayout(v);
  const bool inPlacePV = !rowsKernel.empty() && dv.value % nr == 0 && vLayout && !vLayout->strides.empty() &&
                         vLayout->strides.back() == Monomial{};
  Value packedP = inPlacePV ? Value() : local({c(rowPanelsMax), c(bk), c(mr)}, "packed_p");
  Value packedV = inPlacePV ? Value() : local({c(dvPanels), c(bk), c(nr)}, "packed_v");

  // The omp map over (batch..., qb).
  SmallVector<IndexFn> uppers;
  for (const Dim &b : batchShape)
    uppers.push_back(dimFn(e, b));
  uppers.push_back([&](AffineOperands &o) { return dimExpr(e, o, sq).ceilDiv(bq); });
  sdfg::MapOp blocks = buildMap(e, uppers, sdfg::Schedule::omp);
  // Query blocks cost unequally (a causal or banded mask visits more key blocks for later queries; the
  // last block is partial): threads take them one at a time.
  blocks->setAttr(sdfg::MapOp::kDynamicAttr, e.b.getUnitAttr());
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToEnd(&blocks.getBodyBlock());
  ValueRange params = blocks.getBodyBlock().getArguments();
  ValueRange batch = params.drop_back();
  Value qb = params.back();
  IndexFn q0 = [qb, bq](AffineOperands &o) { return o(qb) * bq; };
  IndexFn rowsLeft = [&](AffineOperands &o) { return dimExpr(e, o, sq) - q0(o); };
  Value rows = buildMin(e, {constant(bq), rowsLeft});
  Value rowPanels = buildMin(e, {constant(rowPanelsMax), [&](AffineOperands &o) { return rowsLeft(o).ceilDiv(mr); }});
  // Index arguments of the micro-kernels.
  Value depth = d.isSymbolic() ? e.symbolValue(d) : buildMin(e, {constant(d.value)});
  Value width = d == dv ? depth : buildMin(e, {constant(dv.value)});
  Value overwrite = buildMin(e, {constant(0)}), accumulate = buildMin(e, {constant(1)});

  // Q's block, scaled (scale * (Q K^T) up to rounding), as A panels over its whole depth.
  PanelPacking pq;
  pq.source = q, pq.packed = packedQ, pq.batchShape = batchShape, pq.batch = batch;
  pq.alongIsRow = true, pq.width = mr, pq.panels = param(rowPanels), pq.depth = dimFn(e, d);
  pq.edge = dimFn(e, sq), pq.origin = q0, pq.depthOrigin = constant(0);
  if (scale != 1.0f)
    pq.value = [&](Value x) {
      return e.tasklet1({x}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        return {bb.create<arith::MulFOp>(e.loc, floatConst(bb, e.loc, f32, scale), args[0])};
      });
    };
  packPanels(e, pq);
  forRange(e, param(rows), sdfg::Schedule::vector, [&](Value i) {
    auto init = e.tasklet({}, [&](OpBuilder &bb, ValueRange) -> SmallVector<Value> {
      return {floatConst(bb, e.loc, f32, -std::numeric_limits<double>::infinity()), floatConst(bb, e.loc, f32, 0.0)};
    });
    storeAt(e, init[0], rowMax, {param(i)});
    storeAt(e, init[1], rowSum, {param(i)});
  });

  // Register tiles acc[ip*MR, jp*NR] (+)= panels a[ip] x b[bPanel + jp] over `kc`, each B panel in L1
  // while the A panels stream past it.
  auto gemm = [&](Value a, Value b, Value c, IndexFn colPanels, Value kc, Value accumulateFlag,
                  IndexFn bPanel = constant(0)) {
    sdfg::MapOp m = buildMap(e, {colPanels, param(rowPanels)}, sdfg::Schedule::sequential);
    OpBuilder::InsertionGuard g(e.b);
    e.b.setInsertionPointToEnd(&m.getBodyBlock());
    Value jp = m.getBodyBlock().getArgument(0), ip = m.getBodyBlock().getArgument(1);
    callKernel(e, t.kernel, {a, b}, {c},
               {{param(ip), constant(0), constant(0)},
                {[=](AffineOperands &o) { return bPanel(o) + o(jp); }, constant(0), constant(0)},
                {[=](AffineOperands &o) { return o(ip) * mr; }, [=](AffineOperands &o) { return o(jp) * nr; }}},
               {kc, accumulateFlag});
  };

  auto keyBlock = [&](Value kb, bool masked) {
    IndexFn k0 = [kb, bk](AffineOperands &o) { return o(kb) * bk; };
    IndexFn colsLeft = [&, k0](AffineOperands &o) { return dimExpr(e, o, sk) - k0(o); };
    Value cols = buildMin(e, {constant(bk), colsLeft});
    Value colPanels = buildMin(e, {constant(bk / nr), [=](AffineOperands &o) { return colsLeft(o).ceilDiv(nr); }});
    // S = (scale Q) K^T: K's rows are the B panels' columns.
    if (packKOnce) {
      SmallVector<IndexFn> matrix;
      for (const Index &i : broadcastIndices(kBatch, batchShape, batch))
        matrix.push_back(i.param ? param(i.param) : constant(0));
      IndexFn flat = kMatrixOf(matrix);
      gemm(packedQ, packedK, scores, param(colPanels), depth, overwrite,
           [=](AffineOperands &o) { return flat(o) * kPanels + o(kb) * (bk / nr); });
    } else {
      PanelPacking pk = pq;
      pk.value = nullptr;
      pk.source = k, pk.packed = packedK, pk.width = nr, pk.panels = param(colPanels);
      pk.edge = dimFn(e, sk), pk.origin = k0;
      packPanels(e, pk);
      gemm(packedQ, packedK, scores, param(colPanels), depth, overwrite);
    }

    // The additive mask and the generated one where it may cut the block.
    bool generated = masked && gen.any();
    // The mask expression where it may cut the block: every block when the shorthands chose the ranges.
    nn::Expressions blockExprs = exprs;
    if (!masked && !gen.any())
      blockExprs.mask.reset();
    // The expressions' i and j are the block's origins plus the positions in it, h the last batch dim.
    ExprSite site;
    site.i = {qb, bq, Value()};
    site.j = {kb, bk, Value()};
    if (!batch.empty())
      site.h.base = batch.back();
    if (mask || generated || blockExprs.any())
      forRange(e, param(rows), sdfg::Schedule::sequential, [&](Value i) {
        forRange(e, param(cols), exprLoopSchedule(blockExprs), [&](Value j) {
          SmallVector<Value> operands{loadAt(e, scores, {param(i), param(j)})};
          if (mask)
            operands.push_back(loadAt(e, mask,
                                      addendIndices(shapeOf(mask), scoresShape, batch,
                                                    [=](AffineOperands &o) { return q0(o) + o(i); },
                                                    [=](AffineOperands &o) { return k0(o) + o(j); })));
          if (generated)
            operands.append({qb, i, kb, j});
          ExprSite here = site;
          here.i.offset = i, here.j.offset = j;
          size_t numExprs = blockExprs.any() ? numExprOperands(blockExprs, here) : 0;
          if (blockExprs.any())
            appendExprOperands(e, blockExprs, nn::exprTensorsOf(op), here, operands);
          Value s = e.tasklet1(operands, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
            Value x = args[0];
            if (mask)
              x = bb.create<arith::AddFOp>(e.loc, x, args[1]);
            if (blockExprs.any())
              x = applyExprs(bb, e.loc, blockExprs, here, args.take_back(numExprs), x);
            if (generated) {
              ValueRange idx = args.drop_back(numExprs).take_back(4);
              auto origin = [&](Value block, int64_t size, Value offset) -> Value {
                Value start = bb.create<arith::MulIOp>(e.loc, block, indexConst(bb, e.loc, size));
                return bb.create<arith::AddIOp>(e.loc, start, offset);
              };
              Value keep = keptByMask(gen, bb, e.loc, origin(idx[0], bq, idx[1]), origin(idx[2], bk, idx[3]));
              x = bb.create<arith::SelectOp>(e.loc, keep, x,
                                             floatConst(bb, e.loc, f32, -std::numeric_limits<double>::infinity()));
            }
            return {x};
          });
          storeAt(e, s, scores, {param(i), param(j)});
        });
      });

    // The online softmax per row: P = exp(S - m), m, l and the rows of o updated.
    forRange(e, param(rows), sdfg::Schedule::sequential, [&](Value i) {
      callKernel(e, "softmax_update_row", {}, {scores, rowMax, rowSum, acc},
                 {{param(i), constant(0)}, {param(i)}, {param(i)}, {param(i), constant(0)}}, {cols, width});
    });

    // o += P V. In place: register tiles of P's rows (depth: the block's keys) times V's rows k0 ..
    if (inPlacePV) {
      sdfg::MapOp m = buildMap(e, {constant(dvPanels), param(rowPanels)}, sdfg::Schedule::sequential);
      OpBuilder::InsertionGuard g(e.b);
      e.b.setInsertionPointToEnd(&m.getBodyBlock());
      Value jp = m.getBodyBlock().getArgument(0), ip = m.getBodyBlock().getArgument(1);
      IndexFn rowOfTile = [=](AffineOperands &o) { return o(ip) * mr; };
      IndexFn colOfTile = [=](AffineOperands &o) { return o(jp) * nr; };
      callKernel(e, rowsKernel, {scores, v}, {acc},
                 {{rowOfTile, constant(0)}, matrixIndices(vs, batchShape, batch, k0, colOfTile), {rowOfTile, colOfTile}},
                 {cols, accumulate});
      return;
    }
    // Packed: P's rows as A panels, V's columns as B panels.
    PanelPacking pp;
    pp.source = scores, pp.packed = packedP, pp.batchShape = {}, pp.batch = {};
    pp.alongIsRow = true, pp.width = mr, pp.panels = param(rowPanels), pp.depth = param(cols);
    pp.edge = rowsLeft, pp.origin = constant(0), pp.depthOrigin = constant(0);
    packPanels(e, pp);
    PanelPacking pv;
    pv.source = v, pv.packed = packedV, pv.batchShape = batchShape, pv.batch = batch;
    pv.alongIsRow = false, pv.width = nr, pv.panels = constant(dvPanels), pv.depth = param(cols);
    pv.edge = dimFn(e, dv), pv.origin = constant(0), pv.depthOrigin = k0;
    packPanels(e, pv);
    gemm(packedP, packedV, acc, constant(dvPanels), cols, accumulate);
  };

  IndexFn keyBlocks = [&](AffineOperands &o) { return dimExpr(e, o, sk).ceilDiv(bk); };
  // The shorthands' ranges; a mask expression alone chooses them by analysis (MaskBlocks.h).
  SmallVector<KeyBlocks> ranges = exprs.mask && !gen.any()
                                      ? maskExprRanges(e, *exprs.mask, q0, bq, bk, sq.value, keyBlocks)
                                      : keyBlockRanges(e, gen, q0, bq, bk, keyBlocks);
  auto visit = [&](const KeyBlocks &range) {
    sdfg::MapOp loop = buildMap(e, {range.first}, {range.last}, sdfg::Schedule::sequential);
    OpBuilder::InsertionGuard g(e.b);
    e.b.setInsertionPointToEnd(&loop.getBodyBlock());
    keyBlock(loop.getBodyBlock().getArgument(0), range.masked);
  };
  for (const KeyBlocks &range : ranges)
    if (range.queryBlock < 0)
      visit(range);
  // The ranges of one query block g: in a map of one iteration for qb = g and none for the others,
  // [max(qb, g), min(qb, g) + 1).
  std::set<int64_t> guarded;
  for (const KeyBlocks &range : ranges)
    if (range.queryBlock >= 0)
      guarded.insert(range.queryBlock);
  for (int64_t g : guarded) {
    Value from = buildMax(e, {param(qb), constant(g)});
    Value to = buildMin(e, {[=](AffineOperands &o) { return o(qb) + 1; }, constant(g + 1)});
    sdfg::MapOp only = buildMap(e, {param(from)}, {param(to)}, sdfg::Schedule::sequential);
    OpBuilder::InsertionGuard ig(e.b);
    e.b.setInsertionPointToEnd(&only.getBodyBlock());
    for (const KeyBlocks &range : ranges)
      if (range.queryBlock == g)
        visit(range);
  }

  // O = o / l per row, 0 for a row with nothing kept.
  forRange(e, param(rows), sdfg::Schedule::sequential, [&](Value i) {
    forRange(e, dimFn(e, dv), sdfg::Schedule::vector, [&](Value j) {
      Value x = loadAt(e, acc, {param(i), param(j)}), l = loadAt(e, rowSum, {param(i)});
      Value y = e.tasklet1({x, l}, [&](OpBuilder &bb, ValueRange args) -> SmallVector<Value> {
        Value zero = floatConst(bb, e.loc, f32, 0.0);
        Value kept = bb.create<arith::CmpFOp>(e.loc, arith::CmpFPredicate::OGT, args[1], zero);
        Value div = bb.create<arith::DivFOp>(e.loc, args[0], args[1]);
        return {bb.create<arith::SelectOp>(e.loc, kept, div, zero)};
      });
      storeAt(e, y, out, matrixIndices(os, batchShape, batch, [=](AffineOperands &o) { return q0(o) + o(i); },
                                       param(j)));
    });
  });
  return success();
}

AttentionTiling defaultAttentionTiling(const GemmTiling &gemm) {
  AttentionTiling t;
  // Larger query blocks pack each key and value block for more queries: on mha (S = 1024, 12 heads, two
  // threads) 120 queries ran in 26 ms where 72 took 31 and 48 took 30; 192 was no faster.
  t.queries = std::max<int64_t>(1, 128 / gemm.mr) * gemm.mr;
  t.keys = (256 + gemm.nr - 1) / gemm.nr * gemm.nr;
  return t;
}

} // namespace dmc::expansions
