// RUN: dmc-opt %s -split-input-file --tile-maps="tile-size=8" | FileCheck %s
// RUN: dmc-opt %s -split-input-file --tile-maps="tile-size=8" | dmc-opt -split-input-file | FileCheck %s

// The interchanged matmul nest: i (parallel) and k (sequential) are tiled, j (innermost) keeps its
// whole range. Origins outside (i's stays parallel), the tiles inside, in the nest's order.
// CHECK-LABEL: sdfg.sdfg @matmul
// CHECK:      sdfg.map (%[[IO:.*]]) = (0) to (32) step (8) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[KO:.*]]) = (0) to (48) step (8) {
// CHECK-NEXT:     sdfg.map (%[[I:.*]]) = (%[[IO]]) to (%[[IO]] + 8) {
// CHECK-NEXT:       sdfg.map (%[[K:.*]]) = (%[[KO]]) to (%[[KO]] + 8) {
// CHECK-NEXT:         sdfg.map (%[[J:.*]]) = (0) to (64) schedule(vector) {
// CHECK-NEXT:           sdfg.load %a[%[[I]], %[[K]]]
// CHECK-NEXT:           sdfg.load %b[%[[K]], %[[J]]]
// CHECK:                sdfg.store %{{.*}}, %c[%[[I]], %[[J]]] wcr(sum)
sdfg.sdfg @matmul inputs(%a: !sdfg.array<f32[32, 48]>, %b: !sdfg.array<f32[48, 64]>) outputs(%c: !sdfg.array<f32[32, 64]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (32) schedule(omp) {
      sdfg.map (%k) = (0) to (48) {
        sdfg.map (%j) = (0) to (64) schedule(vector) {
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
}

// -----

// An untiled parallel parameter (b: range 2) stays in the parallel map with the origins; a range that
// the tile does not divide (12) stays whole.
// CHECK-LABEL: sdfg.sdfg @partial
// CHECK:      sdfg.map (%[[B:.*]], %[[IO:.*]], %[[J:.*]]) = (0, 0, 0) to (2, 16, 12) step (1, 8, 1) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[I:.*]]) = (%[[IO]]) to (%[[IO]] + 8) {
// CHECK-NEXT:     sdfg.map (%{{.*}}) = (0) to (4) schedule(vector) {
sdfg.sdfg @partial inputs(%x: !sdfg.array<f32[2, 16, 12, 4]>) outputs(%y: !sdfg.array<f32[2, 16, 12, 4]>) {
  sdfg.state @s {
    sdfg.map (%b, %i, %j) = (0, 0, 0) to (2, 16, 12) schedule(omp) {
      sdfg.map (%l) = (0) to (4) schedule(vector) {
        %v = sdfg.load %x[%b, %i, %j, %l] : !sdfg.array<f32[2, 16, 12, 4]>
        sdfg.store %v, %y[%b, %i, %j, %l] : !sdfg.array<f32[2, 16, 12, 4]>
      }
    }
  }
}

// -----

// Not tiled: the iterations do not commute (a store without wcr that k does not index keeps the last
// k's value), and a nest whose bounds are not constant.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK:      sdfg.map (%{{.*}}) = (0) to (32) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (0) to (48) {
// CHECK:      sdfg.map (%{{.*}}) = (0) to (%S) schedule(omp) {
// CHECK-NOT:  step (8)
sdfg.sdfg @kept symbols(%S) inputs(%a: !sdfg.array<f32[32, 48]>, %s: !sdfg.array<f32[S, 64]>) outputs(%c: !sdfg.array<f32[32]>, %t: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (32) schedule(omp) {
      sdfg.map (%k) = (0) to (48) {
        %x = sdfg.load %a[%i, %k] : !sdfg.array<f32[32, 48]>
        sdfg.store %x, %c[%i] : !sdfg.array<f32[32]>
      }
    }
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      sdfg.map (%j) = (0) to (64) {
        sdfg.map (%l) = (0) to (1) {
          %x = sdfg.load %s[%i, %j] : !sdfg.array<f32[S, 64]>
          sdfg.store %x, %t[%i, %j] : !sdfg.array<f32[S, 64]>
        }
      }
    }
  }
}
