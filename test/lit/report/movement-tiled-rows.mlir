// The movement report counts a tiled layer norm (TiledRows.cpp) with its row micro-kernel: S = 10 rows
// of N = 33 in blocks of 4 (4, 4, 2); the row buffer has a length known only at run time, so it is a heap
// buffer per worker and counts as memory; mean and variance are on the stack (on-chip).
// Per row: the staging map loads 33 of x and stores 33 of the buffer; moments_row reads the buffer's
// tile of n = 33 (and reads and writes mean and var, on-chip); the normalising map loads 33 each of the
// buffer, gamma and beta and stores 33 of y. Accesses, 10 rows x 4 bytes:
//   read: 10 x (33 + 33 + 33 + 33 + 33) x 4 = 6600; written: 10 x (33 + 33) x 4 = 2640.
// Moved (distinct elements per top-level map): x 1320, gamma 132, beta 132 and the buffer 132 read (its
// kernel tile counts the whole buffer, as its loads do); y 1320 and the buffer 132 written.
//   read 1320 + 132 + 132 + 132 = 1716, written 1320 + 132 = 1452; on-chip: mean and var, 4 each way.
// RUN: dmc compile %s --bind S=10 --bind N=33 --passes='expand-library-nodes{row-block=4}' --report=movement --emit=header -o %t.h | FileCheck %s
// CHECK: ln_row          transient            heap     [N]      132   132      132
// CHECK: moved: 3168 bytes (read 1716, written 1452)
// CHECK: accesses: 9240 bytes (read 6600, written 2640; memlet executions x element size)
// CHECK: on-chip: read 8, written 8
sdfg.sdfg @rows symbols(%S, %N) inputs(%x: !sdfg.array<f32[S, N]>, %g: !sdfg.array<f32[N]>, %b: !sdfg.array<f32[N]>) outputs(%y: !sdfg.array<f32[S, N]>) {
  sdfg.state @s {
    nn.layer_norm ins(%x, %g, %b : !sdfg.array<f32[S, N]>, !sdfg.array<f32[N]>, !sdfg.array<f32[N]>) outs(%y : !sdfg.array<f32[S, N]>) {impl = "tiled", label = "ln"}
  }
}
