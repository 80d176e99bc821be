// `impl = "dnnl"` only where oneDNN's matmul primitive takes the node (nn::whyNotDnnl).
// RUN: dmc-opt %s -split-input-file -verify-diagnostics

sdfg.sdfg @broadcast_a inputs(%a: !sdfg.array<f32[77, 40]>, %w: !sdfg.array<f32[3, 40, 24]>) outputs(%c: !sdfg.array<f32[3, 77, 24]>) {
  sdfg.state @s {
    // expected-error @below {{cannot run on oneDNN (`impl = "dnnl"`): A's batch dims are not C's (oneDNN's matmul broadcasts only B)}}
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[3, 40, 24]>) outs(%c : !sdfg.array<f32[3, 77, 24]>) {impl = "dnnl"}
  }
}

// -----

sdfg.sdfg @not_a_matmul inputs(%x: !sdfg.array<f32[9, 16]>) outputs(%y: !sdfg.array<f32[9, 16]>) {
  sdfg.state @s {
    // expected-error @below {{cannot run on oneDNN (`impl = "dnnl"`): only fused matmuls run on oneDNN}}
    nn.softmax ins(%x : !sdfg.array<f32[9, 16]>) outs(%y : !sdfg.array<f32[9, 16]>) {impl = "dnnl"}
  }
}

