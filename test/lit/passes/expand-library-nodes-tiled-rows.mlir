// RUN: dmc-opt %s -split-input-file --expand-library-nodes="row-block=3" | FileCheck %s
// The output verifies (every memlet and tile proven in bounds) and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes="row-block=3" | dmc-opt -split-input-file | FileCheck %s
// The default block is 16 rows.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes | FileCheck %s --check-prefix=DEFAULT

// Softmax: an omp map over (batch, block of 3 rows), no dynamic schedule (rows cost the same); per row
// the scores (scale, the additive mask broadcast over the batch, the causal mask at query rb*3 + i) into
// a per-worker stack row, softmax_row in place with the factor, then the output row.
// CHECK-LABEL: sdfg.sdfg @softmax
// CHECK-DAG:  %[[BUF:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "sm_row", storage = #sdfg.storage<stack>} : <f32[33]>
// CHECK-DAG:  %[[INV:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "sm_inv", storage = #sdfg.storage<stack>} : <f32[1]>
// CHECK:      sdfg.map (%[[B:.*]], %[[RB:.*]]) = (0, 0) to (2, %S ceildiv 3) schedule(omp) {
// CHECK-NEXT:   %[[ROWS:.*]] = sdfg.min (3, %S - %[[RB]] * 3)
// CHECK-NEXT:   %[[N:.*]] = sdfg.min (33)
// CHECK-NEXT:   sdfg.map (%[[I:.*]]) = (0) to (%[[ROWS]]) {
// CHECK-NEXT:     sdfg.map (%[[J:.*]]) = (0) to (33) schedule(vector) {
// CHECK-NEXT:       %[[X:.*]] = sdfg.load %x[%[[B]], %[[RB]] * 3 + %[[I]], %[[J]]]
// CHECK-NEXT:       %[[M:.*]] = sdfg.load %m[%[[RB]] * 3 + %[[I]], %[[J]]]
// CHECK-NEXT:       sdfg.tasklet (%{{.*}} = %[[X]] : f32, %{{.*}} = %[[M]] : f32, %{{.*}} = %[[RB]] : index, %{{.*}} = %[[I]] : index, %{{.*}} = %[[J]] : index)
// CHECK:              arith.constant 5.000000e-01
// CHECK:              arith.addf
// CHECK:              arith.constant 3 : index
// CHECK:              arith.cmpi sle
// CHECK:              arith.select
// CHECK:            sdfg.store %{{.*}}, %[[BUF]][%[[J]]]
// CHECK:          sdfg.ukernel "softmax_row" ins() outs(%[[BUF]][0], %[[INV]][0]) args(%[[N]])
// CHECK-NEXT:     sdfg.map (%[[J2:.*]]) = (0) to (33) schedule(vector) {
// CHECK-NEXT:       sdfg.load %[[BUF]][%[[J2]]]
// CHECK-NEXT:       sdfg.load %[[INV]][0]
// CHECK:            arith.mulf
// CHECK:            sdfg.store %{{.*}}, %y[%[[B]], %[[RB]] * 3 + %[[I]], %[[J2]]]
// CHECK-NOT:  nn.softmax
// DEFAULT-LABEL: sdfg.sdfg @softmax
// DEFAULT:       sdfg.map (%{{.*}}, %[[RB:.*]]) = (0, 0) to (2, %S ceildiv 16) schedule(omp) {
// DEFAULT-NEXT:    sdfg.min (16, %S - %[[RB]] * 16)
sdfg.sdfg @softmax symbols(%S) inputs(%x: !sdfg.array<f32[2, S, 33]>, %m: !sdfg.array<f32[S, 33]>) outputs(%y: !sdfg.array<f32[2, S, 33]>) {
  sdfg.state @s {
    nn.softmax ins(%x, %m : !sdfg.array<f32[2, S, 33]>, !sdfg.array<f32[S, 33]>) outs(%y : !sdfg.array<f32[2, S, 33]>) {scale = 0.5 : f32, causal, impl = "tiled", label = "sm"}
  }
}

// -----

