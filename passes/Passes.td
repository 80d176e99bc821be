//===- Passes.td - dmc's transformation passes ----------------*- tablegen -*-===//
//
// One pass per file in passes/, a lit test named after its flag in test/lit/passes/, and an entry in
// docs/passes.md. Pipelines -O0..-O3 are built in Pipelines.cpp. A pass that rewrites declares its
// statistics as dmc::PassStatistic members in its .cpp, not with `let statistics` (PassStatistics.h: why).
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
    A node's `impl` attribute (written by choose-implementations or the graph file) picks its expansion
    from the table in passes/expansions/Table.cpp; `impl = "library"` nodes stay (runtime calls). Nodes
    without the attribute use the `impl` option: `pure` (the default) is DaCe's pure expansion; `tiled`
    expands into the tiled form of the node's family where it has one that takes the node (MatMul and
    Gemm become an `nn.fused_matmul` without epilogue, which runs on the runtime's register-tiled
    micro-kernel and reads strided views in place) and every other node pure; `library` leaves them. `only=elementwise,reduce,...` restricts the pass to those families
    (elementwise, matmul, softmax, layernorm, reduce, layout, fused_matmul, attention); nodes of other
    families stay. `tiled` fused_matmul is a tile nest (passes/expansions/TiledMatMul.cpp): an omp map
    over C blocks of tile-m x tile-n, K panels of depth tile-k packed into per-worker buffers (lifetime
    `scope`), register tiles computed by the micro-kernel (`sdfg.ukernel`), the epilogue per block row.
    `tiled` attention is a flash-style tile nest (passes/expansions/TiledAttention.cpp): an omp map over
    query blocks of attention-block-q rows, key blocks of attention-block-k streamed through the online
    softmax (micro-kernel `softmax_update_row`) with both products on the GEMM micro-kernel, only the key
    blocks the generated mask may keep, the mask applied only on blocks it may cut. `tiled` softmax, layer
    norm and reductions along the last axis (passes/expansions/TiledRows.cpp) are an omp map over blocks of
    row-block rows, each row staged in a per-worker buffer by a vector map and reduced by a row
    micro-kernel (softmax_row, moments_row, sum_row, max_row), the output written by a vector map.
    Every node to expand is checked first: a
    node without an expansion leaves the SDFG unchanged and the pass fails with a diagnostic on that
    node. Legal because each expansion computes the node's semantics (docs/op-vocabulary.md) and
    touches only the node's containers and its own new transients.
  }];
  let options = [
    Option<"impl", "impl", "std::string", /*default=*/"\"pure\"",
           "expansion of nodes without an `impl` attribute: pure (maps and tasklets), tiled (MatMul on "
           "micro-kernels) or library (left as runtime calls)">,
    ListOption<"only", "only", "std::string",
               "expand only these families: elementwise, matmul, softmax, layernorm, reduce, layout, "
               "fused_matmul, attention">,
    Option<"registerTile", "register-tile", "std::string", /*default=*/"\"auto\"",
           "register tile of the tiled GEMM: auto (12x32 with AVX-512, else 6x16), 12x32 or 6x16">,
    Option<"tileM", "tile-m", "int64_t", /*default=*/"0", "rows of a C block in the tiled GEMM (0: default)">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"0", "columns of a C block in the tiled GEMM (0: default)">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"0", "depth of a packed panel in the tiled GEMM (0: default)">,
    Option<"attentionBlockQ", "attention-block-q", "int64_t", /*default=*/"0",
           "query rows per block of the tiled attention (0: default, 120 with the 12x32 register tile)">,
    Option<"attentionBlockK", "attention-block-k", "int64_t", /*default=*/"0",
           "keys per block of the tiled attention, a multiple of the register tile's columns (0: default, 256)">,
    Option<"rowBlock", "row-block", "int64_t", /*default=*/"0",
           "rows per block (one omp iteration) of the tiled softmax, layer norm and reductions (0: default, 16)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def FuseElementwiseMaps : Pass<"fuse-elementwise-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Fuse a map writing a transient element-wise into the map of the same space reading it";
  let description = [{
    Vertical fusion of the chains the pure expansion produces. A producer map P and a later consumer map
    C in the same state are fused when: both are single-level maps directly in the state (loads, stores
    and tasklets only) with the same parameter count, bounds (maps and operands), unit steps and
    schedule; P's only store writes a non-persistent transient T (`sdfg.alloc`) at exactly its
    parameters in order, without `wcr`; every other use of T, in the whole SDFG, is a load directly in C
    at exactly C's parameters in order (T has no views); and neither C nor any op between P and C writes
    a container (seen through views) that P reads, the ops between them being only views and maps. P's
    loads and tasklets then move to the start of C's body on C's parameters, C's loads of T take the
    value P stored, and P, its store and T's alloc are erased. Applied until nothing changes.
    Legal because each element of T is produced and consumed in the same iteration (same iteration
    space, identity index on both sides, no write conflicts), and nothing else observes T: a
    non-persistent transient is invisible outside the SDFG and has no other reader or writer inside it.
    P's reads are delayed to C's position, which is safe because nothing in between, nor C in any
    iteration, writes what P reads.
  }];
}

