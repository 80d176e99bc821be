// dmcrt_matmul_tiled and dmcrt_attention: descriptor checks, batch broadcasting and the parallel loop
// over C blocks / query blocks. The inner code (packing, micro-kernel, epilogue, streaming softmax) is
// in tiled_isa.inc, compiled per instruction set and chosen in ukernels.cpp (tests run every build).
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "dmc/runtime/tiled.h"
#include "kernel_util.h"
#include "tiled_impl.h"

namespace dmc::detail {
namespace {

const dmcrt_strided& check_strided(const dmcrt_strided* t, const char* what, int32_t min_rank) {
  if (!t) fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " is null");
  if (t->rank < min_rank || t->rank > DMCRT_MAX_RANK)
    fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " has rank " + std::to_string(t->rank) + ", expected " +
                                    std::to_string(min_rank) + ".." + std::to_string(DMCRT_MAX_RANK));
  for (int32_t d = 0; d < t->rank; ++d)
    if (t->shape[d] < 0) fail(DMCRT_ERR_SHAPE, std::string(what) + " has a negative dim");
  const std::optional<int64_t> n = checked_num_elements(t->shape, static_cast<size_t>(t->rank), sizeof(float));
  if (!n)
    fail(DMCRT_ERR_SHAPE, std::string(what) + " of shape " + shape_str(Shape(t->shape, t->shape + t->rank)) +
                              " is too large: its size in bytes overflows int64");
  if (*n > 0 && !t->data) fail(DMCRT_ERR_INVALID_ARG, std::string(what) + " has no data");
  return *t;
}

Shape shape_of(const dmcrt_strided& t) { return Shape(t.shape, t.shape + t.rank); }

// Strides that read `t` with indices of `full` (t's dims aligned right): 0 where t lacks the dim or
// has size 1 while `full` is larger. Fails unless t broadcasts to `full`.
Shape aligned_strides(const dmcrt_strided& t, const Shape& full, const char* what) {
  const int64_t r = static_cast<int64_t>(full.size()), off = r - t.rank;
  if (off < 0) fail(DMCRT_ERR_SHAPE, std::string(what) + " " + shape_str(shape_of(t)) + " has more dims than " + shape_str(full));
  Shape strides(full.size(), 0);
  for (int64_t d = 0; d < t.rank; ++d) {
    const int64_t size = t.shape[d], want = full[off + d];
    if (size == want)
      strides[off + d] = size == 1 ? 0 : t.stride[d];
    else if (size != 1)
      fail(DMCRT_ERR_SHAPE, std::string(what) + " " + shape_str(shape_of(t)) + " does not broadcast to " + shape_str(full));
  }
  return strides;
}

// Runs body(t) for t in [0, tasks), in parallel when `parallel`. Exceptions must not leave an OpenMP
// region: the inner code only throws bad_alloc, which is reported once all tasks are done.
template <typename Body>
void run_tasks(int64_t tasks, bool parallel, Body body) {
  bool failed_alloc = false;
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
  for (int64_t t = 0; t < tasks; ++t) {
    try {
      body(t);
    } catch (...) {
#pragma omp atomic write
      failed_alloc = true;
    }
  }
  if (failed_alloc) fail(DMCRT_ERR_ALLOC, "out of memory for the tiled kernels' buffers");
}

// The batch dims of c (all but the last two), and each operand's element offset per flat batch index.
struct Batches {
  Shape shape;
  int64_t count = 1;
  int64_t offset(const Shape& strides, int64_t flat) const {
    int64_t off = 0;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      off += (flat % shape[d]) * strides[d];
      flat /= shape[d];
    }
    return off;
  }
};

Shape with_matrix(Shape batch, int64_t rows, int64_t cols) {
  batch.push_back(rows);
  batch.push_back(cols);
  return batch;
}

// An operand's per-batch base pointer and its matrix strides, read with c-shaped indices.
struct Operand {
  const float* data = nullptr;
  Shape strides;  // batch dims, then row and column
  Matrix at(const Batches& b, int64_t flat) const {
    if (!data) return {};
    const size_t r = strides.size();
    return {data + b.offset(strides, flat), strides[r - 2], strides[r - 1]};
  }
};

Operand operand(const dmcrt_strided* t, const Shape& full, const char* what) {
  if (!t) return {};
  const auto& checked = check_strided(t, what, 0);
  return {checked.data, aligned_strides(checked, full, what)};
}

}  // namespace
}  // namespace dmc::detail

using namespace dmc::detail;

extern "C" const char* dmcrt_tiled_isa(void) { return tiled_isa().uk.isa; }

