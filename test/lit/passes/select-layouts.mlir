// RUN: dmc-opt %s -split-input-file --select-layouts | FileCheck %s
// RUN: dmc-opt %s -split-input-file --select-layouts | dmc-opt -split-input-file | FileCheck %s

// %t is written once and read transposed twice, next to arrays whose layout is fixed: whichever loop
// order a reader picks, one of its memlets jumps 16+ elements per step, unless %t is stored transposed.
// Then only the writer pays. The users see the old shape through a transpose view.
// CHECK-LABEL: sdfg.sdfg @transposed_readers
// CHECK:      %[[T:.*]] = sdfg.alloc {name = "t"} : <f32[32, 16]>
// CHECK-NEXT: %[[V:.*]] = sdfg.transpose_view %[[T]] [1, 0] : <f32[32, 16]> -> <f32[16, 32]>
// CHECK:        sdfg.store %{{.*}}, %[[V]][
// CHECK:        sdfg.load %[[V]][
// CHECK:        sdfg.load %[[V]][
sdfg.sdfg @transposed_readers inputs(%x: !sdfg.array<f32[16, 32]>, %b: !sdfg.array<f32[32, 16]>) outputs(%y: !sdfg.array<f32[32, 16]>, %z: !sdfg.array<f32[32, 16]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[16, 32]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (16, 32) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[16, 32]>
      sdfg.store %v, %t[%i, %j] : !sdfg.array<f32[16, 32]>
    }
    sdfg.map (%i, %j) = (0, 0) to (32, 16) schedule(omp) {
      %v = sdfg.load %t[%j, %i] : !sdfg.array<f32[16, 32]>
      %w = sdfg.load %b[%i, %j] : !sdfg.array<f32[32, 16]>
      %s = sdfg.tasklet (%p = %v : f32, %q = %w : f32) -> f32 {
        %r = arith.addf %p, %q : f32
        sdfg.yield %r : f32
      }
      sdfg.store %s, %y[%i, %j] : !sdfg.array<f32[32, 16]>
    }
    sdfg.map (%i, %j) = (0, 0) to (32, 16) schedule(omp) {
      %v = sdfg.load %t[%j, %i] : !sdfg.array<f32[16, 32]>
      %w = sdfg.load %b[%i, %j] : !sdfg.array<f32[32, 16]>
      %s = sdfg.tasklet (%p = %v : f32, %q = %w : f32) -> f32 {
        %r = arith.subf %p, %q : f32
        sdfg.yield %r : f32
      }
      sdfg.store %s, %z[%i, %j] : !sdfg.array<f32[32, 16]>
    }
  }
}

// -----

// Kept: a single transposed reader (writer or reader pays one strided memlet either way: no order is
// cheaper), a transient a library node reads, and one seen through a reshape.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK-NOT:  transpose_view
sdfg.sdfg @kept inputs(%x: !sdfg.array<f32[16, 32]>) outputs(%y: !sdfg.array<f32[32, 16]>, %e: !sdfg.array<f32[16, 32]>, %f: !sdfg.array<f32[512]>) {
  %t = sdfg.alloc : !sdfg.array<f32[16, 32]>
  %u = sdfg.alloc : !sdfg.array<f32[16, 32]>
  %w = sdfg.alloc : !sdfg.array<f32[16, 32]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (16, 32) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[16, 32]>
      sdfg.store %v, %t[%i, %j] : !sdfg.array<f32[16, 32]>
      sdfg.store %v, %u[%i, %j] : !sdfg.array<f32[16, 32]>
      sdfg.store %v, %w[%i, %j] : !sdfg.array<f32[16, 32]>
    }
    sdfg.map (%i, %j) = (0, 0) to (32, 16) schedule(omp) {
      %v = sdfg.load %t[%j, %i] : !sdfg.array<f32[16, 32]>
      %a = sdfg.load %u[%j, %i] : !sdfg.array<f32[16, 32]>
      %s = sdfg.tasklet (%p = %v : f32, %q = %a : f32) -> f32 {
        %r = arith.addf %p, %q : f32
        sdfg.yield %r : f32
      }
      sdfg.store %s, %y[%i, %j] : !sdfg.array<f32[32, 16]>
    }
    nn.exp ins(%u : !sdfg.array<f32[16, 32]>) outs(%e : !sdfg.array<f32[16, 32]>)
    %r = sdfg.reshape_view %w : !sdfg.array<f32[16, 32]> -> !sdfg.array<f32[512]>
    sdfg.map (%i) = (0) to (512) schedule(omp) {
      %v = sdfg.load %r[%i] : !sdfg.array<f32[512]>
      sdfg.store %v, %f[%i] : !sdfg.array<f32[512]>
    }
  }
}
