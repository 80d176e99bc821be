// Diagnostics of the sdfg dialect: types, program structure, state graphs, containers, maps, memlets and
// tasklets.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics

// Memlet bounds: bounds-invalid.mlir.

sdfg.sdfg @wrong_rank symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{'sdfg.store' op has 1 indices for a container of rank 2}}
      sdfg.store %v, %B[%i] : !sdfg.array<f32[S, S]>
    }
  }
}

// -----

sdfg.sdfg @too_many_indices symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op has 2 indices for a container of rank 1}}
      %v = sdfg.load %A[%i, %i] : !sdfg.array<f32[S]>
    }
  }
}

//===----------------------------------------------------------------------===//
// Types and symbols
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{'sdfg.sdfg' op uses undefined symbol 'K' in '!sdfg.array<f32[K]>' (declare it in symbols(...) of @undefined_symbol)}}
sdfg.sdfg @undefined_symbol symbols(%S) inputs(%A: !sdfg.array<f32[K]>) {
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @undefined_symbol_alloc symbols(%S) {
  // expected-error @+1 {{'sdfg.alloc' op uses undefined symbol 'T' in '!sdfg.array<f32[S, T]>'}}
  %a = sdfg.alloc : !sdfg.array<f32[S, T]>
  sdfg.state @s {
  }
}

// -----

// A local symbol changes between states: it cannot size a container.
// expected-error @+1 {{'sdfg.sdfg' op uses undefined symbol 'i' in '!sdfg.array<f32[i]>'}}
sdfg.sdfg @local_symbol_in_type symbols(%S) locals(%i) outputs(%B: !sdfg.array<f32[i]>) {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{array dimension must be positive, got 0}}
sdfg.sdfg @zero_dim outputs(%B: !sdfg.array<f32[0]>) {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{array element type must be a scalar integer or float, got 'tensor<4xf32>'}}
sdfg.sdfg @tensor_element outputs(%B: !sdfg.array<tensor<4xf32>[4]>) {
  sdfg.state @s {
  }
}

// -----

// expected-error @+2 {{region entry argument '%S' is already in use}}
// expected-note @+1 {{previously referenced here}}
sdfg.sdfg @duplicate_symbol symbols(%S, %S) {
  sdfg.state @s {
  }
}

//===----------------------------------------------------------------------===//
// State graphs and interstate edges
//===----------------------------------------------------------------------===//

// -----

sdfg.sdfg @unknown_state {
  sdfg.state @a {
  }
  // expected-error @+1 {{'sdfg.edge' op refers to unknown state @b}}
  sdfg.edge @a -> @b
}

// -----

sdfg.sdfg @unreachable {
  sdfg.state @a {
  }
  // expected-error @+1 {{'sdfg.state' op is unreachable from the start state @a}}
  sdfg.state @b {
  }
}

// -----

sdfg.sdfg @two_unconditional {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  sdfg.state @c {
  }
  // expected-error @+1 {{'sdfg.edge' op is unconditional, but state @a has 2 outgoing edges: each needs a condition}}
  sdfg.edge @a -> @b
  sdfg.edge @a -> @c
}

// -----

sdfg.sdfg @one_unconditional symbols(%N) {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  sdfg.state @c {
  }
  sdfg.edge @a -> @b if {
    %t = arith.constant true
    sdfg.yield %t : i1
  }
  // expected-error @+1 {{'sdfg.edge' op is unconditional, but state @a has 2 outgoing edges}}
  sdfg.edge @a -> @c
}

// -----

sdfg.sdfg @duplicate_state {
  // expected-note @+1 {{see existing symbol definition here}}
  sdfg.state @a {
  }
  // expected-error @+1 {{redefinition of symbol named 'a'}}
  sdfg.state @a {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op has no state}}
sdfg.sdfg @no_state symbols(%S) {
}

// -----

sdfg.sdfg @assign_free_symbol symbols(%S) {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  // expected-error @+1 {{'sdfg.edge' op assigns 'S', which is not a local symbol of @assign_free_symbol}}
  sdfg.edge @a -> @b assign [S] {
    %z = arith.constant 0 : index
    sdfg.yield %z : index
  }
}

// -----

sdfg.sdfg @assign_unknown_symbol symbols(%S) locals(%i) {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  // expected-error @+1 {{'sdfg.edge' op assigns 'k', which is not a local symbol of @assign_unknown_symbol}}
  sdfg.edge @a -> @b assign [k] {
    %z = arith.constant 0 : index
    sdfg.yield %z : index
  }
}

// -----

sdfg.sdfg @condition_not_i1 symbols(%S) {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  sdfg.edge @a -> @b if {
    // expected-error @+1 {{'sdfg.yield' op yields ('index') but sdfg.edge expects ('i1')}}
    sdfg.yield %S : index
  }
}

// -----

sdfg.sdfg @assign_count symbols(%S) locals(%i, %j) {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  sdfg.edge @a -> @b assign [i, j] {
    // expected-error @+1 {{'sdfg.yield' op yields ('index') but sdfg.edge expects ('index', 'index')}}
    sdfg.yield %S : index
  }
}

// -----

sdfg.sdfg @container_op_in_condition {
  sdfg.state @a {
  }
  sdfg.edge @a -> @a if {
    // expected-error @+1 {{'sdfg.alloc' op is not allowed in sdfg.edge: only arith and math ops compute scalars there}}
    %c = sdfg.alloc : !sdfg.array<f32[4]>
    %t = arith.constant true
    sdfg.yield %t : i1
  }
}

//===----------------------------------------------------------------------===//
// Containers, views and copies
//===----------------------------------------------------------------------===//

// -----

sdfg.sdfg @store_to_input symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{'sdfg.store' op writes input container 'A'; inputs are read-only}}
      sdfg.store %v, %A[%i] : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @store_to_view_of_input symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  %v = sdfg.reshape_view %A : !sdfg.array<f32[S]> -> !sdfg.array<f32[S, 1]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %x = sdfg.load %B[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{'sdfg.store' op writes input container 'A'; inputs are read-only}}
      sdfg.store %x, %v[%i, 0] : !sdfg.array<f32[S, 1]>
    }
  }
}

