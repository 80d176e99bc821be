// A transient of 2^64 elements: its byte count cannot be computed in int64, so emission refuses it.
sdfg.sdfg @huge inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4294967296, 4294967296]>
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[4]>) {label = "e"}
  }
}
