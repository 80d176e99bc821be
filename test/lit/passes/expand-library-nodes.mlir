// RUN: dmc-opt %s -split-input-file --expand-library-nodes | FileCheck %s
// RUN: dmc-opt %s -split-input-file --expand-library-nodes=impl=pure | FileCheck %s
// The output verifies and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes | dmc-opt -split-input-file | FileCheck %s
// RUN: dmc-opt %s -split-input-file --dmc-O1 | FileCheck %s --check-prefix=O1

// Element-wise with broadcasting: one parallel map; the bias is read along the last dim only.
// CHECK-LABEL: sdfg.sdfg @add
// CHECK:      sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (%S, 4) schedule(omp) {
// CHECK-NEXT:   %[[A:.*]] = sdfg.load %x[%[[I]], %[[J]]] : !sdfg.array<f32[S, 4]>
// CHECK-NEXT:   %[[B:.*]] = sdfg.load %b[%[[J]]] : !sdfg.array<f32[4]>
// CHECK-NEXT:   %[[R:.*]] = sdfg.tasklet (%[[X:.*]] = %[[A]] : f32, %[[Y:.*]] = %[[B]] : f32) -> f32 {
// CHECK-NEXT:     %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT:     sdfg.yield %[[S]] : f32
// CHECK:        sdfg.store %[[R]], %y[%[[I]], %[[J]]] : !sdfg.array<f32[S, 4]>
// CHECK-NOT:  nn.add
// O1-LABEL: sdfg.sdfg @add
// O1-NOT: nn.
sdfg.sdfg @add symbols(%S) inputs(%x: !sdfg.array<f32[S, 4]>, %b: !sdfg.array<f32[4]>) outputs(%y: !sdfg.array<f32[S, 4]>) {
  sdfg.state @s {
    nn.add ins(%x, %b : !sdfg.array<f32[S, 4]>, !sdfg.array<f32[4]>) outs(%y : !sdfg.array<f32[S, 4]>)
  }
}

// -----

// Batched matmul with a broadcast batch dim of B and transpose_b: an init map writing 0, then a
// parallel map over (batch, i, j) around a sequential map over k that sums with wcr(sum).
// CHECK-LABEL: sdfg.sdfg @matmul
// CHECK:      sdfg.map (%[[B0:.*]], %[[I0:.*]], %[[J0:.*]]) = (0, 0, 0) to (2, 3, 5) schedule(omp) {
// CHECK:        arith.constant 0.000000e+00 : f32
// CHECK:        sdfg.store %{{.*}}, %c[%[[B0]], %[[I0]], %[[J0]]] : !sdfg.array<f32[2, 3, 5]>
// CHECK:      sdfg.map (%[[B:.*]], %[[I:.*]], %[[J:.*]]) = (0, 0, 0) to (2, 3, 5) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[K:.*]]) = (0) to (4) {
// CHECK-NEXT:     %[[VA:.*]] = sdfg.load %a[%[[B]], %[[I]], %[[K]]] : !sdfg.array<f32[2, 3, 4]>
// CHECK-NEXT:     %[[VB:.*]] = sdfg.load %w[0, %[[J]], %[[K]]] : !sdfg.array<f32[1, 5, 4]>
// CHECK-NEXT:     %[[P:.*]] = sdfg.tasklet
// CHECK-NEXT:       arith.mulf
// CHECK-NEXT:       arith.constant 5.000000e-01 : f32
// CHECK-NEXT:       arith.mulf
// CHECK:          sdfg.store %[[P]], %c[%[[B]], %[[I]], %[[J]]] wcr(sum) : !sdfg.array<f32[2, 3, 5]>
sdfg.sdfg @matmul inputs(%a: !sdfg.array<f32[2, 3, 4]>, %w: !sdfg.array<f32[1, 5, 4]>) outputs(%c: !sdfg.array<f32[2, 3, 5]>) {
  sdfg.state @s {
    nn.matmul ins(%a, %w : !sdfg.array<f32[2, 3, 4]>, !sdfg.array<f32[1, 5, 4]>) outs(%c : !sdfg.array<f32[2, 3, 5]>) {transpose_b, alpha = 0.5 : f32}
  }
}