// -----

sdfg.sdfg @copy_to_input symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.copy' op writes input container 'A'; inputs are read-only}}
    sdfg.copy %B -> %A : !sdfg.array<f32[S]> -> !sdfg.array<f32[S]>
  }
}

// -----

sdfg.sdfg @stack_symbolic symbols(%S) {
  // expected-error @+1 {{'sdfg.alloc' op with storage 'stack' needs a constant shape, got '!sdfg.array<f32[S, 4]>'}}
  %a = sdfg.alloc {storage = #sdfg.storage<stack>} : !sdfg.array<f32[S, 4]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @register_symbolic symbols(%S) {
  // expected-error @+1 {{'sdfg.alloc' op with storage 'register' needs a constant shape, got '!sdfg.array<f32[S]>'}}
  %a = sdfg.alloc {storage = #sdfg.storage<register>} : !sdfg.array<f32[S]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @alloc_name symbols(%S) {
  // expected-error @+1 {{'sdfg.alloc' op name 'a-b' is not an identifier}}
  %a = sdfg.alloc {name = "a-b"} : !sdfg.array<f32[S, 4]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @alloc_in_state symbols(%S) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.alloc' op expects parent op 'sdfg.sdfg'}}
    %a = sdfg.alloc : !sdfg.array<f32[S, 4]>
  }
}

// -----

sdfg.sdfg @scalar_at_top_level symbols(%S) {
  // expected-error @+1 {{'arith.constant' op cannot appear at the top level of an sdfg; only containers, views, states and edges can}}
  %c = arith.constant 0 : index
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @transpose_not_permutation symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) {
  // expected-error @+1 {{'sdfg.transpose_view' op [0, 0] is not a permutation}}
  %t = sdfg.transpose_view %A [0, 0] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @transpose_shape symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) {
  // expected-error @+1 {{'sdfg.transpose_view' op result shape [S, 64] should be [64, S]}}
  %t = sdfg.transpose_view %A [1, 0] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 64]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @reshape_count symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) {
  // expected-error @+1 {{'sdfg.reshape_view' op changes the element count from 64*S to 32*S}}
  %t = sdfg.reshape_view %A : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 32]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @slice_out_of_bounds symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) {
  // expected-error @+1 {{'sdfg.slice_view' op dimension 1: offset 40 + size 32 does not provably fit in 64}}
  %t = sdfg.slice_view %A [0, 40] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 32]>
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @copy_element_type symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f16[S, 64]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.copy' op element types differ: 'f32' vs 'f16'}}
    sdfg.copy %A -> %B : !sdfg.array<f32[S, 64]> -> !sdfg.array<f16[S, 64]>
  }
}

