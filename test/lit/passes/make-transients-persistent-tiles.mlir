// make-transients-persistent on tile nests: blocks of T rows at origins o*T, o < S ceildiv T, each over
// [0, min(T, S - o*T)), cover the rows exactly, so the transient is written whole before it is read.
// RUN: dmc-opt %s --make-transients-persistent -split-input-file | FileCheck %s

// CHECK-LABEL: @covered
// CHECK: sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "t"}
sdfg.sdfg @covered symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 8]>
  sdfg.state @s {
    sdfg.map (%o) = (0) to (%S ceildiv 16) schedule(omp) attributes {dynamic} {
      %rows = sdfg.min (16, %S - %o * 16)
      sdfg.map (%i, %j) = (0, 0) to (%rows, 8) {
        %v = sdfg.load %x[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
        sdfg.store %v, %t[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[S, 8]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, 8]>
    }
  }
}

// -----

// The last block is missing (o < S floordiv 16): rows past it are never written.
// CHECK-LABEL: @last_block_missing
// CHECK: sdfg.alloc {name = "t"}
sdfg.sdfg @last_block_missing symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 8]>
  sdfg.state @s {
    sdfg.map (%o) = (0) to (%S floordiv 16) schedule(omp) {
      %rows = sdfg.min (16, %S - %o * 16)
      sdfg.map (%i, %j) = (0, 0) to (%rows, 8) {
        %v = sdfg.load %x[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
        sdfg.store %v, %t[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[S, 8]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, 8]>
    }
  }
}

// -----

// A tile of 8 rows at origins 16 apart leaves gaps.
// CHECK-LABEL: @gaps
// CHECK: sdfg.alloc {name = "t"}
sdfg.sdfg @gaps symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 8]>
  sdfg.state @s {
    sdfg.map (%o) = (0) to (%S ceildiv 16) schedule(omp) {
      %rows = sdfg.min (8, %S - %o * 16)
      sdfg.map (%i, %j) = (0, 0) to (%rows, 8) {
        %v = sdfg.load %x[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
        sdfg.store %v, %t[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[S, 8]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, 8]>
    }
  }
}

// -----

// The tile nest also reads the transient: not written whole before it is read.
// CHECK-LABEL: @reads_too
// CHECK: sdfg.alloc {name = "t"}
sdfg.sdfg @reads_too symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 8]>
  sdfg.state @s {
    sdfg.map (%o) = (0) to (%S ceildiv 16) schedule(omp) {
      %rows = sdfg.min (16, %S - %o * 16)
      sdfg.map (%i, %j) = (0, 0) to (%rows, 8) {
        %v = sdfg.load %t[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
        sdfg.store %v, %t[%o * 16 + %i, %j] : !sdfg.array<f32[S, 8]>
      }
    }
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %v = sdfg.load %t[%i, %j] : !sdfg.array<f32[S, 8]>
      sdfg.store %v, %y[%i, %j] : !sdfg.array<f32[S, 8]>
    }
  }
}
