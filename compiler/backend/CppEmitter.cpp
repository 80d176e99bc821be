//===- CppEmitter.cpp - one sdfg.sdfg as a C++ translation unit -----------===//
#include "compiler/backend/CppEmitter.h"
#include "compiler/backend/Constants.h"
#include "compiler/backend/Emitter.h"

#include "llvm/ADT/TypeSwitch.h"

#include <nlohmann/json.hpp>

using namespace mlir;

namespace dmc {

std::string Emitter::dimExpr(const Dim &d) const {
  if (!d.isSymbolic())
    return std::to_string(d.value) + "LL";
  return nameOf(const_cast<sdfg::SDFGOp &>(sdfg).lookupSymbolArg(d.symbol));
}

std::string Emitter::numElementsExpr(const Shape &shape) const {
  std::string e = "1LL";
  for (const Dim &d : shape)
    e += " * " + dimExpr(d);
  return e;
}

LogicalResult Emitter::emitMarked(unsigned index, llvm::function_ref<LogicalResult()> emit) {
  markPath.push_back(index);
  std::string path;
  if (markNodes) {
    for (unsigned i : markPath)
      path += (path.empty() ? "" : ".") + std::to_string(i);
    os << "// dmc-node " << path << "\n";
  }
  LogicalResult result = emit();
  if (markNodes)
    os << "// dmc-node-end " << path << "\n";
  markPath.pop_back();
  return result;
}

/// A C string literal: only printable ASCII other than quote and backslash passes through.
std::string stringLiteral(StringRef text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      out += std::string("\\") + (char)c;
    else if (c >= 0x20 && c < 0x7f)
      out += (char)c;
    else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

namespace {

/// The constant inputs (Constants.h): loaded by create, no run-time arguments. Checked before emission.
ConstantLayout constantsOf(sdfg::SDFGOp sdfg) {
  FailureOr<ConstantLayout> layout = constantLayout(sdfg);
  return succeeded(layout) ? *layout : ConstantLayout();
}

std::string runSignature(Emitter &e) {
  std::string sig = "int dmc_" + e.sdfg.getSymName().str() + "_run(void *_handle";
  for (BlockArgument s : e.sdfg.getSymbolArgs())
    sig += ", int64_t " + e.nameOf(s);
  ConstantLayout constants = constantsOf(e.sdfg);
  for (BlockArgument a : e.sdfg.getInputArgs())
    if (!constants.contains(a.getArgNumber()))
      sig += ", const float *" + e.nameOf(a);
  for (BlockArgument a : e.sdfg.getOutputArgs())
    sig += ", float *" + e.nameOf(a);
  return sig + ")";
}

void nameArguments(Emitter &e) {
  unsigned numScalars = e.sdfg.getNumSymbols() + e.sdfg.getNumLocals();
  for (auto [i, arg] : llvm::enumerate(e.sdfg.getBodyBlock().getArguments())) {
    StringRef name = e.sdfg.getArgName(i);
    e.names[arg] = i < numScalars ? Emitter::symbolName(name) : Emitter::containerName(name);
  }
}

/// Only f32 containers reach the backend today; the verifier admits other element types.
LogicalResult checkElementTypes(sdfg::SDFGOp sdfg) {
  WalkResult r = sdfg.walk([&](Operation *op) {
    for (Value v : op->getResults())
      if (auto a = dyn_cast<sdfg::ArrayType>(v.getType()); a && !a.getElementType().isF32())
        return op->emitOpError("has a container of ") << a.getElementType() << "; the backend supports f32 only",
               WalkResult::interrupt();
    return WalkResult::advance();
  });
  for (BlockArgument a : sdfg.getBodyBlock().getArguments())
    if (auto t = dyn_cast<sdfg::ArrayType>(a.getType()); t && !t.getElementType().isF32())
      return sdfg.emitOpError("argument of ") << t.getElementType() << "; the backend supports f32 only";
  return failure(r.wasInterrupted());
}

/// Declares the dims of `shape` and, where some are symbols, their names for messages; returns the
/// `dims, names, rank` arguments of the runtime's checked-size functions (dmc/runtime/sizes.h).
std::string shapeArguments(Emitter &e, const Shape &shape) {
  if (shape.empty())
    return "nullptr, nullptr, 0";
  std::string dims = e.fresh("dims"), names = "nullptr";
  e.os << "const int64_t " << dims << "[] = {";
  for (auto [i, d] : llvm::enumerate(shape))
    e.os << (i ? ", " : "") << e.dimExpr(d);
  e.os << "};\n";
  if (llvm::any_of(shape, [](const Dim &d) { return d.isSymbolic(); })) {
    names = e.fresh("names");
    e.os << "static const char *const " << names << "[] = {";
    for (auto [i, d] : llvm::enumerate(shape))
      e.os << (i ? ", " : "") << (d.isSymbolic() ? stringLiteral(d.symbol) : "nullptr");
    e.os << "};\n";
  }
  return dims + ", " + names + ", " + std::to_string(shape.size());
}

/// Sizes known at compile time are checked here: their bytes must fit int64_t, as the run time checks do.
LogicalResult checkConstantSize(Operation *op, const Shape &shape) {
  if (llvm::any_of(shape, [](const Dim &d) { return d.isSymbolic(); }))
    return success();
  std::optional<int64_t> n = evaluateNumElements(shape, {});
  int64_t bytes;
  if (!n || __builtin_mul_overflow(*n, (int64_t)sizeof(float), &bytes))
    return op->emitOpError("has a container of shape ") << formatShape(shape) << " whose size in bytes overflows int64";
  return success();
}

/// Run-time symbols must be positive and every argument's size must fit int64_t before any index or
/// size is computed from them; a failure returns the runtime's status with a message naming the
/// symbol and its value (dmcrt_last_error).
LogicalResult emitSizeChecks(Emitter &e) {
  for (BlockArgument s : e.sdfg.getSymbolArgs())
    e.os << "if (int _rc = dmcrt_check_symbol(" << stringLiteral(e.sdfg.getArgName(s.getArgNumber())) << ", "
         << e.nameOf(s) << ")) return _rc;\n";
  unsigned numScalars = e.sdfg.getNumSymbols() + e.sdfg.getNumLocals();
  for (BlockArgument a : e.sdfg.getBodyBlock().getArguments().drop_front(numScalars)) {
    Shape shape = cast<sdfg::ArrayType>(a.getType()).getShape();
    if (failed(checkConstantSize(e.sdfg, shape)))
      return failure();
    if (llvm::none_of(shape, [](const Dim &d) { return d.isSymbolic(); }))
      continue;
    bool input = a.getArgNumber() < numScalars + e.sdfg.getNumInputs();
    std::string what = (input ? "input '" : "output '") + e.sdfg.getAbiName(a.getArgNumber()).str() + "'";
    std::string args = shapeArguments(e, shape);
    e.os << "if (int _rc = dmcrt_shape_size(" << stringLiteral(what) << ", " << args
         << ", sizeof(float), nullptr, nullptr)) return _rc;\n";
  }
  return success();
}

LogicalResult emitTransients(Emitter &e) {
  for (auto alloc : e.sdfg.getBodyBlock().getOps<sdfg::AllocOp>()) {
    // Names are prepare-for-emission's: every transient has one, an identifier unique among the
    // containers (SDFGOp verifier), so its prefixed form clashes with nothing.
    if (!alloc.getName())
      return alloc.emitOpError("has no name; prepare-for-emission names every transient before emission");
    std::string name = Emitter::containerName(*alloc.getName());
    e.names[alloc] = name;
    if (alloc.getLifetime() == sdfg::Lifetime::scope && sdfg::getScopeOwner(alloc))
      continue; // declared with the map that owns it (EmitTile.cpp)
    Shape shape = alloc.getType().getShape();
    if (failed(checkConstantSize(alloc, shape)))
      return failure();
    switch (alloc.getStorage()) {
    case sdfg::Storage::stack:
    case sdfg::Storage::reg:
      e.os << "alignas(64) float " << name << "[" << e.numElementsExpr(shape) << "];\n";
      break;
    default: {
      // Sizes are checked and failures reported (dmcrt_alloc_shape) naming the transient and its symbols.
      std::string what = stringLiteral("transient '" + alloc.getName()->str() + "'");
      std::string args = shapeArguments(e, shape);
      if (alloc.getLifetime() == sdfg::Lifetime::persistent) {
        std::string ptr = e.fresh("persistent");
        e.os << "float *" << ptr << " = nullptr;\n";
        e.os << "if (int _rc = _state->persistent(" << e.persistentSlots++ << ", &" << ptr << ", " << what << ", "
             << args << ")) return _rc;\n";
        e.os << "float *const " << name << " = " << ptr << ";\n";
      } else {
        std::string buf = e.fresh("buffer");
        e.os << "dmc_buffer " << buf << ";\n";
        e.os << "if (int _rc = " << buf << ".allocate(" << what << ", " << args << ")) return _rc;\n";
        e.os << "float *const " << name << " = " << buf << ".data;\n";
      }
    }
    }
  }
  for (Operation &op : e.sdfg.getBodyBlock())
    if (isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(op))
      e.names[op.getResult(0)] = "/*view*/";
  return success();
}

LogicalResult emitState(Emitter &e, sdfg::StateOp state, unsigned stateIndex) {
  e.os << "{ // state @" << state.getSymName() << "\n";
  e.os.indent();
  // Per-state profile: a flag test unless the runtime's profiler is switched on (dmc run --profile).
  std::string label = stringLiteral(state.getSymName());
  e.os << "dmcrt_profile_begin(" << label << ");\n";
  e.markPath.assign({stateIndex});
  unsigned opIndex = 0;
  for (Operation &op : state.getBodyBlock()) {
    LogicalResult r = e.emitMarked(opIndex++, [&] {
      return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
          .Case([&](sdfg::MapOp map) { return e.emitMap(map); })
          .Case([&](sdfg::CopyOp copy) { return e.emitCopy(copy); })
          .Case<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>([&](Operation *) { return success(); })
          .Case<nn::FusedMatMulOp, nn::AttentionOp>([&](Operation *) { return e.emitTiledNode(&op); })
          .Case([&](nn::LibraryNode) { return e.emitLibraryNode(&op); })
          .Default([](Operation *o) { return o->emitOpError("cannot be emitted in a state"); });
    });
    if (failed(r))
      return failure();
  }
  e.markPath.clear();
  e.os << "dmcrt_profile_end(" << label << ");\n";
  e.os.unindent();
  e.os << "}\n";
  return success();
}

LogicalResult emitEdges(Emitter &e, sdfg::StateOp state, const llvm::StringMap<std::string> &labels) {
  for (auto edge : e.sdfg.getEdges()) {
    if (edge.getSrc() != state.getSymName())
      continue;
    e.os << "{\n";
    e.os.indent();
    if (edge.hasCondition()) {
      SmallVector<std::string> cond;
      if (failed(e.emitScalarRegion(edge.getCondition(), cond)))
        return failure();
      e.os << "if (" << cond[0] << ") {\n";
      e.os.indent();
    }
    if (!edge.getAssign().empty()) {
      SmallVector<std::string> values;
      if (failed(e.emitScalarRegion(edge.getAssignments(), values)))
        return failure();
      // All right-hand sides are computed before any symbol changes (parallel assignment).
      for (auto [name, value] : llvm::zip(edge.getAssign().getAsValueRange<StringAttr>(), values))
        e.os << e.nameOf(e.sdfg.lookupSymbolArg(name)) << " = " << value << ";\n";
    }
    e.os << "goto " << labels.lookup(edge.getDst()) << ";\n";
    if (edge.hasCondition()) {
      e.os.unindent();
      e.os << "}\n";
    }
    e.os.unindent();
    e.os << "}\n";
  }
  e.os << "goto _end;\n";
  return success();
}

const char *kPrologue = R"cpp(#include <dmc/runtime/alloc.h>
#include <dmc/runtime/constants.h>
#include <dmc/runtime/export.h>
#include <dmc/runtime/kernels.h>
#include <dmc/runtime/sizes.h>
#include <dmc/runtime/tiled.h>
#include <dmc/runtime/ukernels.h>
#include <utility>
#include <dmc/runtime/timer.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>
#ifdef _OPENMP
#include <omp.h>
#endif

// A portable build (dmc compile --target-cpu=portable defines DMC_TARGET_CLONES) holds the run function
// for x86-64-v4 (AVX-512), x86-64-v3 (AVX2, FMA) and the baseline; the loader picks the one this CPU runs
// (GCC's function multiversioning, its OpenMP regions included). Elsewhere the build is -march's.
#if defined(DMC_TARGET_CLONES) && defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#define DMC_ISA_VARIANTS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DMC_ISA_VARIANTS
#endif

namespace {
// Affine floor division and modulo (C++ rounds towards zero).
inline int64_t dmc_floordiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t dmc_ceildiv(int64_t a, int64_t b) { return -dmc_floordiv(-a, b); }
inline int64_t dmc_mod(int64_t a, int64_t b) { int64_t m = a % b; return m < 0 ? m + b : m; }

// The worker running the current iteration of a parallel loop (0 outside OpenMP), and how many there may be.
inline int64_t dmc_worker() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}
inline int64_t dmc_workers() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

// A transient's storage: 64-byte aligned, freed on every path out of the run function (or with its handle).
struct dmc_buffer {
  float *data = nullptr;
  std::vector<int64_t> shape; // the shape `data` was allocated for
  dmc_buffer() = default;
  ~dmc_buffer() { dmcrt_free(data); }
  dmc_buffer(const dmc_buffer &) = delete;
  dmc_buffer &operator=(const dmc_buffer &) = delete;
  // Storage for shape dims[0..rank), kept when `data` already has that shape. The runtime checks the element
  // and byte counts before allocating; a status, with a message naming `what` and the symbols' values
  // (`names`) in dmcrt_last_error.
  bool fresh = false; // whether the last allocate() allocated
  int allocate(const char *what, const int64_t *dims, const char *const *names, int rank) {
    fresh = false;
    if (data && shape.size() == size_t(rank) && std::equal(dims, dims + rank, shape.begin())) return 0;
    dmcrt_free(data);
    data = nullptr;
    void *p = nullptr;
    if (int rc = dmcrt_alloc_shape(&p, what, dims, names, rank, sizeof(float))) return rc;
    data = static_cast<float *>(p);
    fresh = true;
    try { shape.assign(dims, dims + rank); } catch (...) { shape.clear(); } // only the reuse is lost
    return 0;
  }
};

// A handle: persistent transients live here, so distinct handles can run concurrently.
struct dmc_state {
  std::vector<dmc_buffer *> buffers;
  float *constants = nullptr; // the constant inputs' data, read by create (dmcrt_load_constants)
  bool ran = false;           // a run succeeded: the maps marked `once` have written their buffers
  // The constant arguments' addresses on the run that set `ran`. One at another address is another array,
  // whose values the maps marked `once` have not seen; values changed in place the caller reports
  // (dmc_NAME_constants_changed clears `ran`).
  std::vector<const float *> constant_args;
  bool same_constant_args(const float *const *args, size_t n) const {
    return constant_args.size() == n && std::equal(args, args + n, constant_args.begin());
  }
  // Keeps them; false (so `ran` stays false and the next run redoes the `once` maps) if that fails.
  bool keep_constant_args(const float *const *args, size_t n) {
    try {
      constant_args.assign(args, args + n);
      return true;
    } catch (...) {
      constant_args.clear();
      return false;
    }
  }
  // The persistent transient of `slot`, reallocated when its shape changes; a status as dmc_buffer::allocate.
  int persistent(size_t slot, float **out, const char *what, const int64_t *dims, const char *const *names, int rank) {
    try {
      if (buffers.size() <= slot) buffers.resize(slot + 1, nullptr);
      if (!buffers[slot]) buffers[slot] = new dmc_buffer();
    } catch (...) {
      return 3; // DMCRT_ERR_ALLOC
    }
    int rc = buffers[slot]->allocate(what, dims, names, rank);
    *out = buffers[slot]->data;
    return rc;
  }
  // The buffers of a transient of lifetime `scope` in the persistent `slot`: one part of `size` floats per
  // worker of the parallel loop that owns it, kept across calls, zeroed when (re)allocated (a new thread
  // count reallocates).
  int workers(size_t slot, float **out, const char *what, int64_t size) {
    const int64_t dims[2] = {dmc_workers(), size};
    int rc = persistent(slot, out, what, dims, nullptr, 2);
    if (rc == 0 && buffers[slot]->fresh) std::memset(*out, 0, sizeof(float) * static_cast<size_t>(dims[0] * dims[1]));
    return rc;
  }
  ~dmc_state() {
    for (dmc_buffer *b : buffers) delete b;
    dmcrt_free(constants);
  }
};
} // namespace
)cpp";
} // namespace

