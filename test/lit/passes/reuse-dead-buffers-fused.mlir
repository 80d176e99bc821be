// RUN: dmc-opt %s --fuse-sibling-maps --vectorize-inner-maps --reuse-dead-buffers | FileCheck %s

// Two dead buffers written by one map (sibling maps fused, then the inner loop split off, as -O3 does
// for nodes nobody reads): both lives start and end at that map, the state's only op. Neither can take the other's memory. (This
// crashed: the lives were ordered with isBeforeInBlock, which MLIR 19 cannot answer for the sole op of a
// block compared with itself once the block's order has been computed before the op was created.)
// CHECK-LABEL: sdfg.sdfg @dead_siblings
// CHECK:       %[[A:.*]] = sdfg.alloc {name = "a"} : <f32[6, 6]>
// CHECK-NEXT:  %[[B:.*]] = sdfg.alloc {name = "b"} : <f32[6, 6]>
// CHECK:       sdfg.store {{.*}}, %[[A]][
// CHECK:       sdfg.store {{.*}}, %[[B]][
// CHECK:       sdfg.store {{.*}}, %y[
sdfg.sdfg @dead_siblings inputs(%x: !sdfg.array<f32[6, 6]>) outputs(%y: !sdfg.array<f32[6, 6]>) {
  %a = sdfg.alloc {name = "a"} : !sdfg.array<f32[6, 6]>
  %b = sdfg.alloc {name = "b"} : !sdfg.array<f32[6, 6]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (6, 6) schedule(omp) {
      %0 = sdfg.load %x[%i, %j] : !sdfg.array<f32[6, 6]>
      %1 = sdfg.tasklet (%arg = %0 : f32) -> f32 {
        %2 = math.exp %arg : f32
        sdfg.yield %2 : f32
      }
      sdfg.store %1, %a[%i, %j] : !sdfg.array<f32[6, 6]>
    }
    sdfg.map (%i, %j) = (0, 0) to (6, 6) schedule(omp) {
      %0 = sdfg.load %x[%i, %j] : !sdfg.array<f32[6, 6]>
      %1 = sdfg.tasklet (%arg = %0 : f32) -> f32 {
        %2 = math.exp %arg : f32
        sdfg.yield %2 : f32
      }
      sdfg.store %1, %b[%i, %j] : !sdfg.array<f32[6, 6]>
    }
    sdfg.map (%i, %j) = (0, 0) to (6, 6) schedule(omp) {
      %0 = sdfg.load %x[%i, %j] : !sdfg.array<f32[6, 6]>
      %1 = sdfg.tasklet (%arg = %0 : f32) -> f32 {
        %2 = math.exp %arg : f32
        sdfg.yield %2 : f32
      }
      sdfg.store %1, %y[%i, %j] : !sdfg.array<f32[6, 6]>
    }
  }
}
