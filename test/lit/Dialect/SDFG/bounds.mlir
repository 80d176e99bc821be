// Memlets the bounds verifier proves in bounds for every positive value of the symbols: symbolic maps,
// triangular nests (inner bounds depending on outer parameters), strided tiles, mod/floordiv indices
// and views. Each SDFG must verify (no diagnostic) and print back.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: sdfg.sdfg @symbolic
sdfg.sdfg @symbolic symbols(%S, %T) inputs(%A: !sdfg.array<f32[S, T]>) outputs(%B: !sdfg.array<f32[T, S]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, %T) {
      // Reversed and shifted indices: S - 1 - i in [0, S - 1]; j - 1 with j >= 1 in [0, T - 2].
      %v = sdfg.load %A[%S - %i - 1, %j] : !sdfg.array<f32[S, T]>
      sdfg.store %v, %B[%j, %i] : !sdfg.array<f32[T, S]>
    }
    sdfg.map (%i, %j) = (0, 1) to (%S, %T) {
      %v = sdfg.load %A[%i, %j - 1] : !sdfg.array<f32[S, T]>
      sdfg.store %v, %B[%j, %i] wcr(sum) : !sdfg.array<f32[T, S]>
    }
  }
}

// -----

// CHECK-LABEL: sdfg.sdfg @triangular
sdfg.sdfg @triangular symbols(%S) inputs(%A: !sdfg.array<f32[S, S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @lower {
    sdfg.map (%i) = (0) to (%S) {
      // j <= i <= S - 1; i - j >= 0 needs j eliminated before i.
      sdfg.map (%j) = (0) to (%i + 1) {
        %v = sdfg.load %A[%i, %j] : !sdfg.array<f32[S, S]>
        %w = sdfg.load %A[%i - %j, %j] : !sdfg.array<f32[S, S]>
        sdfg.store %v, %B[%i - %j] wcr(max) : !sdfg.array<f32[S]>
      }
    }
  }
  sdfg.state @upper {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (%i) to (%S) {
        // Three levels: i <= j <= k < S, and k - j + i <= k.
        sdfg.map (%k) = (%j) to (%S) {
          %v = sdfg.load %A[%k - %j + %i, %k] : !sdfg.array<f32[S, S]>
          sdfg.store %v, %B[%k] wcr(sum) : !sdfg.array<f32[S]>
        }
      }
    }
  }
  sdfg.edge @lower -> @upper
}

// -----

// CHECK-LABEL: sdfg.sdfg @strided
sdfg.sdfg @strided symbols(%S) inputs(%A: !sdfg.array<f32[48, S]>) outputs(%B: !sdfg.array<f32[48, S]>) {
  sdfg.state @s {
    // Tiles of a constant extent: t takes 0, 16, 32 (never 47), so t + 15 <= 47.
    sdfg.map (%t, %j) = (0, 0) to (48, %S) step (16, 1) {
      sdfg.map (%k) = (%t) to (%t + 16) {
        %v = sdfg.load %A[%k, %j] : !sdfg.array<f32[48, S]>
        sdfg.store %v, %B[%k, %j] : !sdfg.array<f32[48, S]>
      }
    }
    // A symbolic stride: every other row, without tiles.
    sdfg.map (%i, %j) = (0, 0) to (48, %S) step (1, 2) {
      %v = sdfg.load %A[%i, %j] : !sdfg.array<f32[48, S]>
      sdfg.store %v, %B[%i, %j] : !sdfg.array<f32[48, S]>
    }
  }
}

// -----

// CHECK-LABEL: sdfg.sdfg @modulo_and_division
sdfg.sdfg @modulo_and_division symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[S, 4, 16]>) {
  sdfg.state @s {
    // i in [0, 64*S - 1]: i floordiv 64 in [0, S - 1], i mod 64 in [0, 63].
    sdfg.map (%i) = (0) to (%S * 64) {
      %v = sdfg.load %A[%i floordiv 64, %i mod 64] : !sdfg.array<f32[S, 64]>
      sdfg.store %v, %B[%i floordiv 64, (%i mod 64) floordiv 16, %i mod 16] : !sdfg.array<f32[S, 4, 16]>
    }
    // ceildiv: ceil(j / 2) with j < 8 is at most 4; a mod whose operand stays below the modulus is it.
    sdfg.map (%r, %j) = (0, 0) to (%S, 8) {
      %v = sdfg.load %A[%r, %j ceildiv 2 + (%j + 2) mod 16] : !sdfg.array<f32[S, 64]>
      sdfg.store %v, %B[%r, 3, %j] : !sdfg.array<f32[S, 4, 16]>
    }
  }
}

