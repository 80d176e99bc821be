// RUN: dmc-opt %s -split-input-file --fuse-tasklets | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fuse-tasklets | dmc-opt -split-input-file | FileCheck %s

// A chain scale -> add bias -> exp becomes one tasklet over the loaded values.
// CHECK-LABEL: sdfg.sdfg @chain
// CHECK:       %[[A:.*]] = sdfg.load %x
// CHECK-NEXT:  %[[B:.*]] = sdfg.load %b
// CHECK-NEXT:  %[[R:.*]] = sdfg.tasklet (%[[U:.*]] = %[[A]] : f32, %[[V:.*]] = %[[B]] : f32) -> f32 {
// CHECK:         %[[M:.*]] = arith.mulf %{{.*}}, %[[U]]
// CHECK:         %[[S:.*]] = arith.addf %[[M]], %[[V]]
// CHECK:         %[[E:.*]] = math.exp %[[S]]
// CHECK:         sdfg.yield %[[E]]
// CHECK:       sdfg.store %[[R]], %y
// CHECK-NOT:   sdfg.tasklet
sdfg.sdfg @chain inputs(%x: !sdfg.array<f32[8]>, %b: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[8]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %x[%i] : !sdfg.array<f32[8]>
      %c = sdfg.load %b[%i] : !sdfg.array<f32[8]>
      %m = sdfg.tasklet (%u = %a : f32) -> f32 {
        %k = arith.constant 2.0 : f32
        %r = arith.mulf %k, %u : f32
        sdfg.yield %r : f32
      }
      %s = sdfg.tasklet (%u = %m : f32, %v = %c : f32) -> f32 {
        %r = arith.addf %u, %v : f32
        sdfg.yield %r : f32
      }
      %e = sdfg.tasklet (%u = %s : f32) -> f32 {
        %r = math.exp %u : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %y[%i] : !sdfg.array<f32[8]>
    }
  }
}

// -----

// A result that is also stored (a second user) keeps its tasklet.
// CHECK-LABEL: sdfg.sdfg @shared
// CHECK-COUNT-2: sdfg.tasklet
sdfg.sdfg @shared inputs(%x: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[8]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %x[%i] : !sdfg.array<f32[8]>
      %m = sdfg.tasklet (%u = %a : f32) -> f32 {
        %r = arith.mulf %u, %u : f32
        sdfg.yield %r : f32
      }
      %e = sdfg.tasklet (%u = %m : f32) -> f32 {
        %r = math.exp %u : f32
        sdfg.yield %r : f32
      }
      sdfg.store %m, %y[%i] : !sdfg.array<f32[8]>
      sdfg.store %e, %z[%i] : !sdfg.array<f32[8]>
    }
  }
}