def FuseAttention : Pass<"fuse-attention", "::dmc::sdfg::SDFGOp"> {
  let summary = "Fuse Q K^T, softmax and P V into one streaming-softmax nn.attention";
  let description = [{
    Matches `scores = alpha * Q @ K^T`, `probs = softmax(scale * scores [+ mask])` over the last axis
    (with any generated mask) and `O = probs @ V`, where scores and probs are private transients each
    read only by the next node, in one state in that order. The three nodes become
    `nn.attention(Q, K, V [, mask]) {scale = alpha * scale}` at the place of the last, and the two
    [.., Sq, Sk] transients disappear. Legal because attention computes exactly that composition (the
    masks and the rule for fully masked rows are softmax's), the transients had no other reader, and
    nothing between the first and the last node writes Q, K or the mask, whose reads move down.
  }];
}

def FuseMatMulEpilogues : Pass<"fuse-matmul-epilogues", "::dmc::sdfg::SDFGOp"> {
  let summary = "Turn matmuls into tiled nn.fused_matmul and fold scale, bias, activation and residual into them";
  let description = [{
    Every nn.matmul becomes an nn.fused_matmul, the contraction on the runtime's register-tiled
    micro-kernel (`dmcrt_matmul_tiled`), which reads and writes strided views in place. It then absorbs
    the chain of nodes that consume its result, as long as they fit the epilogue
    `act(alpha * A @ B + pre_scale * pre) + post_scale * post`: a scale without bias (before anything
    else), an add or subtract of a broadcastable addend (pre, then post; `x - C` only first, by
    negating alpha), gelu or relu (between them). An operand that is a bias-free scale `s * y` of a
    private transient is read as y with alpha multiplied by s (the scale node stays while other nodes
    read its result). Each consumer must be the only
    reader of a private transient, in the same state; nothing between may write A, B or an addend
    folded earlier, whose reads move down to the consumer. Legal because the epilogue applies the same element-wise operations
    in the same order to each element, and the intermediate transients had no other reader.
  }];
}

def EliminateLayoutCopies : Pass<"eliminate-layout-copies", "::dmc::sdfg::SDFGOp"> {
  let summary = "Replace nn.transpose / nn.reshape copies by views (transpose elimination)";
  let description = [{
    Backward, when X (the layout node's input) is a private transient written only by a node that
    writes strided views (fused_matmul, attention) or by the stores of one map, and read only by the
    layout node: X becomes the
    inverse view of the output Y, so the producer writes the final layout (and nothing between producer
    and layout node may touch Y). Otherwise forward, when Y is a private transient written only by the
    layout node and no write of X's container follows it anywhere: Y becomes a view of X. Reshape views
    are made only of contiguous containers. Legal because a view shows the same elements in the layout
    the copy would have produced, and the conditions guarantee no reader sees a different value.
  }];
}

def SplitResidueClasses : Pass<"split-residue-classes", "::dmc::sdfg::SDFGOp"> {
  let summary = "Run a strided attention ((i - j) % s == 0) as dense attention per residue class";
  let description = [{
    An nn.attention whose mask keeps only keys with (i - j) % s == 0 (the `stride` shorthand, with
    causal or a window, or a mask expression that is one residue atom and comparisons of i - j with
    constants) becomes an nn.attention over views [.., s, S / s, D] of Q, K, V and O: one dense
    attention per residue class, causal stays causal, a window w becomes w / s, and the other
    comparisons are rewritten for i - j = s * (t - u). Legal because query i only meets keys of its own
    class, where the residue condition always holds; applies only when Sq and Sk are constant multiples
    of s, no other mask or score expression is present, and every operand can be seen through views
    (nothing is copied).
  }];
}

def MakeTransientsPersistent : Pass<"make-transients-persistent", "::dmc::sdfg::SDFGOp"> {
  let summary = "Keep heap transients in the handle across calls instead of allocating them per call";
  let description = [{
    A heap transient of lifetime `sdfg` whose accesses all lie in one state, the first writing all of
    it without reading it (a library node, directly or through transpose/reshape views, or a map nest
    whose stores without wcr cover it), gets
    lifetime `persistent`: allocated once per handle (docs/abi.md) instead of allocated and zeroed on
    every call. Legal because no call reads a value of the transient before writing every element,
    so what a previous call left in it is never observed; distinct handles keep distinct buffers.
  }];
}

def RunConstantMapsOnce : Pass<"run-constant-maps-once", "::dmc::sdfg::SDFGOp"> {
  let summary = "Run maps that compute a persistent transient from constant inputs once per handle";
  let description = [{
    A map directly in a state that reads only constant inputs (`dmc.constants`: data the handle loads
    when it is created and never changes) and writes only a persistent transient, which nothing else
    writes, and whose bounds and indices use nothing else from outside the map (no run-time symbol), gets
    the unit attribute `once`: the emitter runs it on the handle's runs until one succeeds, then never
    again. Legal because every later run would write the same values into the same buffer, which
    the handle keeps (a weight's packed panels, passes/expansions/TiledMatMul.cpp).
  }];
}

def VectorizeInnerMaps : Pass<"vectorize-inner-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Split the innermost unit-stride dimension of an omp map into a nested vector map";
  let description = [{
    For a map directly in a state with schedule omp, at least two parameters and unit steps, whose body
    holds only loads, stores and tasklets, where the last parameter is the last index of some memlet
    (unit stride) and one of the indices of every store (which has no wcr): the map becomes an omp map
    over the other parameters around a `vector` map over the last. The emitter then parallelises the
    outer loops and emits the inner one as `omp simd`. Legal because the iteration space, and what each
    iteration does, are unchanged; the inner iterations may run in SIMD lanes together because each
    stores a distinct element (its own value of the last parameter) and none accumulates.
  }];
}

def FuseReductions : Pass<"fuse-reductions", "::dmc::sdfg::SDFGOp"> {
  let summary = "Fuse reduce_sum / reduce_max with the element-wise map that produces or consumes it";
  let description = [{
    Both fusions build an omp map over the input's kept dims that initialises the output element and
    accumulates into it (wcr) over the reduced dims. Producer: when the input X is a private transient
    written only by one element-wise map P (identity store, no wcr, P's space is X's shape) and read
    only by the reduction, P's body is evaluated inside the accumulation and X disappears; P's reads
    move to the reduction, so nothing in between may write them. Consumer: when the output Y is a
    private transient read only by one element-wise map C over X's shape, every read at Y's element of
    C's own kept indices, C runs inside the same kept iteration after the accumulation; the reduction
    moves down to C, so nothing in between may write X or touch Y, and C must not write X or Y. Legal
    because every element of Y is complete before anything reads it, each kept iteration only reads
    its own Y element, and each element accumulates the same values (sequentially, in index order).
  }];
}

def FuseTasklets : Pass<"fuse-tasklets", "::dmc::sdfg::SDFGOp"> {
  let summary = "Merge a tasklet into the one tasklet that consumes all its results";
  let description = [{
    When every result of an unlabelled tasklet is used only by one other unlabelled tasklet in the
    same block, the two become one tasklet at the consumer's place: its operands are both tasklets'
    outside operands, its body the producer's ops followed by the consumer's, with the producer's
    yielded values in place of its results. Legal because tasklets are pure scalar code that sees only
    its operands: substituting the computation for its results changes no value.
  }];
}

def ReuseDeadBuffers : Pass<"reuse-dead-buffers", "::dmc::sdfg::SDFGOp"> {
  let summary = "Let a transient use the memory of one whose life has ended";
  let description = [{
    For private heap transients whose accesses all lie in one state: in order of first access, a
    transient whose first access writes all of it without reading it (a library node, or a map nest
    whose stores without wcr cover it) takes over
    the allocation of an earlier transient with the same element type and count whose last access
    (and that of every transient already sharing it) precedes that first access. It becomes that
    allocation, or a reshape view of it. Legal because the two lives do not overlap and the newcomer
    overwrites every element before anything reads it, so neither sees the other's values.
  }];
}

def FuseSiblingMaps : Pass<"fuse-sibling-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Horizontal fusion: merge a later map of the same space that does not depend on an earlier one";
  let description = [{
    Two maps directly in one state, with the same parameters, bounds, steps and schedule and bodies of
    loads, stores and tasklets only, where the later one neither reads what the earlier writes nor
    writes what the earlier reads or writes, become one map: the later body follows the earlier one in
    each iteration. Nothing between them may write what the later map reads or touch what it writes,
    because those accesses move up to the earlier map. Legal because with no dependence between the
    two bodies (and none with the ops they move across), running them in the same iteration computes
    the same values.
  }];
}

def ChooseSchedules : Pass<"choose-schedules", "::dmc::sdfg::SDFGOp"> {
  let summary = "Run omp maps with little work sequentially (OpenMP schedule choice)";
  let description = [{
    A top-level omp map whose nest has a constant iteration count (its space times, per iteration, one
    plus the nested maps' counts) below `min-parallel-iterations` becomes sequential: a fork and join
    cost more than such a map's work. Legal because a schedule changes only which thread runs an
    iteration; a map's iterations are independent except through wcr, which sequential execution
    resolves in order.
  }];
  let options = [
    Option<"minParallelIterations", "min-parallel-iterations", "unsigned", /*default=*/"16384",
           "nests with fewer iterations run sequentially">,
  ];
}

def ChooseTransientStorage : Pass<"choose-transient-storage", "::dmc::sdfg::SDFGOp"> {
  let summary = "Put small constant-size transients on the stack (or in registers) instead of the heap";
  let description = [{
    A heap transient of lifetime `sdfg` with a constant size of at most `max-stack-bytes`, whose
    accesses all lie in one state and whose first access writes all of it without reading it (a
    library node, or a map nest whose stores without wcr cover it), gets storage `register` (at most 16 elements) or `stack`. Legal because such
    a transient is never read before it is written in full, so the stack's uninitialised contents
    (unlike the zeroed heap) are never observed; its lifetime (one call) is the run function's frame.
  }];
  let options = [
    Option<"maxStackBytes", "max-stack-bytes", "unsigned", /*default=*/"65536",
           "largest transient put on the stack">,
  ];
}

def InterchangeMaps : Pass<"interchange-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Make the parameter whose steps touch the fewest cache lines the innermost loop of a map nest";
  let description = [{
    For every perfect nest of maps with constant bounds (a map in a state holding only a map, down to
    loads, stores and tasklets), the stride cost model (passes/analysis/StrideCost.h) counts the cache
    lines each parameter's step touches over all memlets, views resolved. The cheapest becomes the
    innermost loop, a `vector` map when each of its iterations stores its own elements. The others keep
    their order and their role: omp parameters stay in the outer parallel map (which is never emptied),
    sequential ones follow. Legal because the iterations commute: every store without wcr is indexed by
    every parameter, and the nest loads nothing it stores.
  }];
}

def TileMaps : Pass<"tile-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Tile perfect map nests: tile origins outside, the tiles inside";
  let description = [{
    In every perfect nest with constant bounds, each parameter but the innermost whose range is a
    multiple of the tile size (and longer) splits into a tile origin (step = tile size) and a parameter
    ranging over [origin, origin + tile). The omp level keeps its untiled parameters and iterates the
    origins of its tiled ones; sequential origins follow; inside, the old levels run over their tiles.
    Legal because the iterations commute (as for interchange-maps); each parallel iteration owns the
    elements its tile stores to.
  }];
  let options = [
    Option<"tileSize", "tile-size", "int64_t", /*default=*/"32", "tile edge, in iterations">,
  ];
}

