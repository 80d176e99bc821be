// A map marked `once` (run-constant-maps-once: a constant weight's packing) runs on a handle's first call
// only, so a call moves nothing for it: w and packed are read and written by no counted node. The second
// map reads x (32 elements, 128 B) and packed (128 B) and writes y (128 B).
// RUN: dmc compile %s --report=movement --emit=header -o %t.h | FileCheck %s
// CHECK:      container       kind                 storage   shape   size  read  written
// CHECK-NEXT: x               input                heap      [4, 8]   128   128        0
// CHECK-NEXT: w               input                heap      [8, 4]   128     0        0
// CHECK-NEXT: y               output               heap      [4, 8]   128     0      128
// CHECK-NEXT: packed          transient            heap      [4, 8]   128   128        0
// CHECK:      moved: 384 bytes (read 256, written 128)
// CHECK:      map0 (once per handle)
sdfg.sdfg @once inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[4, 8]>) attributes {dmc.constant_arguments = ["w"]} {
  %packed = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "packed"} : <f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) attributes {once} {
      %v = sdfg.load %w[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %packed[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      %b = sdfg.load %packed[%i, %j] : !sdfg.array<f32[4, 8]>
      %c = sdfg.tasklet (%p = %a : f32, %q = %b : f32) -> f32 {
        %s = arith.addf %p, %q : f32
        sdfg.yield %s : f32
      }
      sdfg.store %c, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}
