// The hand-written MHA sample survives printing: parse(print(x)) prints x again, through the custom and
// through the generic form.
// RUN: dmc-opt %dmc_src/samples/mlir/mha_softmax.mlir > %t1 && dmc-opt %t1 > %t2 && diff %t1 %t2
// RUN: dmc-opt %dmc_src/samples/mlir/mha_softmax.mlir --mlir-print-op-generic | dmc-opt > %t3 && diff %t1 %t3
// RUN: FileCheck %s < %t1

// CHECK-LABEL: sdfg.sdfg @mha symbols(%S) inputs(%x: !sdfg.array<f32[S, 256]>, %wq: !sdfg.array<f32[256, 256]>,
// CHECK-SAME: outputs(%y: !sdfg.array<f32[S, 256]>) {
// CHECK: %[[Q:.*]] = sdfg.alloc {name = "q"} : <f32[S, 256]>
// CHECK: %[[QH:.*]] = sdfg.alloc {name = "qh"} : <f32[4, S, 64]>
// CHECK: %[[KH:.*]] = sdfg.alloc {name = "kh"} : <f32[4, S, 64]>
// CHECK: %[[SCORES:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "scores"} : <f32[4, S, S]>
// CHECK-NEXT: %[[PROBS:.*]] = sdfg.alloc {lifetime = #sdfg.lifetime<state>, name = "probs"} : <f32[4, S, S]>
// CHECK: %[[Q4:.*]] = sdfg.reshape_view %[[Q]] : <f32[S, 256]> -> <f32[S, 4, 64]>
// CHECK: sdfg.state @projections {
// CHECK-NEXT: nn.gemm ins(%x, %wq, %bq : !sdfg.array<f32[S, 256]>, !sdfg.array<f32[256, 256]>, !sdfg.array<f32[256]>) outs(%[[Q]] : !sdfg.array<f32[S, 256]>) {label = "q_proj"}
// CHECK: nn.transpose ins(%[[Q4]] : !sdfg.array<f32[S, 4, 64]>) outs(%[[QH]] : !sdfg.array<f32[4, S, 64]>) {permutation = array<i64: 1, 0, 2>}
// CHECK: sdfg.state @attention {
// CHECK-NEXT: nn.matmul ins(%[[QH]], %[[KH]] : !sdfg.array<f32[4, S, 64]>, !sdfg.array<f32[4, S, 64]>) outs(%[[SCORES]] : !sdfg.array<f32[4, S, S]>) {transpose_b}
// CHECK-NEXT: sdfg.map (%[[H:.*]], %[[I:.*]], %[[J:.*]]) = (0, 0, 0) to (4, %S, %S) schedule(omp) {
// CHECK-NEXT: %[[S:.*]] = sdfg.load %[[SCORES]][%[[H]], %[[I]], %[[J]]] : !sdfg.array<f32[4, S, S]>
// CHECK-NEXT: %[[SCALED:.*]] = sdfg.tasklet (%[[A:.*]] = %[[S]] : f32) -> f32 {
// CHECK-NEXT: %[[C:.*]] = arith.constant 1.250000e-01 : f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[A]], %[[C]] : f32
// CHECK-NEXT: sdfg.yield %[[M]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: sdfg.store %[[SCALED]], %[[SCORES]][%[[H]], %[[I]], %[[J]]] : !sdfg.array<f32[4, S, S]>
// CHECK-NEXT: }
// CHECK-NEXT: nn.softmax ins(%[[SCORES]] : !sdfg.array<f32[4, S, S]>) outs(%[[PROBS]] : !sdfg.array<f32[4, S, S]>){{$}}
// CHECK: sdfg.state @output {
// CHECK: sdfg.edge @projections -> @attention{{$}}
// CHECK-NEXT: sdfg.edge @attention -> @output{{$}}