// -----

// Gemm with a bias: the init map writes beta * C.
// CHECK-LABEL: sdfg.sdfg @gemm
// CHECK:      sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (3, 5) schedule(omp) {
// CHECK-NEXT:   %[[C:.*]] = sdfg.load %bias[%[[J]]] : !sdfg.array<f32[5]>
// CHECK-NEXT:   sdfg.tasklet (%[[X:.*]] = %[[C]] : f32) -> f32 {
// CHECK-NEXT:     %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:     arith.mulf %[[BETA]], %[[X]] : f32
// CHECK:      sdfg.map (%[[I2:.*]], %[[J2:.*]]) = (0, 0) to (3, 5) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[K:.*]]) = (0) to (4) {
// CHECK-NEXT:     sdfg.load %a[%[[K]], %[[I2]]] : !sdfg.array<f32[4, 3]>
// CHECK-NEXT:     sdfg.load %w[%[[K]], %[[J2]]] : !sdfg.array<f32[4, 5]>
// CHECK:          wcr(sum)
sdfg.sdfg @gemm inputs(%a: !sdfg.array<f32[4, 3]>, %w: !sdfg.array<f32[4, 5]>, %bias: !sdfg.array<f32[5]>) outputs(%y: !sdfg.array<f32[3, 5]>) {
  sdfg.state @s {
    nn.gemm ins(%a, %w, %bias : !sdfg.array<f32[4, 3]>, !sdfg.array<f32[4, 5]>, !sdfg.array<f32[5]>) outs(%y : !sdfg.array<f32[3, 5]>) {transpose_a, beta = 2.0 : f32}
  }
}

// -----

// Causal softmax: row max and row sum transients named after the label, initialised to -inf and 0;
// the mask is computed from the index parameters; normalisation guards empty rows.
// CHECK-LABEL: sdfg.sdfg @softmax
// CHECK-DAG:  %[[MAX:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "probs_max"} : <f32[2, S]>
// CHECK-DAG:  %[[SUM:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "probs_sum"} : <f32[2, S]>
// CHECK:      sdfg.map (%[[H0:.*]], %[[R0:.*]]) = (0, 0) to (2, %S) schedule(omp) {
// CHECK:        arith.constant 0xFF800000 : f32
// CHECK:        sdfg.store %{{.*}}, %[[MAX]][%[[H0]], %[[R0]]]
// CHECK:        sdfg.store %{{.*}}, %[[SUM]][%[[H0]], %[[R0]]]
// CHECK:      sdfg.map (%[[H:.*]], %[[R:.*]]) = (0, 0) to (2, %S) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[L:.*]]) = (0) to (%S) {
// CHECK-NEXT:     %[[X:.*]] = sdfg.load %x[%[[H]], %[[R]], %[[L]]]
// CHECK-NEXT:     %[[V:.*]] = sdfg.tasklet (%{{.*}} = %[[X]] : f32, %[[QI:.*]] = %[[R]] : index, %[[KJ:.*]] = %[[L]] : index) -> f32 {
// CHECK:            arith.cmpi sle, %[[KJ]], %[[QI]] : index
// CHECK:            arith.select
// CHECK:          sdfg.store %[[V]], %[[MAX]][%[[H]], %[[R]]] wcr(max)
// CHECK:      math.exp
// CHECK:      sdfg.store %[[E:.*]], %y[
// CHECK-NEXT: sdfg.store %[[E]], %[[SUM]][{{.*}}] wcr(sum)
// CHECK:      sdfg.map {{.*}} to (2, %S, %S) schedule(omp) {
// CHECK:        arith.cmpf ogt
// CHECK:        arith.divf
// CHECK:        arith.select
sdfg.sdfg @softmax symbols(%S) inputs(%x: !sdfg.array<f32[2, S, S]>) outputs(%y: !sdfg.array<f32[2, S, S]>) {
  sdfg.state @s {
    nn.softmax ins(%x : !sdfg.array<f32[2, S, S]>) outs(%y : !sdfg.array<f32[2, S, S]>) {causal, scale = 0.125 : f32, label = "probs"}
  }
}

