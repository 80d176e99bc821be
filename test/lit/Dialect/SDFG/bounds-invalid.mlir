// Memlets the bounds verifier rejects: each index must provably lie in [0, dim) over all enclosing maps
// for every positive value of the symbols. The diagnostic names the index, the bound it could not prove
// and the dimension.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics

// Off by one at a symbolic dimension (the map runs to S inclusive).
sdfg.sdfg @off_by_one_symbolic symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S + 1) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S is not provably <= S - 1}}
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// A shifted index over the whole symbolic range.
sdfg.sdfg @shifted_symbolic symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{'sdfg.store' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S is not provably <= S - 1}}
      sdfg.store %v, %B[%i + 1] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// Off by one at a constant dimension, in a nest.
sdfg.sdfg @off_by_one_constant symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (0) to (65) {
        // expected-error @+1 {{'sdfg.load' op index 1 may run past dimension 64 of '!sdfg.array<f32[S, 64]>': its largest value 64 is not provably <= 63}}
        %v = sdfg.load %A[%i, %j] : !sdfg.array<f32[S, 64]>
      }
    }
  }
}

// -----

// The inner bound is the outer parameter + 1 ... + 1: j reaches i + 1, i.e. S.
sdfg.sdfg @inner_bound_outer_plus_one symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (0) to (%i + 2) {
        // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S is not provably <= S - 1}}
        %v = sdfg.load %A[%j] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

// A triangular nest whose inner index runs one past the outer: k <= j + 1 <= i + 1 <= S.
sdfg.sdfg @triangular_three_levels symbols(%S) inputs(%A: !sdfg.array<f32[S, S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (0) to (%i + 1) {
        sdfg.map (%k) = (%j) to (%j + 2) {
          // expected-error @+1 {{'sdfg.load' op index 1 may run past dimension S of '!sdfg.array<f32[S, S]>': its largest value S is not provably <= S - 1}}
          %v = sdfg.load %A[%i, %k] : !sdfg.array<f32[S, S]>
        }
      }
    }
  }
}

// -----

// Negative: the inner lower bound is the outer parameter - 1.
sdfg.sdfg @negative_nested symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (%i - 1) to (%i + 1) {
        // expected-error @+1 {{'sdfg.load' op index 0 may be negative: its smallest value -1 is not provably >= 0 ('!sdfg.array<f32[S]>')}}
        %v = sdfg.load %A[%j] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

// Indices within the viewed container but past the view's shape: a slice of 16 columns read to 31.
sdfg.sdfg @past_the_view symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[S, 32]>) {
  %head = sdfg.slice_view %A [0, 16] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 16]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, 32) {
      // expected-error @+1 {{'sdfg.load' op index 1 may run past dimension 16 of '!sdfg.array<f32[S, 16]>': its largest value 31 is not provably <= 15}}
      %v = sdfg.load %head[%i, %j] : !sdfg.array<f32[S, 16]>
      sdfg.store %v, %B[%i, %j] : !sdfg.array<f32[S, 32]>
    }
  }
}

// -----

// A transposed view swaps the dimensions: [S, 64] read as if it were not transposed.
sdfg.sdfg @transposed_view symbols(%S) inputs(%A: !sdfg.array<f32[64, S]>) outputs(%B: !sdfg.array<f32[64, S]>) {
  %at = sdfg.transpose_view %A [1, 0] : !sdfg.array<f32[64, S]> -> !sdfg.array<f32[S, 64]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (64, %S) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S, 64]>': its largest value 63 is not provably <= S - 1}}
      %v = sdfg.load %at[%i, %j] : !sdfg.array<f32[S, 64]>
    }
  }
}

// -----

// Two different symbols: S - 1 <= T - 1 does not hold for every S and T.
sdfg.sdfg @other_symbol symbols(%S, %T) inputs(%A: !sdfg.array<f32[T]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension T of '!sdfg.array<f32[T]>': its largest value S - 1 is not provably <= T - 1}}
      %v = sdfg.load %A[%i] : !sdfg.array<f32[T]>
    }
  }
}

// -----

// A scaled index: 2*i reaches 2*S - 2.
sdfg.sdfg @scaled symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value 2*S - 2 is not provably <= S - 1}}
      %v = sdfg.load %A[2 * %i] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// A symbolic tile: t + 63 with t <= S - 1 runs past S unless 64 divides S.
sdfg.sdfg @symbolic_tile symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%t) = (0) to (%S) step (64) {
      sdfg.map (%i) = (%t) to (%t + 64) {
        // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S + 62 is not provably <= S - 1}}
        %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

// A constant tile that does not divide the extent: t reaches 48, i reaches 63.
sdfg.sdfg @ragged_tile inputs(%A: !sdfg.array<f32[50]>) outputs(%B: !sdfg.array<f32[50]>) {
  sdfg.state @s {
    sdfg.map (%t) = (0) to (50) step (16) {
      sdfg.map (%i) = (%t) to (%t + 16) {
        // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension 50 of '!sdfg.array<f32[50]>': its largest value 63 is not provably <= 49}}
        %v = sdfg.load %A[%i] : !sdfg.array<f32[50]>
      }
    }
  }
}

// -----

// mod and floordiv: a modulus larger than the dimension; a quotient whose range exceeds it.
sdfg.sdfg @modulus_too_large symbols(%S) inputs(%A: !sdfg.array<f32[64]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension 64 of '!sdfg.array<f32[64]>': its largest value 64 is not provably <= 63}}
      %v = sdfg.load %A[%i mod 65] : !sdfg.array<f32[64]>
    }
  }
}

