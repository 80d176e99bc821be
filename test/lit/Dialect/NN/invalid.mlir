// Diagnostics of the nn dialect: arity, element types, shapes and attributes of library nodes, and where
// they may appear.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics

sdfg.sdfg @matmul_contraction symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[32, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.matmul' op MatMul contraction dimensions differ: [S, 64] and [32, S] contract 64 with 32}}
    nn.matmul ins(%a, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[32, S]>) outs(%c : !sdfg.array<f32[S, S]>)
  }
}

// -----

sdfg.sdfg @broadcast symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[S, 32]>) outputs(%c: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.add' op shapes [S, 64] and [S, 32] do not broadcast}}
    nn.add ins(%a, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[S, 32]>) outs(%c : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @broadcast_symbols symbols(%S, %T) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[T, 64]>) outputs(%c: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.mul' op shapes [S, 64] and [T, 64] do not broadcast}}
    nn.mul ins(%a, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[T, 64]>) outs(%c : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @layer_norm_gamma symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>, %g: !sdfg.array<f32[32]>, %b: !sdfg.array<f32[64]>) outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.layer_norm' op LayerNormalization scale [32] and bias [64] must both be [64]}}
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[32]>, !sdfg.array<f32[64]>) outs(%y : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @reshape_count symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 4, 32]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.reshape' op Reshape from [S, 64] (64*S elements) to [S, 4, 32] (128*S elements)}}
    nn.reshape ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[S, 4, 32]>)
  }
}

// -----

sdfg.sdfg @transpose_perm symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[64, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.transpose' op Transpose perm is not a permutation of the 2 dimensions of [S, 64]}}
    nn.transpose ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[64, S]>) {permutation = array<i64: 1, 1>}
  }
}

// -----

sdfg.sdfg @transpose_shape symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.transpose' op output shape [S, 64] should be [64, S]}}
    nn.transpose ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[S, 64]>) {permutation = array<i64: 1, 0>}
  }
}

// -----

sdfg.sdfg @concat_mismatch inputs(%a: !sdfg.array<f32[4, 8]>, %b: !sdfg.array<f32[5, 8]>) outputs(%y: !sdfg.array<f32[4, 16]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.concat' op Concat inputs [4, 8] and [5, 8] differ outside axis 1}}
    nn.concat ins(%a, %b : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[5, 8]>) outs(%y : !sdfg.array<f32[4, 16]>) {axis = 1}
  }
}

// -----

sdfg.sdfg @concat_output inputs(%a: !sdfg.array<f32[4, 8]>, %b: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.concat' op output shape [4, 8] should be [8, 8]}}
    nn.concat ins(%a, %b : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 8]>) {axis = 0}
  }
}

// -----

sdfg.sdfg @slice_output symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 32]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.slice' op output shape [S, 32] should be [S, 16]}}
    nn.slice ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[S, 32]>) {starts = array<i64: 48>, ends = array<i64: 96>, axes = array<i64: 1>}
  }
}

// -----

sdfg.sdfg @slice_symbolic symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 32]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.slice' op Slice of symbolic dimension S needs the symbol bound}}
    nn.slice ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[S, 32]>) {starts = array<i64: 0>, ends = array<i64: 32>, axes = array<i64: 0>}
  }
}

// -----

sdfg.sdfg @where_broadcast symbols(%S) inputs(%c: !sdfg.array<f32[S, 1]>, %a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[32]>) outputs(%o: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.where' op shapes [S, 1], [S, 64] and [32] do not broadcast}}
    nn.where ins(%c, %a, %b : !sdfg.array<f32[S, 1]>, !sdfg.array<f32[S, 64]>, !sdfg.array<f32[32]>) outs(%o : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @where_arity symbols(%S) inputs(%c: !sdfg.array<f32[S, 1]>, %a: !sdfg.array<f32[S, 64]>) outputs(%o: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.where' op takes 3 inputs, got 2}}
    nn.where ins(%c, %a : !sdfg.array<f32[S, 1]>, !sdfg.array<f32[S, 64]>) outs(%o : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @where_output symbols(%S) inputs(%c: !sdfg.array<f32[S, 1]>, %a: !sdfg.array<f32[64]>) outputs(%o: !sdfg.array<f32[64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.where' op output shape [64] should be [S, 64]}}
    nn.where ins(%c, %a, %a : !sdfg.array<f32[S, 1]>, !sdfg.array<f32[64]>, !sdfg.array<f32[64]>) outs(%o : !sdfg.array<f32[64]>)
  }
}

// -----

sdfg.sdfg @mixed_element_types symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f16[S, 64]>) outputs(%c: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.add' op mixes element types 'f32' and 'f16'}}
    nn.add ins(%a, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f16[S, 64]>) outs(%c : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @integer_container symbols(%S) inputs(%a: !sdfg.array<i32[S, 64]>) outputs(%c: !sdfg.array<i32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.relu' op supports floating-point containers only, got 'i32'}}
    nn.relu ins(%a : !sdfg.array<i32[S, 64]>) outs(%c : !sdfg.array<i32[S, 64]>)
  }
}

// -----

sdfg.sdfg @softmax_window symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.softmax' op window must be -1 (none) or >= 0, got -2}}
    nn.softmax ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {window = -2}
  }
}

// -----

sdfg.sdfg @softmax_stride symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.softmax' op stride must be 0 (none) or positive, got -1}}
    nn.softmax ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {stride = -1}
  }
}

