// y[1:9, :] = exp(transpose(x)); rows 0 and 9 of y are written by a map.
sdfg.sdfg @strided_views inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[10, 4]>) {
  %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  %ys = sdfg.slice_view %y [1, 0] : !sdfg.array<f32[10, 4]> -> !sdfg.array<f32[8, 4]>
  sdfg.state @s {
    sdfg.map (%j) = (0) to (4) {
      %z = sdfg.tasklet () -> f32 {
        %c = arith.constant 2.0 : f32
        sdfg.yield %c : f32
      }
      sdfg.store %z, %y[0, %j] : !sdfg.array<f32[10, 4]>
      sdfg.store %z, %y[9, %j] : !sdfg.array<f32[10, 4]>
    }
    nn.exp ins(%xt : !sdfg.array<f32[8, 4]>) outs(%ys : !sdfg.array<f32[8, 4]>) {label = "e"}
  }
}
