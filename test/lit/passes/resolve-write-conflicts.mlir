// RUN: dmc-opt %s --resolve-write-conflicts --split-input-file | FileCheck %s

// A wcr store whose indices include every parameter of the omp map is owned by one iteration; one whose
// reduction runs over a parallel parameter is not. Plain stores are never marked.
// CHECK-LABEL: sdfg.sdfg @rowsums
// CHECK:       sdfg.store %[[V:.*]], %y[%{{.*}}] wcr(sum) owned :
// CHECK-NEXT:  sdfg.store %[[V]], %z[%{{.*}}] wcr(sum) :
// CHECK-NEXT:  sdfg.store %[[V]], %w[%{{.*}}, %{{.*}}] :
sdfg.sdfg @rowsums symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N]>, %z: !sdfg.array<f32[16]>, %w: !sdfg.array<f32[N, 16]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%N) schedule(omp) {
      sdfg.map (%k) = (0) to (16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[N, 16]>
        sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(sum) : !sdfg.array<f32[16]>
        sdfg.store %v, %w[%i, %k] : !sdfg.array<f32[N, 16]>
      }
    }
  }
}

// -----

// A wcr store indexed by a tile parameter (ranging over [origin, origin + step of the parallel origin])
// is owned. A "tile" wider than the origin's step overlaps the next one's, and a parameter whose bounds
// start elsewhere is not a tile: neither is owned.
// CHECK-LABEL: sdfg.sdfg @tiles
// CHECK:       sdfg.store %{{.*}}, %y[%{{.*}}] wcr(sum) owned :
// CHECK:       sdfg.store %{{.*}}, %z[%{{.*}}] wcr(sum) :
// CHECK:       sdfg.store %{{.*}}, %w[%{{.*}}] wcr(sum) :
sdfg.sdfg @tiles inputs(%x: !sdfg.array<f32[32, 16]>) outputs(%y: !sdfg.array<f32[40]>, %z: !sdfg.array<f32[48]>, %w: !sdfg.array<f32[40]>) {
  sdfg.state @s {
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io, 0) to (%io + 8, 16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[40]>
      }
    }
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io, 0) to (%io + 16, 16) {
        %v = sdfg.load %x[%k, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %z[%i] wcr(sum) : !sdfg.array<f32[48]>
      }
    }
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io + 1, 0) to (%io + 9, 16) {
        %v = sdfg.load %x[%k, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %w[%i] wcr(sum) : !sdfg.array<f32[40]>
      }
    }
  }
}

// -----

// One parallel level per nest: an omp map inside an omp map becomes sequential, and a store outside any
// omp map is owned (one thread runs it). A store inside the nested map must be owned by the outer map's
// iterations; the inner one no longer runs in parallel.
// CHECK-LABEL: sdfg.sdfg @nested
// CHECK:       sdfg.map (%[[I:.*]]) = (0) to (8) schedule(omp) {
// CHECK-NEXT:    sdfg.map (%[[K:.*]]) = (0) to (16) {
// CHECK:           sdfg.store %{{.*}}, %y[%[[I]]] wcr(max) owned :
// CHECK:       sdfg.map (%{{.*}}) = (0) to (16) {
// CHECK:         sdfg.store %{{.*}}, %z[0] wcr(sum) owned :
sdfg.sdfg @nested inputs(%x: !sdfg.array<f32[8, 16]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[1]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      sdfg.map (%k) = (0) to (16) schedule(omp) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[8, 16]>
        sdfg.store %v, %y[%i] wcr(max) : !sdfg.array<f32[8]>
      }
    }
    sdfg.map (%k) = (0) to (16) {
      %v = sdfg.load %x[0, %k] : !sdfg.array<f32[8, 16]>
      sdfg.store %v, %z[0] wcr(sum) : !sdfg.array<f32[1]>
    }
  }
}