// -----

sdfg.sdfg @softmax_mask_axis symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.softmax' op Softmax with a generated mask needs rank >= 2 and axis = last, got axis 0 of [S, S]}}
    nn.softmax ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {axis = 0, causal}
  }
}

// -----

sdfg.sdfg @in_place symbols(%S) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op writes a container it also reads; library nodes are not in-place}}
    nn.exp ins(%c : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>)
  }
}

// -----

sdfg.sdfg @outside_state symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  // expected-error @+1 {{'nn.exp' op expects parent op 'sdfg.state'}}
  nn.exp ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>)
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @arity symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op takes 1 inputs, got 2}}
    nn.exp ins(%a, %a : !sdfg.array<f32[S, S]>, !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>)
  }
}

// -----

sdfg.sdfg @reduce_axis symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.reduce_sum' op reduction axis 2 is out of range for [S, S]}}
    nn.reduce_sum ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {axes = array<i64: 2>}
  }
}

// -----

sdfg.sdfg @gemm_bias symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %w: !sdfg.array<f32[64, 32]>, %b: !sdfg.array<f32[64]>) outputs(%c: !sdfg.array<f32[S, 32]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.gemm' op Gemm bias [64] does not broadcast to [S, 32]}}
    nn.gemm ins(%a, %w, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[64, 32]>, !sdfg.array<f32[64]>) outs(%c : !sdfg.array<f32[S, 32]>)
  }
}

// -----

sdfg.sdfg @matmul_output symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %w: !sdfg.array<f32[64, 32]>) outputs(%c: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.matmul' op output shape [S, 64] should be [S, 32]}}
    nn.matmul ins(%a, %w : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[64, 32]>) outs(%c : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @layer_norm_epsilon symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>, %g: !sdfg.array<f32[64]>, %b: !sdfg.array<f32[64]>) outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.layer_norm' op epsilon must be positive}}
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[S, 64]>, !sdfg.array<f32[64]>, !sdfg.array<f32[64]>) outs(%y : !sdfg.array<f32[S, 64]>) {epsilon = 0.0 : f32}
  }
}

// -----

sdfg.sdfg @scale_alpha symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.scale' op requires attribute 'alpha'}}
    nn.scale ins(%x : !sdfg.array<f32[S, 64]>) outs(%y : !sdfg.array<f32[S, 64]>)
  }
}

// -----

sdfg.sdfg @writes_input symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>, %b: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op writes input container 'b'; inputs are read-only}}
    nn.exp ins(%a : !sdfg.array<f32[S, S]>) outs(%b : !sdfg.array<f32[S, S]>)
  }
}

// -----

sdfg.sdfg @writes_view_of_input symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[S, 64]>) {
  %v = sdfg.transpose_view %b [1, 0] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
  sdfg.state @s {
    // expected-error @+1 {{'nn.transpose' op writes input container 'b'; inputs are read-only}}
    nn.transpose ins(%a : !sdfg.array<f32[S, 64]>) outs(%v : !sdfg.array<f32[64, S]>) {permutation = array<i64: 1, 0>}
  }
}

// -----

sdfg.sdfg @no_outputs symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.relu' op takes 1 output(s), got 0}}
    "nn.relu"(%a) {operandSegmentSizes = array<i32: 1, 0>} : (!sdfg.array<f32[S, 64]>) -> ()
  }
}

// -----

sdfg.sdfg @matmul_rank symbols(%S) inputs(%a: !sdfg.array<f32[64]>, %b: !sdfg.array<f32[64, S]>) outputs(%c: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.matmul' op MatMul needs operands of rank >= 2, got [64] and [64, S]}}
    nn.matmul ins(%a, %b : !sdfg.array<f32[64]>, !sdfg.array<f32[64, S]>) outs(%c : !sdfg.array<f32[S]>)
  }
}

// -----

sdfg.sdfg @softmax_global_token symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.softmax' op global token -1 is negative}}
    nn.softmax ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {global_tokens = array<i64: 0, -1>}
  }
}

// -----

sdfg.sdfg @label symbols(%S) inputs(%a: !sdfg.array<f32[S, S]>) outputs(%c: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op label 'q.proj' is not an identifier}}
    nn.exp ins(%a : !sdfg.array<f32[S, S]>) outs(%c : !sdfg.array<f32[S, S]>) {label = "q.proj"}
  }
}

// -----

sdfg.sdfg @reduce_repeated_axis symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>) outputs(%c: !sdfg.array<f32[1, 1]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.reduce_max' op reduction axis -1 is repeated}}
    nn.reduce_max ins(%a : !sdfg.array<f32[S, 64]>) outs(%c : !sdfg.array<f32[1, 1]>) {axes = array<i64: 1, -1>}
  }
}

// -----

// The implementation choice is one of pure, tiled, library, dnnl.
sdfg.sdfg @impl_unknown inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op 'impl' must be one of pure, tiled, library, dnnl, got "fast"}}
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>) {impl = "fast"}
  }
}

// -----

sdfg.sdfg @impl_not_a_string inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    // expected-error @+1 {{'nn.exp' op 'impl' must be one of pure, tiled, library, dnnl, got 1 : i64}}
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>) {impl = 1}
  }
}