def CollapseMaps : Pass<"collapse-maps", "::dmc::sdfg::SDFGOp"> {
  let summary = "Merge a map with the map of the same schedule that is all its body";
  let description = [{
    `map (b, h) omp { map (i) omp { ... } }` becomes `map (b, h, i) omp { ... }`, so the parallel loop
    spans the whole space instead of running the inner map sequentially in each iteration; sequential
    pairs merge too. Only when the inner bounds do not depend on the outer parameters. Legal because
    the iteration space and each iteration's body are unchanged, and map iterations are independent
    (wcr stores that several iterations share become atomic when parallel).
  }];
}

def RemoveRedundantCopies : Pass<"remove-redundant-copies", "::dmc::sdfg::SDFGOp"> {
  let summary = "Redundant array removal: a transient that only copies another array becomes a view of it";
  let description = [{
    A copy is an `sdfg.copy` or a map nest that loads one element and stores it, each index a parameter,
    over the whole destination: the destination is the source, transposed or not. Forward: a private
    transient written only by the copy becomes a view of the source, provided nothing writes the source
    while the transient is read. Backward: a private transient written in full by its first access and
    last used by the copy becomes a view of the destination, provided nothing touches the destination
    meanwhile. A strided result is made only where every user reads element-wise or takes strided views
    (no reshape of it, no runtime kernel that would need a contiguous copy again). Legal because the view
    shows, at every read, the values the copy would have held.
  }];
}

