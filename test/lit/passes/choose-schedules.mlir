// RUN: dmc-opt %s -split-input-file --choose-schedules | FileCheck %s
// RUN: dmc-opt %s -split-input-file "--choose-schedules=min-parallel-iterations=8" | FileCheck %s --check-prefix=LOW

// 12 x 512 iterations (one per row) is below the default threshold: sequential. A 12 x 512 x 64 nest
// (counted with its inner map) and a symbolic space stay parallel. With a threshold of 8 all stay.
// CHECK-LABEL: sdfg.sdfg @sizes
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (12, 512) {
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (12, 512) schedule(omp) {
// CHECK-NEXT:    sdfg.map (%{{.*}}) = (0) to (64) schedule(vector) {
// CHECK:       sdfg.map (%{{.*}}) = (0) to (%S) schedule(omp) {
// LOW-COUNT-3: schedule(omp)
sdfg.sdfg @sizes symbols(%S) inputs(%x: !sdfg.array<f32[12, 512, 64]>, %n: !sdfg.array<f32[12, 512]>, %s: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[12, 512]>, %z: !sdfg.array<f32[12, 512, 64]>, %w: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (12, 512) schedule(omp) {
      %a = sdfg.load %n[%i, %j] : !sdfg.array<f32[12, 512]>
      sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[12, 512]>
    }
    sdfg.map (%i, %j) = (0, 0) to (12, 512) schedule(omp) {
      sdfg.map (%k) = (0) to (64) schedule(vector) {
        %a = sdfg.load %x[%i, %j, %k] : !sdfg.array<f32[12, 512, 64]>
        sdfg.store %a, %z[%i, %j, %k] : !sdfg.array<f32[12, 512, 64]>
      }
    }
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      %a = sdfg.load %s[%i] : !sdfg.array<f32[S]>
      sdfg.store %a, %w[%i] : !sdfg.array<f32[S]>
    }
  }
}
