// RUN: dmc-opt %s -split-input-file --interchange-maps | FileCheck %s
// RUN: dmc-opt %s -split-input-file --interchange-maps | dmc-opt -split-input-file | FileCheck %s

// The pure matmul nest: k innermost reads B[k, j] 64 elements apart (a cache line per step), j
// innermost reads B and C contiguously. j becomes a vector map inside the sequential k loop; i stays in
// the parallel map.
// CHECK-LABEL: sdfg.sdfg @matmul
// CHECK:      sdfg.map (%[[I:.*]]) = (0) to (32) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[K:.*]]) = (0) to (48) {
// CHECK-NEXT:     sdfg.map (%[[J:.*]]) = (0) to (64) schedule(vector) {
// CHECK-NEXT:       sdfg.load %a[%[[I]], %[[K]]]
// CHECK-NEXT:       sdfg.load %b[%[[K]], %[[J]]]
// CHECK:            sdfg.store %{{.*}}, %c[%[[I]], %[[J]]] wcr(sum)
sdfg.sdfg @matmul inputs(%a: !sdfg.array<f32[32, 48]>, %b: !sdfg.array<f32[48, 64]>) outputs(%c: !sdfg.array<f32[32, 64]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (32, 64) schedule(omp) {
      sdfg.map (%k) = (0) to (48) {
        %x = sdfg.load %a[%i, %k] : !sdfg.array<f32[32, 48]>
        %y = sdfg.load %b[%k, %j] : !sdfg.array<f32[48, 64]>
        %p = sdfg.tasklet (%u = %x : f32, %v = %y : f32) -> f32 {
          %m = arith.mulf %u, %v : f32
          sdfg.yield %m : f32
        }
        sdfg.store %p, %c[%i, %j] wcr(sum) : !sdfg.array<f32[32, 64]>
      }
    }
  }
}

// -----

// Strides are seen through views: through the transposed view, i is the unit-stride parameter of both
// memlets, so it goes innermost.
// CHECK-LABEL: sdfg.sdfg @through_view
// CHECK:      sdfg.map (%[[J:.*]]) = (0) to (16) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[I:.*]]) = (0) to (8) schedule(vector) {
// CHECK-NEXT:     sdfg.load %{{.*}}[%[[I]], %[[J]]]
// CHECK-NEXT:     sdfg.store %{{.*}}, %y[%[[J]], %[[I]]]
sdfg.sdfg @through_view inputs(%x: !sdfg.array<f32[16, 8]>) outputs(%y: !sdfg.array<f32[16, 8]>) {
  sdfg.state @s {
    %t = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[16, 8]> -> !sdfg.array<f32[8, 16]>
    sdfg.map (%i, %j) = (0, 0) to (8, 16) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[8, 16]>
      sdfg.store %v, %y[%j, %i] : !sdfg.array<f32[16, 8]>
    }
  }
}

// -----

// Left alone: a store without wcr that the chosen parameter does not index (the last write would
// change), a nest that reads what it writes, a nest whose only parallel parameter would move inwards,
// and a nest already in the cheapest order.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (8, 16) schedule(omp) {
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (8, 16) schedule(omp) {
// CHECK:      sdfg.map (%{{.*}}) = (0) to (16) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (0) to (8) {
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (8, 16) schedule(omp) {
// CHECK-NOT:  schedule(vector)
sdfg.sdfg @kept inputs(%x: !sdfg.array<f32[16, 8]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[16, 8]>, %w: !sdfg.array<f32[8, 16]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (8, 16) schedule(omp) {
      %v = sdfg.load %x[%j, %i] : !sdfg.array<f32[16, 8]>
      sdfg.store %v, %y[%i] : !sdfg.array<f32[8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (8, 16) schedule(omp) {
      %v = sdfg.load %z[%j, %i] : !sdfg.array<f32[16, 8]>
      sdfg.store %v, %z[%j, %i] : !sdfg.array<f32[16, 8]>
    }
    sdfg.map (%j) = (0) to (16) schedule(omp) {
      sdfg.map (%i) = (0) to (8) {
        %v = sdfg.load %x[%j, %i] : !sdfg.array<f32[16, 8]>
        sdfg.store %v, %w[%i, %j] : !sdfg.array<f32[8, 16]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (8, 16) schedule(omp) {
      %v = sdfg.load %w[%i, %j] : !sdfg.array<f32[8, 16]>
      sdfg.store %v, %w[%i, %j] wcr(sum) : !sdfg.array<f32[8, 16]>
    }
  }
}
