// nn.attention and nn.fused_matmul at shapes that cut the runtime kernels' blocks unevenly (S = 1 and 77,
// D = 24 and 40, one head, batch 3), with every mask kind (causal alone, a window alone, a causal band
// with a stride: each key-block range of the tiled attention; global tokens beside a window or causal
// mask, in the blocks of several query and key blocks, and more of them than the tiled nest tells apart), broadcast batch dims, a transposed view
// operand and a `post` that is C itself (through a view), under the runtime kernels (`library`), the
// pure expansions and the tiled ones; and a Gemm whose `impl = "tiled"` makes it an nn.fused_matmul (beta * C as `pre`). Checked by test/backend/compare_graphs.py against fused_nodes.py.
sdfg.sdfg @fused_nodes inputs(%q: !sdfg.array<f32[3, 1, 77, 40]>, %k: !sdfg.array<f32[3, 1, 77, 40]>, %v: !sdfg.array<f32[3, 1, 77, 24]>, %mask: !sdfg.array<f32[77, 77]>, %q2: !sdfg.array<f32[2, 3, 9, 24]>, %k2: !sdfg.array<f32[1, 3, 77, 24]>, %v2: !sdfg.array<f32[2, 1, 77, 40]>, %q3: !sdfg.array<f32[3, 1, 24]>, %a: !sdfg.array<f32[3, 77, 40]>, %w: !sdfg.array<f32[24, 40]>, %bias: !sdfg.array<f32[24]>, %res: !sdfg.array<f32[3, 77, 24]>, %at: !sdfg.array<f32[40, 77]>, %w2: !sdfg.array<f32[40, 24]>, %x: !sdfg.array<f32[77, 24]>) outputs(%o1: !sdfg.array<f32[3, 1, 77, 24]>, %o2: !sdfg.array<f32[2, 3, 9, 40]>, %o3: !sdfg.array<f32[3, 1, 24]>, %c1: !sdfg.array<f32[3, 77, 24]>, %c2: !sdfg.array<f32[77, 24]>, %c3: !sdfg.array<f32[77, 24]>, %g: !sdfg.array<f32[77, 24]>, %o4: !sdfg.array<f32[3, 1, 77, 24]>, %o5: !sdfg.array<f32[3, 1, 77, 24]>, %o6: !sdfg.array<f32[3, 1, 77, 24]>, %o7: !sdfg.array<f32[3, 1, 77, 24]>, %o8: !sdfg.array<f32[3, 1, 77, 24]>, %o9: !sdfg.array<f32[3, 1, 77, 24]>) {
  %a_t = sdfg.transpose_view %at [1, 0] : !sdfg.array<f32[40, 77]> -> !sdfg.array<f32[77, 40]>
  %k3r = sdfg.slice_view %a [0, 0, 8] : !sdfg.array<f32[3, 77, 40]> -> !sdfg.array<f32[3, 77, 24]>
  %v3 = sdfg.reshape_view %v : !sdfg.array<f32[3, 1, 77, 24]> -> !sdfg.array<f32[3, 77, 24]>
  %c3_post = sdfg.reshape_view %c3 : !sdfg.array<f32[77, 24]> -> !sdfg.array<f32[77, 24]>
  sdfg.state @main {
    nn.attention ins(%q, %k, %v, %mask : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>, !sdfg.array<f32[77, 77]>) outs(%o1 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, label = "additive"}
    nn.attention ins(%q2, %k2, %v2 : !sdfg.array<f32[2, 3, 9, 24]>, !sdfg.array<f32[1, 3, 77, 24]>, !sdfg.array<f32[2, 1, 77, 40]>) outs(%o2 : !sdfg.array<f32[2, 3, 9, 40]>) {scale = 0.25 : f32, causal, window = 5, stride = 2, global_tokens = array<i64: 0, 40>, label = "generated"}
    nn.attention ins(%q3, %k3r, %v3 : !sdfg.array<f32[3, 1, 24]>, !sdfg.array<f32[3, 77, 24]>, !sdfg.array<f32[3, 77, 24]>) outs(%o3 : !sdfg.array<f32[3, 1, 24]>) {scale = 0.5 : f32, causal, global_tokens = array<i64: 40>, label = "one_query"}
    nn.attention ins(%q, %k, %v, %mask : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>, !sdfg.array<f32[77, 77]>) outs(%o4 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, causal, label = "causal"}
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>) outs(%o5 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, window = 50, label = "window"}
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>) outs(%o6 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, causal, window = 30, stride = 3, label = "causal_band"}
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>) outs(%o7 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, window = 10, global_tokens = array<i64: 3, 40, 76>, label = "window_global"}
    nn.attention ins(%q, %k, %v, %mask : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>, !sdfg.array<f32[77, 77]>) outs(%o8 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, causal, global_tokens = array<i64: 50>, label = "causal_global"}
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 40]>, !sdfg.array<f32[3, 1, 77, 24]>) outs(%o9 : !sdfg.array<f32[3, 1, 77, 24]>) {scale = 0.125 : f32, causal, window = 4, global_tokens = array<i64: 1, 10, 20, 30, 40, 50, 60, 70>, label = "many_globals"}
    nn.fused_matmul ins(%a, %w, %bias, %res : !sdfg.array<f32[3, 77, 40]>, !sdfg.array<f32[24, 40]>, !sdfg.array<f32[24]>, !sdfg.array<f32[3, 77, 24]>) outs(%c1 : !sdfg.array<f32[3, 77, 24]>) {transpose_b, alpha = 0.5 : f32, activation = "gelu_erf", has_pre, has_post, pre_scale = 2.0 : f32, post_scale = -1.0 : f32, label = "bias_gelu_residual"}
    nn.fused_matmul ins(%a_t, %w2 : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 24]>) outs(%c2 : !sdfg.array<f32[77, 24]>) {activation = "relu", label = "transposed_view"}
    nn.exp ins(%x : !sdfg.array<f32[77, 24]>) outs(%c3 : !sdfg.array<f32[77, 24]>) {label = "residual"}
    nn.fused_matmul ins(%a_t, %w2, %c3_post : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 24]>, !sdfg.array<f32[77, 24]>) outs(%c3 : !sdfg.array<f32[77, 24]>) {activation = "gelu_tanh", has_post, label = "post_is_c"}
    nn.gemm ins(%a_t, %w, %bias : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[24, 40]>, !sdfg.array<f32[24]>) outs(%g : !sdfg.array<f32[77, 24]>) {transpose_b, alpha = 0.5 : f32, beta = 2.0 : f32, impl = "tiled", label = "gemm_tiled"}
  }
}
