// dmc-opt --mlir-pass-statistics prints dmc's pass statistics (passes/PassStatistics.h) on stderr, in
// MLIR's list format, summed over the SDFGs of the module, with or without threads.
// RUN: dmc-opt %s --pass-pipeline='builtin.module(sdfg.sdfg(remove-dead-containers))' --mlir-pass-statistics 2>%t.err | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s < %t.err
// RUN: dmc-opt %s --pass-pipeline='builtin.module(sdfg.sdfg(remove-dead-containers))' --mlir-pass-statistics --mlir-disable-threading -o /dev/null 2>&1 | FileCheck %s
// RUN: dmc-opt %s --remove-dead-containers 2>&1 >/dev/null | count 0

// Three containers go in @a (an alloc and the two views of it), one in @b.
// CHECK:      ... Pass statistics report ...
// CHECK-NEXT: ===---
// CHECK-NEXT:   RemoveDeadContainers
// CHECK-NEXT:     (S) 4 containers-erased - transients and views erased
// CHECK-EMPTY:

// The IR still goes to the output alone.
// IR-LABEL: sdfg.sdfg @a
// IR-NOT:   name = "unused"
// IR-LABEL: sdfg.sdfg @b
// IR-NOT:   sdfg.alloc
// IR-NOT:   Pass statistics
sdfg.sdfg @a inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %unused = sdfg.alloc {name = "unused"} : !sdfg.array<f32[4, 8]>
  %t = sdfg.transpose_view %unused [1, 0] : !sdfg.array<f32[4, 8]> -> !sdfg.array<f32[8, 4]>
  %r = sdfg.reshape_view %t : !sdfg.array<f32[8, 4]> -> !sdfg.array<f32[32]>
  sdfg.state @s {
    nn.relu ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 8]>)
  }
}

sdfg.sdfg @b inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 8]>) {
  %unused = sdfg.alloc {name = "unused"} : !sdfg.array<f32[4, 8]>
  sdfg.state @s {
    nn.relu ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 8]>)
  }
}
