// RUN: dmc-opt %s -split-input-file --choose-transient-storage | FileCheck %s

// Written in full by a node before any read: 8 elements go to registers, 4 KiB to the stack. Too
// large (1 MiB), symbolic, or read before written: the heap keeps them.
// CHECK-LABEL: sdfg.sdfg @storage
// CHECK-DAG: %small = sdfg.alloc {name = "small", storage = #sdfg.storage<register>}
// CHECK-DAG: %mid = sdfg.alloc {name = "mid", storage = #sdfg.storage<stack>}
// CHECK-DAG: %big = sdfg.alloc {name = "big"} : <f32[512, 512]>
// CHECK-DAG: %sym = sdfg.alloc {name = "sym"} : <f32[S]>
// CHECK-DAG: %early = sdfg.alloc {name = "early"} : <f32[8]>
sdfg.sdfg @storage symbols(%S) inputs(%x: !sdfg.array<f32[8]>, %m: !sdfg.array<f32[1024]>, %b: !sdfg.array<f32[512, 512]>, %s: !sdfg.array<f32[S]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[1024]>, %w: !sdfg.array<f32[512, 512]>, %v: !sdfg.array<f32[S]>) {
  %small = sdfg.alloc {name = "small"} : !sdfg.array<f32[8]>
  %mid = sdfg.alloc {name = "mid"} : !sdfg.array<f32[1024]>
  %big = sdfg.alloc {name = "big"} : !sdfg.array<f32[512, 512]>
  %sym = sdfg.alloc {name = "sym"} : !sdfg.array<f32[S]>
  %early = sdfg.alloc {name = "early"} : !sdfg.array<f32[8]>
  sdfg.state @s {
    nn.exp ins(%x : !sdfg.array<f32[8]>) outs(%small : !sdfg.array<f32[8]>)
    nn.add ins(%small, %early : !sdfg.array<f32[8]>, !sdfg.array<f32[8]>) outs(%y : !sdfg.array<f32[8]>)
    nn.exp ins(%x : !sdfg.array<f32[8]>) outs(%early : !sdfg.array<f32[8]>)
    nn.exp ins(%m : !sdfg.array<f32[1024]>) outs(%mid : !sdfg.array<f32[1024]>)
    nn.exp ins(%mid : !sdfg.array<f32[1024]>) outs(%z : !sdfg.array<f32[1024]>)
    nn.exp ins(%b : !sdfg.array<f32[512, 512]>) outs(%big : !sdfg.array<f32[512, 512]>)
    nn.exp ins(%big : !sdfg.array<f32[512, 512]>) outs(%w : !sdfg.array<f32[512, 512]>)
    nn.exp ins(%s : !sdfg.array<f32[S]>) outs(%sym : !sdfg.array<f32[S]>)
    nn.exp ins(%sym : !sdfg.array<f32[S]>) outs(%v : !sdfg.array<f32[S]>)
  }
}
