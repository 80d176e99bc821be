// impl=tiled expands MatMul into the tiled form (nn.fused_matmul without epilogue) and the rest pure;
// only= restricts the pass to some families and leaves the other nodes as they are.
// RUN: dmc-opt %s --expand-library-nodes=impl=tiled | FileCheck %s --check-prefix=TILED
// RUN: dmc-opt %s "--expand-library-nodes=only=elementwise" | FileCheck %s --check-prefix=ONLY
// RUN: not dmc-opt %s "--expand-library-nodes=only=elementwise,softmaxes" 2>&1 | FileCheck %s --check-prefix=BAD

// TILED:      nn.fused_matmul ins(%x, %w : {{.*}}) outs(%t : {{.*}}) {alpha = 2.000000e+00 : f32, label = "mm", transpose_b}
// TILED-NOT:  nn.exp
// TILED:      sdfg.map
// TILED:        math.exp

// ONLY:       nn.matmul
// ONLY-NOT:   nn.exp
// ONLY:       sdfg.map
// ONLY:         math.exp

// BAD: error: expand-library-nodes: unknown family 'softmaxes' in only= (available: elementwise, matmul, softmax, layernorm, reduce, layout, fused_matmul, attention)
sdfg.sdfg @mixed inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[16, 8]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[16, 8]>) outs(%t : !sdfg.array<f32[4, 16]>) {transpose_b, alpha = 2.0 : f32, label = "mm"}
    nn.exp ins(%t : !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
  }
}
