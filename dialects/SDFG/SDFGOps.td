//===- SDFGOps.td - sdfg operations ----------------------------*- tablegen -*-===//
#ifndef DMC_SDFG_OPS
#define DMC_SDFG_OPS

include "dialects/SDFG/SDFGTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

//===----------------------------------------------------------------------===//
// Program structure: sdfg, states, interstate edges
//===----------------------------------------------------------------------===//

def SDFG_SDFGOp : SDFG_Op<"sdfg", [IsolatedFromAbove, Symbol, SymbolTable, NoTerminator,
    SingleBlock, DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "a stateful dataflow multigraph: symbols, argument containers, transients and states";
  let description = [{
    ```mlir
    sdfg.sdfg @softmax symbols(%S) locals(%i) inputs(%x: !sdfg.array<f32[S, 64]>)
        outputs(%y: !sdfg.array<f32[S, 64]>) {
      %t = sdfg.alloc {storage = #sdfg.storage<heap>, lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[S]>
      sdfg.state @s0 { ... }
      sdfg.state @s1 { ... }
      sdfg.edge @s0 -> @s1
    }
    ```
    The body's block arguments are, in order: the free symbols (run-time integer arguments unless bound
    when compiling), the local symbols (assigned only by interstate edges), the input containers and the
    output containers; their names are kept in `arg_names` and are the SSA names when printed. The first
    state is the start state. Containers declared by `sdfg.alloc` are transients; arguments are not.

    SSA names share one namespace, but a graph's symbols and tensors do not: a tensor `S` next to a
    symbol `S` is the argument `%S_1`. The optional `abi_names` then keeps the graph's names of the input
    and output containers (inputs then outputs), which the manifest and the files of `dmc run --inputs`
    use (docs/abi.md#names).

    The graph's other symbols are not arguments: `fixed_symbols` keeps those given a value when the graph
    was read (`{E = 768 : i64}`; they appear in shapes as their values) and `unused_symbols` those without
    a value that no shape uses. The manifest lists both (docs/abi.md), so a loader can tell a symbol fixed
    at compile time from one the graph never had.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrArrayAttr:$arg_names, I64Attr:$num_symbols,
                       I64Attr:$num_locals, I64Attr:$num_inputs, OptionalAttr<StrArrayAttr>:$abi_names,
                       OptionalAttr<DictionaryAttr>:$fixed_symbols, OptionalAttr<StrArrayAttr>:$unused_symbols);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::Block::BlockArgListType getSymbolArgs();
    ::mlir::Block::BlockArgListType getLocalSymbolArgs();
    ::mlir::Block::BlockArgListType getInputArgs();
    ::mlir::Block::BlockArgListType getOutputArgs();
    /// The block argument of the symbol `name` (free or local), or null.
    ::mlir::BlockArgument lookupSymbolArg(::llvm::StringRef name);
    /// The name of a block argument.
    ::llvm::StringRef getArgName(unsigned index);
    /// The name of a block argument in the ABI: its `abi_names` entry for a container, else its name.
    ::llvm::StringRef getAbiName(unsigned index);
    /// The attribute naming the constant inputs (ABI name -> data, compiler/backend/Constants.h): inputs
    /// whose data the handle loads once and that never change over its life.
    static constexpr ::llvm::StringLiteral kConstantsAttr = "dmc.constants";
    /// The attribute naming the constant arguments (an array of ABI names; a graph file's inputs marked
    /// `"constant": true`): inputs passed to every run whose values the caller keeps the same until it
    /// calls `dmc_NAME_constants_changed` (docs/abi.md).
    static constexpr ::llvm::StringLiteral kConstantArgumentsAttr = "dmc.constant_arguments";
    /// Whether block argument `index` is an input named in `dmc.constants` or `dmc.constant_arguments`:
    /// its values are the same on every run of a handle (until the caller says otherwise).
    bool isConstantInput(unsigned index);
    /// Whether `v` is one of this SDFG's block arguments and a constant input.
    bool isConstantInput(::mlir::Value v);
    /// Whether block argument `index` is an input named in `dmc.constant_arguments`.
    bool isConstantArgument(unsigned index);
    auto getStates() { return getBodyBlock().getOps<StateOp>(); }
    auto getEdges() { return getBodyBlock().getOps<EdgeOp>(); }
  }];
}

