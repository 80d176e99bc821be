// A wcr store whose indices include every parameter of the parallel map is owned by one iteration: no
// atomic. One that does not (the reduction runs over a parallel parameter) stays atomic.
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s

sdfg.sdfg @rowsums symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N]>, %z: !sdfg.array<f32[16]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%N) schedule(omp) {
      sdfg.map (%k) = (0) to (16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[N, 16]>
        sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(sum) : !sdfg.array<f32[16]>
      }
    }
  }
}

// CHECK: #pragma omp parallel for
// CHECK: const float [[V:_v[0-9]+]] = v_x[
// CHECK-NEXT: v_y[{{_i[0-9]+}}] += [[V]];
// CHECK-NEXT: #pragma omp atomic
// CHECK-NEXT: v_z[{{_i[0-9]+}}] += [[V]];