LogicalResult emitCpp(sdfg::SDFGOp sdfg, llvm::raw_ostream &out, const EmitOptions &options) {
  if (failed(checkElementTypes(sdfg)))
    return failure();
  FailureOr<ConstantLayout> constants = constantLayout(sdfg);
  if (failed(constants))
    return failure();
  Emitter e(sdfg, out);
  e.markNodes = options.markNodes;
  std::string name = sdfg.getSymName().str(); // a checked identifier (verifier + importer)
  nameArguments(e);
  e.os << "// Generated by dmc from graph '" << name << "'. Do not edit.\n" << kPrologue << "\n";
  e.os << "extern \"C\" {\n\n";
  if (constants->inputs.empty()) {
    e.os << "DMCRT_API void *dmc_" << name << "_create(void) { return new (std::nothrow) dmc_state(); }\n";
  } else {
    // The file name is the graph's (an identifier) and a fixed suffix: nothing else of the IR is printed.
    e.os << "DMCRT_API void *dmc_" << name << "_create(void) {\n"
         << "  dmc_state *_state = new (std::nothrow) dmc_state();\n"
         << "  if (!_state) return nullptr;\n"
         << "  if (dmcrt_load_constants(&_state->constants, reinterpret_cast<const void *>(&dmc_" << name
         << "_create), " << stringLiteral(constants->file) << ", " << constants->total << "LL)) {\n"
         << "    delete _state;\n    return nullptr;\n  }\n  return _state;\n}\n";
  }
  e.os << "DMCRT_API void dmc_" << name << "_destroy(void *_handle) { delete static_cast<dmc_state *>(_handle); }\n";
  e.os << "DMCRT_API void dmc_" << name << "_constants_changed(void *_handle) {\n"
       << "  if (_handle) static_cast<dmc_state *>(_handle)->ran = false;\n}\n\n";
  e.os << "DMCRT_API DMC_ISA_VARIANTS " << runSignature(e) << " {\n";
  e.os.indent();
  e.os << "dmc_state *_state = static_cast<dmc_state *>(_handle);\n";
  e.os << "if (!_state) return 1; // DMCRT_ERR_INVALID_ARG\n";
  for (const ConstantInput &c : constants->inputs)
    e.os << "const float *" << e.nameOf(sdfg.getBodyBlock().getArgument(c.argNumber)) << " = _state->constants + "
         << c.offset << "LL; // constant input " << c.name << "\n";
  if (failed(emitSizeChecks(e)))
    return failure();
  SmallVector<BlockArgument> constantArgs;
  for (BlockArgument a : sdfg.getInputArgs())
    if (sdfg.isConstantArgument(a.getArgNumber()))
      constantArgs.push_back(a);
  if (!constantArgs.empty()) {
    e.os << "const float *const _constant_args[] = {";
    llvm::interleaveComma(constantArgs, e.os, [&](BlockArgument a) { e.os << e.nameOf(a); });
    e.os << "};\n";
    e.os << "if (!_state->same_constant_args(_constant_args, " << constantArgs.size() << ")) _state->ran = false;\n";
  }
  for (BlockArgument s : sdfg.getLocalSymbolArgs())
    e.os << "int64_t " << e.nameOf(s) << " = 0;\n";
  if (failed(emitTransients(e)))
    return failure();
  llvm::StringMap<std::string> labels;
  for (auto state : sdfg.getStates())
    labels[state.getSymName()] = "_state_" + std::to_string(labels.size());
  unsigned stateIndex = 0;
  for (auto state : sdfg.getStates()) {
    e.os.unindent();
    e.os << labels[state.getSymName()] << ":; // @" << state.getSymName() << "\n";
    e.os.indent();
    if (failed(emitState(e, state, stateIndex++)) || failed(emitEdges(e, state, labels)))
      return failure();
  }
  e.os.unindent();
  e.os << "_end:\n";
  e.os.indent();
  if (constantArgs.empty())
    e.os << "_state->ran = true;\n";
  else
    e.os << "_state->ran = _state->keep_constant_args(_constant_args, " << constantArgs.size() << ");\n";
  e.os << "return 0;\n";
  e.os.unindent();
  e.os << "}\n\n";
  // The packed entry point lets loaders call any graph: symbols, then arguments, in manifest order.
  e.os << "DMCRT_API int dmc_" << name << "_run_packed(void *_handle, const int64_t *_symbols, void **_args) {\n";
  e.os << "  return dmc_" << name << "_run(_handle";
  for (size_t i = 0; i < sdfg.getSymbolArgs().size(); ++i)
    e.os << ", _symbols[" << i << "]";
  size_t k = 0;
  for (BlockArgument a : sdfg.getInputArgs())
    if (!constants->contains(a.getArgNumber()))
      e.os << ", static_cast<const float *>(_args[" << k++ << "])";
  for (size_t i = 0; i < sdfg.getOutputArgs().size(); ++i, ++k)
    e.os << ", static_cast<float *>(_args[" << k << "])";
  e.os << ");\n}\n\n";
  e.os << "DMCRT_API const char *dmc_" << name << "_manifest(void) {\n  return " << stringLiteral(options.manifestJson)
       << ";\n}\n";
  e.os << "DMCRT_API const char *dmc_manifest(void) { return dmc_" << name << "_manifest(); }\n";
  e.os << "DMCRT_API const char *dmc_graph_name(void) { return \"" << name << "\"; }\n\n";
  e.os << "} // extern \"C\"\n";
  return success();
}

