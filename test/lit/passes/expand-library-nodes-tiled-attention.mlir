// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=12x32 attention-block-q=24 attention-block-k=64" | FileCheck %s
// The output verifies (every memlet and tile proven in bounds) and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="register-tile=12x32 attention-block-q=24 attention-block-k=64" | dmc-opt -split-input-file | FileCheck %s

// Causal: an omp map over (batch, query block); the key blocks left of the diagonal block (every
// position kept: no mask code), then those the diagonal cuts, up to the block of the query block's last
// row; both products on the GEMM micro-kernel, the online softmax per row on softmax_update_row.
// CHECK-LABEL: sdfg.sdfg @causal
// CHECK-DAG:  %[[PQ:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_packed_q"} : <f32[2, 16, 12]>
// CHECK-DAG:  %[[PK:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "attn_packed_k"} : <f32[8, 16, 32]>
// CHECK-DAG:  %[[S:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_scores"} : <f32[24, 64]>
// CHECK-DAG:  %[[M:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_row_max"} : <f32[24]>
// CHECK-DAG:  %[[L:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_row_sum"} : <f32[24]>
// CHECK-DAG:  %[[O:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_acc"} : <f32[24, 32]>
// CHECK-DAG:  %[[PP:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_packed_p"} : <f32[2, 64, 12]>
// CHECK-DAG:  %[[PV:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_packed_v"} : <f32[1, 64, 32]>
// K's rows packed once as B panels, before the query blocks: 4 panels of 32 keys per matrix (two key
// blocks of 64; keys 96..99 fill part of the last).
// CHECK:      sdfg.map (%[[PB:.*]], %[[PJ:.*]]) = (0, 0) to (2, 4) schedule(omp) {
// CHECK:            sdfg.load %k[%[[PB]], %[[PJ]] * 32 + %{{.*}} * 32 + %{{.*}}, %{{.*}}]
// CHECK-NEXT:       sdfg.store %{{.*}}, %[[PK]][%[[PB]] * 4 + %[[PJ]] + %{{.*}}, %{{.*}}, %{{.*}}]
// CHECK:      sdfg.map (%[[B:.*]], %[[QB:.*]]) = (0, 0) to (2, 5) schedule(omp) attributes {dynamic} {
// CHECK-NEXT:   %[[ROWS:.*]] = sdfg.min (24, %[[QB]] * -24 + 100)
// CHECK-NEXT:   %[[RP:.*]] = sdfg.min (2, (%[[QB]] * -24 + 100) ceildiv 12)
// CHECK-NEXT:   %[[D:.*]] = sdfg.min (16)
// CHECK-NEXT:   %[[ZERO:.*]] = sdfg.min (0)
// CHECK-NEXT:   %[[ONE:.*]] = sdfg.min (1)
// CHECK:          sdfg.load %q[%[[B]], %[[QB]] * 24 + %{{.*}} * 12 + %{{.*}}, %{{.*}}]
// CHECK:          arith.constant 2.500000e-01
// CHECK:          sdfg.store %{{.*}}, %[[PQ]]
// CHECK:        sdfg.store %{{.*}}, %[[M]]
// CHECK:        sdfg.store %{{.*}}, %[[L]]
// CHECK:        %[[LAST:.*]] = sdfg.min (2, (%[[QB]] * 24 + 23) floordiv 64 + 1)
// CHECK-NEXT:   %[[FULL:.*]] = sdfg.min (2, (%[[QB]] * 24 + 23) floordiv 64 + 1, (%[[QB]] * 24 + 1) floordiv 64)
// CHECK-NEXT:   %[[CUT:.*]] = sdfg.max (0, (%[[QB]] * 24 + 1) floordiv 64)
// CHECK-NEXT:   sdfg.map (%[[KB:.*]]) = (0) to (%[[FULL]]) {
// CHECK-NEXT:     %[[COLS:.*]] = sdfg.min (64, %[[KB]] * -64 + 100)
// CHECK-NEXT:     %[[CP:.*]] = sdfg.min (2, (%[[KB]] * -64 + 100) ceildiv 32)
// CHECK-NOT:        sdfg.load %k
// CHECK:          sdfg.map (%[[JP:.*]], %[[IP:.*]]) = (0, 0) to (%[[CP]], %[[RP]]) {
// CHECK-NEXT:       sdfg.ukernel "gemm_12x32" ins(%[[PQ]][%[[IP]], 0, 0], %[[PK]][%[[B]] * 4 + %[[KB]] * 2 + %[[JP]], 0, 0]) outs(%[[S]][%[[IP]] * 12, %[[JP]] * 32]) args(%[[D]], %[[ZERO]])
// CHECK-NOT:      arith.cmpi
// CHECK:          sdfg.map (%[[I:.*]]) = (0) to (%[[ROWS]]) {
// CHECK-NEXT:       sdfg.ukernel "softmax_update_row" ins() outs(%[[S]][%[[I]], 0], %[[M]][%[[I]]], %[[L]][%[[I]]], %[[O]][%[[I]], 0]) args(%[[COLS]], %[[D]])
// CHECK:            sdfg.store %{{.*}}, %[[PP]]
// CHECK:            sdfg.load %v[%[[B]], %[[KB]] * 64 + %{{.*}}, %{{.*}} * 32 + %{{.*}}]
// CHECK:          sdfg.map (%[[JP2:.*]], %[[IP2:.*]]) = (0, 0) to (1, %[[RP]]) {
// CHECK-NEXT:       sdfg.ukernel "gemm_12x32" ins(%[[PP]][%[[IP2]], 0, 0], %[[PV]][%[[JP2]], 0, 0]) outs(%[[O]][%[[IP2]] * 12, %[[JP2]] * 32]) args(%[[COLS]], %[[ONE]])
// CHECK:        sdfg.map (%[[KB2:.*]]) = (%[[CUT]]) to (%[[LAST]]) {
// CHECK:            sdfg.ukernel "gemm_12x32"
// The generated mask on the cut blocks: key kb*64 + j kept when <= query qb*24 + i.
// CHECK:            sdfg.tasklet
// CHECK:              arith.cmpi sle
// CHECK:            sdfg.ukernel "softmax_update_row"
// CHECK:            sdfg.ukernel "gemm_12x32"
// Out = o / l, 0 for a row with nothing kept.
// CHECK:        sdfg.map (%[[R:.*]]) = (0) to (%[[ROWS]]) {
// CHECK-NEXT:     sdfg.map (%[[C:.*]]) = (0) to (16) schedule(vector) {
// CHECK:            arith.cmpf ogt
// CHECK:            arith.divf
// CHECK:            sdfg.store %{{.*}}, %o[%[[B]], %[[QB]] * 24 + %[[R]], %[[C]]]
// CHECK-NOT:  nn.attention
sdfg.sdfg @causal inputs(%q: !sdfg.array<f32[2, 100, 16]>, %k: !sdfg.array<f32[2, 100, 16]>, %v: !sdfg.array<f32[2, 100, 16]>) outputs(%o: !sdfg.array<f32[2, 100, 16]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[2, 100, 16]>, !sdfg.array<f32[2, 100, 16]>, !sdfg.array<f32[2, 100, 16]>) outs(%o : !sdfg.array<f32[2, 100, 16]>) {scale = 0.25 : f32, causal, impl = "tiled", label = "attn"}
  }
}

