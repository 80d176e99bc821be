// choose-implementations' fused_matmul=dnnl: a node oneDNN's matmul primitive takes gets it; one it does
// not take (A broadcast over C's batch) stays the runtime's GEMM, with a remark saying why.
// RUN: dmc-opt %s --choose-implementations="default=library fused_matmul=dnnl" 2>&1 | FileCheck %s

// CHECK: remark: stays a runtime call: no 'dnnl' implementation for this node (A's batch dims are not C's (oneDNN's matmul broadcasts only B))
// CHECK: nn.fused_matmul {{.*}} {has_pre, impl = "dnnl"}
// CHECK: nn.fused_matmul {{.*}} {impl = "library"}
sdfg.sdfg @choice inputs(%x: !sdfg.array<f32[3, 77, 40]>, %w: !sdfg.array<f32[40, 24]>, %b: !sdfg.array<f32[24]>, %a: !sdfg.array<f32[77, 40]>, %v: !sdfg.array<f32[3, 40, 24]>) outputs(%y: !sdfg.array<f32[3, 77, 24]>, %c: !sdfg.array<f32[3, 77, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%x, %w, %b : !sdfg.array<f32[3, 77, 40]>, !sdfg.array<f32[40, 24]>, !sdfg.array<f32[24]>) outs(%y : !sdfg.array<f32[3, 77, 24]>) {has_pre}
    nn.fused_matmul ins(%a, %v : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[3, 40, 24]>) outs(%c : !sdfg.array<f32[3, 77, 24]>)
  }
}
