// dmcrt_matmul_dnnl: a fused matmul on oneDNN's matmul primitive (Debian's libdnnl), with the epilogue as
// oneDNN post-ops, for nodes whose implementation is `dnnl` (a candidate of dmc tune). oneDNN reads the
// strided views in place. It is loaded at the first call (dlopen), so libdmcrt does not depend on it.
// Without oneDNN's header at build time (DMCRT_WITH_DNNL undefined, as on a machine that builds the
// runtime alone), the entry point exists and fails with a message.
#include "dmc/runtime/tiled.h"
#include "kernel_util.h"

#ifdef DMCRT_WITH_DNNL
#include <dlfcn.h>
#include <dnnl.h>
#include <dnnl_version.h>

#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>
#endif

namespace dmc::detail {
namespace {
#ifdef DMCRT_WITH_DNNL
/// oneDNN's C functions, from libdnnl loaded when a dnnl matmul first runs: libdmcrt (and every library
/// beside it) loads on machines without oneDNN, where only this implementation fails.
#define DMCRT_DNNL_FUNCTIONS \
  X(engine_create) \
  X(matmul_desc_init) \
  X(memory_create) \
  X(memory_desc_init_by_strides) \
  X(memory_destroy) \
  X(post_ops_append_binary) \
  X(post_ops_append_eltwise) \
  X(post_ops_create) \
  X(post_ops_destroy) \
  X(post_ops_len) \
  X(primitive_attr_create) \
  X(primitive_attr_destroy) \
  X(primitive_attr_set_output_scales) \
  X(primitive_attr_set_post_ops) \
  X(primitive_create) \
  X(primitive_desc_create) \
  X(primitive_desc_destroy) \
  X(primitive_destroy) \
  X(primitive_execute) \
  X(stream_create) \
  X(stream_wait)

struct Api {
#define X(name) decltype(&::dnnl_##name) name = nullptr;
  DMCRT_DNNL_FUNCTIONS
#undef X
  std::string error;  // why it could not be loaded; empty when it was
};

const Api& api() {
  static Api a;
  static std::once_flag once;
  std::call_once(once, [] {
    const std::string library = "libdnnl.so." + std::to_string(DNNL_VERSION_MAJOR);
    void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      a.error = "cannot load oneDNN (" + library + "): " + dlerror();
      return;
    }
#define X(name)                                                                  \
    a.name = reinterpret_cast<decltype(a.name)>(dlsym(handle, "dnnl_" #name));    \
    if (!a.name && a.error.empty()) a.error = library + " has no dnnl_" #name;
    DMCRT_DNNL_FUNCTIONS
#undef X
  });
  if (!a.error.empty()) fail(DMCRT_ERR_INVALID_ARG, a.error);
  return a;
}

void check(dnnl_status_t status, const char* what) {
  if (status != dnnl_success)
    fail(status == dnnl_unimplemented ? DMCRT_ERR_SHAPE : DMCRT_ERR_INTERNAL,
         std::string("oneDNN ") + what + (status == dnnl_unimplemented ? ": unimplemented for these operands" : " failed") +
             " (status " + std::to_string((int)status) + ")");
}

/// The CPU engine and an in-order stream, made once for the process.
struct Engine {
  dnnl_engine_t engine = nullptr;
  dnnl_stream_t stream = nullptr;
};
const Engine& engine() {
  static Engine e;
  static std::once_flag once;
  std::call_once(once, [] {
    check(api().engine_create(&e.engine, dnnl_cpu, 0), "engine");
    check(api().stream_create(&e.stream, e.engine, dnnl_stream_default_flags), "stream");
  });
  return e;
}

/// `t` as a memory descriptor of rank `rank`: its dims right-aligned, leading dims of size 1.
dnnl_memory_desc_t descriptor(const dmcrt_strided& t, int rank) {
  dnnl_dims_t dims, strides;
  int lead = rank - t.rank;
  for (int d = 0; d < rank; ++d) {
    dims[d] = d < lead ? 1 : t.shape[d - lead];
    strides[d] = d < lead ? 0 : t.stride[d - lead];
  }
  // A dim of size 1 may have any stride (a leading one has none): oneDNN gets one that addresses the same
  // elements. A stretched dim (stride 0) is not a oneDNN layout.
  for (int d = rank - 1; d >= 0; --d) {
    if (dims[d] == 1)
      strides[d] = d + 1 < rank ? strides[d + 1] * dims[d + 1] : 1;
    else if (strides[d] == 0)
      fail(DMCRT_ERR_INVALID_ARG, "an operand stretched along a dim (stride 0) is not a oneDNN layout");
  }
  dnnl_memory_desc_t md;
  check(api().memory_desc_init_by_strides(&md, rank, dims, dnnl_f32, strides), "memory descriptor");
  return md;
}

struct Primitive {
  dnnl_primitive_desc_t pd = nullptr;
  dnnl_primitive_t primitive = nullptr;
  dnnl_primitive_attr_t attr = nullptr;
  dnnl_post_ops_t post_ops = nullptr;
  std::vector<dnnl_memory_t> memories;
  ~Primitive() {
    for (dnnl_memory_t m : memories) api().memory_destroy(m);
    if (primitive) api().primitive_destroy(primitive);
    if (pd) api().primitive_desc_destroy(pd);
    if (post_ops) api().post_ops_destroy(post_ops);
    if (attr) api().primitive_attr_destroy(attr);
  }
};

/// The element of `t` at C's index `at` (t's dims right-aligned; its dims of size 1 broadcast).
float element(const dmcrt_strided& t, const int64_t* at, int rank) {
  int64_t offset = 0;
  for (int32_t d = 0; d < t.rank; ++d) {
    int64_t i = at[rank - t.rank + d];
    offset += (t.shape[d] == 1 ? 0 : i) * t.stride[d];
  }
  return t.data[offset];
}

float activate(float x, int32_t activation) {
  switch (activation) {
    case DMCRT_ACT_RELU: return x > 0 ? x : 0;
    case DMCRT_ACT_GELU_ERF: return 0.5f * x * (1 + std::erf(x * 0.70710678f));
    case DMCRT_ACT_GELU_TANH: return 0.5f * x * (1 + std::tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
    default: return x;
  }
}

/// C = act(pre_scale * pre) + post_scale * post: the fused matmul of an empty inner dim.
void epilogue_of_zeros(const dmcrt_strided* pre, const dmcrt_strided* post, const dmcrt_strided& c, int32_t activation,
                       float pre_scale, float post_scale) {
  int64_t at[DMCRT_MAX_RANK] = {0};
  for (;;) {
    float x = activate(pre ? pre_scale * element(*pre, at, c.rank) : 0.0f, activation);
    if (post) x += post_scale * element(*post, at, c.rank);
    int64_t offset = 0;
    for (int32_t d = 0; d < c.rank; ++d) offset += at[d] * c.stride[d];
    c.data[offset] = x;
    int32_t d = c.rank - 1;
    while (d >= 0 && ++at[d] == c.shape[d]) at[d--] = 0;
    if (d < 0) return;
  }
}

dnnl_alg_kind_t eltwise_of(int32_t activation) {
  switch (activation) {
    case DMCRT_ACT_RELU: return dnnl_eltwise_relu;
    case DMCRT_ACT_GELU_ERF: return dnnl_eltwise_gelu_erf;
    case DMCRT_ACT_GELU_TANH: return dnnl_eltwise_gelu_tanh;
    default: return dnnl_alg_kind_undef;
  }
}
#endif
}  // namespace
}  // namespace dmc::detail

extern "C" int dmcrt_matmul_dnnl(const dmcrt_strided* a, const dmcrt_strided* b, const dmcrt_strided* pre,
                                 const dmcrt_strided* post, const dmcrt_strided* c, float alpha,
                                 int32_t activation, float pre_scale, float post_scale) {
  using namespace dmc::detail;
  return guarded("dmcrt_matmul_dnnl", [&] {
#ifndef DMCRT_WITH_DNNL
    (void)a, (void)b, (void)pre, (void)post, (void)c, (void)alpha, (void)activation, (void)pre_scale,
        (void)post_scale;
    fail(DMCRT_ERR_INVALID_ARG, "this libdmcrt was built without oneDNN (libdnnl-dev)");
#else
    if (!a || !b || !c) fail(DMCRT_ERR_INVALID_ARG, "A, B and C must not be null");
    if (a->rank < 2 || b->rank < 2 || c->rank < 2 || c->rank > DNNL_MAX_NDIMS || a->rank > c->rank ||
        b->rank > c->rank)
      fail(DMCRT_ERR_INVALID_ARG, "A, B and C must have rank 2.." + std::to_string(DNNL_MAX_NDIMS) +
                                      ", A and B at most C's");
    if (activation < DMCRT_ACT_NONE || activation > DMCRT_ACT_GELU_TANH)
      fail(DMCRT_ERR_INVALID_ARG, "unknown activation " + std::to_string(activation));
    if ((pre && pre_scale == 0) || (post && post_scale == 0))
      fail(DMCRT_ERR_INVALID_ARG, "a scale of 0 on an addend");
    const int rank = c->rank;
    int64_t elements = 1;
    for (int32_t d = 0; d < c->rank; ++d) elements *= c->shape[d];
    if (elements == 0) return;  // nothing to compute
    if (a->shape[a->rank - 1] == 0) {  // K = 0: C is the epilogue of zeros, which oneDNN's matmul does not take
      epilogue_of_zeros(pre, post, *c, activation, pre_scale, post_scale);
      return;
    }
    Primitive p;
    check(api().primitive_attr_create(&p.attr), "attributes");
    check(api().post_ops_create(&p.post_ops), "post-ops");
    // act(alpha * A@B + pre_scale * pre) + post: oneDNN's output scale alpha / pre_scale, the addend, then
    // the eltwise pre_scale * x, the activation, the residual. (oneDNN 2.6 applied the first linear
    // eltwise's factor to a second one: at most one linear post-op, hence post_scale 1 only.)
    if (post && post_scale != 1.0f)
      fail(DMCRT_ERR_INVALID_ARG, "a residual scale other than 1");
    const float output_scale = pre ? alpha / pre_scale : alpha;
    check(api().primitive_attr_set_output_scales(p.attr, 1, 0, &output_scale), "output scale");
    std::vector<std::pair<int, const dmcrt_strided*>> binaries;  // post-op index, addend
    auto add = [&](const dmcrt_strided* t) {
      dnnl_memory_desc_t md = descriptor(*t, rank);
      binaries.push_back({api().post_ops_len(p.post_ops), t});
      check(api().post_ops_append_binary(p.post_ops, dnnl_binary_add, &md), "binary");
    };
    if (pre) {
      add(pre);
      if (pre_scale != 1.0f)
        check(api().post_ops_append_eltwise(p.post_ops, 1.0f, dnnl_eltwise_linear, pre_scale, 0.0f), "eltwise");
    }
    if (activation != DMCRT_ACT_NONE)
      check(api().post_ops_append_eltwise(p.post_ops, 1.0f, eltwise_of(activation), 0.0f, 0.0f), "eltwise");
    // A residual that is C itself is read before C is written: oneDNN gets a copy.
    std::vector<float> post_copy;
    dmcrt_strided post_view;
    if (post && post->data == c->data) {
      post_view = *post;
      int64_t n = 1;
      for (int32_t d = 0; d < post->rank; ++d) n *= post->shape[d];
      post_copy.resize((size_t)n);
      for (int64_t i = 0; i < n; ++i) {
        int64_t offset = 0, rest = i;
        for (int32_t d = post->rank - 1; d >= 0; --d) {
          offset += (rest % post->shape[d]) * post->stride[d];
          rest /= post->shape[d];
        }
        post_copy[(size_t)i] = post->data[offset];
      }
      post_view.data = post_copy.data();
      int64_t stride = 1;
      for (int32_t d = post->rank - 1; d >= 0; --d) post_view.stride[d] = stride, stride *= post->shape[d];
      post = &post_view;
    }
    if (post) add(post);
    check(api().primitive_attr_set_post_ops(p.attr, p.post_ops), "post-ops");

    dnnl_memory_desc_t ma = descriptor(*a, rank), mb = descriptor(*b, rank), mc = descriptor(*c, rank);
    dnnl_matmul_desc_t desc;
    check(api().matmul_desc_init(&desc, &ma, &mb, nullptr, &mc), "matmul descriptor");
    const Engine& e = engine();
    check(api().primitive_desc_create(&p.pd, &desc, p.attr, e.engine, nullptr), "matmul");
    check(api().primitive_create(&p.primitive, p.pd), "primitive");
    std::vector<dnnl_exec_arg_t> args;
    auto memory = [&](int arg, const dnnl_memory_desc_t& md, float* data) {
      dnnl_memory_t m;
      check(api().memory_create(&m, &md, e.engine, data), "memory");
      p.memories.push_back(m);
      args.push_back({arg, m});
    };
    memory(DNNL_ARG_SRC, ma, a->data);
    memory(DNNL_ARG_WEIGHTS, mb, b->data);
    memory(DNNL_ARG_DST, mc, c->data);
    for (auto [index, t] : binaries) memory(DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1, descriptor(*t, rank), t->data);
    check(api().primitive_execute(p.primitive, e.stream, (int)args.size(), args.data()), "execute");
    check(api().stream_wait(e.stream), "stream wait");
#endif
  });
}
