// RUN: dmc-opt %s -split-input-file --fuse-elementwise-maps | FileCheck %s
// The output verifies and parses again.
// RUN: dmc-opt %s -split-input-file --fuse-elementwise-maps | dmc-opt -split-input-file | FileCheck %s

// A chain of three element-wise maps over a symbolic space: both transients go, one map remains, and
// the producers' tasklets feed the consumer's directly.
// CHECK-LABEL: sdfg.sdfg @chain
// CHECK-NOT:  sdfg.alloc
// CHECK:      sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (%S, 4) schedule(omp) {
// CHECK-NEXT:   %[[A:.*]] = sdfg.load %x[%[[I]], %[[J]]] : !sdfg.array<f32[S, 4]>
// CHECK-NEXT:   %[[E:.*]] = sdfg.tasklet (%{{.*}} = %[[A]] : f32) -> f32 {
// CHECK:          math.exp
// CHECK:        %[[B:.*]] = sdfg.load %b[%[[J]]] : !sdfg.array<f32[4]>
// CHECK-NEXT:   %[[S:.*]] = sdfg.tasklet (%{{.*}} = %[[E]] : f32, %{{.*}} = %[[B]] : f32) -> f32 {
// CHECK:          arith.addf
// CHECK:        %[[R:.*]] = sdfg.tasklet (%{{.*}} = %[[S]] : f32, %{{.*}} = %[[S]] : f32) -> f32 {
// CHECK:          arith.mulf
// CHECK:        sdfg.store %[[R]], %y[%[[I]], %[[J]]] : !sdfg.array<f32[S, 4]>
// CHECK-NEXT: }
// CHECK-NOT:  sdfg.map
sdfg.sdfg @chain symbols(%S) inputs(%x: !sdfg.array<f32[S, 4]>, %b: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[S, 4]>) {
  %t1 = sdfg.alloc {name = "t1"} : !sdfg.array<f32[S, 4]>
  %t2 = sdfg.alloc {name = "t2"} : !sdfg.array<f32[S, 4]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, 4) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 4]>
      %e = sdfg.tasklet (%v = %a : f32) -> f32 {
        %r = math.exp %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %t1[%i, %j] : !sdfg.array<f32[S, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 4) schedule(omp) {
      %a = sdfg.load %t1[%i, %j] : !sdfg.array<f32[S, 4]>
      %c = sdfg.load %b[%j] : !sdfg.array<f32[4]>
      %s = sdfg.tasklet (%u = %a : f32, %v = %c : f32) -> f32 {
        %r = arith.addf %u, %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %s, %t2[%i, %j] : !sdfg.array<f32[S, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 4) schedule(omp) {
      %a = sdfg.load %t2[%i, %j] : !sdfg.array<f32[S, 4]>
      %a2 = sdfg.load %t2[%i, %j] : !sdfg.array<f32[S, 4]>
      %m = sdfg.tasklet (%u = %a : f32, %v = %a2 : f32) -> f32 {
        %r = arith.mulf %u, %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %m, %y[%i, %j] : !sdfg.array<f32[S, 4]>
    }
  }
}

// -----

// Different bounds: unchanged.
// CHECK-LABEL: sdfg.sdfg @bounds
// CHECK:       %t = sdfg.alloc
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8)
// CHECK:         sdfg.store %{{.*}}, %t[
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 4)
// CHECK:         sdfg.load %t[
sdfg.sdfg @bounds inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %t[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 4) schedule(omp) {
      %a = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// A wcr store into the transient: unchanged.
// CHECK-LABEL: sdfg.sdfg @wcr
// CHECK:       %t = sdfg.alloc
// CHECK:       sdfg.map
// CHECK:         sdfg.store %{{.*}}, %t[%{{.*}}, %{{.*}}] wcr(sum)
// CHECK:       sdfg.map
// CHECK:         sdfg.load %t[
sdfg.sdfg @wcr inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %t[%i, %j] wcr(sum) : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// The transient is also read in a later state: unchanged.
// CHECK-LABEL: sdfg.sdfg @used_elsewhere
// CHECK:       %t = sdfg.alloc
// CHECK:       sdfg.state @s
// CHECK:       sdfg.map
// CHECK:         sdfg.store %{{.*}}, %t[
// CHECK:       sdfg.map
// CHECK:         sdfg.load %t[
// CHECK:       sdfg.state @s2
// CHECK:         sdfg.load %t[
sdfg.sdfg @used_elsewhere inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>, %z: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %t[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
  sdfg.state @s2 {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %z[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
  sdfg.edge @s -> @s2
}

// -----

// The consumer reads the transient at a shifted (non-identity) index: unchanged.
// CHECK-LABEL: sdfg.sdfg @shifted
// CHECK:       %t = sdfg.alloc
// CHECK:       sdfg.map
// CHECK:         sdfg.store %{{.*}}, %t[
// CHECK:       sdfg.map
// CHECK:         sdfg.load %t[%{{.*}}, 0]
sdfg.sdfg @shifted inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %t[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %t[%i, 0] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// The consumer writes what the producer reads (through a view): unchanged, since fused iterations
// could read elements other iterations already overwrote.
// CHECK-LABEL: sdfg.sdfg @overwrite
// CHECK:       %t = sdfg.alloc
// CHECK:       sdfg.map
// CHECK:         sdfg.store %{{.*}}, %t[
// CHECK:       sdfg.map
// CHECK:         sdfg.load %t[
sdfg.sdfg @overwrite inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %y[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %t[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    %v = sdfg.transpose_view %y [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %a, %v[%j, %i] : !sdfg.array<f32[8, 4]>
    }
  }
}