// -----

sdfg.sdfg @copy_shape symbols(%S) inputs(%A: !sdfg.array<f32[S, 64]>) outputs(%B: !sdfg.array<f32[64, S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.copy' op copies [S, 64] into [64, S]}}
    sdfg.copy %A -> %B : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
  }
}

//===----------------------------------------------------------------------===//
// Maps, memlets and tasklets
//===----------------------------------------------------------------------===//

// -----

sdfg.sdfg @zero_step symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.map' op step of parameter 0 must be positive, got 0}}
    sdfg.map (%i) = (0) to (%S) step (0) {
    }
  }
}

// -----

sdfg.sdfg @negative_step symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.map' op step of parameter 1 must be positive, got -2}}
    sdfg.map (%i, %j) = (0, 0) to (%S, %S) step (1, -2) {
    }
  }
}

// -----

sdfg.sdfg @map_arity symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.map' op has 2 parameters but 1 lower bounds, 1 upper bounds and 2 steps}}
    sdfg.map (%i, %j) = (0) to (%S) {
    }
  }
}

// -----

sdfg.sdfg @bound_not_symbol symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %n = sdfg.tasklet () -> index {
        %z = arith.constant 4 : index
        sdfg.yield %z : index
      }
      // expected-error @+1 {{'sdfg.map' op index operand must be an SDFG symbol or a parameter of an enclosing map}}
      sdfg.map (%j) = (0) to (%n) {
      }
    }
  }
}

// -----

sdfg.sdfg @unknown_schedule symbols(%S) {
  sdfg.state @s {
    // expected-error @+1 {{unknown schedule 'gpu' (sequential, omp or vector)}}
    sdfg.map (%i) = (0) to (%S) schedule(gpu) {
    }
  }
}

// -----

sdfg.sdfg @load_outside_map symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    // expected-error @+1 {{'sdfg.load' op expects parent op 'sdfg.map'}}
    %v = sdfg.load %A[0] : !sdfg.array<f32[S]>
  }
}

// -----

sdfg.sdfg @scalar_op_in_map symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{'arith.addf' op cannot appear in a map; maps hold maps, memlets (sdfg.load/sdfg.store), tasklets, tile extents and starts (sdfg.min/max) and micro-kernel calls (sdfg.ukernel)}}
      %w = arith.addf %v, %v : f32
    }
  }
}

// -----

sdfg.sdfg @library_node_in_map symbols(%S) inputs(%A: !sdfg.array<f32[S]>) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'nn.exp' op cannot appear in a map}}
      nn.exp ins(%A : !sdfg.array<f32[S]>) outs(%B : !sdfg.array<f32[S]>)
    }
  }
}

// -----

sdfg.sdfg @load_wcr symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op a read cannot have a write-conflict resolution}}
      %v = sdfg.load %A[%i] wcr(sum) : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @unknown_wcr symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %B[%i] : !sdfg.array<f32[S]>
      // expected-error @+1 {{unknown write-conflict resolution 'avg' (sum, max, min, product)}}
      sdfg.store %v, %B[%i] wcr(avg) : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @store_wrong_type symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-note @+1 {{prior use here}}
      %c = sdfg.tasklet () -> f16 {
        %e = arith.constant 0.0 : f16
        sdfg.yield %e : f16
      }
      // The custom form types the value from the container: a mismatch is a parse error.
      // expected-error @+1 {{use of value '%c' expects different type than prior uses: 'f32' vs 'f16'}}
      sdfg.store %c, %B[%i] : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @store_wrong_type_generic symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %c = sdfg.tasklet () -> f16 {
        %e = arith.constant 0.0 : f16
        sdfg.yield %e : f16
      }
      // expected-error @+1 {{'sdfg.store' op stores 'f16' into a container of 'f32'}}
      "sdfg.store"(%c, %B, %i) {map = affine_map<(d0) -> (d0)>} : (f16, !sdfg.array<f32[S]>, index) -> ()
    }
  }
}

// -----

