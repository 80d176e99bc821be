//===- CppEmitter.cpp - one sdfg.sdfg as a C++ translation unit -----------===//
#include "compiler/backend/CppEmitter.h"
#include "compiler/backend/Emitter.h"

#include "llvm/ADT/StringSet.h"
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

namespace {
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

std::string runSignature(Emitter &e) {
  std::string sig = "int dmc_" + e.sdfg.getSymName().str() + "_run(void *_handle";
  for (BlockArgument s : e.sdfg.getSymbolArgs())
    sig += ", int64_t " + e.nameOf(s);
  for (BlockArgument a : e.sdfg.getInputArgs())
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

LogicalResult emitTransients(Emitter &e) {
  llvm::StringSet<> used;
  for (auto [v, n] : e.names)
    used.insert(n);
  for (auto alloc : e.sdfg.getBodyBlock().getOps<sdfg::AllocOp>()) {
    std::string name = Emitter::containerName(alloc.getName().value_or("tmp"));
    while (!used.insert(name).second)
      name = name + "_" + std::to_string(used.size());
    e.names[alloc] = name;
    Shape shape = alloc.getType().getShape();
    switch (alloc.getStorage()) {
    case sdfg::Storage::stack:
    case sdfg::Storage::reg:
      e.os << "alignas(64) float " << name << "[" << e.numElementsExpr(shape) << "];\n";
      break;
    default:
      if (alloc.getLifetime() == sdfg::Lifetime::persistent) {
        e.os << "float *const " << name << " = _state->persistent(" << e.persistentSlots++ << ", "
             << e.numElementsExpr(shape) << ");\n";
      } else {
        std::string buf = e.fresh("buffer");
        e.os << "dmc_buffer " << buf << "(" << e.numElementsExpr(shape) << ");\n";
        e.os << "float *const " << name << " = " << buf << ".data;\n";
      }
      e.os << "if (!" << name << ") return 3; // DMCRT_ERR_ALLOC\n";
    }
  }
  for (Operation &op : e.sdfg.getBodyBlock())
    if (isa<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>(op))
      e.names[op.getResult(0)] = "/*view*/";
  return success();
}

LogicalResult emitState(Emitter &e, sdfg::StateOp state) {
  e.os << "{ // state @" << state.getSymName() << "\n";
  e.os.indent();
  // Per-state profile: a flag test unless the runtime's profiler is switched on (dmc run --profile).
  std::string label = stringLiteral(state.getSymName());
  e.os << "dmcrt_profile_begin(" << label << ");\n";
  for (Operation &op : state.getBodyBlock()) {
    LogicalResult r = llvm::TypeSwitch<Operation *, LogicalResult>(&op)
        .Case([&](sdfg::MapOp map) { return e.emitMap(map, false); })
        .Case([&](sdfg::CopyOp copy) { return e.emitCopy(copy); })
        .Case<sdfg::TransposeViewOp, sdfg::ReshapeViewOp, sdfg::SliceViewOp>([&](Operation *) { return success(); })
        .Case<nn::FusedMatMulOp, nn::AttentionOp>([&](Operation *) { return e.emitTiledNode(&op); })
        .Case([&](nn::LibraryNode) { return e.emitLibraryNode(&op); })
        .Default([](Operation *o) { return o->emitOpError("cannot be emitted in a state"); });
    if (failed(r))
      return failure();
  }
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
#include <dmc/runtime/export.h>
#include <dmc/runtime/kernels.h>
#include <dmc/runtime/tiled.h>
#include <utility>
#include <dmc/runtime/timer.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <vector>

namespace {
// Affine floor division and modulo (C++ rounds towards zero).
inline int64_t dmc_floordiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t dmc_ceildiv(int64_t a, int64_t b) { return -dmc_floordiv(-a, b); }
inline int64_t dmc_mod(int64_t a, int64_t b) { int64_t m = a % b; return m < 0 ? m + b : m; }

// A transient of the run: 64-byte aligned, freed on every path out of the run function.
struct dmc_buffer {
  float *data;
  explicit dmc_buffer(int64_t n) : data(static_cast<float *>(dmcrt_alloc(sizeof(float) * (n > 0 ? n : 1)))) {}
  ~dmc_buffer() { dmcrt_free(data); }
  dmc_buffer(const dmc_buffer &) = delete;
  dmc_buffer &operator=(const dmc_buffer &) = delete;
};

// A handle: persistent transients live here, so distinct handles can run concurrently.
struct dmc_state {
  std::vector<dmc_buffer *> buffers;
  std::vector<int64_t> sizes;
  float *persistent(size_t slot, int64_t n) {
    if (buffers.size() <= slot) { buffers.resize(slot + 1, nullptr); sizes.resize(slot + 1, -1); }
    if (sizes[slot] != n) { delete buffers[slot]; buffers[slot] = new (std::nothrow) dmc_buffer(n); sizes[slot] = n; }
    return buffers[slot] ? buffers[slot]->data : nullptr;
  }
  ~dmc_state() { for (dmc_buffer *b : buffers) delete b; }
};
} // namespace
)cpp";
} // namespace

LogicalResult emitCpp(sdfg::SDFGOp sdfg, llvm::raw_ostream &out, const EmitOptions &options) {
  if (failed(checkElementTypes(sdfg)))
    return failure();
  Emitter e(sdfg, out);
  std::string name = sdfg.getSymName().str(); // a checked identifier (verifier + importer)
  nameArguments(e);
  e.os << "// Generated by dmc from graph '" << name << "'. Do not edit.\n" << kPrologue << "\n";
  e.os << "extern \"C\" {\n\n";
  e.os << "DMCRT_API void *dmc_" << name << "_create(void) { return new (std::nothrow) dmc_state(); }\n";
  e.os << "DMCRT_API void dmc_" << name << "_destroy(void *_handle) { delete static_cast<dmc_state *>(_handle); }\n\n";
  e.os << "DMCRT_API " << runSignature(e) << " {\n";
  e.os.indent();
  e.os << "dmc_state *_state = static_cast<dmc_state *>(_handle);\n";
  e.os << "if (!_state) return 1; // DMCRT_ERR_INVALID_ARG\n";
  for (BlockArgument s : sdfg.getSymbolArgs())
    e.os << "if (" << e.nameOf(s) << " <= 0) return 1; // sizes are positive\n";
  for (BlockArgument s : sdfg.getLocalSymbolArgs())
    e.os << "int64_t " << e.nameOf(s) << " = 0;\n";
  if (failed(emitTransients(e)))
    return failure();
  llvm::StringMap<std::string> labels;
  for (auto state : sdfg.getStates())
    labels[state.getSymName()] = "_state_" + std::to_string(labels.size());
  for (auto state : sdfg.getStates()) {
    e.os.unindent();
    e.os << labels[state.getSymName()] << ":; // @" << state.getSymName() << "\n";
    e.os.indent();
    if (failed(emitState(e, state)) || failed(emitEdges(e, state, labels)))
      return failure();
  }
  e.os.unindent();
  e.os << "_end:\n";
  e.os.indent();
  e.os << "(void)_state;\nreturn 0;\n";
  e.os.unindent();
  e.os << "}\n\n";
  // The packed entry point lets loaders call any graph: symbols, then arguments, in manifest order.
  e.os << "DMCRT_API int dmc_" << name << "_run_packed(void *_handle, const int64_t *_symbols, void **_args) {\n";
  e.os << "  return dmc_" << name << "_run(_handle";
  for (size_t i = 0; i < sdfg.getSymbolArgs().size(); ++i)
    e.os << ", _symbols[" << i << "]";
  size_t k = 0;
  for (size_t i = 0; i < sdfg.getInputArgs().size(); ++i, ++k)
    e.os << ", static_cast<const float *>(_args[" << k << "])";
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
  for (BlockArgument a : sdfg.getBodyBlock().getArguments()) {
    if (a.getArgNumber() >= sdfg.getNumSymbols() && a.getArgNumber() < numScalars)
      continue; // locals are not parameters
    const char *role = a.getArgNumber() < sdfg.getNumSymbols()             ? "symbol"
                       : a.getArgNumber() < numScalars + sdfg.getNumInputs() ? "input"
                                                                             : "output";
    // ABI names are checked identifiers (SDFGOp verifier), so they cannot end the comment.
    e.os << "     " << e.nameOf(a) << ": " << role << " " << sdfg.getAbiName(a.getArgNumber()) << "\n";
  }
  e.os << "*/\n" << runSignature(e) << ";\n";
  e.os << "int dmc_" << name << "_run_packed(void *handle, const int64_t *symbols, void **args);\n";
  e.os << "void dmc_" << name << "_destroy(void *handle);\n";
  e.os << "const char *dmc_" << name << "_manifest(void);\n\n";
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
  m["args"] = json::array();
  unsigned numScalars = sdfg.getNumSymbols() + sdfg.getNumLocals();
  for (BlockArgument a : sdfg.getBodyBlock().getArguments().drop_front(numScalars)) {
    json shape = json::array();
    for (const Dim &d : cast<sdfg::ArrayType>(a.getType()).getShape())
      shape.push_back(d.isSymbolic() ? json(d.symbol) : json(d.value));
    bool input = a.getArgNumber() < numScalars + sdfg.getNumInputs();
    m["args"].push_back({{"name", sdfg.getAbiName(a.getArgNumber()).str()},
                         {"role", input ? "input" : "output"},
                         {"dtype", "f32"},
                         {"shape", shape}});
  }
  return m.dump(2);
}

} // namespace dmc
