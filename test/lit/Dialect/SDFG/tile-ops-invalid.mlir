// Diagnostics of sdfg.min and sdfg.ukernel: the table's arity, layouts and tile bounds, and where tile
// extents may be used.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics

sdfg.sdfg @unknown_kernel symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %t = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 16]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      // expected-error @+1 {{unknown micro-kernel 'gemm_1x1' (known: gemm_12x32, gemm_6x16, gemm_12x32_rows, gemm_6x16_rows, relu_row, gelu_erf_row, gelu_tanh_row, softmax_update_row, sum_row, max_row, moments_row, softmax_row)}}
      sdfg.ukernel "gemm_1x1" ins() outs(%t[0, 0]) args(%i) : !sdfg.array<f32[1, 16]>
    }
  }
}

// -----

sdfg.sdfg @arity symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %t = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 16]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      // expected-error @+1 {{'relu_row' takes 0 inputs, 1 outputs and 1 arguments}}
      sdfg.ukernel "relu_row" ins() outs(%t[0, 0]) args(%i, %i) : !sdfg.array<f32[1, 16]>
    }
  }
}

// -----

// A row of 16 starting at column 1 runs past the 16 columns.
sdfg.sdfg @tile_past_edge symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %t = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 16]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      %n = sdfg.min (16)
      // expected-error @+1 {{index 1 may run past dimension 16}}
      sdfg.ukernel "relu_row" ins() outs(%t[0, 1]) args(%n) : !sdfg.array<f32[1, 16]>
    }
  }
}

// -----

// The extent's every expression is above 16: no bound proves the row in bounds.
sdfg.sdfg @extent_too_long symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %t = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 16]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%M) {
      %n = sdfg.min (17, %M + 17)
      // expected-error @+1 {{index 1 may run past dimension 16}}
      sdfg.ukernel "relu_row" ins() outs(%t[0, 0]) args(%n) : !sdfg.array<f32[1, 16]>
    }
  }
}

// -----

sdfg.sdfg @panel_width symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %ap = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 8, 16]>
  %bp = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 8, 32]>
  %acc = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[12, 32]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      %kc = sdfg.min (8)
      // expected-error @+1 {{operand 0 of 'gemm_12x32' needs dimension 2 of size 12}}
      sdfg.ukernel "gemm_12x32" ins(%ap[0, 0, 0], %bp[0, 0, 0]) outs(%acc[0, 0]) args(%kc, %i) : !sdfg.array<f32[1, 8, 16]>, !sdfg.array<f32[1, 8, 32]>, !sdfg.array<f32[12, 32]>
    }
  }
}

// -----

sdfg.sdfg @packed_not_view symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  %ap = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 8, 12]>
  %bp = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 8, 32]>
  %acc = sdfg.alloc : !sdfg.array<f32[32, 12]>
  %acct = sdfg.transpose_view %acc [1, 0] : !sdfg.array<f32[32, 12]> -> !sdfg.array<f32[12, 32]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      %kc = sdfg.min (8)
      // expected-error @+1 {{operand 2 of 'gemm_12x32' must be a packed container, not a view}}
      sdfg.ukernel "gemm_12x32" ins(%ap[0, 0, 0], %bp[0, 0, 0]) outs(%acct[0, 0]) args(%kc, %i) : !sdfg.array<f32[1, 8, 12]>, !sdfg.array<f32[1, 8, 32]>, !sdfg.array<f32[12, 32]>
    }
  }
}

// -----

sdfg.sdfg @writes_input symbols(%M) inputs(%a: !sdfg.array<f32[1, 16]>) outputs(%c: !sdfg.array<f32[M]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (1) {
      %n = sdfg.min (16)
      // expected-error @+1 {{writes input container 'a'; inputs are read-only}}
      sdfg.ukernel "relu_row" ins() outs(%a[0, 0]) args(%n) : !sdfg.array<f32[1, 16]>
    }
  }
}

// -----

// A tile extent bounds maps; a memlet index cannot use it (subset propagation needs affine indices).
sdfg.sdfg @min_in_memlet symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%M) {
      %n = sdfg.min (16, %M)
      // expected-error @+1 {{index operand cannot be a tile extent (sdfg.min); use it in map upper bounds and micro-kernel arguments}}
      %v = sdfg.load %a[%n] : !sdfg.array<f32[M]>
    }
  }
}

// -----

// Nor a lower bound: bounds proofs use a min only as an upper bound.
sdfg.sdfg @min_in_lower_bound symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%M) {
      %n = sdfg.min (16, %M)
      // expected-error @+1 {{index operand cannot be a tile extent (sdfg.min)}}
      sdfg.map (%j) = (%n) to (%M) {
        %v = sdfg.load %a[%j] : !sdfg.array<f32[M]>
      }
    }
  }
}

// -----

sdfg.sdfg @min_outside_map symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.min' op expects parent op 'sdfg.map'}}
    %n = sdfg.min (16, %M)
  }
}

// -----

sdfg.sdfg @scope_outside_maps symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  // expected-error @+1 {{with lifetime 'scope' may be used only inside maps}}
  %t = sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[M]>
  sdfg.state @s {
    nn.relu ins(%a : !sdfg.array<f32[M]>) outs(%t : !sdfg.array<f32[M]>)
  }
}

// -----

// Handing iterations out one at a time is a property of parallel maps only.
sdfg.sdfg @dynamic_sequential symbols(%M) inputs(%a: !sdfg.array<f32[M]>) outputs(%c: !sdfg.array<f32[M]>) {
  sdfg.state @s {
    // expected-error @+1 {{'dynamic' needs schedule omp, got sequential}}
    sdfg.map (%i) = (0) to (%M) attributes {dynamic} {
      %v = sdfg.load %a[%i] : !sdfg.array<f32[M]>
      sdfg.store %v, %c[%i] : !sdfg.array<f32[M]>
    }
  }
}
