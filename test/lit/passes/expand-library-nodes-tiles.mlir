// A node's `tiles` (what dmc tune stores) override expand-library-nodes' block options for that node
// alone. The GEMM's blocks of 18 x 32 over C [77, 40] leave a partial last block column of one of its two
// register-tile panels: the weight packed once is padded to whole block columns (3 depth panels x 4
// panels, of which 3 hold B's columns), so the memlet bounds prove every panel read in range.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=6x16 tile-m=36" | FileCheck %s

// CHECK-LABEL: sdfg.sdfg @gemm_tiles
// CHECK-DAG:   sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "fused_matmul_packed_b_all"} : <f32[12, 16, 16]>
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (3, 3) schedule(omp) {
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (5, 2) schedule(omp) attributes {dynamic} {
// The second node has no `tiles`: the option's 36 rows per block.
// CHECK:       sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (3, 1) schedule(omp) attributes {dynamic} {
sdfg.sdfg @gemm_tiles inputs(%a: !sdfg.array<f32[77, 40]>, %w: !sdfg.array<f32[40, 40]>) outputs(%c: !sdfg.array<f32[77, 40]>, %d: !sdfg.array<f32[77, 40]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 40]>) outs(%c : !sdfg.array<f32[77, 40]>) {impl = "tiled", tiles = {m = 18, n = 32, k = 16}}
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 40]>) outs(%d : !sdfg.array<f32[77, 40]>) {impl = "tiled"}
  }
}

// -----

// Rows per block of the layer norm: ceil(77 / 5) blocks.
// CHECK-LABEL: sdfg.sdfg @rows_tiles
// CHECK:       sdfg.map (%{{.*}}) = (0) to (16) schedule(omp)
sdfg.sdfg @rows_tiles inputs(%x: !sdfg.array<f32[77, 24]>, %g: !sdfg.array<f32[24]>, %b: !sdfg.array<f32[24]>) outputs(%y: !sdfg.array<f32[77, 24]>) {
  sdfg.state @s {
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[77, 24]>, !sdfg.array<f32[24]>, !sdfg.array<f32[24]>) outs(%y : !sdfg.array<f32[77, 24]>) {impl = "tiled", tiles = {rows = 5}}
  }
}
