// RUN: dmc-opt %s --prepare-for-emission --split-input-file | FileCheck %s

// A library node reading a transposed view gets a contiguous copy; one writing a sliced view writes a
// transient that is copied into the view afterwards. Unnamed transients get names.
// CHECK-LABEL: sdfg.sdfg @strided
// CHECK: %tmp = sdfg.alloc {name = "tmp"}
// CHECK: %[[IN:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "e_in"} : <f32[8, 4]>
// CHECK: %[[OUT:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "e_out"} : <f32[8, 4]>
// CHECK: sdfg.state @s
// CHECK-NEXT: sdfg.copy %[[XT:.*]] -> %[[IN]]
// CHECK-NEXT: nn.exp ins(%[[IN]] : {{.*}}) outs(%[[OUT]] : {{.*}}) {label = "e"}
// CHECK-NEXT: sdfg.copy %[[OUT]] -> %[[YS:.*]] :
// CHECK-NEXT: nn.relu ins(%tmp
sdfg.sdfg @strided inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[10, 4]>, %z: !sdfg.array<f32[2]>) {
  %t = sdfg.alloc : !sdfg.array<f32[2]>
  %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  %ys = sdfg.slice_view %y [1, 0] : !sdfg.array<f32[10, 4]> -> !sdfg.array<f32[8, 4]>
  sdfg.state @s {
    nn.exp ins(%xt : !sdfg.array<f32[8, 4]>) outs(%ys : !sdfg.array<f32[8, 4]>) {label = "e"}
    nn.relu ins(%t : !sdfg.array<f32[2]>) outs(%z : !sdfg.array<f32[2]>)
  }
}

// -----

// Contiguous operands (containers and their reshapes) are left alone.
// CHECK-LABEL: sdfg.sdfg @contiguous
// CHECK-NOT: sdfg.copy
// CHECK-NOT: sdfg.alloc
sdfg.sdfg @contiguous inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[32]>) {
  %r = sdfg.reshape_view %x : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[32]>
  sdfg.state @s {
    nn.exp ins(%r : !sdfg.array<f32[32]>) outs(%y : !sdfg.array<f32[32]>)
  }
}

// -----

// The tiled kernels take strided views: a transposed operand stays, but a reshape of a transposed view
// has no strided layout (its rows are not evenly spaced) and is copied into a contiguous transient.
// CHECK-LABEL: sdfg.sdfg @tiled
// CHECK: %[[XT:.*]] = sdfg.transpose_view %x
// CHECK: %[[XR:.*]] = sdfg.reshape_view %[[XT]]
// CHECK: %[[IN:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "mm_in"} : <f32[8, 4]>
// CHECK-NOT: sdfg.alloc
// CHECK: sdfg.state @s
// CHECK-NEXT: sdfg.copy %[[XR]] -> %[[IN]]
// CHECK-NEXT: nn.fused_matmul ins(%[[IN]], %[[WT:.*]] : {{.*}}) outs(%y :
sdfg.sdfg @tiled inputs(%x: !sdfg.array<f32[8, 4]>, %w: !sdfg.array<f32[4, 4]>) outputs(%y: !sdfg.array<f32[8, 4]>) {
  %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[8, 4]> -> !sdfg.array<f32[4, 8]>
  %xr = sdfg.reshape_view %xt : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  %wt = sdfg.transpose_view %w [1, 0] : !sdfg.array<f32[4, 4]> -> !sdfg.array<f32[4, 4]>
  sdfg.state @s {
    nn.fused_matmul ins(%xr, %wt : !sdfg.array<f32[8, 4]>, !sdfg.array<f32[4, 4]>) outs(%y : !sdfg.array<f32[8, 4]>) {label = "mm"}
  }
}
