// The generated attention masks of docs/op-vocabulary.md (causal, window, stride, global tokens),
// shared by dmcrt_softmax and dmcrt_attention.
#ifndef DMC_RUNTIME_SRC_GENERATED_MASK_H
#define DMC_RUNTIME_SRC_GENERATED_MASK_H

#include <cstdint>
#include <vector>

namespace dmc::detail {

struct GeneratedMask {
  bool causal = false;
  int64_t window = -1;
  int64_t stride = 0;
  std::vector<char> global;  // global[t] != 0 when token t is global
  bool any() const { return causal || window >= 0 || stride > 0 || !global.empty(); }
  bool kept(int64_t i, int64_t j) const {
    if ((i < static_cast<int64_t>(global.size()) && global[i]) ||
        (j < static_cast<int64_t>(global.size()) && global[j]))
      return true;
    const int64_t dist = i >= j ? i - j : j - i;
    if (causal && j > i) return false;
    if (window >= 0 && dist > window) return false;
    // With causal, i - j >= 0 for kept positions, so |i - j| covers both spellings of the rule.
    if (stride > 0 && dist % stride != 0) return false;
    return true;
  }
  // False only when no (i, j) with i in [q0, q1), j in [k0, k1) is kept (cheap, conservative).
  bool block_may_keep(int64_t q0, int64_t q1, int64_t k0, int64_t k1) const {
    for (int64_t t = 0; t < static_cast<int64_t>(global.size()); ++t)
      if (global[t] && ((t >= q0 && t < q1) || (t >= k0 && t < k1))) return true;
    if (causal && k0 > q1 - 1) return false;
    if (window >= 0 && (k0 - (q1 - 1) > window || q0 - (k1 - 1) > window)) return false;
    return true;
  }
};

// Validates the mask arguments of the C ABI and builds the mask; `size` bounds the token indices.
GeneratedMask make_generated_mask(int32_t causal, int64_t window, int64_t stride, const int64_t* global_tokens,
                                  int32_t n_global, int64_t size);

}  // namespace dmc::detail

#endif
