// Tile extents (sdfg.min) and tile starts (sdfg.max): where they may be used, and the bounds proofs
// that take any of their expressions (a min's as upper bounds, a max's as lower bounds).
// RUN: dmc-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// A band of blocks: the start is a max (0 proves the index non-negative, the other expression may be
// negative), the end a min (the block count proves the index below the dimension).
// CHECK-LABEL: sdfg.sdfg @band
// CHECK:      %[[FIRST:.*]] = sdfg.max (0, (%[[QB:.*]] * 24 - 10) floordiv 64)
// CHECK-NEXT: %[[LAST:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1)
// CHECK-NEXT: sdfg.map (%[[KB:.*]]) = (%[[FIRST]]) to (%[[LAST]]) {
// CHECK-NEXT:   %[[COLS:.*]] = sdfg.min (64, %[[KB]] * -64 + 100)
sdfg.sdfg @band inputs(%x: !sdfg.array<f32[100]>) outputs(%y: !sdfg.array<f32[5, 100]>) {
  sdfg.state @s {
    sdfg.map (%qb) = (0) to (5) {
      %first = sdfg.max (0, (%qb * 24 - 10) floordiv 64)
      %last = sdfg.min (2, (%qb * 24 + 33) floordiv 64 + 1)
      sdfg.map (%kb) = (%first) to (%last) {
        %cols = sdfg.min (64, 100 - %kb * 64)
        sdfg.map (%j) = (0) to (%cols) {
          %v = sdfg.load %x[%kb * 64 + %j] : !sdfg.array<f32[100]>
          sdfg.store %v, %y[%qb, %kb * 64 + %j] : !sdfg.array<f32[5, 100]>
        }
      }
    }
  }
}

// -----

// Without the 0, the start may be negative: the load is rejected.
sdfg.sdfg @start_may_be_negative inputs(%x: !sdfg.array<f32[100]>) outputs(%y: !sdfg.array<f32[100]>) {
  sdfg.state @s {
    sdfg.map (%qb) = (0) to (5) {
      %first = sdfg.max (%qb * 24 - 10, %qb - 3)
      sdfg.map (%i) = (%first) to (100) {
        // expected-error @+1 {{'sdfg.load' op index 0 may be negative}}
        %v = sdfg.load %x[%i] : !sdfg.array<f32[100]>
        sdfg.store %v, %y[%i] : !sdfg.array<f32[100]>
      }
    }
  }
}

// -----

sdfg.sdfg @max_as_upper_bound symbols(%S) inputs(%x: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%b) = (0) to (2) {
      %m = sdfg.max (0, %S - 4)
      // expected-error @+1 {{'sdfg.map' op index operand cannot be a tile start (sdfg.max); use it in map lower bounds}}
      sdfg.map (%i) = (0) to (%m) {
        %v = sdfg.load %x[%i] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

sdfg.sdfg @min_as_lower_bound symbols(%S) inputs(%x: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%b) = (0) to (2) {
      %m = sdfg.min (0, %S - 4)
      // expected-error @+1 {{'sdfg.map' op index operand cannot be a tile extent (sdfg.min); use it in map upper bounds and micro-kernel arguments}}
      sdfg.map (%i) = (%m) to (%S) {
        %v = sdfg.load %x[%i] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

sdfg.sdfg @max_in_memlet symbols(%S) inputs(%x: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%b) = (0) to (2) {
      %m = sdfg.max (0, %b)
      // expected-error @+1 {{'sdfg.load' op index operand cannot be a tile start (sdfg.max); use it in map lower bounds}}
      %v = sdfg.load %x[%m] : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @max_needs_an_expression inputs(%x: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    sdfg.map (%b) = (0) to (2) {
      // expected-error @+1 {{'sdfg.max' op needs at least one expression}}
      %m = sdfg.max ()
    }
  }
}
