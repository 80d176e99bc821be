// RUN: dmc-opt %s --remove-dead-containers | FileCheck %s

// An unused transient and a chain of unused views go; used containers stay.
// CHECK-LABEL: sdfg.sdfg @dead
// CHECK-NOT: name = "unused"
// CHECK-NOT: sdfg.transpose_view
// CHECK: %used = sdfg.alloc {name = "used"}
// CHECK-NOT: sdfg.alloc
// CHECK: sdfg.state @s
sdfg.sdfg @dead inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %unused = sdfg.alloc {name = "unused"} : !sdfg.array<f32[4, 8]>
  %t = sdfg.transpose_view %unused [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  %r = sdfg.reshape_view %t : !sdfg.array<f32[8, 4]> -> !sdfg.array<f32[32]>
  %used = sdfg.alloc {name = "used"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[4, 8]>) outs(%used : !sdfg.array<f32[4, 8]>)
    nn.relu ins(%used : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 8]>)
  }
}
