// RUN: dmc-opt %s -split-input-file --collapse-maps | FileCheck %s
// RUN: dmc-opt %s -split-input-file --collapse-maps | dmc-opt -split-input-file | FileCheck %s

// A parallel map holding only a parallel map: one parallel map over both spaces, symbolic bounds kept.
// CHECK-LABEL: sdfg.sdfg @parallel_pair
// CHECK:      sdfg.map (%[[B:.*]], %[[H:.*]], %[[I:.*]]) = (0, 0, 0) to (2, 3, %S) schedule(omp) {
// CHECK-NEXT:   sdfg.load %x[%[[B]], %[[H]], %[[I]]]
sdfg.sdfg @parallel_pair symbols(%S) inputs(%x: !sdfg.array<f32[2, 3, S]>) outputs(%y: !sdfg.array<f32[2, 3, S]>) {
  sdfg.state @s {
    sdfg.map (%b, %h) = (0, 0) to (2, 3) schedule(omp) {
      sdfg.map (%i) = (0) to (%S) schedule(omp) {
        %v = sdfg.load %x[%b, %h, %i] : !sdfg.array<f32[2, 3, S]>
        sdfg.store %v, %y[%b, %h, %i] : !sdfg.array<f32[2, 3, S]>
      }
    }
  }
}

// -----

// Kept: an inner map of another schedule, an inner map whose bounds depend on the outer parameter
// (a triangle), and an outer map holding more than the inner map.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK:      sdfg.map (%{{.*}}) = (0) to (4) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (0) to (4) schedule(vector) {
// CHECK:      sdfg.map (%[[I:.*]]) = (0) to (4) {
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (0) to (%[[I]] + 1) {
// CHECK:      sdfg.map (%{{.*}}) = (0) to (4) {
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (0) to (4) {
// CHECK:        sdfg.map (%{{.*}}) = (0) to (4) {
sdfg.sdfg @kept inputs(%x: !sdfg.array<f32[4, 4]>) outputs(%y: !sdfg.array<f32[4, 4]>, %z: !sdfg.array<f32[4, 4]>, %w: !sdfg.array<f32[4, 4]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (4) schedule(omp) {
      sdfg.map (%j) = (0) to (4) schedule(vector) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 4]>
        sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[4, 4]>
      }
    }
    sdfg.map (%i) = (0) to (4) {
      sdfg.map (%j) = (0) to (%i + 1) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 4]>
        sdfg.store %v, %z[%i, %j] : !sdfg.array<f32[4, 4]>
      }
    }
    sdfg.map (%i) = (0) to (4) {
      sdfg.map (%j) = (0) to (4) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 4]>
        sdfg.store %v, %w[%i, %j] : !sdfg.array<f32[4, 4]>
      }
      sdfg.map (%j) = (0) to (4) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 4]>
        sdfg.store %v, %w[%i, %j] wcr(sum) : !sdfg.array<f32[4, 4]>
      }
    }
  }
}
