// RUN: dmc-opt %s -split-input-file -verify-diagnostics --expand-library-nodes=impl=tiled

// Only the pure expansion exists so far; an unknown implementation is an error, and nothing changes.
// expected-error @below {{expand-library-nodes: unknown implementation 'tiled' (available: pure)}}
sdfg.sdfg @bad_impl inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>)
  }
}