// Layer norm with a row length known only at run time: the row buffer per worker lives in the handle
// (heap), the kernel's length is the symbol; moments_row gives mean and variance, the variance becomes
// 1 / sqrt(var + eps) once per row, and the output row is normalised from the staged row.
// CHECK-LABEL: sdfg.sdfg @layer_norm
// CHECK-DAG:  %[[BUF:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "ln_row"} : <f32[N]>
// CHECK-DAG:  %[[MEAN:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "ln_mean", storage = #sdfg.storage<stack>} : <f32[1]>
// CHECK-DAG:  %[[VAR:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<scope>, name = "ln_var", storage = #sdfg.storage<stack>} : <f32[1]>
// CHECK:      sdfg.map (%[[RB:.*]]) = (0) to (%S ceildiv 3) schedule(omp) {
// CHECK-NEXT:   %[[ROWS:.*]] = sdfg.min (3, %S - %[[RB]] * 3)
// CHECK-NEXT:   sdfg.map (%[[I:.*]]) = (0) to (%[[ROWS]]) {
// CHECK-NEXT:     sdfg.map (%[[J:.*]]) = (0) to (%N) schedule(vector) {
// CHECK-NEXT:       %[[X:.*]] = sdfg.load %x[%[[RB]] * 3 + %[[I]], %[[J]]]
// CHECK-NEXT:       sdfg.store %[[X]], %[[BUF]][%[[J]]]
// CHECK:          sdfg.ukernel "moments_row" ins(%[[BUF]][0]) outs(%[[MEAN]][0], %[[VAR]][0]) args(%N)
// CHECK-NEXT:     sdfg.load %[[VAR]][0]
// CHECK:            arith.constant 1.000000e-03
// CHECK:            math.sqrt
// CHECK:          sdfg.store %{{.*}}, %[[VAR]][0]
// CHECK-NEXT:     sdfg.map (%[[J2:.*]]) = (0) to (%N) schedule(vector) {
// CHECK:            sdfg.load %g[%[[J2]]]
// CHECK-NEXT:       sdfg.load %b[%[[J2]]]
// CHECK:            arith.subf
// CHECK:            sdfg.store %{{.*}}, %y[%[[RB]] * 3 + %[[I]], %[[J2]]]
// CHECK-NOT:  nn.layer_norm
sdfg.sdfg @layer_norm symbols(%S, %N) inputs(%x: !sdfg.array<f32[S, N]>, %g: !sdfg.array<f32[N]>, %b: !sdfg.array<f32[N]>) outputs(%y: !sdfg.array<f32[S, N]>) {
  sdfg.state @s {
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[S, N]>, !sdfg.array<f32[N]>, !sdfg.array<f32[N]>) outs(%y : !sdfg.array<f32[S, N]>) {epsilon = 1.0e-3 : f32, impl = "tiled", label = "ln"}
  }
}

// -----

// Reductions along the last axis: sum_row (the mean divides by the row length), max_row; the result
// stored per row, at 0 in a kept dim; a rank-1 input is one row (a block map of one iteration).
// CHECK-LABEL: sdfg.sdfg @reduce
// CHECK:      sdfg.map (%[[B:.*]], %[[RB:.*]]) = (0, 0) to (%B, 2) schedule(omp) {
// CHECK-NEXT:   %[[ROWS:.*]] = sdfg.min (3, %[[RB]] * -3 + 4)
// CHECK-NEXT:   %[[N:.*]] = sdfg.min (77)
// CHECK-NEXT:   sdfg.map (%[[I:.*]]) = (0) to (%[[ROWS]]) {
// CHECK:          sdfg.ukernel "sum_row" ins(%[[BUF:.*]][0]) outs(%[[ACC:.*]][0]) args(%[[N]])
// CHECK-NEXT:     sdfg.load %[[ACC]][0]
// CHECK:            arith.constant 7.700000e+01
// CHECK-NEXT:       arith.divf
// CHECK:          sdfg.store %{{.*}}, %m[%[[B]], %[[RB]] * 3 + %[[I]]] : !sdfg.array<f32[B, 4]>
// CHECK:      sdfg.map (%[[B2:.*]], %[[RB2:.*]]) = (0, 0) to (%B, 2) schedule(omp) {
// CHECK:          sdfg.ukernel "max_row"
// CHECK-NEXT:     %[[MX:.*]] = sdfg.load
// CHECK-NEXT:     sdfg.store %[[MX]], %mx[%[[B2]], %[[RB2]] * 3 + %{{.*}}, 0] : !sdfg.array<f32[B, 4, 1]>
// CHECK:      sdfg.map (%{{.*}}) = (0) to (1) schedule(omp) {
// CHECK:            sdfg.load %v[%{{.*}}] : !sdfg.array<f32[77]>
// CHECK:          sdfg.ukernel "sum_row"
// CHECK-NEXT:     %[[S:.*]] = sdfg.load
// CHECK-NEXT:     sdfg.store %[[S]], %one[] : !sdfg.array<f32[]>
// CHECK-NOT:  nn.reduce
sdfg.sdfg @reduce symbols(%B) inputs(%x: !sdfg.array<f32[B, 4, 77]>, %v: !sdfg.array<f32[77]>) outputs(%m: !sdfg.array<f32[B, 4]>, %mx: !sdfg.array<f32[B, 4, 1]>, %one: !sdfg.array<f32[]>) {
  sdfg.state @s {
    nn.reduce_mean ins(%x : !sdfg.array<f32[B, 4, 77]>) outs(%m : !sdfg.array<f32[B, 4]>) {axes = array<i64: -1>, keepdims = false, impl = "tiled"}
    nn.reduce_max ins(%x : !sdfg.array<f32[B, 4, 77]>) outs(%mx : !sdfg.array<f32[B, 4, 1]>) {axes = array<i64: 2>, impl = "tiled"}
    nn.reduce_sum ins(%v : !sdfg.array<f32[77]>) outs(%one : !sdfg.array<f32[]>) {axes = array<i64: 0>, keepdims = false, impl = "tiled"}
  }
}