def SDFG_StateOp : SDFG_Op<"state", [Symbol, NoTerminator, SingleBlock,
    HasParent<"SDFGOp">]> {
  let summary = "a state: an acyclic dataflow graph, ending with an implicit barrier";
  let description = [{
    ```mlir
    sdfg.state @compute { sdfg.map ... nn.matmul ... }
    ```
    The ops of a state form a dataflow graph through the containers they read and write; their order in the
    block is one topological order of it.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1; // after the nested ops, whose own placement errors are more precise
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def SDFG_EdgeOp : SDFG_Op<"edge", [HasParent<"SDFGOp">]> {
  let summary = "an interstate edge with an optional condition and symbol assignments";
  let description = [{
    ```mlir
    sdfg.edge @guard -> @body if {
      %c = arith.cmpi slt, %i, %S : index
      sdfg.yield %c : i1
    }
    sdfg.edge @body -> @guard assign [i] {
      %one = arith.constant 1 : index
      %n = arith.addi %i, %one : index
      sdfg.yield %n : index
    }
    ```
    The condition region yields one `i1`; the assignment region yields one `index` per assigned local
    symbol. Without a condition the edge is always taken. A state with several outgoing edges needs a
    condition on each; a state without outgoing edges ends the SDFG.
  }];
  let arguments = (ins FlatSymbolRefAttr:$src, FlatSymbolRefAttr:$dst, StrArrayAttr:$assign);
  let regions = (region AnyRegion:$condition, AnyRegion:$assignments);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    bool hasCondition() { return !getCondition().empty(); }
  }];
}

def SDFG_YieldOp : SDFG_Op<"yield", [Pure, Terminator, ReturnLike,
    ParentOneOf<["EdgeOp", "TaskletOp"]>]> {
  let summary = "yields the values of a tasklet, an edge condition or edge assignments";
  let arguments = (ins Variadic<AnyTypeOf<[AnySignlessInteger, AnyFloat, Index]>>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let builders = [OpBuilder<(ins), [{ /* nothing yielded */ }]>];
}

//===----------------------------------------------------------------------===//
// Containers and views
//===----------------------------------------------------------------------===//

def SDFG_AllocOp : SDFG_Op<"alloc", [HasParent<"SDFGOp">,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "declares a transient container";
  let description = [{
    ```mlir
    %scores = sdfg.alloc {storage = #sdfg.storage<heap>, lifetime = #sdfg.lifetime<state>} : !sdfg.array<f32[S, S]>
    ```
    Transient: its contents do not outlive the SDFG (except `persistent`, kept across calls in the handle).
  }];
  let arguments = (ins DefaultValuedAttr<SDFG_StorageAttr, "::dmc::sdfg::Storage::heap">:$storage,
                       DefaultValuedAttr<SDFG_LifetimeAttr, "::dmc::sdfg::Lifetime::sdfg">:$lifetime,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SDFG_ArrayType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
}

class SDFG_ViewOp<string mnemonic, list<Trait> traits = []>
    : SDFG_Op<mnemonic, !listconcat([Pure, ParentOneOf<["SDFGOp", "StateOp"]>], traits)> {
  let results = (outs SDFG_ArrayType:$result);
  let hasVerifier = 1;
}

def SDFG_TransposeViewOp : SDFG_ViewOp<"transpose_view"> {
  let summary = "a container seen with permuted dimensions, without copying";
  let description = [{
    ```mlir
    %kt = sdfg.transpose_view %k [1, 0] : !sdfg.array<f32[S, 64]> -> !sdfg.array<f32[64, S]>
    ```
  }];
  let arguments = (ins SDFG_ArrayType:$source, DenseI64ArrayAttr:$permutation);
  let assemblyFormat = "$source $permutation attr-dict `:` type($source) `->` type($result)";
}

def SDFG_ReshapeViewOp : SDFG_ViewOp<"reshape_view"> {
  let summary = "a container seen with another shape of the same element count, without copying";
  let arguments = (ins SDFG_ArrayType:$source);
  let assemblyFormat = "$source attr-dict `:` type($source) `->` type($result)";
}

def SDFG_SliceViewOp : SDFG_ViewOp<"slice_view"> {
  let summary = "a rectangular part of a container, without copying; sizes come from the result type";
  let description = [{
    ```mlir
    %head0 = sdfg.slice_view %q [0, 0] : !sdfg.array<f32[S, 768]> -> !sdfg.array<f32[S, 64]>
    ```
  }];
  let arguments = (ins SDFG_ArrayType:$source, DenseI64ArrayAttr:$offsets);
  let assemblyFormat = "$source $offsets attr-dict `:` type($source) `->` type($result)";
}

def SDFG_CopyOp : SDFG_Op<"copy", [HasParent<"StateOp">]> {
  let summary = "copies one whole container (or view) into another of the same shape";
  let arguments = (ins SDFG_ArrayType:$source, SDFG_ArrayType:$dest);
  let assemblyFormat = "$source `->` $dest attr-dict `:` type($source) `->` type($dest)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Maps, memlets and tasklets
//===----------------------------------------------------------------------===//

def SDFG_MapOp : SDFG_Op<"map", [NoTerminator, SingleBlock, ParentOneOf<["StateOp", "MapOp"]>,
    AttrSizedOperandSegments, RecursiveMemoryEffects]> {
  let summary = "a multi-dimensional parametric parallel scope";
  let description = [{
    ```mlir
    sdfg.map (%i, %j) = (0, 0) to (%S, 64) step (1, 1) schedule(omp) {
      %x = sdfg.load %in[%i, %j] : !sdfg.array<f32[S, 64]>
      ...
    }
    ```
    Bounds are affine in the enclosing map parameters and the SDFG's symbols (upper bounds also in tile
    extents, `sdfg.min`); the upper bound is exclusive. An omp map with the unit attribute `dynamic`
    (`attributes {dynamic}`) hands its iterations to threads one at a time, for iterations of unequal
    cost. Iterations may run in any order and in parallel: their writes must be disjoint or resolved
    by a write-conflict resolution on the memlet.
  }];
  let arguments = (ins AffineMapAttr:$lowerBounds, AffineMapAttr:$upperBounds,
                       DenseI64ArrayAttr:$steps, SDFG_ScheduleAttr:$schedule,
                       Variadic<Index>:$lowerOperands, Variadic<Index>:$upperOperands);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::Block::BlockArgListType getParams() { return getBodyBlock().getArguments(); }
    unsigned getNumParams() { return getBodyBlock().getNumArguments(); }
    /// An omp map whose iterations cost unequally (the blocks of a tile nest, cut at the edges) hands
    /// them out one at a time: the unit attribute `dynamic`.
    static constexpr ::llvm::StringLiteral kDynamicAttr = "dynamic";
    bool isDynamic() { return (*this)->hasAttr(kDynamicAttr); }
    /// A map that only computes a persistent transient from constant inputs runs on a handle's first
    /// successful run only (run-constant-maps-once): the unit attribute `once`.
    static constexpr ::llvm::StringLiteral kOnceAttr = "once";
    bool isOnce() { return (*this)->hasAttr(kOnceAttr); }
    /// Sets the schedule; a map that stops being omp loses `dynamic`.
    void changeSchedule(Schedule schedule) {
      setSchedule(schedule);
      if (schedule != Schedule::omp)
        (*this)->removeAttr(kDynamicAttr);
    }
  }];
}

def SDFG_LoadOp : SDFG_Op<"load", [ParentOneOf<["MapOp"]>]> {
  let summary = "a read memlet: one element of a container at an affine index";
  let description = [{
    ```mlir
    %v = sdfg.load %A[%i, %k + 1] : !sdfg.array<f32[S, 64]>
    ```
    Index expressions are affine in map parameters and symbols; the memlet's subset over the whole map
    follows from the map's ranges (see MemletSubset).
  }];
  let arguments = (ins SDFG_ArrayType:$array, AffineMapAttr:$map, Variadic<Index>:$indices);
  let results = (outs AnyTypeOf<[AnySignlessInteger, AnyFloat]>:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def SDFG_StoreOp : SDFG_Op<"store", [ParentOneOf<["MapOp"]>]> {
  let summary = "a write memlet, optionally with write-conflict resolution";
  let description = [{
    ```mlir
    sdfg.store %p, %C[%i, %j] wcr(sum) : !sdfg.array<f32[S, S]>
    ```
    With `wcr(sum)` the stored value is added to the element, synchronised (an atomic or critical
    update) unless the store is `owned`: `wcr(sum) owned` says no two concurrently running iterations
    update the element (WriteOwnership.h; set by resolve-write-conflicts, checked by the verifier).
  }];
  let arguments = (ins AnyTypeOf<[AnySignlessInteger, AnyFloat]>:$value, SDFG_ArrayType:$array,
                       AffineMapAttr:$map, Variadic<Index>:$indices, OptionalAttr<SDFG_WCRAttr>:$wcr,
                       UnitAttr:$owned);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def SDFG_TaskletOp : SDFG_Op<"tasklet", [IsolatedFromAbove, SingleBlockImplicitTerminator<"YieldOp">,
    ParentOneOf<["MapOp"]>, RecursiveMemoryEffects]> {
  let summary = "scalar computation: a region of arith and math ops";
  let description = [{
    ```mlir
    %r = sdfg.tasklet (%a = %x : f32, %b = %y : f32) -> f32 {
      %m = arith.mulf %a, %b : f32
      sdfg.yield %m : f32
    }
    ```
    A tasklet sees only its scalar operands; it touches memory only through the memlets around it.
  }];
  let arguments = (ins Variadic<AnyTypeOf<[AnySignlessInteger, AnyFloat, Index]>>:$operands,
                       OptionalAttr<StrAttr>:$label);
  let results = (outs Variadic<AnyTypeOf<[AnySignlessInteger, AnyFloat, Index]>>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::TypeRange":$resultTypes, "::mlir::ValueRange":$operands)>];
}

//===----------------------------------------------------------------------===//
// Tile nests: tile extents and micro-kernel calls
//===----------------------------------------------------------------------===//

def SDFG_MinOp : SDFG_Op<"min", [Pure, ParentOneOf<["MapOp"]>]> {
  let summary = "the smallest of affine expressions: the extent of a tile that may be cut by an edge";
  let description = [{
    ```mlir
    %rows = sdfg.min (96, %M - %mb * 96)
    sdfg.map (%i) = (0) to (%rows) { ... }
    ```
    An index value for the upper bounds of maps nested in the same map body and for the arguments of
    micro-kernels (`sdfg.ukernel`); memlet indices cannot use it. Its operands are SDFG symbols and
    parameters of enclosing maps. Bounds proofs may use any of its expressions as an upper bound.
  }];
  let arguments = (ins AffineMapAttr:$map, Variadic<Index>:$operands);
  let results = (outs Index:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def SDFG_MaxOp : SDFG_Op<"max", [Pure, ParentOneOf<["MapOp"]>]> {
  let summary = "the largest of affine expressions: the start of a tile range that may be cut by an edge";
  let description = [{
    ```mlir
    %first = sdfg.max (0, (%qb * 64 - 16) floordiv 128)
    sdfg.map (%kb) = (%first) to (%blocks) { ... }
    ```
    The mirror of `sdfg.min`: an index value for the lower bounds of maps nested in the same map body
    (a band of blocks, as a sliding-window mask keeps); memlet indices, upper bounds and micro-kernel
    arguments cannot use it. Its operands are SDFG symbols and parameters of enclosing maps. Bounds
    proofs may use any of its expressions as a lower bound.
  }];
  let arguments = (ins AffineMapAttr:$map, Variadic<Index>:$operands);
  let results = (outs Index:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def SDFG_UKernelOp : SDFG_Op<"ukernel", [ParentOneOf<["MapOp"]>, AttrSizedOperandSegments]> {
  let summary = "a call of a runtime micro-kernel on tiles of containers";
  let description = [{
    ```mlir
    sdfg.ukernel "gemm_12x32" ins(%ap[%ip, 0, 0], %bp[%jp, 0, 0]) outs(%acc[%ip * 12, %jp * 32])
        args(%kc, %kb) : !sdfg.array<f32[8, 256, 12]>, !sdfg.array<f32[8, 256, 32]>, !sdfg.array<f32[96, 256]>
    ```
    The innermost level of a tile nest. Each operand names the origin of the tile the kernel touches,
    affine in map parameters and symbols like a memlet index; the kernel's entry in the micro-kernel table
    (dialects/SDFG/MicroKernels.h) says the tile's extent per dimension (a constant or an argument), the
    layout it needs, and the runtime function it calls. `ins` are read, `outs` read and written. `args`
    are index values: symbols, parameters of enclosing maps or `sdfg.min` values. The verifier proves
    every tile in bounds, as for memlets.
  }];
  let arguments = (ins StrAttr:$kernel, Variadic<SDFG_ArrayType>:$inputs, Variadic<SDFG_ArrayType>:$outputs,
                       ArrayAttr:$origins, Variadic<Index>:$indices, Variadic<Index>:$args);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Inputs then outputs.
    ::mlir::OperandRange getTiles() { return getOperands().take_front(getInputs().size() + getOutputs().size()); }
    /// The origin map of tile `i` (of getTiles()) and its index operands.
    ::mlir::AffineMap getOrigin(unsigned i);
    ::mlir::ValueRange getOriginIndices(unsigned i);
  }];
}

#endif
