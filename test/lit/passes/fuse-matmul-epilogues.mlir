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

// A is overwritten between the matmul and its consumer: the product cannot move down to the add, so
// the add stays (the matmul is still converted). The addend of that add being written in between
// would not matter: it is read where it always was.
// CHECK-LABEL: sdfg.sdfg @operand_written_between
// CHECK:       nn.fused_matmul ins(%a, %w : {{.*}}) outs(%t0
// CHECK:       nn.exp
// CHECK:       nn.add
sdfg.sdfg @operand_written_between inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>, %r: !sdfg.array<f32[4, 16]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  %a = sdfg.alloc {name = "a"} : !sdfg.array<f32[4, 8]>
  %t0 = sdfg.alloc {name = "t0"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.relu ins(%x : !sdfg.array<f32[4, 8]>) outs(%a : !sdfg.array<f32[4, 8]>)
    nn.matmul ins(%a, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%t0 : !sdfg.array<f32[4, 16]>)
    nn.exp ins(%x : !sdfg.array<f32[4, 8]>) outs(%a : !sdfg.array<f32[4, 8]>)
    nn.add ins(%t0, %r : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
  }
}

// -----

// Subtractions: `x - C` first negates alpha and takes x as pre; a later `C - z` (after the activation)
// is a post with scale -1. The norm computed after the matmul is read where the sub was.
// CHECK-LABEL: sdfg.sdfg @subtract
// CHECK:       nn.reduce_sum
// CHECK-NEXT:  nn.fused_matmul ins(%x, %w, %b, %n : {{.*}}) outs(%y : {{.*}}) {activation = "relu", alpha = -1.000000e+00 : f32, has_post, has_pre, post_scale = -1.000000e+00 : f32}
sdfg.sdfg @subtract inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>, %b: !sdfg.array<f32[16]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  %t0 = sdfg.alloc {name = "t0"} : !sdfg.array<f32[4, 16]>
  %t1 = sdfg.alloc {name = "t1"} : !sdfg.array<f32[4, 16]>
  %t2 = sdfg.alloc {name = "t2"} : !sdfg.array<f32[4, 16]>
  %n = sdfg.alloc {name = "n"} : !sdfg.array<f32[4, 1]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%t0 : !sdfg.array<f32[4, 16]>)
    nn.sub ins(%b, %t0 : !sdfg.array<f32[16]>, !sdfg.array<f32[4, 16]>) outs(%t1 : !sdfg.array<f32[4, 16]>)
    nn.relu ins(%t1 : !sdfg.array<f32[4, 16]>) outs(%t2 : !sdfg.array<f32[4, 16]>)
    nn.reduce_sum ins(%x : !sdfg.array<f32[4, 8]>) outs(%n : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    nn.sub ins(%t2, %n : !sdfg.array<f32[4, 16]>, !sdfg.array<f32[4, 1]>) outs(%y : !sdfg.array<f32[4, 16]>)
  }
}

// -----

// A scaled operand: the product reads the unscaled container and alpha takes the factor. The scaled
// transient has another reader, so its scale node stays for it.
// CHECK-LABEL: sdfg.sdfg @scaled_operand
// CHECK:       nn.scale ins(%x : {{.*}}) outs(%xs
// CHECK-NEXT:  nn.fused_matmul ins(%x, %w : {{.*}}) outs(%y : {{.*}}) {alpha = 5.000000e-01 : f32}
// CHECK-NEXT:  nn.relu ins(%xs
sdfg.sdfg @scaled_operand inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>) outputs(%y: !sdfg.array<f32[4, 16]>, %z: !sdfg.array<f32[4, 8]>) {
  %xs = sdfg.alloc {name = "xs"} : !sdfg.array<f32[4, 8]>
  sdfg.state @main {
    nn.scale ins(%x : !sdfg.array<f32[4, 8]>) outs(%xs : !sdfg.array<f32[4, 8]>) {alpha = 0.5 : f32}
    nn.matmul ins(%xs, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
    nn.relu ins(%xs : !sdfg.array<f32[4, 8]>) outs(%z : !sdfg.array<f32[4, 8]>)
  }
}

// -----

// A scale with a bias is not a factor of the product: nothing is folded.
// CHECK-LABEL: sdfg.sdfg @biased_scale
// CHECK:       nn.scale
// CHECK-NEXT:  nn.fused_matmul ins(%xs, %w
sdfg.sdfg @biased_scale inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 16]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  %xs = sdfg.alloc {name = "xs"} : !sdfg.array<f32[4, 8]>
  sdfg.state @main {
    nn.scale ins(%x : !sdfg.array<f32[4, 8]>) outs(%xs : !sdfg.array<f32[4, 8]>) {alpha = 0.5 : f32, bias = 1.0 : f32}
    nn.matmul ins(%xs, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
  }
}
