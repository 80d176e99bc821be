// y = 2 * x without a loop: the reference of adversarial-names-loop.mlir (same arguments, same seeded inputs).
sdfg.sdfg @rows symbols(%and) inputs(%compl: !sdfg.array<f32[and, 4]>) outputs(%errno: !sdfg.array<f32[and, 4]>) {
  sdfg.state @all {
    sdfg.map (%i, %j) = (0, 0) to (%and, 4) {
      %v = sdfg.load %compl[%i, %j] : !sdfg.array<f32[and, 4]>
      %w = sdfg.tasklet (%a = %v : f32) -> f32 {
        %two = arith.constant 2.0 : f32
        %r = arith.mulf %a, %two : f32
        sdfg.yield %r : f32
      }
      sdfg.store %w, %errno[%i, %j] : !sdfg.array<f32[and, 4]>
    }
  }
}
