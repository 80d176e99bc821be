// A reshape of a transposed view has no strided layout: y = reshape(transpose(x)) read by a map, and
// z = reshape(transpose(x)) @ w by the tiled kernel (prepare-for-emission copies its operand first).
sdfg.sdfg @reshaped_transpose inputs(%x: !sdfg.array<f32[8, 4]>, %w: !sdfg.array<f32[4, 4]>) outputs(%y: !sdfg.array<f32[8, 4]>, %z: !sdfg.array<f32[8, 4]>) {
  %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[8, 4]> -> !sdfg.array<f32[4, 8]>
  %xr = sdfg.reshape_view %xt : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  sdfg.state @s {
    sdfg.map (%i, %j) = (0, 0) to (8, 4) {
      %v = sdfg.load %xr[%i, %j] : !sdfg.array<f32[8, 4]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[8, 4]>
    }
    nn.fused_matmul ins(%xr, %w : !sdfg.array<f32[8, 4]>, !sdfg.array<f32[4, 4]>) outs(%z : !sdfg.array<f32[8, 4]>) {label = "mm"}
  }
}
