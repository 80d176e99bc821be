// A choice without an expansion is an error on the node, naming what is available.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics --choose-implementations=softmax=tiled

sdfg.sdfg @chosen inputs(%s: !sdfg.array<f32[4, 4]>) outputs(%p: !sdfg.array<f32[4, 4]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.softmax' op has no 'tiled' implementation (available: pure, library); chosen by choose-implementations' softmax option}}
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>)
  }
}

// -----

// A choice already on the node (from the graph file) is checked too.
sdfg.sdfg @given inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 1]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.reduce_sum' op has no 'tiled' implementation (available: pure, library)}}
    nn.reduce_sum ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>, impl = "tiled"}
  }
}
