// RUN: dmc-opt %s -split-input-file --fuse-matmul-epilogues | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fuse-matmul-epilogues | dmc-opt -split-input-file | FileCheck %s

// matmul -> scale -> add bias -> gelu -> add residual: one fused node; every intermediate goes.
// CHECK-LABEL: sdfg.sdfg @ffn
// CHECK-NOT:   sdfg.alloc
// CHECK:       nn.fused_matmul ins(%x, %w, %b, %r : {{.*}}) outs(%y : !sdfg.array<f32[S, 16]>) {activation = "gelu_erf", alpha = 5.000000e-01 : f32, has_post, has_pre, label = "out"}
// CHECK-NOT:   nn.
sdfg.sdfg @ffn symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>, %w: !sdfg.array<f32[8, 16]>, %b: !sdfg.array<f32[16]>, %r: !sdfg.array<f32[S, 16]>) outputs(%y: !sdfg.array<f32[S, 16]>) {
  %t0 = sdfg.alloc {name = "t0"} : !sdfg.array<f32[S, 16]>
  %t1 = sdfg.alloc {name = "t1"} : !sdfg.array<f32[S, 16]>
  %t2 = sdfg.alloc {name = "t2"} : !sdfg.array<f32[S, 16]>
  %t3 = sdfg.alloc {name = "t3"} : !sdfg.array<f32[S, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[S, 8]>, !sdfg.array<f32[8, 16]>) outs(%t0 : !sdfg.array<f32[S, 16]>)
    nn.scale ins(%t0 : !sdfg.array<f32[S, 16]>) outs(%t1 : !sdfg.array<f32[S, 16]>) {alpha = 0.5 : f32}
    nn.add ins(%t1, %b : !sdfg.array<f32[S, 16]>, !sdfg.array<f32[16]>) outs(%t2 : !sdfg.array<f32[S, 16]>)
    nn.gelu ins(%t2 : !sdfg.array<f32[S, 16]>) outs(%t3 : !sdfg.array<f32[S, 16]>)
    nn.add ins(%r, %t3 : !sdfg.array<f32[S, 16]>, !sdfg.array<f32[S, 16]>) outs(%y : !sdfg.array<f32[S, 16]>) {label = "out"}
  }
}

// -----

// A matmul without consumers to fold still becomes the tiled node. The bias result is read twice, so
// the gelu stays a node of its own.
// CHECK-LABEL: sdfg.sdfg @shared_result
// CHECK:       nn.fused_matmul ins(%x, %w, %b : {{.*}}) outs(%t1 : {{.*}}) {has_pre, transpose_b}
// CHECK-NEXT:  nn.gelu ins(%t1
// CHECK-NEXT:  nn.add ins(%t1
sdfg.sdfg @shared_result inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[16, 8]>, %b: !sdfg.array<f32[16]>) outputs(%y: !sdfg.array<f32[4, 16]>, %z: !sdfg.array<f32[4, 16]>) {
  %t0 = sdfg.alloc {name = "t0"} : !sdfg.array<f32[4, 16]>
  %t1 = sdfg.alloc {name = "t1"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[16, 8]>) outs(%t0 : !sdfg.array<f32[4, 16]>) {transpose_b}
    nn.add ins(%t0, %b : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[16]>) outs(%t1 : !sdfg.array<f32[4, 16]>)
    nn.gelu ins(%t1 : !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
    nn.add ins(%t1, %t1 : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[4, 16]>) outs(%z : !sdfg.array<f32[4, 16]>)
  }
}

// -----

// The residual is written between the matmul and the add that reads it: its read cannot move, so the
// add stays (the matmul is still converted).
// CHECK-LABEL: sdfg.sdfg @addend_written_between
// CHECK:       nn.fused_matmul ins(%x, %w : {{.*}}) outs(%t0
// CHECK:       nn.relu
// CHECK:       nn.add
sdfg.sdfg @addend_written_between inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>, %r0: !sdfg.array<f32[4, 16]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  %t0 = sdfg.alloc {name = "t0"} : !sdfg.array<f32[4, 16]>
  %r = sdfg.alloc {name = "r"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%t0 : !sdfg.array<f32[4, 16]>)
    nn.relu ins(%r0 : !sdfg.array<f32[4, 16]>) outs(%r : !sdfg.array<f32[4, 16]>)
    nn.add ins(%t0, %r : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
  }
}
