// RUN: dmc-opt %s -split-input-file --expand-library-nodes | FileCheck %s
// The output verifies and parses again.
// RUN: dmc-opt %s -split-input-file --expand-library-nodes | dmc-opt -split-input-file | FileCheck %s

// The fused matmul: MatMul's init and wcr(sum) product nests into C (alpha per product, B read
// transposed), then one epilogue map: act(C + pre_scale * pre[bcast]) + post_scale * post.
// CHECK-LABEL: sdfg.sdfg @fused_matmul
// CHECK-NOT:  sdfg.alloc
// CHECK:      sdfg.map (%[[B0:.*]], %[[I0:.*]], %[[J0:.*]]) = (0, 0, 0) to (2, 5, 4) schedule(omp) {
// CHECK:        sdfg.store %{{.*}}, %c[%[[B0]], %[[I0]], %[[J0]]] : !sdfg.array<f32[2, 5, 4]>
// CHECK:      sdfg.map (%[[B:.*]], %[[I:.*]], %[[J:.*]]) = (0, 0, 0) to (2, 5, 4) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[K:.*]]) = (0) to (3) {
// CHECK-NEXT:     sdfg.load %a[%[[B]], %[[I]], %[[K]]]
// CHECK-NEXT:     sdfg.load %w[%[[J]], %[[K]]]
// CHECK:          arith.constant 5.000000e-01
// CHECK:          sdfg.store %{{.*}}, %c[%[[B]], %[[I]], %[[J]]] wcr(sum)
// CHECK:      sdfg.map (%[[EB:.*]], %[[EI:.*]], %[[EJ:.*]]) = (0, 0, 0) to (2, 5, 4) schedule(omp) {
// CHECK-NEXT:   %[[ACC:.*]] = sdfg.load %c[%[[EB]], %[[EI]], %[[EJ]]]
// CHECK-NEXT:   %[[PRE:.*]] = sdfg.load %bias[%[[EJ]]]
// CHECK-NEXT:   %[[POST:.*]] = sdfg.load %res[%[[EB]], %[[EI]], %[[EJ]]]
// CHECK-NEXT:   %[[R:.*]] = sdfg.tasklet (%[[X:.*]] = %[[ACC]] : f32, %[[P:.*]] = %[[PRE]] : f32, %[[Q:.*]] = %[[POST]] : f32) -> f32 {
// CHECK-NEXT:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:     %[[SP:.*]] = arith.mulf %[[TWO]], %[[P]]
// CHECK-NEXT:     %[[Z:.*]] = arith.addf %[[X]], %[[SP]]
// CHECK-NEXT:     %[[ZERO:.*]] = arith.constant 0.0
// CHECK-NEXT:     %[[POS:.*]] = arith.cmpf ogt, %[[Z]], %[[ZERO]]
// CHECK-NEXT:     %[[RELU:.*]] = arith.select %[[POS]], %[[Z]], %[[ZERO]]
// CHECK-NEXT:     %[[M1:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-NEXT:     %[[SQ:.*]] = arith.mulf %[[M1]], %[[Q]]
// CHECK-NEXT:     %[[OUT:.*]] = arith.addf %[[RELU]], %[[SQ]]
// CHECK-NEXT:     sdfg.yield %[[OUT]]
// CHECK:        sdfg.store %[[R]], %c[%[[EB]], %[[EI]], %[[EJ]]] : !sdfg.array<f32[2, 5, 4]>
// CHECK-NOT:  nn.fused_matmul
sdfg.sdfg @fused_matmul inputs(%a: !sdfg.array<f32[2, 5, 3]>, %w: !sdfg.array<f32[4, 3]>, %bias: !sdfg.array<f32[4]>, %res: !sdfg.array<f32[2, 5, 4]>) outputs(%c: !sdfg.array<f32[2, 5, 4]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w, %bias, %res : !sdfg.array<f32[2, 5, 3]>, !sdfg.array<f32[4, 3]>, !sdfg.array<f32[4]>, !sdfg.array<f32[2, 5, 4]>) outs(%c : !sdfg.array<f32[2, 5, 4]>) {transpose_b, alpha = 0.5 : f32, activation = "relu", has_pre, has_post, pre_scale = 2.0 : f32, post_scale = -1.0 : f32}
  }
}

// -----

// `post` is C itself (through a view): the product goes to a transient, so that post is read before
// the epilogue writes C.
// CHECK-LABEL: sdfg.sdfg @post_is_c
// CHECK:      %[[ACC:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "mm_acc"} : <f32[5, 4]>
// CHECK:      %[[VIEW:.*]] = sdfg.reshape_view %c
// CHECK:        sdfg.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] : !sdfg.array<f32[5, 4]>
// CHECK:          sdfg.store %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] wcr(sum)
// CHECK:      sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (5, 4) schedule(omp) {
// CHECK-NEXT:   sdfg.load %[[ACC]][%[[I]], %[[J]]]
// CHECK-NEXT:   sdfg.load %[[VIEW]][%[[I]], %[[J]]]
// CHECK:          arith.addf
// CHECK:        sdfg.store %{{.*}}, %c[%[[I]], %[[J]]] : !sdfg.array<f32[5, 4]>
// CHECK-NOT:  nn.fused_matmul
sdfg.sdfg @post_is_c inputs(%a: !sdfg.array<f32[5, 3]>, %w: !sdfg.array<f32[3, 4]>) outputs(%c: !sdfg.array<f32[5, 4]>) {
  %view = sdfg.reshape_view %c : !sdfg.array<f32[5, 4]> -> !sdfg.array<f32[5, 4]>
  sdfg.state @s {
    nn.fused_matmul ins(%a, %w, %view : !sdfg.array<f32[5, 3]>, !sdfg.array<f32[3, 4]>, !sdfg.array<f32[5, 4]>) outs(%c : !sdfg.array<f32[5, 4]>) {has_post, label = "mm"}
  }
}

