// Round trip of every sdfg op, the array type and every enum value: the custom form printed, parsed and
// printed again; and the generic form parsed back into the same custom form.
// RUN: dmc-opt %s | dmc-opt | FileCheck %s
// RUN: dmc-opt %s --mlir-print-op-generic | dmc-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// The array type: constant, symbolic, rank 0, element types; alloc with every storage and lifetime.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: sdfg.sdfg @types symbols(%S, %T)
// CHECK-SAME: inputs(%a: !sdfg.array<f32[S, 64]>, %s: !sdfg.array<f16[]>, %i: !sdfg.array<i32[T, S, 3]>)
// CHECK-SAME: outputs(%o: !sdfg.array<f64[1]>, %x: !sdfg.array<bf16[T]>) {
sdfg.sdfg @types symbols(%S, %T) inputs(%a: !sdfg.array<f32[S, 64]>, %s: !sdfg.array<f16[]>,
    %i: !sdfg.array<i32[T, S, 3]>) outputs(%o: !sdfg.array<f64[1]>, %x: !sdfg.array<bf16[T]>) {
  // Defaults (heap, sdfg) are not printed.
  // CHECK-NEXT: sdfg.alloc {lifetime = #sdfg.lifetime<scope>} : <f32[S]>
  %h = sdfg.alloc {storage = #sdfg.storage<heap>, lifetime = #sdfg.lifetime<scope>} : !sdfg.array<f32[S]>
  // CHECK-NEXT: sdfg.alloc {lifetime = #sdfg.lifetime<state>, storage = #sdfg.storage<stack>} : <f32[4, 4]>
  %st = sdfg.alloc {storage = #sdfg.storage<stack>, lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[4, 4]>
  // CHECK-NEXT: sdfg.alloc {storage = #sdfg.storage<register>} : <f32[]>
  %r = sdfg.alloc {storage = #sdfg.storage<register>, lifetime = #sdfg.lifetime<sdfg>} : !sdfg.array<f32[]>
  // CHECK-NEXT: sdfg.alloc {lifetime = #sdfg.lifetime<persistent>, name = "tl", storage = #sdfg.storage<thread_local>} : <i8[8]>
  %tl = sdfg.alloc {storage = #sdfg.storage<thread_local>, lifetime = #sdfg.lifetime<persistent>, name = "tl"} : !sdfg.array<i8[8]>
  // CHECK-NEXT: sdfg.alloc : <i64[S, T, 2]>
  %d = sdfg.alloc : !sdfg.array<i64[S, T, 2]>
  // CHECK-NEXT: sdfg.state @only {
  // CHECK-NEXT: }
  sdfg.state @only {
  }
  // CHECK-NEXT: }
}

//===----------------------------------------------------------------------===//
// Views, copies, maps (every schedule, steps, nested, parameter-dependent bounds), memlets (every wcr)
// and tasklets (several results, index operands, a label, none at all).
//===----------------------------------------------------------------------===//

// CHECK-LABEL: sdfg.sdfg @dataflow symbols(%S)
// CHECK-SAME: inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[64, S]>, %z: !sdfg.array<f32[]>)
// CHECK-SAME: outputs(%c: !sdfg.array<f32[S, S]>, %m: !sdfg.array<f32[S]>) {
sdfg.sdfg @dataflow symbols(%S) inputs(%a: !sdfg.array<f32[S, 64]>, %b: !sdfg.array<f32[64, S]>,
    %z: !sdfg.array<f32[]>) outputs(%c: !sdfg.array<f32[S, S]>, %m: !sdfg.array<f32[S]>) {
  // CHECK-NEXT: %[[T:.*]] = sdfg.alloc {name = "t"} : <f32[S, 64]>
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[S, 64]>
  // CHECK-NEXT: %[[BT:.*]] = sdfg.transpose_view %b [1, 0] : <f32[64, S]> -> <f32[S, 64]>
  %bt = sdfg.transpose_view %b [1, 0] : !sdfg.array<f32[64, S]> -> !sdfg.array<f32[S, 64]>
  // CHECK-NEXT: sdfg.reshape_view %[[T]] : <f32[S, 64]> -> <f32[S, 4, 16]>
  %r = sdfg.reshape_view %t : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 4, 16]>
  // CHECK-NEXT: sdfg.slice_view %[[T]] [0, 16] : <f32[S, 64]> -> <f32[S, 32]>
  %sl = sdfg.slice_view %t [0, 16] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 32]>
  // CHECK-NEXT: sdfg.state @compute {
  sdfg.state @compute {
    // CHECK-NEXT: sdfg.copy %a -> %[[T]] : <f32[S, 64]> -> <f32[S, 64]>
    sdfg.copy %a -> %t : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[S, 64]>
    // A view inside a state.
    // CHECK-NEXT: sdfg.reshape_view %[[T]] : <f32[S, 64]> -> <f32[64, S]>
    %v2 = sdfg.reshape_view %t : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
    // CHECK-NEXT: sdfg.map (%[[I:.*]], %[[J:.*]]) = (0, 0) to (%S, %S) step (64, 1) schedule(omp) {
    sdfg.map (%i, %j) = (0, 0) to (%S, %S) step (64, 1) schedule(omp) {
      // The default schedule is not printed.
      // CHECK-NEXT: sdfg.map (%[[II:.*]], %[[K:.*]]) = (%[[I]], 0) to (%S, 64) {
      sdfg.map (%ii, %k) = (%i, 0) to (%S, 64) schedule(sequential) {
        // CHECK-NEXT: %[[X:.*]] = sdfg.load %a[%[[II]], %[[K]]] : !sdfg.array<f32[S, 64]>
        %x = sdfg.load %a[%ii, %k] : !sdfg.array<f32[S, 64]>
        // CHECK-NEXT: %[[Y:.*]] = sdfg.load %[[BT]][%[[J]], %[[K]]] : !sdfg.array<f32[S, 64]>
        %y = sdfg.load %bt[%j, %k] : !sdfg.array<f32[S, 64]>
        // CHECK-NEXT: %[[Z:.*]] = sdfg.load %z[] : !sdfg.array<f32[]>
        %zz = sdfg.load %z[] : !sdfg.array<f32[]>
        // CHECK-NEXT: %[[P:.*]]:2 = sdfg.tasklet (%[[U:.*]] = %[[X]] : f32, %[[W:.*]] = %[[Y]] : f32, %[[N:.*]] = %[[II]] : index) -> (f32, f32) attributes {label = "mul"} {
        // CHECK-NEXT: %[[PROD:.*]] = arith.mulf %[[U]], %[[W]] : f32
        // CHECK-NEXT: %[[E:.*]] = math.exp %[[PROD]] : f32
        // CHECK-NEXT: sdfg.yield %[[PROD]], %[[E]] : f32, f32
        // CHECK-NEXT: }
        %p, %q = sdfg.tasklet (%u = %x : f32, %w = %y : f32, %n = %ii : index) -> (f32, f32) attributes {label = "mul"} {
          %prod = arith.mulf %u, %w : f32
          %e = math.exp %prod : f32
          sdfg.yield %prod, %e : f32, f32
        }
        // CHECK-NEXT: sdfg.store %[[P]]#0, %c[%[[II]], %[[J]]] wcr(sum) : !sdfg.array<f32[S, S]>
        sdfg.store %p, %c[%ii, %j] wcr(sum) : !sdfg.array<f32[S, S]>
        // CHECK-NEXT: sdfg.store %[[P]]#1, %m[%[[II]]] wcr(max) : !sdfg.array<f32[S]>
        sdfg.store %q, %m[%ii] wcr(max) : !sdfg.array<f32[S]>
        // CHECK-NEXT: sdfg.store %[[P]]#1, %m[%[[II]]] wcr(min) : !sdfg.array<f32[S]>
        sdfg.store %q, %m[%ii] wcr(min) : !sdfg.array<f32[S]>
        // CHECK-NEXT: sdfg.store %[[Z]], %m[%[[II]]] wcr(product) : !sdfg.array<f32[S]>
        sdfg.store %zz, %m[%ii] wcr(product) : !sdfg.array<f32[S]>
        // A tasklet without operands or results gets its implicit terminator.
        // CHECK-NEXT: sdfg.tasklet () -> () {
        // CHECK-NEXT: sdfg.yield
        // CHECK-NEXT: }
        sdfg.tasklet () -> () {
        }
        // CHECK-NEXT: }
      }
      // CHECK-NEXT: }
    }
    // Affine index expressions and the vector schedule.
    // CHECK-NEXT: sdfg.map (%[[R:.*]]) = (1) to (%S) schedule(vector) {
    // CHECK-NEXT: %[[L:.*]] = sdfg.load %[[T]][%S - %[[R]], %[[R]] mod 64] : !sdfg.array<f32[S, 64]>
    // CHECK-NEXT: sdfg.store %[[L]], %m[%[[R]] - 1] : !sdfg.array<f32[S]>
    // CHECK-NEXT: }
    sdfg.map (%row) = (1) to (%S) schedule(vector) {
      %l = sdfg.load %t[%S - %row, %row mod 64] : !sdfg.array<f32[S, 64]>
      sdfg.store %l, %m[%row - 1] : !sdfg.array<f32[S]>
    }
    // CHECK-NEXT: }
  }
  // CHECK-NEXT: }
}

//===----------------------------------------------------------------------===//
// A loop: init -> guard -> body -> guard, guard -> exit; a local symbol assigned on edges and
// conditions on both outgoing edges of the guard.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: sdfg.sdfg @loop symbols(%N) locals(%it)
// CHECK-SAME: inputs(%x: !sdfg.array<f32[N]>) outputs(%y: !sdfg.array<f32[N]>) {
// CHECK-NEXT:   sdfg.state @init {
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.state @guard {
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.state @body {
// CHECK-NEXT:     sdfg.map (%[[I:.*]]) = (0) to (%N) {
// CHECK-NEXT:       %[[V:.*]] = sdfg.load %x[%[[I]]] : !sdfg.array<f32[N]>
// CHECK-NEXT:       sdfg.store %[[V]], %y[%[[I]]] wcr(sum) : !sdfg.array<f32[N]>
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.state @exit {
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.edge @init -> @guard assign [it] {
// CHECK-NEXT:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:     sdfg.yield %[[C0]] : index
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.edge @guard -> @body if {
// CHECK-NEXT:     %[[LT:.*]] = arith.cmpi slt, %it, %N : index
// CHECK-NEXT:     sdfg.yield %[[LT]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.edge @guard -> @exit if {
// CHECK-NEXT:     %[[GE:.*]] = arith.cmpi sge, %it, %N : index
// CHECK-NEXT:     sdfg.yield %[[GE]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   sdfg.edge @body -> @guard assign [it] {
// CHECK-NEXT:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:     %[[NEXT:.*]] = arith.addi %it, %[[C1]] : index
// CHECK-NEXT:     sdfg.yield %[[NEXT]] : index
// CHECK-NEXT:   }
// CHECK-NEXT: }
sdfg.sdfg @loop symbols(%N) locals(%it) inputs(%x: !sdfg.array<f32[N]>) outputs(%y: !sdfg.array<f32[N]>) {
  sdfg.state @init {
  }
  sdfg.state @guard {
  }
  sdfg.state @body {
    sdfg.map (%i) = (0) to (%N) {
      %v = sdfg.load %x[%i] : !sdfg.array<f32[N]>
      sdfg.store %v, %y[%i] wcr(sum) : !sdfg.array<f32[N]>
    }
  }
  sdfg.state @exit {
  }
  sdfg.edge @init -> @guard assign [it] {
    %c0 = arith.constant 0 : index
    sdfg.yield %c0 : index
  }
  sdfg.edge @guard -> @body if {
    %c = arith.cmpi slt, %it, %N : index
    sdfg.yield %c : i1
  }
  sdfg.edge @guard -> @exit if {
    %c = arith.cmpi sge, %it, %N : index
    sdfg.yield %c : i1
  }
  sdfg.edge @body -> @guard assign [it] {
    %one = arith.constant 1 : index
    %n = arith.addi %it, %one : index
    sdfg.yield %n : index
  }
}

//===----------------------------------------------------------------------===//
// An edge with both a condition and two assignments; extra attributes on an sdfg and an edge; an sdfg
// without inputs.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: sdfg.sdfg @edges symbols(%N) locals(%i, %j) inputs() outputs(%y: !sdfg.array<f32[N]>) attributes {origin = "test"} {
// CHECK:   sdfg.edge @a -> @b if {
// CHECK-NEXT:     %[[C:.*]] = arith.cmpi sgt, %N, %i : index
// CHECK-NEXT:     sdfg.yield %[[C]] : i1
// CHECK-NEXT:   } assign [i, j] {
// CHECK-NEXT:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT:     %[[M:.*]] = arith.muli %i, %[[C2]] : index
// CHECK-NEXT:     sdfg.yield %[[M]], %N : index, index
// CHECK-NEXT:   } {note = 1 : i64}
// CHECK-NEXT: }
sdfg.sdfg @edges symbols(%N) locals(%i, %j) outputs(%y: !sdfg.array<f32[N]>) attributes {origin = "test"} {
  sdfg.state @a {
  }
  sdfg.state @b {
  }
  sdfg.edge @a -> @b if {
    %c = arith.cmpi sgt, %N, %i : index
    sdfg.yield %c : i1
  } assign [i, j] {
    %two = arith.constant 2 : index
    %m = arith.muli %i, %two : index
    sdfg.yield %m, %N : index, index
  } {note = 1}
}

//===----------------------------------------------------------------------===//
// An owned wcr store (one iteration of the omp map updates each element) and a synchronised one.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: sdfg.sdfg @owned
// CHECK:       sdfg.store %[[V:.*]], %y[%[[I:.*]]] wcr(sum) owned : !sdfg.array<f32[N]>
// CHECK-NEXT:  sdfg.store %[[V]], %z[%{{.*}}] wcr(max) : !sdfg.array<f32[16]>
sdfg.sdfg @owned symbols(%N) inputs(%x: !sdfg.array<f32[N, 16]>) outputs(%y: !sdfg.array<f32[N]>, %z: !sdfg.array<f32[16]>) {
  sdfg.state @s {
    sdfg.map (%i) = (0) to (%N) schedule(omp) {
      sdfg.map (%k) = (0) to (16) {
        %v = sdfg.load %x[%i, %k] : !sdfg.array<f32[N, 16]>
        sdfg.store %v, %y[%i] wcr(sum) owned : !sdfg.array<f32[N]>
        sdfg.store %v, %z[%k] wcr(max) : !sdfg.array<f32[16]>
      }
    }
  }
}