extern "C" int dmcrt_matmul_tiled(const dmcrt_strided* a, const dmcrt_strided* b, const dmcrt_strided* pre,
                                  const dmcrt_strided* post, const dmcrt_strided* c, float alpha,
                                  int32_t activation, float pre_scale, float post_scale) {
  return guarded("dmcrt_matmul_tiled", [&] {
    const auto& ta = check_strided(a, "A", 2);
    const auto& tb = check_strided(b, "B", 2);
    const auto& tc = check_strided(c, "C", 2);
    if (activation < DMCRT_ACT_NONE || activation > DMCRT_ACT_GELU_TANH)
      fail(DMCRT_ERR_INVALID_ARG, "unknown activation " + std::to_string(activation));
    const int64_t M = ta.shape[ta.rank - 2], K = ta.shape[ta.rank - 1], N = tb.shape[tb.rank - 1];
    if (tb.shape[tb.rank - 2] != K)
      fail(DMCRT_ERR_SHAPE, "inner dimensions differ: A " + shape_str(shape_of(ta)) + ", B " + shape_str(shape_of(tb)));
    Batches batches;
    batches.shape = broadcast_shapes(Shape(ta.shape, ta.shape + ta.rank - 2), Shape(tb.shape, tb.shape + tb.rank - 2));
    if (shape_of(tc) != with_matrix(batches.shape, M, N))
      fail(DMCRT_ERR_SHAPE, "C: expected shape " + shape_str(with_matrix(batches.shape, M, N)) + " but got " +
                                shape_str(shape_of(tc)));
    batches.count = numel(batches.shape);
    const Shape full = shape_of(tc);
    Operand oa{ta.data, aligned_strides(ta, with_matrix(batches.shape, M, K), "A")};
    Operand ob{tb.data, aligned_strides(tb, with_matrix(batches.shape, K, N), "B")};
    Operand opre = operand(pre, full, "pre"), opost = operand(post, full, "post");
    Operand oc{tc.data, aligned_strides(tc, full, "C")};
    if (M == 0 || N == 0 || batches.count == 0) return;
    const int64_t mt = (M + kTileM - 1) / kTileM, nt = (N + kTileN - 1) / kTileN;
    const int64_t tasks = batches.count * mt * nt;
    const bool parallel = batches.count * M * N * std::max<int64_t>(K, 1) >= (int64_t{1} << 18) && tasks > 1;
    const TiledIsa& inner = tiled_isa();
    run_tasks(tasks, parallel, [&](int64_t t) {
      const int64_t batch = t / (mt * nt), rest = t % (mt * nt);
      const int64_t m0 = (rest / nt) * kTileM, n0 = (rest % nt) * kTileN;
      GemmProblem p;
      p.M = M, p.N = N, p.K = K;
      p.A = oa.at(batches, batch);
      p.B = ob.at(batches, batch);
      p.pre = opre.at(batches, batch);
      p.post = opost.at(batches, batch);
      Matrix cm = oc.at(batches, batch);
      p.C = const_cast<float*>(cm.data), p.rsc = cm.rs, p.csc = cm.cs;
      p.alpha = alpha, p.activation = activation, p.pre_scale = pre_scale, p.post_scale = post_scale;
      inner.gemm_block(p, m0, std::min(M, m0 + kTileM), n0, std::min(N, n0 + kTileN));
    });
  });
}

extern "C" int dmcrt_attention(const dmcrt_strided* q, const dmcrt_strided* k, const dmcrt_strided* v,
                               const dmcrt_strided* mask, const dmcrt_strided* o, float scale, int32_t causal,
                               int64_t window, int64_t stride, const int64_t* global_tokens, int32_t n_global) {
  return guarded("dmcrt_attention", [&] {
    const auto& tq = check_strided(q, "Q", 2);
    const auto& tk = check_strided(k, "K", 2);
    const auto& tv = check_strided(v, "V", 2);
    const auto& to = check_strided(o, "O", 2);
    const int64_t Sq = tq.shape[tq.rank - 2], D = tq.shape[tq.rank - 1];
    const int64_t Sk = tk.shape[tk.rank - 2], Dv = tv.shape[tv.rank - 1];
    if (tk.shape[tk.rank - 1] != D || tv.shape[tv.rank - 2] != Sk)
      fail(DMCRT_ERR_SHAPE, "Q " + shape_str(shape_of(tq)) + ", K " + shape_str(shape_of(tk)) + " and V " +
                                shape_str(shape_of(tv)) + " do not form an attention");
    Batches batches;
    batches.shape = broadcast_shapes(broadcast_shapes(Shape(tq.shape, tq.shape + tq.rank - 2),
                                                      Shape(tk.shape, tk.shape + tk.rank - 2)),
                                     Shape(tv.shape, tv.shape + tv.rank - 2));
    if (shape_of(to) != with_matrix(batches.shape, Sq, Dv))
      fail(DMCRT_ERR_SHAPE, "O: expected shape " + shape_str(with_matrix(batches.shape, Sq, Dv)) + " but got " +
                                shape_str(shape_of(to)));
    batches.count = numel(batches.shape);
    Operand oq{tq.data, aligned_strides(tq, with_matrix(batches.shape, Sq, D), "Q")};
    Operand ok{tk.data, aligned_strides(tk, with_matrix(batches.shape, Sk, D), "K")};
    Operand ov{tv.data, aligned_strides(tv, with_matrix(batches.shape, Sk, Dv), "V")};
    Operand om = operand(mask, with_matrix(batches.shape, Sq, Sk), "mask");
    Operand oo{to.data, aligned_strides(to, shape_of(to), "O")};
    const GeneratedMask gen = make_generated_mask(causal, window, stride, global_tokens, n_global, std::max(Sq, Sk));
    if (Sq == 0 || Dv == 0 || batches.count == 0) return;
    const int64_t qt = (Sq + kAttnRows - 1) / kAttnRows, tasks = batches.count * qt;
    const TiledIsa& inner = tiled_isa();
    const bool parallel = tasks > 1 && batches.count * Sq * Sk * (D + Dv) >= (1 << 16);
    run_tasks(tasks, parallel, [&](int64_t t) {
      const int64_t batch = t / qt, q0 = (t % qt) * kAttnRows;
      AttentionProblem p;
      p.Sq = Sq, p.Sk = Sk, p.D = D, p.Dv = Dv;
      p.Q = oq.at(batches, batch);
      p.K = ok.at(batches, batch);
      p.V = ov.at(batches, batch);
      p.mask = om.at(batches, batch);
      Matrix out = oo.at(batches, batch);
      p.O = const_cast<float*>(out.data), p.rso = out.rs, p.cso = out.cs;
      p.scale = scale;
      p.generated = &gen;
      inner.attention_rows(p, q0, std::min(Sq, q0 + kAttnRows));
    });
  });
}
