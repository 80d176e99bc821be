// A wcr store indexed by a tile parameter (ranging over [origin, origin + step of the parallel origin])
// is owned by one parallel iteration: no atomic. A "tile" wider than the origin's step overlaps the
// next one's, and a parameter whose bounds start elsewhere is not a tile: both stay atomic. The decision
// is resolve-write-conflicts' (IR), the emitter prints it (CPP), and dmc compile runs the pass.
// RUN: dmc-opt %s --resolve-write-conflicts | FileCheck %s --check-prefix=IR
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s

sdfg.sdfg @tiles inputs(%x: !sdfg.array<f32[32, 16]>) outputs(%y: !sdfg.array<f32[40]>, %z: !sdfg.array<f32[48]>, %w: !sdfg.array<f32[40]>) {
  sdfg.state @s {
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io, 0) to (%io + 8, 16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[40]>
      }
    }
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io, 0) to (%io + 16, 16) {
        %v = sdfg.load %x[%k, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %z[%i] wcr(sum) : !sdfg.array<f32[48]>
      }
    }
    sdfg.map (%io) = (0) to (32) step (8) schedule(omp) {
      sdfg.map (%i, %k) = (%io + 1, 0) to (%io + 9, 16) {
        %v = sdfg.load %x[%k, %k] : !sdfg.array<f32[32, 16]>
        sdfg.store %v, %w[%i] wcr(sum) : !sdfg.array<f32[40]>
      }
    }
  }
}

// IR: sdfg.store %{{.*}}, %y[%{{.*}}] wcr(sum) owned :
// IR: sdfg.store %{{.*}}, %z[%{{.*}}] wcr(sum) :
// IR: sdfg.store %{{.*}}, %w[%{{.*}}] wcr(sum) :

// CHECK:      #pragma omp parallel for
// CHECK:      const float [[V:_v[0-9]+]] = v_x[
// CHECK-NEXT: v_y[{{_i[0-9]+}}] += [[V]];
// CHECK:      #pragma omp parallel for
// CHECK:      #pragma omp atomic
// CHECK-NEXT: v_z[
// CHECK:      #pragma omp parallel for
// CHECK:      #pragma omp atomic
// CHECK-NEXT: v_w[
