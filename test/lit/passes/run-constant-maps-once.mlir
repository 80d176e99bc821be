// run-constant-maps-once marks a map `once` when it reads only constant inputs (dmc.constants) and
// writes only a persistent buffer of constant shape that nothing else writes; the emitter then runs it
// until a run of the handle succeeds. The near misses stay unmarked.
// RUN: dmc-opt %s -split-input-file --run-constant-maps-once | FileCheck %s
// RUN: dmc-opt %s -split-input-file --run-constant-maps-once | dmc-opt -split-input-file | FileCheck %s

// CHECK-LABEL: sdfg.sdfg @packs_a_weight
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp) attributes {once} {
// The map that reads the run-time input runs every time.
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp) {
sdfg.sdfg @packs_a_weight inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[4, 8]>) attributes {dmc.constants = {w = dense<1.0> : tensor<8x4xf32>}} {
  %packed = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "packed"} : <f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %w[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %packed[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      %b = sdfg.load %packed[%i, %j] : !sdfg.array<f32[4, 8]>
      %c = sdfg.tasklet (%p = %a : f32, %q = %b : f32) -> f32 {
        %s = arith.addf %p, %q : f32
        sdfg.yield %s : f32
      }
      sdfg.store %c, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// A constant argument (an input marked "constant": true, dmc.constant_arguments) counts as constant too;
// the other input does not.
// CHECK-LABEL: sdfg.sdfg @packs_a_constant_argument
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp) attributes {once} {
// CHECK-NEXT:    sdfg.load %w
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) schedule(omp) {
// CHECK-NEXT:    sdfg.load %x
sdfg.sdfg @packs_a_constant_argument inputs(%x: !sdfg.array<f32[8, 4]>, %w: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[4, 8]>) attributes {dmc.constant_arguments = ["w"]} {
  %packed = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "packed"} : <f32[4, 8]>
  %other = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "other"} : <f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %w[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %packed[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %x[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %other[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %a = sdfg.load %other[%i, %j] : !sdfg.array<f32[4, 8]>
      %b = sdfg.load %packed[%i, %j] : !sdfg.array<f32[4, 8]>
      %c = sdfg.tasklet (%p = %a : f32, %q = %b : f32) -> f32 {
        %s = arith.addf %p, %q : f32
        sdfg.yield %s : f32
      }
      sdfg.store %c, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// Not constant: `w` is no constant input here; a map bounded by the run-time symbol N (p2 would
// depend on it); a buffer of
// lifetime sdfg (allocated every run); a buffer that a second map writes too.
// CHECK-LABEL: sdfg.sdfg @near_misses
// CHECK-NOT:   once
sdfg.sdfg @near_misses symbols(%N) inputs(%c: !sdfg.array<f32[8, 4]>, %w: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[4, 8]>) attributes {dmc.constants = {c = dense<1.0> : tensor<8x4xf32>}} {
  %p1 = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "p1"} : <f32[4, 8]>
  %p2 = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "p2"} : <f32[4, 8]>
  %p3 = sdfg.alloc {name = "p3"} : <f32[4, 8]>
  %p4 = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "p4"} : <f32[4, 8]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 8) {
      %v = sdfg.load %w[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %p1[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, %N) {
      %v = sdfg.load %c[%j mod 8, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %p2[%i, %j mod 8] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) {
      %v = sdfg.load %c[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %p3[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) {
      %v = sdfg.load %c[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %p4[%i, %j] : !sdfg.array<f32[4, 8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) {
      %a = sdfg.load %p1[%i, %j] : !sdfg.array<f32[4, 8]>
      %b = sdfg.load %p2[%i, %j] : !sdfg.array<f32[4, 8]>
      %d = sdfg.load %p3[%i, %j] : !sdfg.array<f32[4, 8]>
      %c2 = sdfg.tasklet (%p = %a : f32, %q = %b : f32, %r = %d : f32) -> f32 {
        %s = arith.addf %p, %q : f32
        %t = arith.addf %s, %r : f32
        sdfg.yield %t : f32
      }
      sdfg.store %c2, %y[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %c2, %p4[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}
