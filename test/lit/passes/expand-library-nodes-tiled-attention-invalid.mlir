// Key blocks that are not whole register tiles are an option error, and nothing changes.
// RUN: dmc-opt %s -verify-diagnostics --expand-library-nodes="register-tile=12x32 attention-block-k=40"
// A value head width known only at run time (the accumulator is padded to the register tile) is a
// diagnostic on the node, and the pass fails; choose-implementations' `attention=tiled` leaves such a
// node to the runtime instead (choose-implementations.mlir); its own `impl = "tiled"` is an error there too.
// RUN: not dmc-opt %s --choose-implementations 2>&1 | FileCheck %s --check-prefix=GIVEN
// RUN: not dmc-opt %s --expand-library-nodes 2>&1 | FileCheck %s --check-prefix=SYMBOLIC

// expected-error @below {{expand-library-nodes: attention-block-q must be positive and attention-block-k a positive multiple of 32 (the register tile 12x32); got 120 and 40}}
sdfg.sdfg @blocks symbols(%DV) inputs(%q: !sdfg.array<f32[9, 16]>, %k: !sdfg.array<f32[9, 16]>, %v: !sdfg.array<f32[9, DV]>) outputs(%o: !sdfg.array<f32[9, DV]>) {
  sdfg.state @s {
    // SYMBOLIC: error: 'nn.attention' op has no 'tiled' expansion for this node: it needs a constant head width of V (its accumulator is padded to the register tile) (available: pure, library)
    // GIVEN: error: 'nn.attention' op has no 'tiled' implementation for this node: it needs a constant head width of V
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, DV]>) outs(%o : !sdfg.array<f32[9, DV]>) {impl = "tiled"}
  }
}
