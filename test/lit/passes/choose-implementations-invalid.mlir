// A choice without an expansion is an error on the node, naming what is available.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics --choose-implementations=layout=tiled

sdfg.sdfg @chosen inputs(%s: !sdfg.array<f32[4, 8]>) outputs(%p: !sdfg.array<f32[8, 4]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.transpose' op has no 'tiled' implementation (available: pure, library); chosen by choose-implementations' layout option}}
    nn.transpose ins(%s : !sdfg.array<f32[4, 8]>) outs(%p : !sdfg.array<f32[8, 4]>) {permutation = array<i64: 1, 0>}
  }
}

// -----

// A choice already on the node (from the graph file) is checked too, with the reason when the family has
// the implementation but not for this node: the tiled reductions stream rows along the last axis.
sdfg.sdfg @given inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[1, 8]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.reduce_sum' op has no 'tiled' implementation for this node: it reduces axes other than the last one alone: the tiled form streams contiguous rows (available: pure, library)}}
    nn.reduce_sum ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[1, 8]>) {axes = array<i64: 0>, impl = "tiled"}
  }
}