def FoldViewsIntoMemlets : Pass<"fold-views-into-memlets", "::dmc::sdfg::SDFGOp"> {
  let summary = "Express memlets on containers, not views: transpose, slice and reshape folded into the index map";
  let description = [{
    A load or store of a view indexes the view's source instead: a transpose permutes the index
    expressions, a slice adds its offsets, a reshape (static shapes) linearises each group of view dims
    that makes up one source dim. A reshape that would split one index over several dims (division and
    remainder in every address) stays, and so do the views under it. Stores with wcr keep their views
    (resolve-write-conflicts needs plain parameter indices to prove a parallel iteration owns the element). Views no
    longer used are erased. Legal because each folded memlet addresses the same element as before.
  }];
}

def SelectLayouts : Pass<"select-layouts", "::dmc::sdfg::SDFGOp"> {
  let summary = "Store each transient in the dimension order that its loops walk contiguously";
  let description = [{
    For a private transient with static shape (rank 2 to 5) accessed only by loads and stores in maps of
    constant bounds (directly or through transpose and slice views), every order of its dims is priced
    with the stride cost model: the sum, over its memlets, of the nest's iteration count times the cache
    lines one step of the innermost parameter touches in that order. When an order is cheaper than the
    current one, the transient is allocated in it and its users see the old shape through a transpose
    view. Legal because a transient is invisible outside the SDFG and every access goes through the view,
    which addresses the same logical element.
  }];
}

