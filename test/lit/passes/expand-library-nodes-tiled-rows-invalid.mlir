// A negative row block is an option error, and nothing changes.
// RUN: dmc-opt %s -verify-diagnostics --expand-library-nodes="row-block=-2"

// expected-error @below {{expand-library-nodes: row-block must be positive (0: the default, 16); got -2}}
sdfg.sdfg @blocks inputs(%x: !sdfg.array<f32[9, 16]>) outputs(%y: !sdfg.array<f32[9, 16]>) {
  sdfg.state @s {
    nn.softmax ins(%x : !sdfg.array<f32[9, 16]>) outs(%y : !sdfg.array<f32[9, 16]>) {impl = "tiled"}
  }
}