void emitHeader(sdfg::SDFGOp sdfg, llvm::raw_ostream &out) {
  Emitter e(sdfg, out);
  nameArguments(e);
  std::string name = sdfg.getSymName().str();
  // Case kept: graphs `mha` and `MHA` must not share a guard.
  std::string guard = "DMC_GRAPH_" + name + "_H";
  e.os << "// Generated by dmc: the C ABI of graph '" << name << "' (see docs/abi.md).\n";
  e.os << "#ifndef " << guard << "\n#define " << guard << "\n\n#include <stdint.h>\n\n";
  e.os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  e.os << "void *dmc_" << name << "_create(void);\n";
  e.os << "/* Returns 0 on success. Symbols, then inputs, then outputs, in declaration order; parameters\n"
       << "   carry a prefix, the graph's names are in the manifest (docs/abi.md#names):\n";
  unsigned numScalars = sdfg.getNumSymbols() + sdfg.getNumLocals();
  ConstantLayout constants = constantsOf(sdfg);
  for (BlockArgument a : sdfg.getBodyBlock().getArguments()) {
    if (a.getArgNumber() >= sdfg.getNumSymbols() && a.getArgNumber() < numScalars)
      continue; // locals are not parameters
    if (constants.contains(a.getArgNumber()))
      continue; // loaded by create
    const char *role = a.getArgNumber() < sdfg.getNumSymbols()             ? "symbol"
                       : a.getArgNumber() < numScalars + sdfg.getNumInputs() ? "input"
                                                                             : "output";
    // ABI names are checked identifiers (SDFGOp verifier), so they cannot end the comment.
    e.os << "     " << e.nameOf(a) << ": " << role << " " << sdfg.getAbiName(a.getArgNumber()) << "\n";
  }
  e.os << "*/\n" << runSignature(e) << ";\n";
  e.os << "int dmc_" << name << "_run_packed(void *handle, const int64_t *symbols, void **args);\n";
  e.os << "void dmc_" << name << "_destroy(void *handle);\n";
  e.os << "/* The values of a constant input (manifest: \"constant\": true) changed in place: the next run\n"
       << "   recomputes what it derived from them once (docs/abi.md#constant-inputs). */\n";
  e.os << "void dmc_" << name << "_constants_changed(void *handle);\n";
  e.os << "const char *dmc_" << name << "_manifest(void);\n\n";
  // The message of a failed run is libdmcrt's, which the library links; declared as in
  // dmc/runtime/error.h, so that both headers may be included together.
  e.os << "/* After a non-zero return: the message of the failure on this thread (\"\" if none), from libdmcrt\n"
       << "   (link it too: -ldmcrt). Clear it with dmcrt_clear_error() before a call (docs/abi.md). */\n";
  e.os << "const char *dmcrt_last_error(void);\nvoid dmcrt_clear_error(void);\n\n";
  e.os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
}

