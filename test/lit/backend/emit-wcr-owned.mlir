// The emitter prints a wcr store as the IR says: an `owned` one (resolve-write-conflicts proved one
// iteration updates its element; test/lit/passes/resolve-write-conflicts.mlir) as a plain update, any
// other as an atomic (sum, product) or critical (max, min) update.
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s

sdfg.sdfg @rowsums symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N]>, %z: !sdfg.array<f32[16]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%N) schedule(omp) {
      sdfg.map (%k) = (0) to (16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[N, 16]>
        sdfg.store %v, %y[%i] wcr(sum) owned : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(sum) : !sdfg.array<f32[16]>
        sdfg.store %v, %y[%i] wcr(product) owned : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(product) : !sdfg.array<f32[16]>
        sdfg.store %v, %y[%i] wcr(max) owned : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(min) : !sdfg.array<f32[16]>
      }
    }
  }
}

// CHECK:      #pragma omp parallel for
// CHECK:      const float [[V:_v[0-9]+]] = v_x[
// CHECK-NEXT: v_y[{{_i[0-9]+}}] += [[V]];
// CHECK-NEXT: #pragma omp atomic
// CHECK-NEXT: v_z[{{_i[0-9]+}}] += [[V]];
// CHECK-NEXT: v_y[{{_i[0-9]+}}] *= [[V]];
// CHECK-NEXT: #pragma omp atomic
// CHECK-NEXT: v_z[{{_i[0-9]+}}] *= [[V]];
// CHECK-NEXT: { v_y[[[I:_i[0-9]+]]] = std::fmax(v_y[[[I]]], [[V]]); }
// CHECK-NEXT: #pragma omp critical(dmc_wcr)
// CHECK-NEXT: { v_z[[[K:_i[0-9]+]]] = std::fmin(v_z[[[K]]], [[V]]); }
