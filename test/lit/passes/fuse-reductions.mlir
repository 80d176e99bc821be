// RUN: dmc-opt %s -split-input-file --fuse-reductions | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fuse-reductions | dmc-opt -split-input-file | FileCheck %s

// Producer: the squares are summed as they are computed; the [S, 8] transient goes.
// CHECK-LABEL: sdfg.sdfg @producer
// CHECK-NOT:   sdfg.alloc
// CHECK:       sdfg.map (%[[I:.*]]) = (0) to (%S) schedule(omp) {
// CHECK:         sdfg.store %{{.*}}, %y[%[[I]], 0]
// CHECK-NEXT:    sdfg.map (%[[K:.*]]) = (0) to (8) {
// CHECK-NEXT:      sdfg.load %x[%[[I]], %[[K]]]
// CHECK:           arith.mulf
// CHECK:           sdfg.store %{{.*}}, %y[%[[I]], 0] wcr(sum)
// CHECK-NOT:   nn.reduce_sum
sdfg.sdfg @producer symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 1]>) {
  %sq = sdfg.alloc {name = "sq"} : !sdfg.array<f32[S, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 8]>
      %m = sdfg.tasklet (%u = %a : f32) -> f32 {
        %r = arith.mulf %u, %u : f32
        sdfg.yield %r : f32
      }
      sdfg.store %m, %sq[%i, %j] : !sdfg.array<f32[S, 8]>
    }
    nn.reduce_sum ins(%sq : !sdfg.array<f32[S, 8]>) outs(%y : !sdfg.array<f32[S, 1]>) {axes = array<i64: 1>}
  }
}

// -----

// Consumer: exp(x - rowmax) runs in the row's iteration right after the row's maximum.
// CHECK-LABEL: sdfg.sdfg @consumer
// CHECK:       sdfg.map (%[[I:.*]]) = (0) to (4) schedule(omp) {
// CHECK:         sdfg.store %{{.*}}, %mx[%[[I]], 0]
// CHECK-NEXT:    sdfg.map (%[[K:.*]]) = (0) to (8) {
// CHECK-NEXT:      %[[V:.*]] = sdfg.load %x[%[[I]], %[[K]]]
// CHECK-NEXT:      sdfg.store %[[V]], %mx[%[[I]], 0] wcr(max)
// CHECK:         sdfg.map (%[[J:.*]]) = (0) to (8) {
// CHECK-NEXT:      sdfg.load %x[%[[I]], %[[J]]]
// CHECK-NEXT:      sdfg.load %mx[%[[I]], 0]
// CHECK:           math.exp
// CHECK:           sdfg.store %{{.*}}, %y[%[[I]], %[[J]]]
// CHECK-NOT:   nn.reduce_max
sdfg.sdfg @consumer inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %mx = sdfg.alloc {name = "mx"} : !sdfg.array<f32[4, 1]>
  sdfg.state @s {
    nn.reduce_max ins(%x : !sdfg.array<f32[4, 8]>) outs(%mx : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      %m = sdfg.load %mx[%i, 0] : !sdfg.array<f32[4, 1]>
      %e = sdfg.tasklet (%u = %a : f32, %v = %m : f32) -> f32 {
        %d = arith.subf %u, %v : f32
        %r = math.exp %d : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// Not fused: a mean (it needs a final division); a consumer that reads another row's maximum; a
// consumer that overwrites the reduced input.
// CHECK-LABEL: sdfg.sdfg @not_fused
// CHECK:       nn.reduce_mean
// CHECK:       nn.reduce_max
// CHECK:       nn.reduce_max
sdfg.sdfg @not_fused inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>, %z: !sdfg.array<f32[4, 1]>) {
  %mx = sdfg.alloc {name = "mx"} : !sdfg.array<f32[4, 1]>
  %mx2 = sdfg.alloc {name = "mx2"} : !sdfg.array<f32[4, 1]>
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    nn.reduce_mean ins(%x : !sdfg.array<f32[4, 8]>) outs(%z : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    nn.reduce_max ins(%x : !sdfg.array<f32[4, 8]>) outs(%mx : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %m = sdfg.load %mx[0, 0] : !sdfg.array<f32[4, 1]>
      sdfg.store %m, %t[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    nn.reduce_max ins(%t : !sdfg.array<f32[4, 8]>) outs(%mx2 : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %m = sdfg.load %mx2[%i, 0] : !sdfg.array<f32[4, 1]>
      sdfg.store %m, %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %m, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}
