// dmc view's escaping test (test/viewer): an attribute string that would end the page's script element and
// start markup if the page did not escape it (names are identifiers, checked by the verifiers; the test also
// gives this file a hostile path). Otherwise samples/mlir/mha_softmax.mlir.
sdfg.sdfg @mha symbols(%S) inputs(%x: !sdfg.array<f32[S, 256]>, %wq: !sdfg.array<f32[256, 256]>,
    %bq: !sdfg.array<f32[256]>, %wk: !sdfg.array<f32[256, 256]>, %bk: !sdfg.array<f32[256]>,
    %wv: !sdfg.array<f32[256, 256]>, %bv: !sdfg.array<f32[256]>, %wo: !sdfg.array<f32[256, 256]>,
    %bo: !sdfg.array<f32[256]>) outputs(%y: !sdfg.array<f32[S, 256]>) {
  %q = sdfg.alloc {name = "q"} : !sdfg.array<f32[S, 256]>
  %k = sdfg.alloc {name = "k"} : !sdfg.array<f32[S, 256]>
  %v = sdfg.alloc {name = "v"} : !sdfg.array<f32[S, 256]>
  %qh = sdfg.alloc {name = "qh"} : !sdfg.array<f32[4, S, 64]>
  %kh = sdfg.alloc {name = "kh"} : !sdfg.array<f32[4, S, 64]>
  %vh = sdfg.alloc {name = "vh"} : !sdfg.array<f32[4, S, 64]>
  %scores = sdfg.alloc {name = "scores", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[4, S, S]>
  %probs = sdfg.alloc {name = "probs", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[4, S, S]>
  %ctxh = sdfg.alloc {name = "ctxh"} : !sdfg.array<f32[4, S, 64]>
  %ctx = sdfg.alloc {name = "ctx"} : !sdfg.array<f32[S, 256]>
  %q4 = sdfg.reshape_view %q : !sdfg.array<f32[S, 256]> -> !sdfg.array<f32[S, 4, 64]>
  %k4 = sdfg.reshape_view %k : !sdfg.array<f32[S, 256]> -> !sdfg.array<f32[S, 4, 64]>
  %v4 = sdfg.reshape_view %v : !sdfg.array<f32[S, 256]> -> !sdfg.array<f32[S, 4, 64]>
  %ctx4 = sdfg.reshape_view %ctx : !sdfg.array<f32[S, 256]> -> !sdfg.array<f32[S, 4, 64]>
  sdfg.state @projections {
    nn.gemm ins(%x, %wq, %bq : !sdfg.array<f32[S, 256]>, !sdfg.array<f32[256, 256]>, !sdfg.array<f32[256]>) outs(%q : !sdfg.array<f32[S, 256]>) {label = "q_proj"}
    nn.gemm ins(%x, %wk, %bk : !sdfg.array<f32[S, 256]>, !sdfg.array<f32[256, 256]>, !sdfg.array<f32[256]>) outs(%k : !sdfg.array<f32[S, 256]>) {label = "k_proj"}
    nn.gemm ins(%x, %wv, %bv : !sdfg.array<f32[S, 256]>, !sdfg.array<f32[256, 256]>, !sdfg.array<f32[256]>) outs(%v : !sdfg.array<f32[S, 256]>) {label = "v_proj"}
    nn.transpose ins(%q4 : !sdfg.array<f32[S, 4, 64]>) outs(%qh : !sdfg.array<f32[4, S, 64]>) {permutation = array<i64: 1, 0, 2>}
    nn.transpose ins(%k4 : !sdfg.array<f32[S, 4, 64]>) outs(%kh : !sdfg.array<f32[4, S, 64]>) {permutation = array<i64: 1, 0, 2>}
    nn.transpose ins(%v4 : !sdfg.array<f32[S, 4, 64]>) outs(%vh : !sdfg.array<f32[4, S, 64]>) {permutation = array<i64: 1, 0, 2>}
  }
  sdfg.state @attention {
    nn.matmul ins(%qh, %kh : !sdfg.array<f32[4, S, 64]>, !sdfg.array<f32[4, S, 64]>) outs(%scores : !sdfg.array<f32[4, S, S]>) {transpose_b}
    // Scale by 1/sqrt(D) as an explicit map: a memlet in, a tasklet, a memlet out.
    sdfg.map (%h, %i, %j) = (0, 0, 0) to (4, %S, %S) schedule(omp) {
      %s = sdfg.load %scores[%h, %i, %j] : !sdfg.array<f32[4, S, S]>
      %scaled = sdfg.tasklet (%a = %s : f32) -> f32 {
        %c = arith.constant 1.250000e-01 : f32
        %m = arith.mulf %a, %c : f32
        sdfg.yield %m : f32
      }
      sdfg.store %scaled, %scores[%h, %i, %j] : !sdfg.array<f32[4, S, S]>
    }
    nn.softmax ins(%scores : !sdfg.array<f32[4, S, S]>) outs(%probs : !sdfg.array<f32[4, S, S]>)
    nn.matmul ins(%probs, %vh : !sdfg.array<f32[4, S, S]>, !sdfg.array<f32[4, S, 64]>) outs(%ctxh : !sdfg.array<f32[4, S, 64]>)
    nn.transpose ins(%ctxh : !sdfg.array<f32[4, S, 64]>) outs(%ctx4 : !sdfg.array<f32[S, 4, 64]>) {permutation = array<i64: 1, 0, 2>}
  }
  sdfg.state @output {
    nn.gemm ins(%ctx, %wo, %bo : !sdfg.array<f32[S, 256]>, !sdfg.array<f32[256, 256]>, !sdfg.array<f32[256]>) outs(%y : !sdfg.array<f32[S, 256]>) {label = "o_proj", dmc.note = "</script><img src=x onerror=\"window.pwned=2\">&amp;\E2\80\A8"}
  }
  sdfg.edge @projections -> @attention
  sdfg.edge @attention -> @output
}
