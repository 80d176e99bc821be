// dmc view attaches to every drawn node the C++ lines the emitter wrote for it, nested nodes too: a map's
// code holds its body's, a tasklet's only its own expression, a tasklet that only passes its value on has
// no line of its own. The emitter's markers stay out of the page and out of the library's C++.
// RUN: dmc view %s -O0 -o %t.html
// RUN: %python %S/Inputs/view_cpp.py %t.html | FileCheck %s
// RUN: dmc compile %s -O0 --emit=cpp -o - | FileCheck --check-prefix=LIB %s

sdfg.sdfg @nest symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N, 16]>, %z: !sdfg.array<f32[N, 16]>, %p: !sdfg.array<f32[N, 16]>) {
  sdfg.state @main {
    sdfg.map (%i) = (0) to (%N) schedule(omp) {
      sdfg.map (%j) = (0) to (16) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[N, 16]>
        %w = sdfg.tasklet (%a = %v : f32) -> f32 {
          %e = math.exp %a : f32
          sdfg.yield %e : f32
        }
        sdfg.store %w, %y[%i, %j] : !sdfg.array<f32[N, 16]>
        %c = sdfg.tasklet (%b = %v : f32) -> f32 {
          sdfg.yield %b : f32
        }
        sdfg.store %c, %z[%i, %j] : !sdfg.array<f32[N, 16]>
      }
    }
    nn.softmax ins(%y : !sdfg.array<f32[N, 16]>) outs(%p : !sdfg.array<f32[N, 16]>) {label = "probs"}
  }
}

// The outer map: its loop, the inner map's loop, the load, the exp and both stores.
// CHECK-LABEL: node s0.0 map
// CHECK-NEXT:  | #pragma omp parallel for
// CHECK-NEXT:  | for (int64_t [[I:_i[0-9]+]] = 0; [[I]] < s_N; [[I]] += 1) {
// CHECK-NEXT:  |   for (int64_t [[J:_i[0-9]+]] = 0; [[J]] < 16; [[J]] += 1) {
// CHECK-NEXT:  |     const float [[V:_v[0-9]+]] = v_x[
// CHECK-NEXT:  |     const float [[E:_v[0-9]+]] = std::exp([[V]]);
// CHECK-NEXT:  |     v_y[{{.*}}] = [[E]];
// CHECK-NEXT:  |     v_z[{{.*}}] = [[V]];
// CHECK-NEXT:  |   }
// CHECK-NEXT:  | }
// The inner map: its own loop, unindented.
// CHECK-NEXT:  node s0.0.0 map
// CHECK-NEXT:  | for (int64_t [[J]] = 0; [[J]] < 16; [[J]] += 1) {
// CHECK-NEXT:  |   const float [[V]] = v_x[
// CHECK:       | }
// The exp tasklet: its expression only.
// CHECK-NEXT:  node s0.0.0.1 tasklet exp
// CHECK-NEXT:  | const float [[E]] = std::exp([[V]]);
// CHECK-NEXT:  node s0.0.0.3 tasklet tasklet
// CHECK-NEXT:  (no line of its own)
// The library node: its runtime call.
// CHECK-NEXT:  node s0.1 library probs
// CHECK-NEXT:  | { // nn.softmax 'probs'
// CHECK:       dmcrt_softmax(
// CHECK:       markers: 0

// LIB-NOT: dmc-node
// LIB: dmc_nest_run
// LIB-NOT: dmc-node
