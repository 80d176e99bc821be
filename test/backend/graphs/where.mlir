// nn.where whose operands other nodes produce: x through a transpose (a layout copy that -O3 turns into a
// view read in place), the condition computed by nn.relu (0 where z <= 0, positive elsewhere), y
// broadcast along rows; inf and NaN in the operands a select does not choose (where.py).
sdfg.sdfg @where symbols(%S) inputs(%c: !sdfg.array<f32[S, 24]>, %xt: !sdfg.array<f32[24, S]>, %y: !sdfg.array<f32[24]>, %z: !sdfg.array<f32[S, 1]>, %w: !sdfg.array<f32[S, 24]>) outputs(%o1: !sdfg.array<f32[S, 24]>, %o2: !sdfg.array<f32[S, 24]>) {
  %x = sdfg.alloc {name = "x"} : <f32[S, 24]>
  %s1 = sdfg.alloc {name = "s1"} : <f32[S, 24]>
  %r = sdfg.alloc {name = "r"} : <f32[S, 1]>
  sdfg.state @main {
    nn.transpose ins(%xt : !sdfg.array<f32[24, S]>) outs(%x : !sdfg.array<f32[S, 24]>) {permutation = array<i64: 1, 0>}
    nn.where ins(%c, %x, %y : !sdfg.array<f32[S, 24]>, !sdfg.array<f32[S, 24]>, !sdfg.array<f32[24]>) outs(%s1 : !sdfg.array<f32[S, 24]>)
    nn.scale ins(%s1 : !sdfg.array<f32[S, 24]>) outs(%o1 : !sdfg.array<f32[S, 24]>) {alpha = 3.0 : f32, bias = 0.5 : f32}
    nn.relu ins(%z : !sdfg.array<f32[S, 1]>) outs(%r : !sdfg.array<f32[S, 1]>)
    nn.where ins(%r, %w, %x : !sdfg.array<f32[S, 1]>, !sdfg.array<f32[S, 24]>, !sdfg.array<f32[S, 24]>) outs(%o2 : !sdfg.array<f32[S, 24]>)
  }
}