// -----

// A window: the band of key blocks, from the block of the first query minus the window (a tile start,
// sdfg.max) to the block of the last query plus the window, split into the blocks the window cuts (with
// the mask) and those between where it keeps every position (none here: 24 + 64 - 2 > 2 * 10, so the
// middle range is empty at run time).
// CHECK-LABEL: sdfg.sdfg @window
// CHECK:      sdfg.map (%[[QB:.*]]) = (0) to (5) schedule(omp) attributes {dynamic} {
// CHECK:        %[[LAST:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1)
// CHECK-NEXT:   %[[FIRST:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64)
// CHECK-NEXT:   %[[BEFORE:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1, (%[[QB]] * 24 + 13) ceildiv 64)
// CHECK-NEXT:   %[[KEPT:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64, (%[[QB]] * 24 + 13) ceildiv 64)
// CHECK-NEXT:   %[[KEPTEND:.*]] = sdfg.min (2, (%[[QB]] * 24 + 33) floordiv 64 + 1, (%[[QB]] * 24 + 11) floordiv 64)
// CHECK-NEXT:   %[[AFTER:.*]] = sdfg.max (0, (%[[QB]] * 24 - 10) floordiv 64, (%[[QB]] * 24 + 13) ceildiv 64, (%[[QB]] * 24 + 11) floordiv 64)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[FIRST]]) to (%[[BEFORE]]) {
// CHECK:            arith.cmpi sle
// CHECK:            sdfg.ukernel "softmax_update_row"
// CHECK:        sdfg.map (%{{.*}}) = (%[[KEPT]]) to (%[[KEPTEND]]) {
// CHECK-NOT:        arith.cmpi
// CHECK:            sdfg.ukernel "softmax_update_row"
// CHECK:        sdfg.map (%{{.*}}) = (%[[AFTER]]) to (%[[LAST]]) {
// CHECK:            arith.cmpi sle
// CHECK:            sdfg.ukernel "softmax_update_row"
sdfg.sdfg @window inputs(%q: !sdfg.array<f32[100, 16]>, %k: !sdfg.array<f32[100, 16]>, %v: !sdfg.array<f32[100, 8]>) outputs(%o: !sdfg.array<f32[100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 16]>, !sdfg.array<f32[100, 8]>) outs(%o : !sdfg.array<f32[100, 8]>) {window = 10, impl = "tiled", label = "attn"}
  }
}

// -----

