// Memlet volumes in hand-written maps (dmc compile of a .mlir runs no pass at -O0). Counted by hand,
// with S=5 from --bind (not substituted into a .mlir; the analysis reads it by name):
//   @init   map (i) < S: writes mx[i] and sum[i]                         mx, sum written 5*4 = 20 each
//   @reduce map (i, j) < (S, 8): loads x[i, j] (S*8 = 40 times, 160 B);
//           store wcr(max) mx[i]: 40 reads + 40 writes (160 B each)
//   @tri    map (i) < S, inner (j) < i + 1: 1+2+3+4+5 = 15 iterations; each loads x[i, j] (60 B),
//           stores acc[j] in registers (on-chip: 60 B written), reloads it (60 B on-chip read)
//           and stores sum[i] wcr(sum) (60 B read, 60 B written)
//   @out    copy sum -> y: 5*4 = 20 B read and written
// x: read 160 + 60 = 220; mx: read 160, written 20 + 160 = 180; sum: read 60 + 20 = 80, written 20 + 60 = 80
// y: written 20; memory read 220+160+80 = 460, written 180+80+20 = 280.
// RUN: dmc compile %s --bind S=5 --report=movement --emit=header -o %t.h | FileCheck %s

// CHECK:      container       kind                   storage   shape   size  read  written
// CHECK-NEXT: x               input                  heap      [S, 8]   160   220        0
// CHECK-NEXT: y               output                 heap      [S]       20     0       20
// CHECK-NEXT: mx              transient              heap      [S]       20   160      180
// CHECK-NEXT: sum             transient              heap      [S]       20    80       80
// CHECK-NEXT: acc             transient (on-chip)    register  [8]       32    60       60
// CHECK-NEXT: total (memory)                                                  460      280
// CHECK:      moved: 740 bytes (read 460, written 280)
// CHECK-NEXT: on-chip: read 60, written 60
// CHECK-NEXT: heap transients: 40 bytes, peak per state 40
// CHECK:      state / map       read  written  live transients
// CHECK-NEXT: @init                0       40               40
// CHECK-NEXT:   map0 -> mx, sum    0       40
// CHECK-NEXT: @reduce            320      160               20
// CHECK-NEXT:   map0 -> mx       320      160
// CHECK-NEXT: @tri               120       60               20
// CHECK-NEXT:   map0 -> acc, sum 120       60
// CHECK-NEXT: @out                20       20               20
// CHECK-NOT:  unknown

// Without a value for S, every number depending on it is unknown ('?'), never guessed.
// RUN: dmc compile %s --report=movement --emit=header -o %t.h | FileCheck %s --check-prefix=FREE
// FREE:      00  import  moved: ? MiB (read ? MiB, written ? MiB), transients: ? MiB
// FREE:      x               input                  heap      [S, 8]     ?     ?        0
// FREE:      acc             transient (on-chip)    register  [8]       32     ?        ?
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
    sdfg.map (%i) = (0) to (%S) {
      sdfg.map (%j) = (0) to (%i + 1) {
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
