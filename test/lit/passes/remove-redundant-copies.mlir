// RUN: dmc-opt %s -split-input-file --remove-redundant-copies | FileCheck %s
// RUN: dmc-opt %s -split-input-file --remove-redundant-copies | dmc-opt -split-input-file | FileCheck %s

// Forward: %t only repeats %x transposed (a copy map); its reader reads a transposed view of %x instead.
// CHECK-LABEL: sdfg.sdfg @forward_transpose
// CHECK-NOT:  sdfg.alloc
// CHECK:      %[[V:.*]] = sdfg.transpose_view %x [1, 0] : <f32[4, 8]> -> <f32[8, 4]>
// CHECK:      sdfg.state @s {
// CHECK-NEXT:   sdfg.map
// CHECK-NEXT:     sdfg.load %[[V]][
// CHECK-NEXT:     sdfg.store %{{.*}}, %y[
// CHECK-NOT:  sdfg.map
sdfg.sdfg @forward_transpose inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[8, 4]>) {
  %t = sdfg.alloc : !sdfg.array<f32[8, 4]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (8, 4) schedule(omp) {
      %v = sdfg.load %x[%j, %i] : !sdfg.array<f32[4, 8]>
      sdfg.store %v, %t[%i, %j] : !sdfg.array<f32[8, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (8, 4) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[8, 4]>
    }
  }
}

// -----

// Forward through an sdfg.copy of a view defined in the state: the reshape view itself replaces %t.
// CHECK-LABEL: sdfg.sdfg @forward_copy
// CHECK-NOT:  sdfg.alloc
// CHECK:      %[[R:.*]] = sdfg.reshape_view %x
// CHECK-NOT:  sdfg.copy
// CHECK:      sdfg.load %[[R]][
sdfg.sdfg @forward_copy inputs(%x: !sdfg.array<f32[32]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    %r = sdfg.reshape_view %x : !sdfg.array<f32[32]> -> !sdfg.array<f32[4, 8]>
    sdfg.copy %r -> %t : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[4, 8]>
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// Backward: %t is written in full, then only copied (transposed) into the output; the producer writes
// a transposed view of %y directly.
// CHECK-LABEL: sdfg.sdfg @backward
// CHECK-NOT:  sdfg.alloc
// CHECK:      %[[V:.*]] = sdfg.transpose_view %y [1, 0] : <f32[4, 8]> -> <f32[8, 4]>
// CHECK:        sdfg.store %{{.*}}, %[[V]][
// CHECK-NOT:  sdfg.map
sdfg.sdfg @backward inputs(%x: !sdfg.array<f32[8, 4]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc : !sdfg.array<f32[8, 4]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (8, 4) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[8, 4]>
      %e = sdfg.tasklet (%a = %v : f32) -> f32 {
        %r = math.exp %a : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %t[%i, %j] : !sdfg.array<f32[8, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %t[%j, %i] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[4, 8]>
    }
  }
}

// -----

// Kept, forward: the source is written while the copy is still read (%t holds the old values).
// CHECK-LABEL: sdfg.sdfg @source_changes
// CHECK:      sdfg.alloc
// CHECK:      sdfg.copy
sdfg.sdfg @source_changes inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>, %z: !sdfg.array<f32[4]>) {
  %t = sdfg.alloc : !sdfg.array<f32[4]>
  sdfg.state @s {
    sdfg.copy %y -> %t : !sdfg.array<f32[4]> -> !sdfg.array<f32[4]>
    sdfg.map (%i) = (0) to (4) schedule(omp) {
      %v = sdfg.load %x[%i] : !sdfg.array<f32[4]>
      sdfg.store %v, %y[%i] : !sdfg.array<f32[4]>
    }
    sdfg.map (%i) = (0) to (4) schedule(omp) {
      %v = sdfg.load %t[%i] : !sdfg.array<f32[4]>
      sdfg.store %v, %z[%i] : !sdfg.array<f32[4]>
    }
  }
}

// -----

