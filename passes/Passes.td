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

def ExpandLibraryNodes : Pass<"expand-library-nodes", "::dmc::sdfg::SDFGOp"> {
  let summary = "Replace library nodes (nn ops) by maps, memlets and tasklets";
  let description = [{
    Each `nn` op becomes maps with loads, stores and tasklets in its state, in its place; reductions
    (matmul, softmax, layer norm, reduce) write transients or the output initialised to the neutral
    element by a map before the `wcr` map. Transients are `sdfg.alloc`s named after the node's label.
    `impl=pure` (the default and, for now, the only choice) is DaCe's pure expansion. Every node is
    checked first: a node without an expansion leaves the SDFG unchanged and the pass fails with a
    diagnostic on that node. Legal because each expansion computes the node's semantics
    (docs/op-vocabulary.md) and touches only the node's containers and its own new transients.
  }];
  let options = [
    Option<"impl", "impl", "std::string", /*default=*/"\"pure\"",
           "which expansion to use: pure (maps and tasklets)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def PrepareForEmission : Pass<"prepare-for-emission", "::dmc::sdfg::SDFGOp"> {
  let summary = "Legalise the IR for the C++ emitter: contiguous operands for library nodes, named transients";
  let description = [{
    Runtime kernels take contiguous row-major tensors, so a library node reading a transposed or sliced
    view gets a copy in a fresh transient (and one writing such a view writes a transient copied back
    afterwards). Every transient gets a unique identifier name. Runs last in every pipeline, so the
    emitter only prints. Legal because a copy into a fresh transient preserves every value read, and the
    copy-back happens before any later reader in the state's order.
  }];
}

#endif
