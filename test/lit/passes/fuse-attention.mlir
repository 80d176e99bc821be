// RUN: dmc-opt %s -split-input-file --fuse-attention | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fuse-attention | dmc-opt -split-input-file | FileCheck %s

// Q K^T -> softmax (causal, scaled) -> P V: one attention node with the product of both scales; the
// [H, S, S] transients are gone.
// CHECK-LABEL: sdfg.sdfg @attn
// CHECK-NOT:   sdfg.alloc
// CHECK:       nn.attention ins(%q, %k, %v : {{.*}}) outs(%o : !sdfg.array<f32[2, S, 8]>) {causal, label = "ctx", scale = 2.500000e-01 : f32}
// CHECK-NOT:   nn.softmax
// CHECK-NOT:   nn.matmul
sdfg.sdfg @attn symbols(%S) inputs(%q: !sdfg.array<f32[2, S, 8]>, %k: !sdfg.array<f32[2, S, 8]>, %v: !sdfg.array<f32[2, S, 8]>) outputs(%o: !sdfg.array<f32[2, S, 8]>) {
  %s = sdfg.alloc {name = "s"} : !sdfg.array<f32[2, S, S]>
  %p = sdfg.alloc {name = "p"} : !sdfg.array<f32[2, S, S]>
  sdfg.state @main {
    nn.matmul ins(%q, %k : !sdfg.array<f32[2, S, 8]>, !sdfg.array<f32[2, S, 8]>) outs(%s : !sdfg.array<f32[2, S, S]>) {transpose_b, alpha = 2.0 : f32}
    nn.softmax ins(%s : !sdfg.array<f32[2, S, S]>) outs(%p : !sdfg.array<f32[2, S, S]>) {scale = 0.125 : f32, causal}
    nn.matmul ins(%p, %v : !sdfg.array<f32[2, S, S]>, !sdfg.array<f32[2, S, 8]>) outs(%o : !sdfg.array<f32[2, S, 8]>) {label = "ctx"}
  }
}

// -----

// The probabilities are also an output (a second reader outside the pattern): nothing is fused.
// CHECK-LABEL: sdfg.sdfg @probs_escape
// CHECK:       nn.matmul
// CHECK:       nn.softmax
// CHECK:       nn.matmul
// CHECK-NOT:   nn.attention
sdfg.sdfg @probs_escape inputs(%q: !sdfg.array<f32[4, 8]>, %k: !sdfg.array<f32[4, 8]>, %v: !sdfg.array<f32[4, 8]>) outputs(%o: !sdfg.array<f32[4, 8]>, %p: !sdfg.array<f32[4, 4]>) {
  %s = sdfg.alloc {name = "s"} : !sdfg.array<f32[4, 4]>
  sdfg.state @main {
    nn.matmul ins(%q, %k : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%s : !sdfg.array<f32[4, 4]>) {transpose_b}
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>)
    nn.matmul ins(%p, %v : !sdfg.array<f32[4, 4]>, !sdfg.array<f32[4, 8]>) outs(%o : !sdfg.array<f32[4, 8]>)
  }
}

// -----

// K is overwritten between the score and the context matmul: moving the read of K down would change
// the result, so nothing is fused.
// CHECK-LABEL: sdfg.sdfg @k_written_between
// CHECK-NOT:   nn.attention
sdfg.sdfg @k_written_between inputs(%q: !sdfg.array<f32[4, 8]>, %k0: !sdfg.array<f32[4, 8]>, %v: !sdfg.array<f32[4, 8]>) outputs(%o: !sdfg.array<f32[4, 8]>) {
  %k = sdfg.alloc {name = "k"} : !sdfg.array<f32[4, 8]>
  %s = sdfg.alloc {name = "s"} : !sdfg.array<f32[4, 4]>
  %p = sdfg.alloc {name = "p"} : !sdfg.array<f32[4, 4]>
  sdfg.state @main {
    nn.relu ins(%k0 : !sdfg.array<f32[4, 8]>) outs(%k : !sdfg.array<f32[4, 8]>)
    nn.matmul ins(%q, %k : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%s : !sdfg.array<f32[4, 4]>) {transpose_b}
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>)
    nn.exp ins(%k0 : !sdfg.array<f32[4, 8]>) outs(%k : !sdfg.array<f32[4, 8]>)
    nn.matmul ins(%p, %v : !sdfg.array<f32[4, 4]>, !sdfg.array<f32[4, 8]>) outs(%o : !sdfg.array<f32[4, 8]>)
  }
}

// -----

// Softmax over the first axis is not attention.
// CHECK-LABEL: sdfg.sdfg @wrong_axis
// CHECK-NOT:   nn.attention
sdfg.sdfg @wrong_axis inputs(%q: !sdfg.array<f32[4, 8]>, %k: !sdfg.array<f32[4, 8]>, %v: !sdfg.array<f32[4, 8]>) outputs(%o: !sdfg.array<f32[4, 8]>) {
  %s = sdfg.alloc {name = "s"} : !sdfg.array<f32[4, 4]>
  %p = sdfg.alloc {name = "p"} : !sdfg.array<f32[4, 4]>
  sdfg.state @main {
    nn.matmul ins(%q, %k : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%s : !sdfg.array<f32[4, 4]>) {transpose_b}
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>) {axis = 0}
    nn.matmul ins(%p, %v : !sdfg.array<f32[4, 4]>, !sdfg.array<f32[4, 8]>) outs(%o : !sdfg.array<f32[4, 8]>)
  }
}
