// A stray quote after a dialect type: MLIR 19 reports "expected '"' in string literal", then skips the
// unterminated string and returns the module anyway (found by fuzz-parse-mlir).
sdfg.sdfg @copy inputs(%x: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[4]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (4) {
      %v = sdfg.load %x[%i] : !sdfg.array<f32[4]>"
      sdfg.store %v, %y[%i] : !sdfg.array<f32[4]>
    }
  }
}
