// expand-library-nodes follows each node's `impl` attribute: library nodes stay, pure and tiled nodes are
// expanded so; nodes without the attribute follow the `impl` option (library: they stay).
// RUN: dmc-opt %s -split-input-file --expand-library-nodes | FileCheck %s
// RUN: dmc-opt %s -split-input-file --expand-library-nodes=impl=library | FileCheck %s --check-prefix=LIB
// RUN: dmc-opt %s -split-input-file --expand-library-nodes=impl=tiled | FileCheck %s --check-prefix=TILED

// CHECK-LABEL: sdfg.sdfg @by_attribute
// CHECK:       nn.fused_matmul ins(%x, %w : {{.*}}) outs(%t : {{.*}}) {label = "mm", transpose_b}
// CHECK-NEXT:  nn.exp {{.*}} {impl = "library"}
// CHECK-NEXT:  sdfg.map
// CHECK:         arith.mulf
// CHECK-NOT:   nn.
// LIB-LABEL:   sdfg.sdfg @by_attribute
// LIB:         nn.fused_matmul
// LIB-NEXT:    nn.exp {{.*}} {impl = "library"}
// LIB-NEXT:    nn.scale
// LIB-NOT:     sdfg.map
// Gemm's tiled form carries beta * C as the pre addend.
// TILED-LABEL: sdfg.sdfg @gemm
// TILED:       nn.fused_matmul ins(%a, %b, %c : {{.*}}) outs(%y : {{.*}}) {alpha = 2.000000e+00 : f32, has_pre, pre_scale = 5.000000e-01 : f32}
sdfg.sdfg @by_attribute inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[16, 8]>) outputs(%y: !sdfg.array<f32[4, 16]>, %z: !sdfg.array<f32[4, 16]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[16, 8]>) outs(%t : !sdfg.array<f32[4, 16]>) {transpose_b, label = "mm", impl = "tiled"}
    nn.exp ins(%t : !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>) {impl = "library"}
    nn.scale ins(%t : !sdfg.array<f32[4, 16]>) outs(%z : !sdfg.array<f32[4, 16]>) {alpha = 3.0 : f32}
  }
}

// -----

sdfg.sdfg @gemm inputs(%a: !sdfg.array<f32[4, 8]>, %b: !sdfg.array<f32[8, 16]>, %c: !sdfg.array<f32[16]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  sdfg.state @main {
    nn.gemm ins(%a, %b, %c : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>, !sdfg.array<f32[16]>) outs(%y : !sdfg.array<f32[4, 16]>) {alpha = 2.0 : f32, beta = 0.5 : f32}
  }
}