// Kept: a transposed view would be reshaped (not expressible as a strided view), a source whose
// first write does not cover it (a wcr accumulation that relies on the zeroed transient), and a
// diagonal (x[i, i] into d[i, j]), which no view expresses.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK-COUNT-3: sdfg.alloc
// CHECK-COUNT-6: sdfg.map
sdfg.sdfg @kept inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[32]>, %z: !sdfg.array<f32[4]>, %e: !sdfg.array<f32[4, 4]>) {
  %t = sdfg.alloc : !sdfg.array<f32[8, 4]>
  %s = sdfg.alloc : !sdfg.array<f32[4]>
  %d = sdfg.alloc : !sdfg.array<f32[4, 4]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (4, 4) schedule(omp) {
      %v = sdfg.load %x[%i, %i] : !sdfg.array<f32[4, 8]>
      sdfg.store %v, %d[%i, %j] : !sdfg.array<f32[4, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 4) schedule(omp) {
      %v = sdfg.load %d[%i, %j] : !sdfg.array<f32[4, 4]>
      %w = sdfg.tasklet (%a = %v : f32) -> f32 {
        %r = math.exp %a : f32
        sdfg.yield %r : f32
      }
      sdfg.store %w, %e[%i, %j] : !sdfg.array<f32[4, 4]>
    }
    sdfg.map (%i, %j) = (0, 0) to (8, 4) schedule(omp) {
      %v = sdfg.load %x[%j, %i] : !sdfg.array<f32[4, 8]>
      sdfg.store %v, %t[%i, %j] : !sdfg.array<f32[8, 4]>
    }
    %r = sdfg.reshape_view %t : !sdfg.array<f32[8, 4]> -> !sdfg.array<f32[32]>
    sdfg.map (%i) = (0) to (32) schedule(omp) {
      %v = sdfg.load %r[%i] : !sdfg.array<f32[32]>
      sdfg.store %v, %y[%i] : !sdfg.array<f32[32]>
    }
    sdfg.map (%i, %j) = (0, 0) to (4, 8) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 8]>
      sdfg.store %v, %s[%i] wcr(sum) : !sdfg.array<f32[4]>
    }
    sdfg.map (%i) = (0) to (4) schedule(omp) {
      %v = sdfg.load %s[%i] : !sdfg.array<f32[4]>
      sdfg.store %v, %z[%i] : !sdfg.array<f32[4]>
    }
  }
}

// -----

// relu(x)[0:1]: the second nest copies only the first row of %a. %a is no transpose of %s, so neither
// becomes a view of the other (the backward rewrite made %a a [4, 6] view of the [1, 6] %s, and the
// first nest's stores then failed verification).
// CHECK-LABEL: sdfg.sdfg @leading_slice
// CHECK:       %[[A:.*]] = sdfg.alloc {name = "a"} : <f32[4, 6]>
// CHECK:       sdfg.store {{.*}}, %[[A]][
// CHECK:       sdfg.load %[[A]][
// CHECK-NEXT:  sdfg.store {{.*}}, %s[
sdfg.sdfg @leading_slice inputs(%x: !sdfg.array<f32[4, 6]>) outputs(%s: !sdfg.array<f32[1, 6]>) {
  %a = sdfg.alloc {name = "a"} : <f32[4, 6]>
  sdfg.state @main {
    sdfg.map (%i, %j) = (0, 0) to (4, 6) {
      %0 = sdfg.load %x[%i, %j] : !sdfg.array<f32[4, 6]>
      %1 = sdfg.tasklet (%arg = %0 : f32) -> f32 {
        %2 = math.exp %arg : f32
        sdfg.yield %2 : f32
      }
      sdfg.store %1, %a[%i, %j] : !sdfg.array<f32[4, 6]>
    }
    sdfg.map (%i, %j) = (0, 0) to (1, 6) {
      %0 = sdfg.load %a[%i, %j] : !sdfg.array<f32[4, 6]>
      sdfg.store %0, %s[%i, %j] : !sdfg.array<f32[1, 6]>
    }
  }
}
