// Maps become loops (OpenMP on the outermost parallel map), memlets become indexing through views,
// tasklets become C++ expressions, wcr(sum) in a parallel map becomes an atomic update.
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s

sdfg.sdfg @rowsum symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N]>) {
  %xt = sdfg.transpose_view %x [1, 0] : !sdfg.array<f32[N, 16]> -> !sdfg.array<f32[16, N]>
  sdfg.state @zero {
    sdfg.map (%i) = (0) to (%N) {
      %z = sdfg.tasklet () -> f32 {
        %c = arith.constant 0.0 : f32
        sdfg.yield %c : f32
      }
      sdfg.store %z, %y[%i] : !sdfg.array<f32[N]>
    }
  }
  sdfg.state @sum {
    sdfg.map (%j, %i) = (0, 0) to (16, %N) schedule(omp) {
      %v = sdfg.load %xt[%j, %i] : !sdfg.array<f32[16, N]>
      %w = sdfg.tasklet (%a = %v : f32) -> f32 {
        %e = math.exp %a : f32
        sdfg.yield %e : f32
      }
      sdfg.store %w, %y[%i] wcr(sum) : !sdfg.array<f32[N]>
    }
  }
  sdfg.edge @zero -> @sum
}

// CHECK: DMCRT_API DMC_ISA_VARIANTS int dmc_rowsum_run(void *_handle, int64_t s_N, const float *v_x, float *v_y)
// CHECK: for (int64_t [[I:_i[0-9]+]] = 0; [[I]] < s_N; [[I]] += 1) {
// CHECK: const float [[C:_v[0-9]+]] = 0x0p+0f;
// CHECK: v_y[[[I]]] = [[C]];
// CHECK: goto _state_1;
// CHECK: #pragma omp parallel for collapse(2)
// CHECK-NEXT: for (int64_t [[J:_i[0-9]+]] = 0; [[J]] < 16; [[J]] += 1) {
// CHECK-NEXT: for (int64_t [[K:_i[0-9]+]] = 0; [[K]] < s_N; [[K]] += 1) {
// CHECK-NEXT: const float [[V:_v[0-9]+]] = v_x[([[K]]) * 16LL + [[J]]];
// CHECK-NEXT: const float [[E:_v[0-9]+]] = std::exp([[V]]);
// CHECK-NEXT: #pragma omp atomic
// CHECK-NEXT: v_y[[[K]]] += [[E]];