// -----

// Attention: the scores Q @ K^T into a transient (K's batch dim of size 1 read at 0), the softmax maps
// on them (scale, additive mask, causal and window masks, dropped positions 0), then P @ V into O.
// CHECK-LABEL: sdfg.sdfg @attention
// CHECK-DAG:  %[[S:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "att_scores"} : <f32[2, S, S]>
// CHECK-DAG:  %[[P:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "att_probs"} : <f32[2, S, S]>
// CHECK-DAG:  %[[MAX:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "att_max"} : <f32[2, S]>
// CHECK-DAG:  %[[SUM:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "att_sum"} : <f32[2, S]>
// CHECK:      sdfg.map (%{{.*}}) = (0, 0, 0) to (2, %S, %S) schedule(omp) {
// CHECK:        sdfg.store %{{.*}}, %[[S]]
// CHECK:      sdfg.map (%[[B:.*]], %[[I:.*]], %[[J:.*]]) = (0, 0, 0) to (2, %S, %S) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[K:.*]]) = (0) to (8) {
// CHECK-NEXT:     sdfg.load %q[%[[B]], %[[I]], %[[K]]]
// CHECK-NEXT:     sdfg.load %k[0, %[[J]], %[[K]]]
// CHECK:          sdfg.store %{{.*}}, %[[S]][%[[B]], %[[I]], %[[J]]] wcr(sum)
// CHECK:      sdfg.map (%[[RB:.*]], %[[RI:.*]]) = (0, 0) to (2, %S) schedule(omp) {
// CHECK:        sdfg.store %{{.*}}, %[[MAX]][%[[RB]], %[[RI]]]
// CHECK:        sdfg.store %{{.*}}, %[[SUM]][%[[RB]], %[[RI]]]
// CHECK:      sdfg.map (%[[MB:.*]], %[[MI:.*]]) = (0, 0) to (2, %S) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[MJ:.*]]) = (0) to (%S) {
// CHECK-NEXT:     sdfg.load %[[S]][%[[MB]], %[[MI]], %[[MJ]]]
// CHECK-NEXT:     sdfg.load %m[%[[MI]], %[[MJ]]]
// CHECK-NEXT:     sdfg.tasklet
// CHECK-NEXT:       arith.constant 2.500000e-01
// CHECK:            arith.cmpi sle
// CHECK:            arith.constant 3 : index
// CHECK:            arith.andi
// CHECK:            arith.constant 0xFF800000
// CHECK:          sdfg.store %{{.*}}, %[[MAX]][%[[MB]], %[[MI]]] wcr(max)
// CHECK:      sdfg.map
// CHECK:            math.exp
// CHECK:          sdfg.store %{{.*}}, %[[P]][
// CHECK:          sdfg.store %{{.*}}, %[[SUM]][{{.*}}] wcr(sum)
// CHECK:      sdfg.map
// CHECK:          arith.divf
// CHECK:        sdfg.store %{{.*}}, %[[P]][
// CHECK:      sdfg.map (%{{.*}}) = (0, 0, 0) to (2, %S, 6) schedule(omp) {
// CHECK:        sdfg.store %{{.*}}, %o[
// CHECK:      sdfg.map (%[[OB:.*]], %[[OI:.*]], %[[OJ:.*]]) = (0, 0, 0) to (2, %S, 6) schedule(omp) {
// CHECK-NEXT:   sdfg.map (%[[OK:.*]]) = (0) to (%S) {
// CHECK-NEXT:     sdfg.load %[[P]][%[[OB]], %[[OI]], %[[OK]]]
// CHECK-NEXT:     sdfg.load %v[%[[OB]], %[[OK]], %[[OJ]]]
// CHECK:          sdfg.store %{{.*}}, %o[%[[OB]], %[[OI]], %[[OJ]]] wcr(sum)
// CHECK-NOT:  nn.attention
sdfg.sdfg @attention symbols(%S) inputs(%q: !sdfg.array<f32[2, S, 8]>, %k: !sdfg.array<f32[1, S, 8]>, %v: !sdfg.array<f32[2, S, 6]>, %m: !sdfg.array<f32[S, S]>) outputs(%o: !sdfg.array<f32[2, S, 6]>) {
  sdfg.state @s {
    nn.attention ins(%q, %k, %v, %m : !sdfg.array<f32[2, S, 8]>, !sdfg.array<f32[1, S, 8]>, !sdfg.array<f32[2, S, 6]>, !sdfg.array<f32[S, S]>) outs(%o : !sdfg.array<f32[2, S, 6]>) {scale = 0.25 : f32, causal, window = 3, label = "att"}
  }
}