sdfg.sdfg @load_wrong_type_generic symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.load' op result type 'f16' differs from the element type}}
      %v = "sdfg.load"(%A, %i) {map = affine_map<(d0) -> (d0)>} : (!sdfg.array<f32[S]>, index) -> f16
    }
  }
}

// -----

sdfg.sdfg @tasklet_non_scalar symbols(%S) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %c = sdfg.tasklet () -> f32 {
        // expected-error @+1 {{'arith.constant' op produces non-scalar value of type 'tensor<4xf32>' inside sdfg.tasklet}}
        %z = arith.constant dense<0.0> : tensor<4xf32>
        %e = arith.constant 0.0 : f32
        sdfg.yield %e : f32
      }
    }
  }
}

// -----

sdfg.sdfg @tasklet_non_arith symbols(%S) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %c = sdfg.tasklet () -> f32 {
        // expected-error @+1 {{'sdfg.alloc' op is not allowed in sdfg.tasklet: only arith and math ops compute scalars there}}
        %a = sdfg.alloc : !sdfg.array<f32[4]>
        %e = arith.constant 0.0 : f32
        sdfg.yield %e : f32
      }
    }
  }
}

// -----

sdfg.sdfg @tasklet_yield_type symbols(%S) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %c = sdfg.tasklet () -> f16 {
        %e = arith.constant 0.0 : f32
        // expected-error @+1 {{'sdfg.yield' op yields ('f32') but sdfg.tasklet expects ('f16')}}
        sdfg.yield %e : f32
      }
    }
  }
}

// -----

sdfg.sdfg @tasklet_captures symbols(%S) inputs(%A: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %v = sdfg.load %A[%i] : !sdfg.array<f32[S]>
      // expected-note @+1 {{required by region isolation constraints}}
      %c = sdfg.tasklet () -> f32 {
        // expected-error @+1 {{'arith.addf' op using value defined outside the region}}
        %w = arith.addf %v, %v : f32
        sdfg.yield %w : f32
      }
    }
  }
}

// -----

sdfg.sdfg @tasklet_label symbols(%S) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      // expected-error @+1 {{'sdfg.tasklet' op label 'a b' is not an identifier}}
      %c = sdfg.tasklet () -> f32 attributes {label = "a b"} {
        %e = arith.constant 0.0 : f32
        sdfg.yield %e : f32
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// The sdfg op's own attributes (only reachable through the generic form)
//===----------------------------------------------------------------------===//

// -----

// Regression: the counts are read as signed values (I64Attr getters return uint64_t).
// expected-error @+1 {{'sdfg.sdfg' op argument counts do not match the body's arguments}}
"sdfg.sdfg"() <{arg_names = ["S", "A"], num_inputs = 1 : i64, num_locals = 0 : i64, num_symbols = -1 : i64, sym_name = "negative_count"}> ({
^bb0(%S: index, %A: !sdfg.array<f32[4]>):
  sdfg.state @s {
  }
}) : () -> ()

// -----

// expected-error @+1 {{'sdfg.sdfg' op argument name 'S' is used twice}}
"sdfg.sdfg"() <{arg_names = ["S", "S"], num_inputs = 0 : i64, num_locals = 0 : i64, num_symbols = 2 : i64, sym_name = "duplicate_name"}> ({
^bb0(%a: index, %b: index):
  sdfg.state @s {
  }
}) : () -> ()

// -----

// expected-error @+1 {{'sdfg.sdfg' op symbol 'A' must have index type}}
"sdfg.sdfg"() <{arg_names = ["A"], num_inputs = 0 : i64, num_locals = 0 : i64, num_symbols = 1 : i64, sym_name = "symbol_type"}> ({
^bb0(%a: !sdfg.array<f32[4]>):
  sdfg.state @s {
  }
}) : () -> ()

// -----

// The ABI names of the containers (abi_names): one per container argument, identifiers, distinct.
// expected-error @+1 {{'sdfg.sdfg' op has 1 ABI names for 2 container arguments}}
sdfg.sdfg @abi_count symbols(%S) inputs(%S_1: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[S]>) attributes {abi_names = ["S"]} {
  sdfg.state @s {
  }
}

// -----

// A control character in the name is printed escaped.
// expected-error @+1 {{'sdfg.sdfg' op ABI name 'S\x1b[0m' is not an identifier}}
sdfg.sdfg @abi_identifier symbols(%S) inputs(%S_1: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[S]>) attributes {abi_names = ["S\1B[0m", "y"]} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op ABI name 'S' is used twice}}
sdfg.sdfg @abi_twice symbols(%S) inputs(%S_1: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[S]>) attributes {abi_names = ["S", "S"]} {
  sdfg.state @s {
  }
}