def PrepareForEmission : Pass<"prepare-for-emission", "::dmc::sdfg::SDFGOp"> {
  let summary = "Legalise the IR for the C++ emitter: contiguous operands for library nodes, named transients";
  let description = [{
    Runtime kernels take contiguous row-major tensors, so a library node reading a transposed or sliced
    view gets a copy in a fresh transient (and one writing such a view writes a transient copied back
    afterwards); the tiled kernels take strided views, so only their operands without a strided layout
    (a reshape of a transposed or sliced view) get copies. Every transient gets a unique identifier name. Runs last in every pipeline, so the
    emitter only prints. Legal because a copy into a fresh transient preserves every value read, and the
    copy-back happens before any later reader in the state's order.
  }];
}

def ApplyTunedChoices : Pass<"apply-tuned-choices", "::dmc::sdfg::SDFGOp"> {
  let summary = "Give each tunable node the implementation and blocks that `dmc tune` measured fastest here";
  let description = [{
    Looks up every tunable node (a GEMM, attention, softmax or layer norm whose graph file fixed no
    `impl`, all sizes known: passes/tuning/Tuning.h) in the tuning database `db` by its signature and the
    machine (`cpu`, `isa`, `threads`). A node with an entry gets its `impl` and `tiles` and
    `tuning = "tuned"`; every other tunable node gets `tuning = "default"`, and choose-implementations
    then decides as it would without a database. A database that cannot be read gives a warning and no
    choices. Runs at -O3 before choose-implementations (dmc compile points it at the cache folder's
    tuning.json and this machine). Legal because it only records a choice, and every choice computes
    the node's semantics.
  }];
  let options = [
    Option<"db", "db", "std::string", /*default=*/"\"\"", "the tuning database (TuningDatabase.h); empty: none">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"", "the CPU model as the database spells it">,
    Option<"isaName", "isa", "std::string", /*default=*/"\"\"", "the vector ISA: avx512, avx2 or generic">,
    Option<"threads", "threads", "int64_t", /*default=*/"1", "the OpenMP thread count the library runs with">,
  ];
}

