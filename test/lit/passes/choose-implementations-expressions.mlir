// The runtime's attention kernel takes no mask or score expressions: `library` is no implementation of
// such a node, so a default of `library` gives it its tile nest; its own `impl = "library"` is an error.
// RUN: dmc-opt %s -split-input-file -verify-diagnostics --choose-implementations="default=library" | FileCheck %s

// CHECK-LABEL: sdfg.sdfg @expr
// CHECK: nn.attention {{.*}}impl = "tiled"
sdfg.sdfg @expr inputs(%q: !sdfg.array<f32[10, 16]>, %k: !sdfg.array<f32[10, 16]>, %v: !sdfg.array<f32[10, 8]>) outputs(%o: !sdfg.array<f32[10, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[10, 16]>, !sdfg.array<f32[10, 16]>, !sdfg.array<f32[10, 8]>) outs(%o : !sdfg.array<f32[10, 8]>) {mask_expr = "(j <= i)"}
  }
}

// -----

sdfg.sdfg @given inputs(%q: !sdfg.array<f32[10, 16]>, %k: !sdfg.array<f32[10, 16]>, %v: !sdfg.array<f32[10, 8]>) outputs(%o: !sdfg.array<f32[10, 8]>) {
  sdfg.state @s {
    // expected-error @below {{'nn.attention' op has no 'library' implementation (available: pure, tiled)}}
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[10, 16]>, !sdfg.array<f32[10, 16]>, !sdfg.array<f32[10, 8]>) outs(%o : !sdfg.array<f32[10, 8]>) {mask_expr = "(j <= i)", impl = "library"}
  }
}
