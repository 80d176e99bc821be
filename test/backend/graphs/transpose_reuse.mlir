// t = exp(x) is read transposed by two maps: select-layouts stores it transposed (a strided write once
// instead of two strided reads). Checked by test/backend/compare_graphs.py against transpose_reuse.py.
sdfg.sdfg @transpose_reuse inputs(%x: !sdfg.array<f32[48, 40]>, %a: !sdfg.array<f32[40, 48]>, %b: !sdfg.array<f32[40, 48]>) outputs(%y: !sdfg.array<f32[40, 48]>, %y2: !sdfg.array<f32[40, 48]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[48, 40]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (48, 40) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[48, 40]>
      %e = sdfg.tasklet (%u = %v : f32) -> f32 {
        %r = math.exp %u : f32
        sdfg.yield %r : f32
      }
      sdfg.store %e, %t[%i, %j] : !sdfg.array<f32[48, 40]>
    }
    sdfg.map (%i, %j) = (0, 0) to (40, 48) schedule(omp) {
      %tv = sdfg.load %t[%j, %i] : !sdfg.array<f32[48, 40]>
      %av = sdfg.load %a[%i, %j] : !sdfg.array<f32[40, 48]>
      %bv = sdfg.load %b[%i, %j] : !sdfg.array<f32[40, 48]>
      %s = sdfg.tasklet (%p = %tv : f32, %q = %av : f32, %r = %bv : f32) -> f32 {
        %m = arith.addf %p, %q : f32
        %n = arith.mulf %m, %r : f32
        sdfg.yield %n : f32
      }
      sdfg.store %s, %y[%i, %j] : !sdfg.array<f32[40, 48]>
    }
    sdfg.map (%i, %j) = (0, 0) to (40, 48) schedule(omp) {
      %tv = sdfg.load %t[%j, %i] : !sdfg.array<f32[48, 40]>
      %bv = sdfg.load %b[%i, %j] : !sdfg.array<f32[40, 48]>
      %s = sdfg.tasklet (%p = %tv : f32, %r = %bv : f32) -> f32 {
        %n = arith.subf %p, %r : f32
        sdfg.yield %n : f32
      }
      sdfg.store %s, %y2[%i, %j] : !sdfg.array<f32[40, 48]>
    }
  }
}