def ChooseImplementations : Pass<"choose-implementations", "::dmc::sdfg::SDFGOp"> {
  let summary = "Write each library node's implementation (`impl` = pure, tiled, library or dnnl) as an attribute";
  let description = [{
    Makes the choice of kernel an explicit step of the IR: every `nn` op without an `impl` attribute gets
    `impl = "<choice>"`, its family's option (`matmul=tiled attention=library`, families as in
    expand-library-nodes' `only`) or else `default`. `pure` and `tiled` name expansions of
    expand-library-nodes (passes/expansions/Table.cpp), which then expands the node that way; `library`
    leaves the node to be a runtime call, and `dnnl` (fused matmuls) a call of oneDNN's matmul primitive. A node whose choice (written here or already present, from the
    graph file) has no expansion of that name gets a diagnostic and the pass fails, changing nothing.
    Legal because it only records a choice; every implementation computes the node's semantics.
  }];
  let options = [
    Option<"defaultImpl", "default", "std::string", /*default=*/"\"pure\"",
           "implementation of nodes whose family has no option here">,
    Option<"elementwise", "elementwise", "std::string", /*default=*/"\"\"", "element-wise nodes">,
    Option<"matmul", "matmul", "std::string", /*default=*/"\"\"", "nn.matmul and nn.gemm">,
    Option<"softmax", "softmax", "std::string", /*default=*/"\"\"", "nn.softmax">,
    Option<"layernorm", "layernorm", "std::string", /*default=*/"\"\"", "nn.layer_norm">,
    Option<"reduce", "reduce", "std::string", /*default=*/"\"\"", "reductions">,
    Option<"layout", "layout", "std::string", /*default=*/"\"\"", "transpose, reshape, slice, concat">,
    Option<"fusedMatmul", "fused_matmul", "std::string", /*default=*/"\"\"", "nn.fused_matmul">,
    Option<"attention", "attention", "std::string", /*default=*/"\"\"", "nn.attention">,
    Option<"attentionGlobalTokens", "attention-global-tokens", "std::string", /*default=*/"\"\"",
           "nn.attention with global tokens (empty: as `attention`)">,
  ];
}

def ResolveWriteConflicts : Pass<"resolve-write-conflicts", "::dmc::sdfg::SDFGOp"> {
  let summary = "Decide which maps run in parallel and which wcr stores need an atomic or critical update";
  let description = [{
    One parallel level per nest: an `omp` map inside another `omp` map becomes sequential. A wcr store
    is marked `owned` (`wcr(sum) owned`) when no two concurrently running iterations update its element:
    every parameter of each enclosing `omp` map is one of its indices, or the origin of a tile whose
    parameter is (dialects/SDFG/WriteOwnership.h). The emitter synchronises every other wcr store. Runs
    last, before prepare-for-emission, at every level. Legal because a nested parallel loop already ran inside one thread of the outer one, and
    an update no other thread touches needs no synchronisation (the store verifier checks the claim).
  }];
}

#endif
