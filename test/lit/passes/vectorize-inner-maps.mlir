// RUN: dmc-opt %s -split-input-file --vectorize-inner-maps | FileCheck %s
// RUN: dmc-opt %s -split-input-file --vectorize-inner-maps | dmc-opt -split-input-file | FileCheck %s

// The last parameter indexes the last dim of the load and the store: it becomes a vector map inside
// an omp map over the others, with the same bounds (symbolic ones included).
// CHECK-LABEL: sdfg.sdfg @elementwise
// CHECK:      sdfg.map (%[[I:.*]]) = (0) to (%S) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[J:.*]]) = (0) to (8) schedule(vector) {
// CHECK-NEXT:     sdfg.load %x[%[[I]], %[[J]]]
// CHECK:          sdfg.store %{{.*}}, %y[%[[I]], %[[J]]]
sdfg.sdfg @elementwise symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 8]>
      %e = sdfg.tasklet (%v = %a : f32) -> f32 {
        %r = math.exp %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %y[%i, %j] : !sdfg.array<f32[S, 8]>
    }
  }
}

// -----

// A wcr store (lanes would accumulate into one element together) and a store that the last parameter
// does not index (every inner iteration writes the same element) keep their maps as they are.
// CHECK-LABEL: sdfg.sdfg @not_vectorizable
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp)
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp)
// CHECK-NOT:  schedule(vector)
sdfg.sdfg @not_vectorizable inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 1]>, %z: !sdfg.array<f32[4, 1]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %y[%i, 0] wcr(sum) : !sdfg.array<f32[4, 1]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %z[%i, 0] : !sdfg.array<f32[4, 1]>
    }
  }
}
