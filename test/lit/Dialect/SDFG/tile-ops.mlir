// Tile nests: sdfg.min (a tile's extent, cut at an edge) and sdfg.ukernel (a micro-kernel call on tiles),
// printed, parsed back and in generic form; their bounds are proven with any expression of a min.
// RUN: dmc-opt %s | dmc-opt | FileCheck %s
// RUN: dmc-opt %s --mlir-print-op-generic | dmc-opt | FileCheck %s

// CHECK-LABEL: sdfg.sdfg @gemm_block
sdfg.sdfg @gemm_block symbols(%M, %K) inputs(%a: !sdfg.array<f32[M, K]>) outputs(%c: !sdfg.array<f32[M, 32]>) {
  %ap = sdfg.alloc {name = "ap", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[2, 64, 12]>
  %bp = sdfg.alloc {name = "bp", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 64, 32]>
  %acc = sdfg.alloc {name = "acc", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[24, 32]>
  sdfg.state @s {
    // CHECK: sdfg.map (%[[MB:.*]]) = (0) to (%M ceildiv 24) schedule(omp) attributes {dynamic}
    sdfg.map (%mb) = (0) to (%M ceildiv 24) schedule(omp) attributes {dynamic} {
      // CHECK-NEXT: %[[ROWS:.*]] = sdfg.min (24, %M - %[[MB]] * 24)
      %rows = sdfg.min (24, %M - %mb * 24)
      %panels = sdfg.min (2, (%M - %mb * 24) ceildiv 12)
      sdfg.map (%kb) = (0) to (%K ceildiv 64) {
        // CHECK: %[[KC:.*]] = sdfg.min (64, %K - %{{.*}} * 64)
        %kc = sdfg.min (64, %K - %kb * 64)
        // The load is in bounds by the second expression of %rows, the store by the first.
        // CHECK: sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (%[[ROWS]], %[[KC]])
        sdfg.map (%i, %p) = (0, 0) to (%rows, %kc) {
          %v = sdfg.load %a[%mb * 24 + %i, %kb * 64 + %p] : !sdfg.array<f32[M, K]>
          sdfg.store %v, %ap[%i floordiv 12, %p, %i mod 12] : !sdfg.array<f32[2, 64, 12]>
        }
        sdfg.map (%ip) = (0) to (%panels) {
          // CHECK: sdfg.ukernel "gemm_12x32" ins(%{{.*}}[%{{.*}}, 0, 0], %{{.*}}[0, 0, 0]) outs(%{{.*}}[%{{.*}} * 12, 0]) args(%[[KC]], %{{.*}}) : !sdfg.array<f32[2, 64, 12]>, !sdfg.array<f32[1, 64, 32]>, !sdfg.array<f32[24, 32]>
          sdfg.ukernel "gemm_12x32" ins(%ap[%ip, 0, 0], %bp[0, 0, 0]) outs(%acc[%ip * 12, 0]) args(%kc, %kb) : !sdfg.array<f32[2, 64, 12]>, !sdfg.array<f32[1, 64, 32]>, !sdfg.array<f32[24, 32]>
        }
      }
      sdfg.map (%i) = (0) to (%rows) {
        // CHECK: sdfg.ukernel "relu_row" ins() outs(%{{.*}}[%{{.*}}, 0]) args(%{{.*}})
        %n = sdfg.min (32)
        sdfg.map (%j) = (0) to (32) {
          %v = sdfg.load %acc[%i, %j] : !sdfg.array<f32[24, 32]>
          sdfg.store %v, %c[%mb * 24 + %i, %j] : !sdfg.array<f32[M, 32]>
        }
      }
      sdfg.map (%i) = (0) to (24) {
        %n = sdfg.min (32)
        sdfg.ukernel "relu_row" ins() outs(%acc[%i, 0]) args(%n) : !sdfg.array<f32[24, 32]>
      }
    }
  }
}
