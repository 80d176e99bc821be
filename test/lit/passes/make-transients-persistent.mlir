// RUN: dmc-opt %s -split-input-file --make-transients-persistent | FileCheck %s
// RUN: dmc-opt %s -split-input-file --make-transients-persistent | dmc-opt -split-input-file | FileCheck %s

// Written in full by a library node (once through a reshape view) before anything reads it: persistent.
// Read before any write (its values would leak from the previous call), or partly written through a
// slice, or used in two states: unchanged.
// CHECK-LABEL: sdfg.sdfg @lifetimes
// CHECK-DAG: %full = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "full"}
// CHECK-DAG: %viewed = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "viewed"}
// CHECK-DAG: %read_first = sdfg.alloc {name = "read_first"}
// CHECK-DAG: %part = sdfg.alloc {name = "part"}
// CHECK-DAG: %two_states = sdfg.alloc {name = "two_states"}
sdfg.sdfg @lifetimes inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %full = sdfg.alloc {name = "full"} : !sdfg.array<f32[4, 8]>
  %viewed = sdfg.alloc {name = "viewed"} : !sdfg.array<f32[32]>
  %v = sdfg.reshape_view %viewed : !sdfg.array<f32[32]> -> !sdfg.array<f32[4, 8]>
  %read_first = sdfg.alloc {name = "read_first"} : !sdfg.array<f32[4, 8]>
  %part = sdfg.alloc {name = "part"} : !sdfg.array<f32[8, 8]>
  %p = sdfg.slice_view %part [0, 0] : !sdfg.array<f32[8, 8]> -> !sdfg.array<f32[4, 8]>
  %two_states = sdfg.alloc {name = "two_states"} : !sdfg.array<f32[4, 8]>
  sdfg.state @first {
    nn.relu ins(%x : !sdfg.array<f32[4, 8]>) outs(%full : !sdfg.array<f32[4, 8]>)
    nn.exp ins(%full : !sdfg.array<f32[4, 8]>) outs(%v : !sdfg.array<f32[4, 8]>)
    nn.add ins(%read_first, %v : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%p : !sdfg.array<f32[4, 8]>)
    nn.relu ins(%p : !sdfg.array<f32[4, 8]>) outs(%read_first : !sdfg.array<f32[4, 8]>)
    nn.relu ins(%read_first : !sdfg.array<f32[4, 8]>) outs(%two_states : !sdfg.array<f32[4, 8]>)
  }
  sdfg.state @second {
    nn.exp ins(%two_states : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 8]>)
  }
  sdfg.edge @first -> @second
}