// -----

// The graph's symbols that are not arguments (fixed_symbols, unused_symbols, for the manifest): each
// named once, and never a symbol argument; fixed values positive integers.
// expected-error @+1 {{'sdfg.sdfg' op fixed_symbols names 'S', which is a symbol argument or listed twice}}
sdfg.sdfg @fixed_is_argument symbols(%S) inputs(%x: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[S]>) attributes {fixed_symbols = {S = 4 : i64}} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op unused_symbols names 'E', which is a symbol argument or listed twice}}
sdfg.sdfg @fixed_and_unused inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {fixed_symbols = {E = 4 : i64}, unused_symbols = ["E"]} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op fixed_symbols value of 'E' is not a positive integer}}
sdfg.sdfg @fixed_zero inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {fixed_symbols = {E = 0 : i64}} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op unused_symbols name 'a b' is not an identifier}}
sdfg.sdfg @unused_identifier inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {unused_symbols = ["a b"]} {
  sdfg.state @s {
  }
}

// -----

sdfg.sdfg @stray_op_in_state inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    // expected-error @+1 {{'arith.constant' op cannot appear directly in a state; states hold maps, copies, views and library nodes}}
    %c = arith.constant 1.0 : f32
  }
}

// -----

sdfg.sdfg @duplicate_container_name inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  // expected-error @+1 {{'sdfg.alloc' op name 'x' is already used by another container}}
  %t = sdfg.alloc {name = "x"} : !sdfg.array<f32[4]>
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%t : !sdfg.array<f32[4]>)
    nn.exp ins(%t : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>)
  }
}

// -----

// `owned` is a claim the emitter relies on (no atomic): it needs a wcr, and it must be provable.
sdfg.sdfg @owned_without_wcr symbols(%S) outputs(%B: !sdfg.array<f32[S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) {
      %c = sdfg.tasklet () -> f32 {
        %z = arith.constant 0.0 : f32
        sdfg.yield %z : f32
      }
      // expected-error @+1 {{'sdfg.store' op is marked owned without a write-conflict resolution; only wcr stores can be owned}}
      sdfg.store %c, %B[%i] {owned} : !sdfg.array<f32[S]>
    }
  }
}

// -----

sdfg.sdfg @owned_shared symbols(%S) inputs(%A: !sdfg.array<f32[S, 16]>) outputs(%B: !sdfg.array<f32[16]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      sdfg.map (%k) = (0) to (16) {
        %v = sdfg.load %A[%i, %k] : !sdfg.array<f32[S, 16]>
        // expected-error @+1 {{'sdfg.store' op is marked owned, but iterations of an enclosing omp map may update the same element}}
        sdfg.store %v, %B[%k] wcr(sum) owned : !sdfg.array<f32[16]>
      }
    }
  }
}

// -----

// The constant arguments (a graph file's inputs marked "constant": true): names of inputs, each once.
// expected-error @+1 {{'sdfg.sdfg' op dmc.constant_arguments entry "y" is not the name of an input}}
sdfg.sdfg @constant_output inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {dmc.constant_arguments = ["y"]} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op dmc.constant_arguments names 'x' twice}}
sdfg.sdfg @constant_twice inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {dmc.constant_arguments = ["x", "x"]} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op dmc.constant_arguments must be an array of input names}}
sdfg.sdfg @constant_not_array inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) attributes {dmc.constant_arguments = "x"} {
  sdfg.state @s {
  }
}

// -----

// expected-error @+1 {{'sdfg.sdfg' op dmc.constant_arguments names 'x', whose data dmc.constants already holds}}
sdfg.sdfg @constant_both inputs(%x: !sdfg.array<f32[2]>) outputs(%y: !sdfg.array<f32[2]>) attributes {dmc.constant_arguments = ["x"], dmc.constants = {x = dense<[1.0, 2.0]> : tensor<2xf32>}} {
  sdfg.state @s {
  }
}
