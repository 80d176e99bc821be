// Movement of hand-written maps (dmc compile of a .mlir runs no pass at -O0). Counted by hand, with S=5
// from --bind (not substituted into a .mlir; the analysis reads it by name). "moved" counts, per top-level
// map and container, the distinct elements of the bounding box of the memlets' subsets (reads and writes
// apart; a wcr store reads and writes its box); "accesses" counts every memlet execution.
//   @init   map (i) < S: writes mx[i] and sum[i]: boxes [0, 4]       mx, sum written 5*4 = 20 each
//           accesses: 5 stores each = 40 B
//   @reduce map (i, j) < (S, 8): loads x[i, j], box [0, 4] x [0, 7] = 40 elements, 160 B;
//           store wcr(max) mx[i], box [0, 4]: 20 B read, 20 B written
//           accesses: 40 loads (160 B), 40 wcr stores (160 B read + 160 B written) = 480 B
//   @tri    map (j) < 8, inner j <= (i) < S (15 iterations; j >= 5 runs none): x[i, j] has the box
//           [0, 4] x [0, 7]: 40 elements, 160 B (the triangle has 15; the box over-counts, never
//           under-counts); acc[j] in registers: box [0, 7], on-chip 32 B written and 32 B read;
//           sum[i] wcr(sum): box [0, 4], 20 B read, 20 B written
//           accesses (memory): 15 loads of x (60 B) + 15 wcr stores of sum (60 + 60 B) = 180 B
//   @out    copy sum -> y: 5*4 = 20 B read and written (accesses the same)
// x: read 160 + 160 = 320; mx: read 20, written 20 + 20 = 40; sum: read 20 + 20 = 40, written 20 + 20 = 40
// y: written 20; memory read 320+20+40 = 380, written 40+40+20 = 100, moved 480.
// (The triangle runs j outside i so that it stays inside x and acc for every S, as the verifier proves.)
// Accesses: read 160+160+60+60+20 = 460, written 40+160+60+20 = 280 (the movement of the old contract).
// RUN: dmc compile %s --bind S=5 --report=movement --emit=header -o %t.h | FileCheck %s

// CHECK:      container       kind                 storage   shape   size  read  written
// CHECK-NEXT: x               input                heap      [S, 8]   160   320        0
// CHECK-NEXT: y               output               heap      [S]       20     0       20
// CHECK-NEXT: mx              transient            heap      [S]       20    20       40
// CHECK-NEXT: sum             transient            heap      [S]       20    40       40
// CHECK-NEXT: acc             transient (on-chip)  register  [8]       32    32       32
// CHECK-NEXT: total (memory)                                                380      100
// CHECK:      moved: 480 bytes (read 380, written 100)
// CHECK-NEXT: accesses: 740 bytes (read 460, written 280; memlet executions x element size)
// CHECK-NEXT: on-chip: read 32, written 32
// CHECK-NEXT: heap transients: 40 bytes, peak per state 40
// CHECK:      state / map         read  written  live transients  accesses
// CHECK-NEXT: @init                  0       40               40        40
// CHECK-NEXT:   map0 -> mx, sum      0       40                         40
// CHECK-NEXT: @reduce              180       20               20       480
// CHECK-NEXT:   map0 -> mx         180       20                        480
// CHECK-NEXT: @tri                 180       20               20       180
// CHECK-NEXT:   map0 -> acc, sum   180       20                        180
// CHECK-NEXT: @out                  20       20               20        40
// CHECK-NOT:  unknown

// Without a value for S, every number depending on it is unknown ('?'), never guessed.
// RUN: dmc compile %s --report=movement --emit=header -o %t.h | FileCheck %s --check-prefix=FREE
// FREE:      00  import  moved: ? MiB (read ? MiB, written ? MiB), transients: ? MiB
// FREE:      x               input                  heap      [S, 8]     ?     ?        0
// FREE:      acc             transient (on-chip)  register  [8]       32     ?        ?
// FREE:      moved: ? bytes (read ?, written ?)
// FREE:      unknown numbers (?): no value for symbol(s) S; pass --bind NAME=VALUE

sdfg.sdfg @maps symbols(%S) inputs(%x: !sdfg.array<f32[S, 8]>) outputs(%y: !sdfg.array<f32[S]>) {
  %mx = sdfg.alloc {name = "mx", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[S]>
  %sum = sdfg.alloc {name = "sum", lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[S]>
  %acc = sdfg.alloc {name = "acc", storage = #sdfg.storage<register>, lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[8]>
  sdfg.state @init {
    sdfg.map (%i) = (0) to (%S) schedule(omp) {
      %lo, %zero = sdfg.tasklet () -> (f32, f32) {
        %ninf = arith.constant 0xFF800000 : f32
        %z = arith.constant 0.0 : f32
        sdfg.yield %ninf, %z : f32, f32
      }
      sdfg.store %lo, %mx[%i] : !sdfg.array<f32[S]>
      sdfg.store %zero, %sum[%i] : !sdfg.array<f32[S]>
    }
  }
  sdfg.state @reduce {
    sdfg.map (%i, %j) = (0, 0) to (%S, 8) schedule(omp) {
      %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 8]>
      sdfg.store %v, %mx[%i] wcr(max) : !sdfg.array<f32[S]>
    }
  }
  sdfg.state @tri {
    sdfg.map (%j) = (0) to (8) {
      sdfg.map (%i) = (%j) to (%S) {
        %v = sdfg.load %x[%i, %j] : !sdfg.array<f32[S, 8]>
        sdfg.store %v, %acc[%j] : !sdfg.array<f32[8]>
        %w = sdfg.load %acc[%j] : !sdfg.array<f32[8]>
        sdfg.store %w, %sum[%i] wcr(sum) : !sdfg.array<f32[S]>
      }
    }
  }
  sdfg.state @out {
    sdfg.copy %sum -> %y : !sdfg.array<f32[S]> -> !sdfg.array<f32[S]>
  }
  sdfg.edge @init -> @reduce
  sdfg.edge @reduce -> @tri
  sdfg.edge @tri -> @out
}
