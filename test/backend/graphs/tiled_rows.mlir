// Softmax, layer norm and reductions along the last axis at shapes that cut the row blocks unevenly (R = 77
// rows, rows of N = 33 and 77: not multiples of any vector width), with every mask kind (an additive mask
// with a fully masked row, causal, a window, a causal band with a stride and global tokens), a rank-1
// row, a transposed view read and one written; and, for whyNot, a softmax and a sum along a non-last
// axis (left to the runtime by choose-implementations' tiled options). Under the runtime kernels, the pure
// expansions and the tiled ones (test/backend/compare_graphs.py, against tiled_rows.py).
sdfg.sdfg @tiled_rows inputs(%x: !sdfg.array<f32[3, 77, 33]>, %mask: !sdfg.array<f32[77, 33]>, %sc: !sdfg.array<f32[2, 77, 77]>, %xt: !sdfg.array<f32[33, 77]>, %v: !sdfg.array<f32[33]>, %g: !sdfg.array<f32[33]>, %b: !sdfg.array<f32[33]>) outputs(%s1: !sdfg.array<f32[3, 77, 33]>, %s2: !sdfg.array<f32[2, 77, 77]>, %s3: !sdfg.array<f32[2, 77, 77]>, %s4: !sdfg.array<f32[2, 77, 77]>, %s5: !sdfg.array<f32[3, 77, 33]>, %s6: !sdfg.array<f32[33, 77]>, %l1: !sdfg.array<f32[3, 77, 33]>, %l2: !sdfg.array<f32[77, 33]>, %l3: !sdfg.array<f32[33]>, %r1: !sdfg.array<f32[3, 77, 1]>, %r2: !sdfg.array<f32[3, 77]>, %r3: !sdfg.array<f32[3, 77, 1]>, %r4: !sdfg.array<f32[3, 1, 33]>, %r5: !sdfg.array<f32[]>) {
  %xv = sdfg.transpose_view %xt [1, 0] : !sdfg.array<f32[33, 77]> -> !sdfg.array<f32[77, 33]>
  %s6v = sdfg.transpose_view %s6 [1, 0] : !sdfg.array<f32[33, 77]> -> !sdfg.array<f32[77, 33]>
  sdfg.state @main {
    nn.softmax ins(%x, %mask : !sdfg.array<f32[3, 77, 33]>, !sdfg.array<f32[77, 33]>) outs(%s1 : !sdfg.array<f32[3, 77, 33]>) {scale = 0.5 : f32, label = "additive"}
    nn.softmax ins(%sc : !sdfg.array<f32[2, 77, 77]>) outs(%s2 : !sdfg.array<f32[2, 77, 77]>) {causal, label = "causal"}
    nn.softmax ins(%sc : !sdfg.array<f32[2, 77, 77]>) outs(%s3 : !sdfg.array<f32[2, 77, 77]>) {scale = 0.25 : f32, window = 10, label = "window"}
    nn.softmax ins(%sc : !sdfg.array<f32[2, 77, 77]>) outs(%s4 : !sdfg.array<f32[2, 77, 77]>) {causal, window = 30, stride = 3, global_tokens = array<i64: 0, 40>, label = "band"}
    nn.softmax ins(%x : !sdfg.array<f32[3, 77, 33]>) outs(%s5 : !sdfg.array<f32[3, 77, 33]>) {axis = 1, label = "axis1"}
    nn.softmax ins(%xv : !sdfg.array<f32[77, 33]>) outs(%s6v : !sdfg.array<f32[77, 33]>) {label = "views"}
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[3, 77, 33]>, !sdfg.array<f32[33]>, !sdfg.array<f32[33]>) outs(%l1 : !sdfg.array<f32[3, 77, 33]>) {epsilon = 1.0e-3 : f32, label = "ln"}
    nn.layer_norm ins(%xv, %g, %b : !sdfg.array<f32[77, 33]>, !sdfg.array<f32[33]>, !sdfg.array<f32[33]>) outs(%l2 : !sdfg.array<f32[77, 33]>) {label = "ln_view"}
    nn.layer_norm ins(%v, %g, %b : !sdfg.array<f32[33]>, !sdfg.array<f32[33]>, !sdfg.array<f32[33]>) outs(%l3 : !sdfg.array<f32[33]>) {label = "ln_one_row"}
    nn.reduce_sum ins(%x : !sdfg.array<f32[3, 77, 33]>) outs(%r1 : !sdfg.array<f32[3, 77, 1]>) {axes = array<i64: -1>, label = "sum"}
    nn.reduce_mean ins(%x : !sdfg.array<f32[3, 77, 33]>) outs(%r2 : !sdfg.array<f32[3, 77]>) {axes = array<i64: 2>, keepdims = false, label = "mean"}
    nn.reduce_max ins(%x : !sdfg.array<f32[3, 77, 33]>) outs(%r3 : !sdfg.array<f32[3, 77, 1]>) {axes = array<i64: 2>, label = "max"}
    nn.reduce_sum ins(%x : !sdfg.array<f32[3, 77, 33]>) outs(%r4 : !sdfg.array<f32[3, 1, 33]>) {axes = array<i64: 1>, label = "sum_axis1"}
    nn.reduce_max ins(%v : !sdfg.array<f32[33]>) outs(%r5 : !sdfg.array<f32[]>) {axes = array<i64: 0>, keepdims = false, label = "max_one_row"}
  }
}
