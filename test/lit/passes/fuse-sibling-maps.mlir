// RUN: dmc-opt %s -split-input-file --fuse-sibling-maps | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fuse-sibling-maps | dmc-opt -split-input-file | FileCheck %s

// Two independent maps over the same space (q and k feature maps): one map, both bodies in order.
// CHECK-LABEL: sdfg.sdfg @siblings
// CHECK:       sdfg.map (%[[I:.*]]) = (0) to (%S) schedule(omp) {
// CHECK-NEXT:    sdfg.load %q[%[[I]]]
// CHECK:         sdfg.store %{{.*}}, %qo[%[[I]]]
// CHECK-NEXT:    sdfg.load %k[%[[I]]]
// CHECK:         sdfg.store %{{.*}}, %ko[%[[I]]]
// CHECK-NEXT:  }
// CHECK-NOT:   sdfg.map
sdfg.sdfg @siblings symbols(%S) inputs(%q: !sdfg.array<f32[S]>, %k: !sdfg.array<f32[S]>) outputs(%qo: !sdfg.array<f32[S]>, %ko: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      %a = sdfg.load %q[%i] : !sdfg.array<f32[S]>
      %e = sdfg.tasklet (%v = %a : f32) -> f32 {
        %r = math.exp %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %qo[%i] : !sdfg.array<f32[S]>
    }
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      %a = sdfg.load %k[%i] : !sdfg.array<f32[S]>
      %e = sdfg.tasklet (%v = %a : f32) -> f32 {
        %r = math.exp %v : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %ko[%i] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// The second map reads what the first writes (at another index: not element-wise), and a node in
// between writes what a third map reads: no fusion.
// CHECK-LABEL: sdfg.sdfg @dependent
// CHECK-COUNT-3: sdfg.map
sdfg.sdfg @dependent inputs(%x: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[8]>, %w: !sdfg.array<f32[8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[8]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %x[%i] : !sdfg.array<f32[8]>
      sdfg.store %a, %y[%i] : !sdfg.array<f32[8]>
    }
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %y[0] : !sdfg.array<f32[8]>
      sdfg.store %a, %z[%i] : !sdfg.array<f32[8]>
    }
    nn.exp ins(%x : !sdfg.array<f32[8]>) outs(%t : !sdfg.array<f32[8]>)
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %t[%i] : !sdfg.array<f32[8]>
      sdfg.store %a, %w[%i] : !sdfg.array<f32[8]>
    }
  }
}

// -----

// The second map reads a view created between the two maps: its body cannot move above the view.
// CHECK-LABEL: sdfg.sdfg @view_between
// CHECK-COUNT-2: sdfg.map
sdfg.sdfg @view_between inputs(%x: !sdfg.array<f32[8]>, %m: !sdfg.array<f32[2, 4]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[8]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %x[%i] : !sdfg.array<f32[8]>
      sdfg.store %a, %y[%i] : !sdfg.array<f32[8]>
    }
    %flat = sdfg.reshape_view %m : !sdfg.array<f32[2, 4]> -> !sdfg.array<f32[8]>
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %a = sdfg.load %flat[%i] : !sdfg.array<f32[8]>
      sdfg.store %a, %z[%i] : !sdfg.array<f32[8]>
    }
  }
}
