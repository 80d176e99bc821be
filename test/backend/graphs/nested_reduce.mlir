// Row sums accumulated by a parallel map nested in a parallel map (collapse-maps merges them, and the
// wcr store, no longer owned by one iteration, becomes atomic), and a matmul nest in the pure form
// (interchange-maps and tile-maps reorder and tile it; each tile owns its rows of C). Checked by
// test/backend/compare_graphs.py against nested_reduce.py.
sdfg.sdfg @nested_reduce inputs(%x: !sdfg.array<f32[24, 40]>, %w: !sdfg.array<f32[40, 56]>) outputs(%s: !sdfg.array<f32[24]>, %c: !sdfg.array<f32[24, 56]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (24) schedule(omp) {
      %z = sdfg.tasklet () -> f32 {
        %zero = arith.constant 0.0 : f32
        sdfg.yield %zero : f32
      }
      sdfg.store %z, %s[%i] : !sdfg.array<f32[24]>
    }
    sdfg.map (%i, %j) = (0, 0) to (24, 56) schedule(omp) {
      %z = sdfg.tasklet () -> f32 {
        %zero = arith.constant 0.0 : f32
        sdfg.yield %zero : f32
      }
      sdfg.store %z, %c[%i, %j] : !sdfg.array<f32[24, 56]>
    }
  }
  sdfg.state @accumulate {
    sdfg.map (%i) = (0) to (24) schedule(omp) {
      sdfg.map (%j) = (0) to (40) schedule(omp) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[24, 40]>
        sdfg.store %v, %s[%i] wcr(sum) : !sdfg.array<f32[24]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (24, 56) schedule(omp) {
      sdfg.map (%k) = (0) to (40) {
        %a = sdfg.load %x[%i, %k] : !sdfg.array<f32[24, 40]>
        %b = sdfg.load %w[%k, %j] : !sdfg.array<f32[40, 56]>
        %p = sdfg.tasklet (%u = %a : f32, %v = %b : f32) -> f32 {
          %m = arith.mulf %u, %v : f32
          sdfg.yield %m : f32
        }
        sdfg.store %p, %c[%i, %j] wcr(sum) : !sdfg.array<f32[24, 56]>
      }
    }
  }
  sdfg.edge @s -> @accumulate
}
