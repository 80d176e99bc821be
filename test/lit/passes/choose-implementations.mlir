// RUN: dmc-opt %s -split-input-file --choose-implementations | FileCheck %s --check-prefix=DEFAULT
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=library matmul=tiled elementwise=pure" | FileCheck %s --check-prefix=FAMILY
// Then expand-library-nodes carries the choice out: library nodes stay, tiled MatMul is a fused_matmul.
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=library matmul=tiled elementwise=pure" --expand-library-nodes | FileCheck %s --check-prefix=EXPAND
// RUN: not dmc-opt %s -split-input-file --choose-implementations=attention=fast 2>&1 | FileCheck %s --check-prefix=BADVALUE
// RUN: not dmc-opt %s -split-input-file --choose-implementations=default=blocked 2>&1 | FileCheck %s --check-prefix=BADDEFAULT

// Every node gets an `impl`; one that has it keeps it.
// DEFAULT-LABEL: sdfg.sdfg @mixed
// DEFAULT:       nn.matmul {{.*}} {impl = "pure", label = "mm", transpose_b}
// DEFAULT-NEXT:  nn.exp {{.*}} {impl = "pure"}
// DEFAULT-NEXT:  nn.softmax {{.*}} {impl = "library"}
// DEFAULT-NEXT:  nn.attention {{.*}} {impl = "pure"}
// FAMILY-LABEL:  sdfg.sdfg @mixed
// FAMILY:        nn.matmul {{.*}} {impl = "tiled", label = "mm", transpose_b}
// FAMILY-NEXT:   nn.exp {{.*}} {impl = "pure"}
// FAMILY-NEXT:   nn.softmax {{.*}} {impl = "library"}
// FAMILY-NEXT:   nn.attention {{.*}} {impl = "library"}
// EXPAND-LABEL:  sdfg.sdfg @mixed
// EXPAND:        nn.fused_matmul ins(%x, %w : {{.*}}) outs(%t : {{.*}}) {label = "mm", transpose_b}
// EXPAND-NEXT:   sdfg.map
// EXPAND:          math.exp
// EXPAND:        nn.softmax {{.*}} {impl = "library"}
// EXPAND-NEXT:   nn.attention {{.*}} {impl = "library"}

// Option values are checked before anything else.
// BADVALUE: error: choose-implementations: attention='fast' is not an implementation (available: pure, tiled, library, dnnl)
// BADDEFAULT: error: choose-implementations: default='blocked' is not an implementation (available: pure, tiled, library, dnnl)
sdfg.sdfg @mixed inputs(%x: !sdfg.array<f32[4, 8]>, %w: !sdfg.array<f32[16, 8]>, %s: !sdfg.array<f32[4, 4]>, %q: !sdfg.array<f32[4, 8]>) outputs(%y: !sdfg.array<f32[4, 16]>, %p: !sdfg.array<f32[4, 4]>, %o: !sdfg.array<f32[4, 8]>) {
  %t = sdfg.alloc {name = "t"} : !sdfg.array<f32[4, 16]>
  sdfg.state @main {
    nn.matmul ins(%x, %w : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[16, 8]>) outs(%t : !sdfg.array<f32[4, 16]>) {transpose_b, label = "mm"}
    nn.exp ins(%t : !sdfg.array<f32[4, 16]>) outs(%y : !sdfg.array<f32[4, 16]>)
    nn.softmax ins(%s : !sdfg.array<f32[4, 4]>) outs(%p : !sdfg.array<f32[4, 4]>) {impl = "library"}
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%o : !sdfg.array<f32[4, 8]>)
  }
}

// -----

// attention-global-tokens chooses for the attentions with global tokens apart (-O3 keeps them on the
// runtime kernel, whose block skipping covers global tokens); the others follow `attention`.
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=library attention=tiled attention-global-tokens=library" | FileCheck %s --check-prefix=GLOBAL
// RUN: not dmc-opt %s -split-input-file --choose-implementations=attention-global-tokens=dense 2>&1 | FileCheck %s --check-prefix=BADGLOBAL
// GLOBAL-LABEL: sdfg.sdfg @global_tokens
// GLOBAL:       nn.attention {{.*}} {causal, impl = "tiled"}
// GLOBAL-NEXT:  nn.attention {{.*}} {global_tokens = array<i64: 0>, impl = "library"}
// GLOBAL-NEXT:  nn.attention {{.*}} {global_tokens = array<i64: 1>, impl = "pure"}
// BADGLOBAL: error: choose-implementations: attention-global-tokens='dense' is not an implementation
sdfg.sdfg @global_tokens inputs(%q: !sdfg.array<f32[4, 8]>) outputs(%o: !sdfg.array<f32[4, 8]>, %o2: !sdfg.array<f32[4, 8]>, %o3: !sdfg.array<f32[4, 8]>) {
  sdfg.state @main {
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%o : !sdfg.array<f32[4, 8]>) {causal}
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%o2 : !sdfg.array<f32[4, 8]>) {global_tokens = array<i64: 0>}
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>, !sdfg.array<f32[4, 8]>) outs(%o3 : !sdfg.array<f32[4, 8]>) {global_tokens = array<i64: 1>, impl = "pure"}
  }
}