// -----

// Reductions with keepdims: the reduced dim of the output is indexed at 0.
// CHECK-LABEL: sdfg.sdfg @reduce
// CHECK:      sdfg.map (%{{.*}}, %{{.*}}) = (0, 0) to (4, 1) schedule(omp) {
// CHECK:        arith.constant 0xFF800000 : f32
// CHECK:      sdfg.map (%[[I:.*]]) = (0) to (4) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[J:.*]]) = (0) to (8) {
// CHECK-NEXT:     %[[V:.*]] = sdfg.load %x[%[[I]], %[[J]]]
// CHECK-NEXT:     sdfg.store %[[V]], %y[%[[I]], 0] wcr(max)
sdfg.sdfg @reduce inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 1]>) {
  sdfg.state @s {
    nn.reduce_max ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
  }
}

// -----

// Layer norm: transient names avoid existing ones (ln_mean is taken).
// CHECK-LABEL: sdfg.sdfg @layer_norm
// CHECK:      name = "ln_mean"
// CHECK:      %[[MEAN:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "ln_mean_1"}
// CHECK:      %[[VAR:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "ln_var"}
// CHECK:      sdfg.store %{{.*}}, %[[MEAN]][%{{.*}}] wcr(sum)
// CHECK:      arith.divf
// CHECK:      sdfg.store %{{.*}}, %[[VAR]][%{{.*}}] wcr(sum)
// CHECK:      math.sqrt
sdfg.sdfg @layer_norm symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>, %g: !sdfg.array<f32[8]>, %b: !sdfg.array<f32[8]>) outputs(%y: !sdfg.array<f32[S, 8]>) {
  %ln_mean = sdfg.alloc {name = "ln_mean"} : !sdfg.array<f32[S]>
  sdfg.state @s {
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[S, 8]>, !sdfg.array<f32[8]>, !sdfg.array<f32[8]>) outs(%y : !sdfg.array<f32[S, 8]>) {label = "ln"}
  }
}

// -----

// Layout: reshape reads through a view, transpose permutes the load's indices, concat offsets the store.
// CHECK-LABEL: sdfg.sdfg @layout
// CHECK:      %[[V:.*]] = sdfg.reshape_view %x : <f32[4, 8]> -> <f32[4, 2, 4]>
// CHECK-NEXT: sdfg.map (%[[A:.*]], %[[B:.*]], %[[C:.*]]) = (0, 0, 0) to (4, 2, 4) schedule(omp) {
// CHECK-NEXT:   sdfg.load %[[V]][%[[A]], %[[B]], %[[C]]]
// CHECK:      sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (8, 4) schedule(omp) {
// CHECK-NEXT:   sdfg.load %x[%[[J]], %[[I]]]
// CHECK:      sdfg.store %{{.*}}, %c[%{{.*}}, %{{.*}}] :
// CHECK:      sdfg.store %{{.*}}, %c[%{{.*}}, %{{.*}} + 8] :
sdfg.sdfg @layout inputs(%x: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 2, 4]>, %t: !sdfg.array<f32[8, 4]>, %c: !sdfg.array<f32[4, 16]>) {
  sdfg.state @s {
    nn.reshape ins(%x : !sdfg.array<f32[4, 8]>) outs(%y : !sdfg.array<f32[4, 2, 4]>)
    nn.transpose ins(%x : !sdfg.array<f32[4, 8]>) outs(%t : !sdfg.array<f32[8, 4]>) {permutation = array<i64: 1, 0>}
    nn.concat ins(%x, %x : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%c : !sdfg.array<f32[4, 16]>) {axis = 1}
  }
}
