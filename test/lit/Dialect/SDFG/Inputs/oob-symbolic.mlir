// A map over a symbolic dimension that reads one element past it (ASan: heap-buffer-overflow before
// the verifier proved bounds).
sdfg.sdfg @oob_symbolic symbols(%S) inputs(%x: !sdfg.array<f32[S, 64]>) outputs(%y: !sdfg.array<f32[S, 64]>) {
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (%S, 64) schedule(omp) {
      %v = sdfg.load %x[%i + 1, %j] : !sdfg.array<f32[S, 64]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, 64]>
    }
  }
}
