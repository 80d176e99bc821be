// Block skipping by analysis (passes/expansions/MaskBlocks.h): the tiled attention of a mask expression
// visits the key blocks it derives from the expression's affine atoms, and applies no mask on the blocks
// proven full.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=12x32 attention-block-q=24 attention-block-k=64" | FileCheck %s
// The output verifies (every memlet and tile proven in bounds) and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=12x32 attention-block-q=24 attention-block-k=64" | dmc-opt -split-input-file > /dev/null

// |i - j| <= 10 gives the bounds of the shorthand `window = 10` (expand-library-nodes-tiled-attention.mlir):
// from the block of the first query minus 10 to that of the last plus 10, the blocks at least 10 past the
// last query's start and at most 10 past the first query's end full.
// CHECK-LABEL: sdfg.sdfg @window_expr
// CHECK:      sdfg.map (%[[QB:.*]]) = (0) to (5) schedule(omp)
// CHECK:        %[[FIRST:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64)
// CHECK-NEXT:   %[[CUT_END:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1, (%[[QB]] * 24 + 13) ceildiv 64)
// CHECK-NEXT:   %[[KEPT:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64, (%[[QB]] * 24 + 13) ceildiv 64)
// CHECK-NEXT:   %[[KEPT_END:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1, (%[[QB]] * 24 + 11) floordiv 64)
// CHECK-NEXT:   %[[AFTER:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64, (%[[QB]] * 24 + 13) ceildiv 64, (%[[QB]] * 24 + 11) floordiv 64)
// CHECK-NEXT:   %[[LAST:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[FIRST]]) to (%[[CUT_END]]) {
// CHECK:          arith.cmpi sle
// CHECK:        sdfg.map (%{{.*}}) = (%[[KEPT]]) to (%[[KEPT_END]]) {
// CHECK-NOT:      arith.cmpi
// CHECK:          "softmax_update_row"
// CHECK:        sdfg.map (%{{.*}}) = (%[[AFTER]]) to (%[[LAST]]) {
// CHECK:          arith.cmpi sle
sdfg.sdfg @window_expr inputs(%q: !sdfg.array<f32[100, 16]>, %k: !sdfg.array<f32[100, 16]>, %v: !sdfg.array<f32[100, 8]>) outputs(%o: !sdfg.array<f32[100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 8]>) outs(%o : !sdfg.array<f32[100, 8]>) {mask_expr = "(abs((i - j)) <= 10)", impl = "tiled", label = "attn"}
  }
}

// -----

// A causal, dilated pattern: (i - j) % 3 is no affine atom (it may be true), so the causal atom alone
// bounds the blocks, and none is proven full: one range, up to the block of the query block's last row.
// CHECK-LABEL: sdfg.sdfg @dilated_causal
// CHECK:        %[[FIRST:.*]] = sdfg.max (0)
// CHECK-NEXT:   %[[LAST:.*]] = sdfg.min (2, (%{{.*}} * 24 + 23) floordiv 64 + 1)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[FIRST]]) to (%[[LAST]]) {
// CHECK:          arith.remsi
// CHECK-NOT:    sdfg.map (%{{.*}}) = (%{{.*}}) to (%{{.*}}) {
sdfg.sdfg @dilated_causal inputs(%q: !sdfg.array<f32[100, 16]>, %k: !sdfg.array<f32[100, 16]>, %v: !sdfg.array<f32[100, 8]>) outputs(%o: !sdfg.array<f32[100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 8]>) outs(%o : !sdfg.array<f32[100, 8]>) {mask_expr = "((j <= i) && (((i - j) % 3) == 0))", impl = "tiled", label = "attn"}
  }
}

// -----

// A condition on the query alone: the query blocks starting past row 30 visit no key block (the range's
// end is (31 - the first query) * 2^40, at most 0 there).
// CHECK-LABEL: sdfg.sdfg @rows_only
// CHECK:        %[[FIRST:.*]] = sdfg.max (0)
// CHECK-NEXT:   %[[LAST:.*]] = sdfg.min (2, (%{{.*}} * -24 + 31) * 1099511627776)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[FIRST]]) to (%[[LAST]]) {
sdfg.sdfg @rows_only inputs(%q: !sdfg.array<f32[100, 16]>, %k: !sdfg.array<f32[100, 16]>, %v: !sdfg.array<f32[100, 8]>) outputs(%o: !sdfg.array<f32[100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 8]>) outs(%o : !sdfg.array<f32[100, 8]>) {mask_expr = "(i <= 30)", impl = "tiled", label = "attn"}
  }
}

// -----

// A disjunction: each conjunct's blocks outside those of the conjuncts before it. i < 2 keeps every key
// block of the first query block (its range ends at (2 - the first query) * 2^40) and none of the others;
// j < 2 keeps the first key block, visited from the end of the first conjunct's range on: for the first
// query block never again, for the others once, with the mask (its part proven full is empty: a key
// block holds 64 keys).
// CHECK-LABEL: sdfg.sdfg @disjunction
// CHECK:        %[[FIRST:.*]] = sdfg.max (0)
// CHECK-NEXT:   %[[ROWS_END:.*]] = sdfg.min (2, (%[[QB:.*]] * -24 + 2) * 1099511627776)
// CHECK-NEXT:   %[[FULL:.*]] = sdfg.max (0, (%[[QB]] * -24 + 2) * 1099511627776)
// CHECK-NEXT:   %[[FULL_END:.*]] = sdfg.min (0)
// CHECK-NEXT:   %[[COLS:.*]] = sdfg.max (0, (%[[QB]] * -24 + 2) * 1099511627776)
// CHECK-NEXT:   %[[COLS_END:.*]] = sdfg.min (1)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[FIRST]]) to (%[[ROWS_END]]) {
// CHECK:          arith.ori
// CHECK:        sdfg.map (%{{.*}}) = (%[[FULL]]) to (%[[FULL_END]]) {
// CHECK:        sdfg.map (%{{.*}}) = (%[[COLS]]) to (%[[COLS_END]]) {
// CHECK:          arith.ori
sdfg.sdfg @disjunction inputs(%q: !sdfg.array<f32[100, 16]>, %k: !sdfg.array<f32[100, 16]>, %v: !sdfg.array<f32[100, 8]>) outputs(%o: !sdfg.array<f32[100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 8]>) outs(%o : !sdfg.array<f32[100, 8]>) {mask_expr = "((i < 2) || (j < 2))", impl = "tiled", label = "attn"}
  }
}
