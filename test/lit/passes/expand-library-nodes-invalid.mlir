// RUN: dmc-opt %s -split-input-file -verify-diagnostics --expand-library-nodes=impl=blocked

// An unknown implementation is an error, and nothing changes.
// expected-error @below {{expand-library-nodes: unknown implementation 'blocked' (available: pure, tiled, library, dnnl)}}
sdfg.sdfg @bad_impl inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>)
  }
}
