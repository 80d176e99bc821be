// Strided attention as dense attention per residue class (passes/SplitResidueClasses.cpp): Q, K, V and
// O [.., S, D] are seen as [.., s, S / s, D] through views of their roots, causal stays causal, a window
// w becomes w / s, a mask expression's other comparisons are rewritten for i - j = s * (t - u).
// RUN: dmc-opt %s -split-input-file --split-residue-classes | FileCheck %s
// The output verifies and parses again.
// RUN: dmc-opt %s -split-input-file --split-residue-classes | dmc-opt -split-input-file > /dev/null

// CHECK-LABEL: sdfg.sdfg @causal_stride
// CHECK:      %[[QS:.*]] = sdfg.reshape_view %q : <f32[2, 12, 8]> -> <f32[2, 3, 4, 8]>
// CHECK-NEXT: %[[QC:.*]] = sdfg.transpose_view %[[QS]] [0, 2, 1, 3] : <f32[2, 3, 4, 8]> -> <f32[2, 4, 3, 8]>
// CHECK:      %[[OS:.*]] = sdfg.reshape_view %o : <f32[2, 12, 8]> -> <f32[2, 3, 4, 8]>
// CHECK-NEXT: %[[OC:.*]] = sdfg.transpose_view %[[OS]] [0, 2, 1, 3]
// CHECK:      nn.attention ins(%[[QC]], %{{.*}}, %{{.*}} : {{.*}}) outs(%[[OC]] : !sdfg.array<f32[2, 4, 3, 8]>) {causal, impl = "tiled", label = "attn", scale = 5.000000e-01 : f32}
sdfg.sdfg @causal_stride inputs(%q: !sdfg.array<f32[2, 12, 8]>, %k: !sdfg.array<f32[2, 12, 8]>, %v: !sdfg.array<f32[2, 12, 8]>) outputs(%o: !sdfg.array<f32[2, 12, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o : !sdfg.array<f32[2, 12, 8]>) {causal, stride = 4 : i64, scale = 0.5 : f32, impl = "tiled", label = "attn"}
  }
}

// -----

// A window of 9 at stride 4 keeps |t - u| <= 2 within a class. The operands are transposed views of
// [S, H, D] containers (as eliminate-layout-copies leaves the heads): the split goes to the root's S.
// CHECK-LABEL: sdfg.sdfg @window_stride_views
// CHECK:      %[[QS:.*]] = sdfg.reshape_view %qh : <f32[12, 2, 8]> -> <f32[3, 4, 2, 8]>
// CHECK-NEXT: %[[QT:.*]] = sdfg.transpose_view %[[QS]] [2, 0, 1, 3] : <f32[3, 4, 2, 8]> -> <f32[2, 3, 4, 8]>
// CHECK-NEXT: %[[QC:.*]] = sdfg.transpose_view %[[QT]] [0, 2, 1, 3] : <f32[2, 3, 4, 8]> -> <f32[2, 4, 3, 8]>
// CHECK:      nn.attention ins(%[[QC]], {{.*}} {label = "attn", window = 2 : i64}
sdfg.sdfg @window_stride_views inputs(%qh: !sdfg.array<f32[12, 2, 8]>, %k: !sdfg.array<f32[2, 12, 8]>, %v: !sdfg.array<f32[2, 12, 8]>) outputs(%o: !sdfg.array<f32[2, 12, 8]>) {
  %q = sdfg.transpose_view %qh [1, 0, 2] : <f32[12, 2, 8]> -> <f32[2, 12, 8]>
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o : !sdfg.array<f32[2, 12, 8]>) {window = 9 : i64, stride = 4 : i64, label = "attn"}
  }
}

// -----

// A dilated window as an expression: |i - j| <= 6 at residue 3 is |3 (t - u)| <= 6 per class.
// CHECK-LABEL: sdfg.sdfg @dilated_expr
// CHECK:      nn.attention {{.*}} outs(%{{.*}} : !sdfg.array<f32[3, 4, 8]>) {label = "attn", mask_expr = "(abs((3 * (i - j))) <= 6)"}
sdfg.sdfg @dilated_expr inputs(%q: !sdfg.array<f32[12, 8]>, %k: !sdfg.array<f32[12, 8]>, %v: !sdfg.array<f32[12, 8]>) outputs(%o: !sdfg.array<f32[12, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[12, 8]>, !sdfg.array<f32[12, 8]>, !sdfg.array<f32[12, 8]>) outs(%o : !sdfg.array<f32[12, 8]>) {mask_expr = "((abs((i - j)) <= 6) && (((i - j) % 3) == 0))", label = "attn"}
  }
}

// -----

// Not applied: S = 10 is no multiple of the stride, global tokens, a score expression, the head in the
// mask, a second condition that is not in i - j alone.
// CHECK-LABEL: sdfg.sdfg @kept
// CHECK-NOT:  _view
// CHECK:      nn.attention {{.*}} {causal, label = "uneven", stride = 4 : i64}
// CHECK:      nn.attention {{.*}} global_tokens = array<i64: 0>
// CHECK:      nn.attention {{.*}} score_expr
// CHECK:      nn.attention {{.*}} mask_expr = "((h == 0) && (((i - j) % 4) == 0))"
// CHECK:      nn.attention {{.*}} mask_expr = "((j <= 5) && (((i - j) % 4) == 0))"
sdfg.sdfg @kept inputs(%q: !sdfg.array<f32[2, 10, 8]>, %q12: !sdfg.array<f32[2, 12, 8]>) outputs(%o: !sdfg.array<f32[2, 10, 8]>, %o12: !sdfg.array<f32[2, 12, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[2, 10, 8]>, !sdfg.array<f32[2, 10, 8]>, !sdfg.array<f32[2, 10, 8]>) outs(%o : !sdfg.array<f32[2, 10, 8]>) {causal, stride = 4 : i64, label = "uneven"}
    nn.attention ins(%q12, %q12, %q12 : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o12 : !sdfg.array<f32[2, 12, 8]>) {causal, stride = 4 : i64, global_tokens = array<i64: 0>, label = "global"}
    nn.attention ins(%q12, %q12, %q12 : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o12 : !sdfg.array<f32[2, 12, 8]>) {causal, stride = 4 : i64, score_expr = "(s * 2.0)", label = "score"}
    nn.attention ins(%q12, %q12, %q12 : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o12 : !sdfg.array<f32[2, 12, 8]>) {mask_expr = "((h == 0) && (((i - j) % 4) == 0))", label = "head"}
    nn.attention ins(%q12, %q12, %q12 : !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>, !sdfg.array<f32[2, 12, 8]>) outs(%o12 : !sdfg.array<f32[2, 12, 8]>) {mask_expr = "((j <= 5) && (((i - j) % 4) == 0))", label = "column"}
  }
}
