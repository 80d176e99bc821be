//===- Passes.td - dmc's transformation passes ----------------*- tablegen -*-===//
//
// One pass per file in passes/, a lit test named after its flag in test/lit/passes/, and an entry in
// docs/passes.md. Pipelines -O0..-O3 are built in Pipelines.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_PASSES
#define DMC_PASSES

include "mlir/Pass/PassBase.td"

def RemoveDeadContainers : Pass<"remove-dead-containers", "::dmc::sdfg::SDFGOp"> {
  let summary = "Erase transients and views that no state reads or writes";
  let description = [{
    A container declared by `sdfg.alloc` (or a view) without uses costs memory and, when persistent,
    allocation work. Legal because a transient is invisible outside the SDFG and an unused one is never
    accessed.
  }];
}

#endif