// -----

sdfg.sdfg @quotient_too_large symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S * 4 + 4) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S is not provably <= S - 1}}
      %v = sdfg.load %A[%i floordiv 4] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// No bound at all: a possibly negative value divided by a symbol; a local symbol (assigned on edges,
// any value).
sdfg.sdfg @divide_by_symbol symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op index 0 of '!sdfg.array<f32[S]>' cannot be bounded: '(d0 - 1) floordiv s0' divides a value that may be negative by a non-constant}}
      %v = sdfg.load %A[(%i - 1) floordiv symbol(%S)] : !sdfg.array<f32[S]>
    }
  }
}

// -----

// Divisors that may be zero: a map parameter (0 at the first iteration), in a memlet or a map bound.
sdfg.sdfg @divide_by_parameter symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op 'd0 mod s0' divides by something that may be zero or negative; divide by positive constants or free symbols}}
      %v = sdfg.load %A[%S mod symbol(%i)] : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @bound_divides_by_parameter symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.map' op 'd0 floordiv s0' divides by something that may be zero or negative}}
      sdfg.map (%j) = (0) to (%S floordiv symbol(%i)) {
        %v = sdfg.load %A[0] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

// Local symbols take the ranges the state machine gives them (ir.md, LocalSymbolRanges.h): a counter
// that only grows has no upper bound ...
sdfg.sdfg @unbounded_counter symbols(%S) locals(%it) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op index 0 of '!sdfg.array<f32[S]>' cannot be bounded: local symbol 'it' has no known upper bound in this state}}
      %v = sdfg.load %A[%it] : !sdfg.array<f32[S]>
    }
  }
  sdfg.edge @s -> @s assign [it] {
    %one = arith.constant 1 : index
    %n = arith.addi %it, %one : index
    sdfg.yield %n : index
  }
}

// -----

// ... a guard `it <= S` lets it reach S ...
sdfg.sdfg @guard_off_by_one symbols(%S) locals(%it) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @guard {
  }
  sdfg.state @body {
    sdfg.map (%j) = (0) to (1) {
      // expected-error @+1 {{'sdfg.load' op index 0 may run past dimension S of '!sdfg.array<f32[S]>': its largest value S is not provably <= S - 1}}
      %v = sdfg.load %A[%it] : !sdfg.array<f32[S]>
    }
  }
  sdfg.edge @guard -> @body if {
    %c = arith.cmpi sle, %it, %S : index
    sdfg.yield %c : i1
  }
  sdfg.edge @body -> @guard assign [it] {
    %one = arith.constant 1 : index
    %n = arith.addi %it, %one : index
    sdfg.yield %n : index
  }
}

// -----

// ... and one counting down from 0 has no lower bound.
sdfg.sdfg @counter_down symbols(%S) locals(%it) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @guard {
  }
  sdfg.state @body {
    sdfg.map (%j) = (0) to (1) {
      // expected-error @+1 {{'sdfg.load' op index 0 of '!sdfg.array<f32[S]>' cannot be bounded: local symbol 'it' has no known lower bound in this state}}
      %v = sdfg.load %A[%it + %j] : !sdfg.array<f32[S]>
    }
  }
  sdfg.edge @guard -> @body if {
    %c = arith.cmpi slt, %it, %S : index
    sdfg.yield %c : i1
  }
  sdfg.edge @body -> @guard assign [it] {
    %one = arith.constant 1 : index
    %n = arith.subi %it, %one : index
    sdfg.yield %n : index
  }
}

// -----

// An inner range that is empty at i = 0 (i to 2*i): the prover does not use emptiness, so j - 1 is
// taken down to -1 (and the index also runs to 2*S - 4, past S).
sdfg.sdfg @possibly_empty_inner_range symbols(%S) inputs(%x: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (%i) to (%i * 2) {
        // expected-error @+1 {{'sdfg.load' op index 0 may be negative: its smallest value -1 is not provably >= 0 ('!sdfg.array<f32[S]>')}}
        %v = sdfg.load %x[%j - 1] : !sdfg.array<f32[S]>
      }
    }
  }
}

// -----

// Coefficients whose bounds overflow int64 are not trusted (wrapped arithmetic could prove anything).
sdfg.sdfg @overflow inputs(%A: !sdfg.array<f32[4]>) outputs(%B: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (4) {
      sdfg.map (%j) = (0) to (%i * 4) {
        // expected-error @+1 {{'sdfg.load' op index 0 of '!sdfg.array<f32[4]>' cannot be bounded: its coefficients overflow 64-bit integers}}
        %v = sdfg.load %A[%j * 4611686018427387904 - %i * 4611686018427387904] : !sdfg.array<f32[4]>
      }
    }
  }
}