std::string manifestFor(sdfg::SDFGOp sdfg, const std::string &cxx, const std::string &flags, int optLevel) {
  using json = nlohmann::ordered_json; // keeps the documented field order
  json m;
  m["name"] = sdfg.getSymName().str();
  m["dmc_version"] = DMC_VERSION;
  m["opt_level"] = optLevel;
  m["cxx"] = cxx;
  m["cxx_flags"] = flags;
  m["symbols"] = json::array();
  for (BlockArgument s : sdfg.getSymbolArgs())
    m["symbols"].push_back({{"name", sdfg.getAbiName(s.getArgNumber()).str()}, {"bound", nullptr}});
  // The graph's symbols that are no run-time argument: fixed when the graph was read, or used nowhere.
  m["fixed_symbols"] = json::object();
  if (std::optional<DictionaryAttr> fixed = sdfg.getFixedSymbols())
    for (NamedAttribute entry : *fixed)
      m["fixed_symbols"][entry.getName().str()] = cast<IntegerAttr>(entry.getValue()).getInt();
  m["unused_symbols"] = json::array();
  if (std::optional<ArrayAttr> unused = sdfg.getUnusedSymbols())
    for (Attribute name : *unused)
      m["unused_symbols"].push_back(cast<StringAttr>(name).getValue().str());
  m["args"] = json::array();
  unsigned numScalars = sdfg.getNumSymbols() + sdfg.getNumLocals();
  ConstantLayout constants = constantsOf(sdfg);
  json constantList = json::array();
  for (BlockArgument a : sdfg.getBodyBlock().getArguments().drop_front(numScalars)) {
    json shape = json::array();
    for (const Dim &d : cast<sdfg::ArrayType>(a.getType()).getShape())
      shape.push_back(d.isSymbolic() ? json(d.symbol) : json(d.value));
    if (const ConstantInput *c = constants.find(a.getArgNumber())) {
      constantList.push_back({{"name", c->name}, {"dtype", "f32"}, {"shape", shape}, {"offset", c->offset}});
      continue;
    }
    bool input = a.getArgNumber() < numScalars + sdfg.getNumInputs();
    json arg = {{"name", sdfg.getAbiName(a.getArgNumber()).str()},
                {"role", input ? "input" : "output"},
                {"dtype", "f32"},
                {"shape", shape}};
    if (sdfg.isConstantArgument(a.getArgNumber()))
      arg["constant"] = true;
    m["args"].push_back(arg);
  }
  if (!constants.inputs.empty())
    m["constants"] = {{"file", constants.file}, {"tensors", constantList}};
  return m.dump(2);
}

} // namespace dmc
