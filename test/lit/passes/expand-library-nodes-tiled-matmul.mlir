// The fused matmul's tile nest (passes/expansions/TiledMatMul.cpp) packs a weight whole, once: B without
// batch dims, of constant size, read by several block rows. Blocks of 18 x 16 over C [77, 24] and K
// panels of 16 over K = 40 cut every dim unevenly; the output verifies and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=6x16 tile-m=18 tile-n=16 tile-k=16" | FileCheck %s
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=6x16 tile-m=18 tile-n=16 tile-k=16" | dmc-opt -split-input-file | FileCheck %s

// ceil(40/16) = 3 K panels x ceil(24/16) = 2 column panels, one per iteration of an omp map before the
// blocks; each register tile reads panel kb * 2 + nb + jp (one panel per block column).
// CHECK-LABEL: sdfg.sdfg @weight
// CHECK-DAG:  %[[PA:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "fused_matmul_packed_a"} : <f32[3, 16, 6]>
// CHECK-DAG:  %[[PB:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "fused_matmul_packed_b_all"} : <f32[6, 16, 16]>
// CHECK:      sdfg.map (%[[KB:.*]], %[[G:.*]]) = (0, 0) to (3, 2) schedule(omp) {
// CHECK:        %[[W:.*]] = sdfg.load %w[%[[KB]] * 16 + %{{.*}}, %[[G]] * 16 + %{{.*}} * 16 + %{{.*}}] : !sdfg.array<f32[40, 24]>
// CHECK:        sdfg.store %[[W]], %[[PB]][%[[KB]] * 2 + %[[G]] + %{{.*}}, %{{.*}}, %{{.*}}]
// CHECK:      sdfg.map (%[[MB:.*]], %[[NB:.*]]) = (0, 0) to (5, 2) schedule(omp) attributes {dynamic} {
// CHECK-NOT:    sdfg.load %w
// CHECK:        sdfg.map (%[[K:.*]]) = (0) to (3) {
// CHECK:          sdfg.store %{{.*}}, %[[PA]]
// CHECK-NOT:      sdfg.store %{{.*}}, %[[PB]]
// CHECK:          sdfg.ukernel "gemm_6x16" ins(%[[PA]][%{{.*}}, 0, 0], %[[PB]][%[[K]] * 2 + %[[NB]] + %{{.*}}, 0, 0])
sdfg.sdfg @weight inputs(%a: !sdfg.array<f32[77, 40]>, %w: !sdfg.array<f32[40, 24]>) outputs(%c: !sdfg.array<f32[77, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 24]>) outs(%c : !sdfg.array<f32[77, 24]>) {impl = "tiled"}
  }
}

// -----

// A transposed weight [N, K] of a batched product: packed whole too, read along its rows.
// CHECK-LABEL: sdfg.sdfg @batched_transposed_weight
// CHECK:      sdfg.map (%[[KB:.*]], %[[G:.*]]) = (0, 0) to (3, 2) schedule(omp) {
// CHECK:        sdfg.load %w[%[[G]] * 16 + %{{.*}} * 16 + %{{.*}}, %[[KB]] * 16 + %{{.*}}] : !sdfg.array<f32[24, 40]>
// CHECK:        sdfg.store %{{.*}}, %{{.*}}packed_b_all
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (3, 1, 2) schedule(omp) attributes {dynamic} {
// CHECK-NOT:    sdfg.load %w
sdfg.sdfg @batched_transposed_weight inputs(%a: !sdfg.array<f32[3, 9, 40]>, %w: !sdfg.array<f32[24, 40]>) outputs(%c: !sdfg.array<f32[3, 9, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[3, 9, 40]>, !sdfg.array<f32[24, 40]>) outs(%c : !sdfg.array<f32[3, 9, 24]>) {transpose_b, impl = "tiled"}
  }
}

// -----

// One block row reads B (M = 9 <= 18, no batch): each block packs its own panels, as does a B with batch
// dims (below): no whole packing.
// CHECK-LABEL: sdfg.sdfg @one_block_row
// CHECK-NOT:  packed_b_all
// CHECK:      name = "fused_matmul_packed_b"} : <f32[1, 16, 16]>
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (1, 2) schedule(omp) attributes {dynamic} {
// CHECK:        sdfg.load %w
sdfg.sdfg @one_block_row inputs(%a: !sdfg.array<f32[9, 40]>, %w: !sdfg.array<f32[40, 24]>) outputs(%c: !sdfg.array<f32[9, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w : !sdfg.array<f32[9, 40]>, !sdfg.array<f32[40, 24]>) outs(%c : !sdfg.array<f32[9, 24]>) {impl = "tiled"}
  }
}

// -----

// CHECK-LABEL: sdfg.sdfg @batched_b
// CHECK-NOT:  packed_b_all
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (3, 5, 2) schedule(omp) attributes {dynamic} {
// CHECK:        sdfg.load %b[
sdfg.sdfg @batched_b inputs(%a: !sdfg.array<f32[3, 77, 40]>, %b: !sdfg.array<f32[3, 40, 24]>) outputs(%c: !sdfg.array<f32[3, 77, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %b : !sdfg.array<f32[3, 77, 40]>, !sdfg.array<f32[3, 40, 24]>) outs(%c : !sdfg.array<f32[3, 77, 24]>) {impl = "tiled"}
  }
}