// -----

// CHECK-LABEL: sdfg.sdfg @views
sdfg.sdfg @views symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[64, S]>) {
  // Indices are checked against the view's shape; the view verifiers check the view against its source.
  %half = sdfg.slice_view %A [0, 32] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 32]>
  %heads = sdfg.reshape_view %A : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 4, 16]>
  %bt = sdfg.transpose_view %B [1, 0] : !sdfg.array<f32[64, S]> -> !sdfg.array<f32[S, 64]>
  sdfg.state @s {
    sdfg.map (%i, %h, %d) = (0, 0, 0) to (%S, 4, 16) {
      %v = sdfg.load %heads[%i, %h, %d] : !sdfg.array<f32[S, 4, 16]>
      sdfg.store %v, %bt[%i, %h * 16 + %d] : !sdfg.array<f32[S, 64]>
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 32) {
      %v = sdfg.load %half[%i, %j] : !sdfg.array<f32[S, 32]>
      sdfg.store %v, %bt[%i, %j + 32] wcr(sum) : !sdfg.array<f32[S, 64]>
    }
  }
}

// -----

// An empty range (8 to 2) runs no iteration: its memlets touch nothing, whatever the indices say.
// CHECK-LABEL: sdfg.sdfg @empty_range
sdfg.sdfg @empty_range inputs(%A: !sdfg.array<f32[4]>) outputs(%B: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    sdfg.map (%i) = (8) to (2) {
      %v = sdfg.load %A[%i - 7] : !sdfg.array<f32[4]>
      sdfg.store %v, %B[%i - 8] : !sdfg.array<f32[4]>
    }
  }
}

// -----

// 25 nested mods (each bounds its operand twice): bounding is memoised, so this verifies at once.
// CHECK-LABEL: sdfg.sdfg @nested_mods
sdfg.sdfg @nested_mods symbols(%S) inputs(%A: !sdfg.array<f32[32]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[((((((((((((((((((((((((((((((((((((((((((((((((((%i + 1) mod 7) + 1) mod 8) + 1) mod 9) + 1) mod 10) + 1) mod 11) + 1) mod 12) + 1) mod 13) + 1) mod 14) + 1) mod 15) + 1) mod 16) + 1) mod 17) + 1) mod 18) + 1) mod 19) + 1) mod 20) + 1) mod 21) + 1) mod 22) + 1) mod 23) + 1) mod 24) + 1) mod 25) + 1) mod 26) + 1) mod 27) + 1) mod 28) + 1) mod 29) + 1) mod 30) + 1) mod 31)] : !sdfg.array<f32[32]>
    }
  }
}

// -----

// A loop of the state machine: the local symbol i starts at 0, grows by 1, and the body runs only under
// `i < S`, so i lies in [0, S - 1] there (ir.md's @rows). A second counter k = 2*i + 1 under k < S too.
// CHECK-LABEL: sdfg.sdfg @rows
sdfg.sdfg @rows symbols(%S) locals(%i, %k) inputs(%x: !sdfg.array<f32[S, 64]>)
    outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @entry {
  }
  sdfg.state @guard {
  }
  sdfg.state @body {
    sdfg.map (%j) = (0) to (64) schedule(vector) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 64]>
      sdfg.store %v, %y[%S - 1 - %i, 63 - %j] : !sdfg.array<f32[S, 64]>
      %w = sdfg.load %x[%k, %j] : !sdfg.array<f32[S, 64]>
    }
  }
  sdfg.state @exit {
  }
  sdfg.edge @entry -> @guard assign [i] {
    %zero = arith.constant 0 : index
    sdfg.yield %zero : index
  }
  sdfg.edge @guard -> @body if {
    %c = arith.cmpi slt, %i, %S : index
    %d = arith.cmpi sgt, %S, %k : index
    %both = arith.andi %c, %d : i1
    sdfg.yield %both : i1
  }
  sdfg.edge @guard -> @exit if {
    %c = arith.cmpi sge, %i, %S : index
    sdfg.yield %c : i1
  }
  sdfg.edge @body -> @guard assign [i, k] {
    %one = arith.constant 1 : index
    %n = arith.addi %i, %one : index
    %two = arith.constant 2 : index
    %n2 = arith.muli %n, %two : index
    %kn = arith.addi %n2, %one : index
    sdfg.yield %n, %kn : index, index
  }
}
