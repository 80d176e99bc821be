// A free symbol S: numbers that depend on it are unknown unless --bind S=N gives its value.
sdfg.sdfg @free symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>, %w: !sdfg.array<f32[8, 8]>)
    outputs(%y: !sdfg.array<f32[S, 8]>, %v: !sdfg.array<f32[8, 8]>) {
  sdfg.state @s {
    nn.matmul ins(%x, %w : !sdfg.array<f32[S, 8]>, !sdfg.array<f32[8, 8]>) outs(%y : !sdfg.array<f32[S, 8]>)
    nn.relu ins(%w : !sdfg.array<f32[8, 8]>) outs(%v : !sdfg.array<f32[8, 8]>)
  }
}
