// `tiles` is checked by the nodes' verifier (known keys of the node's family, positive integers) and, for
// what depends on the register tile, by expand-library-nodes on the node, which then changes nothing.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics --expand-library-nodes="register-tile=6x16"

sdfg.sdfg @unknown_key inputs(%a: !sdfg.array<f32[8, 8]>, %w: !sdfg.array<f32[8, 8]>) outputs(%c: !sdfg.array<f32[8, 8]>) {
  sdfg.state @s {
    // expected-error @below {{'tiles' has no block 'q' (this node's: m, n, k)}}
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[8, 8]>, !sdfg.array<f32[8, 8]>) outs(%c : !sdfg.array<f32[8, 8]>) {impl = "tiled", tiles = {q = 6}}
  }
}

// -----

sdfg.sdfg @not_positive inputs(%x: !sdfg.array<f32[9, 16]>) outputs(%y: !sdfg.array<f32[9, 16]>) {
  sdfg.state @s {
    // expected-error @below {{'tiles' block 'rows' must be a positive integer, got 0 : i64}}
    nn.softmax ins(%x : !sdfg.array<f32[9, 16]>) outs(%y : !sdfg.array<f32[9, 16]>) {impl = "tiled", tiles = {rows = 0}}
  }
}

// -----

sdfg.sdfg @no_blocks inputs(%x: !sdfg.array<f32[9, 16]>) outputs(%y: !sdfg.array<f32[9, 16]>) {
  sdfg.state @s {
    // expected-error @below {{'tiles' must be a dictionary of block sizes (this node has none), got {rows = 4 : i64}}}
    nn.exp ins(%x : !sdfg.array<f32[9, 16]>) outs(%y : !sdfg.array<f32[9, 16]>) {tiles = {rows = 4}}
  }
}

// -----

sdfg.sdfg @not_a_register_tile_multiple inputs(%a: !sdfg.array<f32[8, 8]>, %w: !sdfg.array<f32[8, 8]>) outputs(%c: !sdfg.array<f32[8, 8]>) {
  sdfg.state @s {
    // expected-error @below {{'nn.fused_matmul' op tiles m must be a positive multiple of 6 and n of 16 (the register tile 6x16), k positive; got 20, 32 and 8}}
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[8, 8]>, !sdfg.array<f32[8, 8]>) outs(%c : !sdfg.array<f32[8, 8]>) {impl = "tiled", tiles = {m = 20, n = 32, k = 8}}
  }
}
