// RUN: dmc-opt %s -split-input-file --reuse-dead-buffers | FileCheck %s
// RUN: dmc-opt %s -split-input-file --reuse-dead-buffers | dmc-opt -split-input-file | FileCheck %s

// a dies at the second node; c, written in full by the third, takes its memory (as a reshape view,
// since the shapes differ). b is still alive when c is written, so c cannot take b's; d is written
// after b's last read, so it takes b's. c is read by the node that writes d, so d could not take c's.
// CHECK-LABEL: sdfg.sdfg @lives
// CHECK:       %[[A:.*]] = sdfg.alloc {name = "a"} : <f32[4, 8]>
// CHECK-NEXT:  %[[C:.*]] = sdfg.reshape_view %[[A]] : <f32[4, 8]> -> <f32[32]>
// CHECK-NEXT:  %[[B:.*]] = sdfg.alloc {name = "b"} : <f32[4, 8]>
// CHECK-NEXT:  %[[D:.*]] = sdfg.reshape_view %[[B]] : <f32[4, 8]> -> <f32[32]>
// CHECK-NOT:   sdfg.alloc
// CHECK:       nn.relu ins(%x : {{.*}}) outs(%[[A]] :
// CHECK-NEXT:  nn.exp ins(%[[A]] : {{.*}}) outs(%[[B]] :
// CHECK-NEXT:  nn.reshape ins(%[[B]] : {{.*}}) outs(%[[C]] :
// CHECK-NEXT:  nn.exp ins(%[[C]] : {{.*}}) outs(%[[D]] :
sdfg.sdfg @lives inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[32]>) {
  %a = sdfg.alloc {name = "a"} : !sdfg.array<f32[4, 8]>
  %b = sdfg.alloc {name = "b"} : !sdfg.array<f32[4, 8]>
  %c = sdfg.alloc {name = "c"} : !sdfg.array<f32[32]>
  %d = sdfg.alloc {name = "d"} : !sdfg.array<f32[32]>
  sdfg.state @s {
    nn.relu ins(%x : !sdfg.array<f32[4, 8]>) outs(%a : !sdfg.array<f32[4, 8]>)
    nn.exp ins(%a : !sdfg.array<f32[4, 8]>) outs(%b : !sdfg.array<f32[4, 8]>)
    nn.reshape ins(%b : !sdfg.array<f32[4, 8]>) outs(%c : !sdfg.array<f32[32]>)
    nn.exp ins(%c : !sdfg.array<f32[32]>) outs(%d : !sdfg.array<f32[32]>)
    nn.relu ins(%d : !sdfg.array<f32[32]>) outs(%y : !sdfg.array<f32[32]>)
  }
}

// -----

// The later transient is first read (it would see the dead one's values): no sharing.
// CHECK-LABEL: sdfg.sdfg @read_first
// CHECK-DAG:   sdfg.alloc {name = "a"}
// CHECK-DAG:   sdfg.alloc {name = "b"}
sdfg.sdfg @read_first inputs(%x: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[8]>) {
  %a = sdfg.alloc {name = "a"} : !sdfg.array<f32[8]>
  %b = sdfg.alloc {name = "b"} : !sdfg.array<f32[8]>
  sdfg.state @s {
    nn.relu ins(%x : !sdfg.array<f32[8]>) outs(%a : !sdfg.array<f32[8]>)
    nn.exp ins(%a : !sdfg.array<f32[8]>) outs(%y : !sdfg.array<f32[8]>)
    nn.add ins(%b, %x : !sdfg.array<f32[8]>, !sdfg.array<f32[8]>) outs(%y : !sdfg.array<f32[8]>)
  }
}