// Global tokens beside a causal mask (token 3: key block 0, query block 0): the causal ranges with the
// token's row and column in the mask; then, outside the band, the key block of the token's column (empty
// here: causal keeps block 0) for every query block, and the other key blocks for query block 0 only, in
// a map of one iteration when %qb = 0 and none otherwise. An additive mask is added (broadcast over the
// batch) on every block.
// CHECK-LABEL: sdfg.sdfg @global
// CHECK:      sdfg.map (%[[B:.*]], %[[QB:.*]]) = (0, 0) to (3, 5) schedule(omp) attributes {dynamic} {
// CHECK:        %[[END:.*]] = sdfg.min (2, (%[[QB]] * 24 + 23) floordiv 64 + 1)
// CHECK-NEXT:   %[[KEPT_END:.*]] = sdfg.min (2, (%[[QB]] * 24 + 23) floordiv 64 + 1, (%[[QB]] * 24 + 1) floordiv 64)
// CHECK-NEXT:   %[[CUT_FROM:.*]] = sdfg.max (0, (%[[QB]] * 24 + 1) floordiv 64)
// CHECK-NEXT:   %[[COLUMN_FROM:.*]] = sdfg.max (0, (%[[QB]] * 24 + 23) floordiv 64 + 1)
// CHECK-NEXT:   %[[COLUMN_TO:.*]] = sdfg.min (1)
// CHECK-NEXT:   %[[REST_FROM:.*]] = sdfg.max (1, (%[[QB]] * 24 + 23) floordiv 64 + 1)
// CHECK-NEXT:   %[[REST_TO:.*]] = sdfg.min (2)
// CHECK-NEXT:   sdfg.map (%[[KB:.*]]) = (0) to (%[[KEPT_END]]) {
// CHECK:            %{{.*}} = sdfg.load %mask[%[[QB]] * 24 + %{{.*}}, %[[KB]] * 64 + %{{.*}}] : !sdfg.array<f32[100, 100]>
// CHECK:            arith.addf
// CHECK-NOT:        arith.ori
// CHECK:        sdfg.map (%[[KB2:.*]]) = (%[[CUT_FROM]]) to (%[[END]]) {
// CHECK:            %{{.*}} = sdfg.load %mask[%[[QB]] * 24 + %{{.*}}, %[[KB2]] * 64 + %{{.*}}] : !sdfg.array<f32[100, 100]>
// CHECK:            arith.ori
// CHECK:        sdfg.map (%{{.*}}) = (%[[COLUMN_FROM]]) to (%[[COLUMN_TO]]) {
// CHECK:            arith.ori
// CHECK:        %[[ONLY_FROM:.*]] = sdfg.max (%[[QB]], 0)
// CHECK-NEXT:   %[[ONLY_TO:.*]] = sdfg.min (%[[QB]] + 1, 1)
// CHECK-NEXT:   sdfg.map (%{{.*}}) = (%[[ONLY_FROM]]) to (%[[ONLY_TO]]) {
// CHECK-NEXT:     sdfg.map (%{{.*}}) = (%[[REST_FROM]]) to (%[[REST_TO]]) {
// CHECK:              arith.ori
sdfg.sdfg @global inputs(%q: !sdfg.array<f32[3, 100, 16]>, %k: !sdfg.array<f32[3, 100, 16]>, %v: !sdfg.array<f32[3, 100, 8]>, %mask: !sdfg.array<f32[100, 100]>) outputs(%o: !sdfg.array<f32[3, 100, 8]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v, %mask : !sdfg.array<f32[3, 100, 16]>, !sdfg.array<f32[3, 100, 16]>, !sdfg.array<f32[3, 100, 8]>, !sdfg.array<f32[100, 100]>) outs(%o : !sdfg.array<f32[3, 100, 8]>) {causal, global_tokens = array<i64: 3>, impl = "tiled", label = "attn"}
  }
}

// -----

// A run-time sequence length: K's panels cannot be sized at compile time, so each query block packs
// the key blocks it visits into a buffer of one block of its own.
// CHECK-LABEL: sdfg.sdfg @runtime_length
// CHECK-DAG:  %[[PK:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "attn_packed_k"} : <f32[2, 16, 32]>
// CHECK:      sdfg.map (%[[B:.*]], %[[QB:.*]]) = ({{.*}}) to ({{.*}}) schedule(omp) attributes {dynamic} {
// CHECK:        sdfg.map (%[[KB:.*]]) =
// CHECK:            sdfg.load %k[%[[B]], %[[KB]] * 64 + %{{.*}} * 32 + %{{.*}}, %{{.*}}]
// CHECK-NEXT:       sdfg.store %{{.*}}, %[[PK]][
// CHECK:            sdfg.ukernel "gemm_12x32" ins(%{{.*}}, %[[PK]][%{{[a-z0-9]*}}, 0, 0])
sdfg.sdfg @runtime_length symbols(%S) inputs(%q: !sdfg.array<f32[2, S, 16]>, %k: !sdfg.array<f32[2, S, 16]>, %v: !sdfg.array<f32[2, S, 16]>) outputs(%o: !sdfg.array<f32[2, S, 16]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v : !sdfg.array<f32[2, S, 16]>, !sdfg.array<f32[2, S, 16]>, !sdfg.array<f32[2, S, 16]>) outs(%o : !sdfg.array<f32[2, S, 16]>) {scale = 0.25 : f32, impl = "tiled", label = "attn"}
  }
}
