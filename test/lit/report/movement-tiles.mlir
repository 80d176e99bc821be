// The movement report counts a tile nest: tile extents (sdfg.min) are evaluated per block, and each
// micro-kernel call reads its input tiles and reads and writes its output tile.
// With M = 30, K = 100: blocks of 24 rows (24, then 6), K panels of 64 (64, then 36).
//   pack loads of a and stores to ap: (24 + 6) rows x 100 = 3000 elements each = 12000 B
//   gemm_12x32 calls: 2 panels x 2 K panels for the first block, 1 x 2 for the second = 6 calls;
//     ap tiles 12 x kc: (2 + 1) x 100 x 12 = 3600 elements = 14400 B read;
//     bp tiles 32 x kc: 3 x 100 x 32 = 9600 elements = 38400 B read;
//     acc tiles 12 x 32 = 384 elements x 6 calls = 9216 B read and 9216 B written
//   epilogue: 30 x 32 loads of acc (3840 B) and stores to c (3840 B)
//   accesses read: 12000 + 14400 + 38400 + 9216 + 3840 = 77856; written: 12000 + 9216 + 3840 = 25056.
// RUN: dmc compile %s --bind M=30 --bind K=100 --report=movement --emit=header -o %t.h | FileCheck %s
// CHECK: accesses: 102912 bytes (read 77856, written 25056; memlet executions x element size)
sdfg.sdfg @gemm_block symbols(%M, %K) inputs(%a: !sdfg.array<f32[M, K]>) outputs(%c: !sdfg.array<f32[M, 32]>) {
  %ap = sdfg.alloc {name = "ap", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[2, 64, 12]>
  %bp = sdfg.alloc {name = "bp", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[1, 64, 32]>
  %acc = sdfg.alloc {name = "acc", lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[24, 32]>
  sdfg.state @s {
    sdfg.map (%mb) = (0) to (%M ceildiv 24) schedule(omp) {
      %rows = sdfg.min (24, %M - %mb * 24)
      %panels = sdfg.min (2, (%M - %mb * 24) ceildiv 12)
      sdfg.map (%kb) = (0) to (%K ceildiv 64) {
        %kc = sdfg.min (64, %K - %kb * 64)
        sdfg.map (%i, %p) = (0, 0) to (%rows, %kc) {
          %v = sdfg.load %a[%mb * 24 + %i, %kb * 64 + %p] : !sdfg.array<f32[M, K]>
          sdfg.store %v, %ap[%i floordiv 12, %p, %i mod 12] : !sdfg.array<f32[2, 64, 12]>
        }
        sdfg.map (%ip) = (0) to (%panels) {
          sdfg.ukernel "gemm_12x32" ins(%ap[%ip, 0, 0], %bp[0, 0, 0]) outs(%acc[%ip * 12, 0]) args(%kc, %kb) : !sdfg.array<f32[2, 64, 12]>, !sdfg.array<f32[1, 64, 32]>, !sdfg.array<f32[24, 32]>
        }
      }
      sdfg.map (%i) = (0) to (%rows) {
        sdfg.map (%j) = (0) to (32) {
          %v = sdfg.load %acc[%i, %j] : !sdfg.array<f32[24, 32]>
          sdfg.store %v, %c[%mb * 24 + %i, %j] : !sdfg.array<f32[M, 32]>
        }
      }
    }
  }
}
