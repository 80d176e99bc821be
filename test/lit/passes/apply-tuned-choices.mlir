// apply-tuned-choices (passes/ApplyTunedChoices.cpp) writes the choice stored for a node's signature and
// this machine: `impl`, `tiles` and `tuning = "tuned"`; other tunable nodes get `tuning = "default"`, and a
// node whose graph fixed its implementation is left alone. The layer norm's entry is for 16 threads.
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning.json cpu=test-cpu isa=avx512 threads=2" | FileCheck %s
// Another CPU, ISA or thread count finds nothing; neither does a database that does not exist (yet).
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning.json cpu=other-cpu isa=avx512 threads=2" | FileCheck %s --check-prefix=NONE
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning.json cpu=test-cpu isa=avx2 threads=2" | FileCheck %s --check-prefix=NONE
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning.json cpu=test-cpu isa=avx512 threads=4" | FileCheck %s --check-prefix=NONE
// RUN: dmc-opt %s --apply-tuned-choices="db=%t.missing.json cpu=test-cpu isa=avx512 threads=2" 2>&1 | FileCheck %s --check-prefix=NONE --implicit-check-not=warning
// A file that is not a database is a warning, and the defaults stay.
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning-malformed.json cpu=test-cpu isa=avx512 threads=2" 2>&1 | FileCheck %s --check-prefixes=MALFORMED,NONE
// RUN: dmc-opt %s --apply-tuned-choices="db=%s cpu=test-cpu isa=avx512 threads=2" 2>&1 | FileCheck %s --check-prefixes=NOTJSON,NONE
// Then choose-implementations keeps the tuned choice and gives the others theirs.
// RUN: dmc-opt %s --apply-tuned-choices="db=%S/Inputs/tuning.json cpu=test-cpu isa=avx512 threads=2" --choose-implementations=default=library | FileCheck %s --check-prefix=CHOSEN

// CHECK-LABEL: sdfg.sdfg @tuned
// CHECK:       nn.fused_matmul {{.*}} {has_pre, impl = "tiled", label = "proj", tiles = {k = 40 : i64, m = 24 : i64, n = 32 : i64}, tuning = "tuned"}
// CHECK:       nn.layer_norm {{.*}} {label = "norm", tuning = "default"}
// CHECK:       nn.softmax {{.*}} {impl = "tiled", label = "fixed"}

// MALFORMED: warning: apply-tuned-choices: the tuning database {{.*}}tuning-malformed.json has a malformed entry: {{.*}}; compiling with the default choices
// NOTJSON:   warning: apply-tuned-choices: the tuning database {{.*}}apply-tuned-choices.mlir is not a tuning database (a JSON object with "format": "dmc-tuning-1" and an "entries" array); compiling with the default choices
// NONE-LABEL:  sdfg.sdfg @tuned
// NONE:        nn.fused_matmul {{.*}} {has_pre, label = "proj", tuning = "default"}
// NONE:        nn.layer_norm {{.*}} {label = "norm", tuning = "default"}
// NONE:        nn.softmax {{.*}} {impl = "tiled", label = "fixed"}

// CHOSEN:      nn.fused_matmul {{.*}} {has_pre, impl = "tiled", label = "proj", tiles = {k = 40 : i64, m = 24 : i64, n = 32 : i64}, tuning = "tuned"}
// CHOSEN:      nn.layer_norm {{.*}} {impl = "library", label = "norm", tuning = "default"}
sdfg.sdfg @tuned inputs(%x: !sdfg.array<f32[77, 40]>, %w: !sdfg.array<f32[40, 24]>, %b: !sdfg.array<f32[24]>, %g: !sdfg.array<f32[24]>) outputs(%y: !sdfg.array<f32[77, 24]>, %z: !sdfg.array<f32[77, 24]>) {
  %h = sdfg.alloc {name = "h"} : !sdfg.array<f32[77, 24]>
  sdfg.state @s {
    nn.fused_matmul ins(%x, %w, %b : !sdfg.array<f32[77, 40]>, !sdfg.array<f32[40, 24]>, !sdfg.array<f32[24]>) outs(%h : !sdfg.array<f32[77, 24]>) {has_pre, label = "proj"}
    nn.layer_norm ins(%h, %g, %b : !sdfg.array<f32[77, 24]>, !sdfg.array<f32[24]>, !sdfg.array<f32[24]>) outs(%y : !sdfg.array<f32[77, 24]>) {label = "norm"}
    nn.softmax ins(%h : !sdfg.array<f32[77, 24]>) outs(%z : !sdfg.array<f32[77, 24]>) {impl = "tiled", label = "fixed"}
  }
}
