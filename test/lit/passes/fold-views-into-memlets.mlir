// RUN: dmc-opt %s -split-input-file --fold-views-into-memlets | FileCheck %s
// RUN: dmc-opt %s -split-input-file --fold-views-into-memlets | dmc-opt -split-input-file | FileCheck %s

// Transpose, slice and a merging reshape fold into the index maps; the views disappear.
// CHECK-LABEL: sdfg.sdfg @fold
// CHECK-NOT:  _view
// CHECK:      sdfg.map (%[[I:.*]], %[[H:.*]], %[[D:.*]]) =
// CHECK-NEXT:   sdfg.load %x[%[[H]], %[[I]]]
// CHECK-NEXT:   sdfg.load %x[%[[I]], %[[D]] + 4]
// CHECK-NEXT:   sdfg.load %w[%[[I]], %[[H]] * 4 + %[[D]]]
// CHECK:        sdfg.store %{{.*}}, %y[%[[I]], %[[H]] * 4 + %[[D]]]
sdfg.sdfg @fold inputs(%x: !sdfg.array<f32[8, 8]>, %w: !sdfg.array<f32[8, 8]>) outputs(%y: !sdfg.array<f32[8, 8]>) {
  sdfg.state @s {
    %t = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[8, 8]> -> !sdfg.array<f32[8, 8]>
    %sl = sdfg.slice_view %x [0, 4] : !sdfg.array<f32[8, 8]> -> !sdfg.array<f32[8, 4]>
    %r = sdfg.reshape_view %w : !sdfg.array<f32[8, 8]> -> !sdfg.array<f32[8, 2, 4]>
    %ry = sdfg.reshape_view %y : !sdfg.array<f32[8, 8]> -> !sdfg.array<f32[8, 2, 4]>
    sdfg.map (%i, %h, %d) = (0, 0, 0) to (8, 2, 4) schedule(omp) {
      %a = sdfg.load %t[%i, %h] : !sdfg.array<f32[8, 8]>
      %b = sdfg.load %sl[%i, %d] : !sdfg.array<f32[8, 4]>
      %c = sdfg.load %r[%i, %h, %d] : !sdfg.array<f32[8, 2, 4]>
      %s = sdfg.tasklet (%u = %a : f32, %v = %b : f32, %z = %c : f32) -> f32 {
        %m = arith.addf %u, %v : f32
        %n = arith.addf %m, %z : f32
        sdfg.yield %n : f32
      }
      sdfg.store %s, %ry[%i, %h, %d] : !sdfg.array<f32[8, 2, 4]>
    }
  }
}

// -----

// Chains fold step by step: a transpose of a reshape of an argument with a leading size-1 dim.
// CHECK-LABEL: sdfg.sdfg @chain
// CHECK-NOT:  _view
// CHECK:      sdfg.map (%[[A:.*]], %[[B:.*]], %[[C:.*]]) =
// CHECK-NEXT:   sdfg.load %x[0, %[[B]] * 3 + %[[A]]]
sdfg.sdfg @chain inputs(%x: !sdfg.array<f32[1, 12]>) outputs(%y: !sdfg.array<f32[3, 4, 1]>) {
  sdfg.state @s {
    %r = sdfg.reshape_view %x : !sdfg.array<f32[1, 12]> -> !sdfg.array<f32[4, 3]>
    %t = sdfg.transpose_view %r [1, 0] : !sdfg.array<f32[4, 3]> -> !sdfg.array<f32[3, 4]>
    sdfg.map (%a, %b, %c) = (0, 0, 0) to (3, 4, 1) schedule(omp) {
      %v = sdfg.load %t[%a, %b] : !sdfg.array<f32[3, 4]>
      sdfg.store %v, %y[%a, %b, %c] : !sdfg.array<f32[3, 4, 1]>
    }
  }
}

// -----

// Kept: a reshape that splits an index (it would need division), a wcr store's view, and a library
// node's operand.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK:      %[[R:.*]] = sdfg.reshape_view %x
// CHECK:      %[[T:.*]] = sdfg.transpose_view %z
// CHECK:      %[[N:.*]] = sdfg.transpose_view %x
// CHECK:        sdfg.load %[[R]][
// CHECK:        sdfg.store %{{.*}}, %[[T]][{{.*}}] wcr(sum)
// CHECK:      nn.exp ins(%[[N]]
sdfg.sdfg @kept inputs(%x: !sdfg.array<f32[2, 4]>) outputs(%y: !sdfg.array<f32[8]>, %z: !sdfg.array<f32[4, 2]>, %e: !sdfg.array<f32[4, 2]>) {
  sdfg.state @s {
    %r = sdfg.reshape_view %x : !sdfg.array<f32[2, 4]> -> !sdfg.array<f32[8]>
    %t = sdfg.transpose_view %z [1, 0] : !sdfg.array<f32[4, 2]> -> !sdfg.array<f32[2, 4]>
    %n = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[2, 4]> -> !sdfg.array<f32[4, 2]>
    sdfg.map (%i) = (0) to (8) schedule(omp) {
      %v = sdfg.load %r[%i] : !sdfg.array<f32[8]>
      sdfg.store %v, %y[%i] : !sdfg.array<f32[8]>
    }
    sdfg.map (%i, %j) = (0, 0) to (2, 4) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[2, 4]>
      sdfg.store %v, %t[%i, %j] wcr(sum) : !sdfg.array<f32[2, 4]>
    }
    nn.exp ins(%n : !sdfg.array<f32[4, 2]>) outs(%e : !sdfg.array<f32[4, 2]>)
  }
}
