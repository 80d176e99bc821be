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

// -----

// A map nest that stores every element first (no wcr, no read of it) counts as writing it in full; a
// map that covers only part of it, or accumulates into it, does not.
// CHECK-LABEL: sdfg.sdfg @map_writers
// CHECK-DAG: %full = sdfg.alloc {name = "full", storage = #sdfg.storage<stack>}
// CHECK-DAG: %half = sdfg.alloc {name = "half"} : <f32[64]>
// CHECK-DAG: %acc = sdfg.alloc {name = "acc"} : <f32[64]>
sdfg.sdfg @map_writers inputs(%x: !sdfg.array<f32[64, 4]>) outputs(%y: !sdfg.array<f32[64]>) {
  %full = sdfg.alloc {name = "full"} : !sdfg.array<f32[64]>
  %half = sdfg.alloc {name = "half"} : !sdfg.array<f32[64]>
  %acc = sdfg.alloc {name = "acc"} : !sdfg.array<f32[64]>
  sdfg.state @s {
    sdfg.map (%i) = (0) to (64) schedule(omp) {
      %v = sdfg.load %x[%i, 0] : !sdfg.array<f32[64, 4]>
      sdfg.store %v, %full[%i] : !sdfg.array<f32[64]>
    }
    sdfg.map (%i) = (0) to (32) schedule(omp) {
      %v = sdfg.load %x[%i, 1] : !sdfg.array<f32[64, 4]>
      sdfg.store %v, %half[%i] : !sdfg.array<f32[64]>
    }
    sdfg.map (%i, %k) = (0, 0) to (64, 4) schedule(omp) {
      %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[64, 4]>
      sdfg.store %v, %acc[%i] wcr(sum) : !sdfg.array<f32[64]>
    }
    sdfg.map (%i) = (0) to (64) schedule(omp) {
      %a = sdfg.load %full[%i] : !sdfg.array<f32[64]>
      %b = sdfg.load %half[%i] : !sdfg.array<f32[64]>
      %c = sdfg.load %acc[%i] : !sdfg.array<f32[64]>
      %s = sdfg.tasklet (%p = %a : f32, %q = %b : f32, %r = %c : f32) -> f32 {
        %m = arith.addf %p, %q : f32
        %n = arith.addf %m, %r : f32
        sdfg.yield %n : f32
      }
      sdfg.store %s, %y[%i] : !sdfg.array<f32[64]>
    }
  }
}
