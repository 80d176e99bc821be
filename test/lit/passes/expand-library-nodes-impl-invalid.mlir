// An `impl` attribute without an expansion is an error on the node, naming what is available (the
// `impl=tiled` option falls back to pure instead), and the SDFG is left as it was.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics --expand-library-nodes

sdfg.sdfg @no_tiled_exp inputs(%s: !sdfg.array<f32[4, 4]>) outputs(%p: !sdfg.array<f32[4, 4]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.exp' op has no 'tiled' expansion (available: pure, library)}}
    nn.exp ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>) {impl = "tiled"}
  }
}

// -----

// The family has a tiled expansion, but not for this node: it says why.
sdfg.sdfg @softmax_axis0 inputs(%s: !sdfg.array<f32[4, 4]>) outputs(%p: !sdfg.array<f32[4, 4]>) {
  sdfg.state @main {
    // expected-error @+1 {{'nn.softmax' op has no 'tiled' expansion for this node: it normalises along an axis other than the last: the tiled form streams contiguous rows (available: pure, library)}}
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>) {axis = 0, impl = "tiled"}
  }
}
