// A triangular nest whose inner bound is the outer parameter + 2: j reaches S.
sdfg.sdfg @oob_nested symbols(%S) inputs(%x: !sdfg.array<f32[S, S]>) outputs(%y: !sdfg.array<f32[S, S]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      sdfg.map (%j) = (0) to (%i + 2) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, S]>
        sdfg.store %v, %y[%j, %i] : !sdfg.array<f32[S, S]>
      }
    }
  }
}
