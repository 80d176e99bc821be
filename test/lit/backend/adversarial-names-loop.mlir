// A loop (docs/ir.md#example-a-loop) whose free symbol, local symbol and containers are named with an
// alternative token, a keyword and header macros: the local symbol is declared, assigned on edges and read
// by memlets through its prefixed name, and the loop computes y = 2 * x.
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s
// RUN: rm -rf %t
// RUN: dmc run %s --bind and=3 --seed 7 --outputs %t/loop --no-cache | FileCheck %s --check-prefix=RAN
// RUN: dmc run %S/Inputs/rows_reference.mlir --bind and=3 --seed 7 --outputs %t/ref --no-cache | FileCheck %s --check-prefix=RAN
// RUN: cmp %t/loop/errno.npy %t/ref/errno.npy

sdfg.sdfg @rows symbols(%and) locals(%int) inputs(%compl: !sdfg.array<f32[and, 4]>)
    outputs(%errno: !sdfg.array<f32[and, 4]>) {
  sdfg.state @entry {
  }
  sdfg.state @guard {
  }
  sdfg.state @body {
    sdfg.map (%j) = (0) to (4) {
      %v = sdfg.load %compl[%int, %j] : !sdfg.array<f32[and, 4]>
      %w = sdfg.tasklet (%a = %v : f32) -> f32 {
        %two = arith.constant 2.0 : f32
        %r = arith.mulf %a, %two : f32
        sdfg.yield %r : f32
      }
      sdfg.store %w, %errno[%int, %j] : !sdfg.array<f32[and, 4]>
    }
  }
  sdfg.state @exit {
  }
  sdfg.edge @entry -> @guard assign [int] {
    %zero = arith.constant 0 : index
    sdfg.yield %zero : index
  }
  sdfg.edge @guard -> @body if {
    %c = arith.cmpi slt, %int, %and : index
    sdfg.yield %c : i1
  }
  sdfg.edge @guard -> @exit if {
    %c = arith.cmpi sge, %int, %and : index
    sdfg.yield %c : i1
  }
  sdfg.edge @body -> @guard assign [int] {
    %one = arith.constant 1 : index
    %n = arith.addi %int, %one : index
    sdfg.yield %n : index
  }
}

// CHECK: DMCRT_API DMC_ISA_VARIANTS int dmc_rows_run(void *_handle, int64_t s_and, const float *v_compl, float *v_errno) {
// CHECK: int64_t s_int = 0;
// CHECK: s_int = {{.*}};
// CHECK-NEXT: goto _state_1;
// CHECK: v_errno[(s_int) * 4LL + {{_i[0-9]+}}] =
// RAN-LABEL: rows: 1 run(s)
// RAN-NEXT: output errno [3, 4]: mean