// -----

// An option's choice that a node cannot take leaves it to the runtime: the tiled attention needs a
// constant head width of V.
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=library attention=tiled" | FileCheck %s --check-prefix=CANNOT
// A remark says so, with the reason.
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=library attention=tiled" -o /dev/null 2>&1 | FileCheck %s --check-prefix=CANNOT-REMARK
// CANNOT-REMARK: remark: stays a runtime call: no 'tiled' implementation for this node (it needs a constant head width of V
// CANNOT-REMARK-NOT: remark
// CANNOT-LABEL: sdfg.sdfg @symbolic_value_width
// CANNOT:       nn.attention {{.*}} {impl = "library"}
// CANNOT-NEXT:  nn.attention {{.*}} {impl = "tiled"}
sdfg.sdfg @symbolic_value_width symbols(%DV) inputs(%q: !sdfg.array<f32[9, 16]>, %v: !sdfg.array<f32[9, DV]>) outputs(%o: !sdfg.array<f32[9, DV]>, %o2: !sdfg.array<f32[9, 16]>) {
  sdfg.state @s {
    nn.attention ins(%q, %q, %v : !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, DV]>) outs(%o : !sdfg.array<f32[9, DV]>)
    nn.attention ins(%q, %q, %q : !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, 16]>, !sdfg.array<f32[9, 16]>) outs(%o2 : !sdfg.array<f32[9, 16]>)
  }
}

// -----

// The tiled softmax, layer norm and reductions take rows along the last axis: along another, an option's
// `tiled` leaves the node to the runtime.
// RUN: dmc-opt %s -split-input-file "--choose-implementations=default=pure softmax=tiled layernorm=tiled reduce=tiled" | FileCheck %s --check-prefix=ROWS
// ROWS-LABEL: sdfg.sdfg @rows
// ROWS:       nn.softmax {{.*}} {impl = "tiled"}
// ROWS-NEXT:  nn.softmax {{.*}} {axis = 0 : i64, impl = "library"}
// ROWS-NEXT:  nn.layer_norm {{.*}} {impl = "tiled"}
// ROWS-NEXT:  nn.reduce_max {{.*}} {axes = array<i64: 1>, impl = "tiled"}
// ROWS-NEXT:  nn.reduce_sum {{.*}} {axes = array<i64: 0>, impl = "library"}
// ROWS-NEXT:  nn.reduce_mean {{.*}} {axes = array<i64: 0, 1>, impl = "library"}
sdfg.sdfg @rows inputs(%x: !sdfg.array<f32[4, 8]>, %g: !sdfg.array<f32[8]>) outputs(%a: !sdfg.array<f32[4, 8]>, %b: !sdfg.array<f32[4, 8]>, %c: !sdfg.array<f32[4, 8]>, %d: !sdfg.array<f32[4, 1]>, %e: !sdfg.array<f32[1, 8]>, %f: !sdfg.array<f32[1, 1]>) {
  sdfg.state @s {
    nn.softmax ins(%x : !sdfg.array<f32[4, 8]>) outs(%a : !sdfg.array<f32[4, 8]>)
    nn.softmax ins(%x : !sdfg.array<f32[4, 8]>) outs(%b : !sdfg.array<f32[4, 8]>) {axis = 0}
    nn.layer_norm ins(%x, %g, %g : !sdfg.array<f32[4, 8]>, !sdfg.array<f32[8]>, !sdfg.array<f32[8]>) outs(%c : !sdfg.array<f32[4, 8]>)
    nn.reduce_max ins(%x : !sdfg.array<f32[4, 8]>) outs(%d : !sdfg.array<f32[4, 1]>) {axes = array<i64: 1>}
    nn.reduce_sum ins(%x : !sdfg.array<f32[4, 8]>) outs(%e : !sdfg.array<f32[1, 8]>) {axes = array<i64: 0>}
    nn.reduce_mean ins(%x : !sdfg.array<f32[4, 8]>) outs(%f : !sdfg.array<f32[1, 1]>) {axes = array<i64: 0, 1>}
  }
}
