// dmc::Library: dlopen-based loader of compiled graphs with argument checking (docs/abi.md).
#include "dmc/runtime/loader.h"

#include "dmc/runtime/sizes.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <utility>

namespace dmc {

using CreateFn = void* (*)();
using RunPackedFn = int (*)(void*, const int64_t*, void**);
using DestroyFn = void (*)(void*);
using ConstantsChangedFn = void (*)(void*);
using ManifestFn = const char* (*)();

struct Library::Impl {
  std::string path;
  void* dl = nullptr;
  Manifest manifest;
  CreateFn create = nullptr;
  RunPackedFn run_packed = nullptr;
  DestroyFn destroy = nullptr;
  ConstantsChangedFn constants_changed = nullptr;  // null in libraries older than the entry point

  ~Impl() {
    if (dl) dlclose(dl);
  }

  // Looks up an exported function; a graph library must export all the entry points it uses.
  void* symbol(const std::string& name) const {
    dlerror();  // clear any stale error
    void* p = dlsym(dl, name.c_str());
    if (!p)
      throw Error("graph library '" + path + "' does not export '" + name +
                  "' (not a dmc graph library, or built for another graph name?)");
    return p;
  }
};

Library::Library(const std::string& path) {
  auto impl = std::make_shared<Impl>();
  impl->path = path;
  if (access(path.c_str(), F_OK) != 0) throw Error("graph library '" + path + "' does not exist");
  // dlopen searches the library path (LD_LIBRARY_PATH, the system's folders) for a name without '/':
  // "libmha.so" would load whatever library of that name it finds first. A path is a path.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  impl->dl = dlopen(file.c_str(), RTLD_LOCAL | RTLD_NOW);
  if (!impl->dl) {
    const char* why = dlerror();
    throw Error("cannot load graph library '" + path + "': " + (why ? why : "unknown dlopen error"));
  }
  auto manifest_fn = reinterpret_cast<ManifestFn>(impl->symbol("dmc_manifest"));
  const char* text = manifest_fn();
  if (!text) throw Error("graph library '" + path + "': dmc_manifest() returned NULL");
  impl->manifest = Manifest::parse(text, "'" + path + "'");
  const std::string prefix = "dmc_" + impl->manifest.name + "_";
  impl->create = reinterpret_cast<CreateFn>(impl->symbol(prefix + "create"));
  impl->run_packed = reinterpret_cast<RunPackedFn>(impl->symbol(prefix + "run_packed"));
  impl->destroy = reinterpret_cast<DestroyFn>(impl->symbol(prefix + "destroy"));
  impl->constants_changed = reinterpret_cast<ConstantsChangedFn>(dlsym(impl->dl, (prefix + "constants_changed").c_str()));
  impl_ = std::move(impl);
}

Library::~Library() = default;
Library::Library(Library&&) noexcept = default;
Library& Library::operator=(Library&&) noexcept = default;

const Manifest& Library::manifest() const { return impl_->manifest; }
const std::string& Library::name() const { return impl_->manifest.name; }
const std::string& Library::path() const { return impl_->path; }

namespace {

std::string dims_string(const std::vector<int64_t>& dims) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < dims.size(); ++i) os << (i ? ", " : "") << dims[i];
  os << ']';
  return os.str();
}

std::string describe(const ArgSpec& a) {
  return "argument '" + a.name + "' (" + (a.role == ArgRole::Input ? "input " : "output ") +
         std::to_string(a.index_in_role) + ")";
}

// Throws the message of the failed dmcrt_* size check, prefixed by `context`.
void throw_last_error(const std::string& context) { throw Error(context + dmcrt_last_error()); }

// "(its run-time symbols: B, S)", for messages about a symbol that cannot take the value given.
std::string runtime_symbols_note(const Manifest& m) {
  std::string list;
  for (const std::string& name : m.runtime_symbols()) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "(it has no run-time symbols)" : "(its run-time symbols: " + list + ")";
}

// See Library::symbol_values.
SymbolValues given_symbols(const Manifest& m, const SymbolValues& given) {
  const std::string graph = "graph '" + m.name + "': ";
  SymbolValues values;
  for (const auto& s : m.symbols)
    if (s.bound) values[s.name] = *s.bound;
  for (const auto& [name, v] : given) {
    const SymbolSpec* s = m.find_symbol(name);
    const auto fixed = m.fixed_symbols.find(name);
    const bool unused =
        std::find(m.unused_symbols.begin(), m.unused_symbols.end(), name) != m.unused_symbols.end();
    if (!s && fixed == m.fixed_symbols.end() && !unused)
      throw Error("library '" + m.name + "' has no symbol '" + name + "' " + runtime_symbols_note(m));
    if (dmcrt_check_symbol(name.c_str(), v) != DMCRT_OK) throw_last_error(graph);
    // A value fixed at compile time is in the code: the same value is accepted, another one is not.
    const std::optional<int64_t> compiled =
        fixed != m.fixed_symbols.end() ? std::optional<int64_t>(fixed->second) : s ? s->bound : std::nullopt;
    if (compiled && *compiled != v)
      throw Error("library '" + m.name + "' was compiled with " + name + "=" + std::to_string(*compiled) +
                  "; only its run-time symbols take other values " + runtime_symbols_note(m));
    if (s) values[name] = v;  // fixed and unused symbols are in no shape
  }
  return values;
}

// See Library::arg_shape.
ArgShape resolve_shape(const Manifest& m, const ArgSpec& spec, const SymbolValues& values) {
  const std::string graph = "graph '" + m.name + "': ";
  ArgShape out;
  std::vector<const char*> names;
  std::vector<std::string> name_strings;
  for (const DimSpec& d : spec.shape) {
    if (!d.is_symbol()) {
      out.dims.push_back(d.value);
      names.push_back(nullptr);
      name_strings.emplace_back();
      continue;
    }
    auto it = values.find(d.symbol);
    if (it == values.end())
      throw Error(graph + describe(spec) + ": symbol '" + d.symbol + "' of shape " +
                  Manifest::shape_string(spec.shape) + " has no value");
    out.dims.push_back(it->second);
    names.push_back(d.symbol.c_str());
    name_strings.push_back(d.symbol);
  }
  if (dmcrt_shape_size(describe(spec).c_str(), out.dims.data(), names.data(), static_cast<int>(out.dims.size()),
                       dtype_size(spec.dtype), &out.elements, &out.bytes) != DMCRT_OK)
    throw_last_error(graph);
  out.text = shape_with_symbols(out.dims, name_strings);
  return out;
}

// See Library::check_arguments.
SymbolValues check_args(const Manifest& m, const SymbolValues& given,
                        const std::vector<TensorRef>& args) {
  const std::string graph = "graph '" + m.name + "': ";
  size_t n_in = 0;
  for (const auto& a : m.args) n_in += a.role == ArgRole::Input;
  if (args.size() != m.args.size())
    throw Error(graph + "expected " + std::to_string(m.args.size()) + " arguments (" +
                std::to_string(n_in) + " inputs, " + std::to_string(m.args.size() - n_in) +
                " outputs) but got " + std::to_string(args.size()));

  // Symbol values and where each came from, for error messages.
  SymbolValues values = given_symbols(m, given);
  std::map<std::string, std::string> origin;
  for (const auto& [name, v] : values)
    origin[name] = given.count(name) ? "given" : "bound at compile time";
  // Infer the remaining symbols from the first argument (of matching rank) that uses them.
  for (size_t i = 0; i < args.size(); ++i) {
    const ArgSpec& spec = m.args[i];
    if (args[i].shape.size() != spec.shape.size()) continue;
    for (size_t d = 0; d < spec.shape.size(); ++d) {
      const std::string& sym = spec.shape[d].symbol;
      if (spec.shape[d].is_symbol() && !values.count(sym)) {
        if (dmcrt_check_symbol(sym.c_str(), args[i].shape[d]) != DMCRT_OK)
          throw_last_error(describe(spec) + ": shape " + dims_string(args[i].shape) + ": ");
        values[sym] = args[i].shape[d];
        origin[sym] = "from argument '" + spec.name + "'";
      }
    }
  }
  for (const auto& s : m.symbols)
    if (!values.count(s.name))
      throw Error(graph + "symbol '" + s.name + "' has no value: it is unbound, not given and " +
                  "used by no argument shape");

  for (size_t i = 0; i < args.size(); ++i) {
    const ArgSpec& spec = m.args[i];
    const TensorRef& t = args[i];
    if (t.dtype != spec.dtype)
      throw Error(describe(spec) + ": expected dtype " + dtype_name(spec.dtype) + " but got " +
                  dtype_name(t.dtype));
    const ArgShape expected = resolve_shape(m, spec, values);
    if (t.shape != expected.dims) {
      std::string symbols_used;
      for (const DimSpec& d : spec.shape)
        if (d.is_symbol() && symbols_used.find(d.symbol + "=") == std::string::npos)
          symbols_used += (symbols_used.empty() ? "" : ", ") + d.symbol + "=" +
                          std::to_string(values[d.symbol]) + " " + origin[d.symbol];
      std::string msg = describe(spec) + ": expected shape " + dims_string(expected.dims) + " but got " +
                        dims_string(t.shape);
      if (!symbols_used.empty())
        msg += " (declared " + Manifest::shape_string(spec.shape) + " with " + symbols_used + ")";
      throw Error(msg);
    }
    if (!t.data && expected.elements > 0) throw Error(describe(spec) + ": data pointer is NULL");
  }
  return values;
}

}  // namespace

SymbolValues Library::symbol_values(const SymbolValues& given) const {
  return given_symbols(impl_->manifest, given);
}

ArgShape Library::arg_shape(size_t index, const SymbolValues& values) const {
  if (index >= impl_->manifest.args.size())
    throw Error("graph '" + name() + "': no argument " + std::to_string(index));
  return resolve_shape(impl_->manifest, impl_->manifest.args[index], values);
}

SymbolValues Library::check_arguments(const SymbolValues& given,
                                      const std::vector<TensorRef>& args) const {
  return check_args(impl_->manifest, given, args);
}

Library::Instance Library::create() const {
  dmcrt_clear_error();
  void* h = impl_->create();
  if (!h) {
    // A library with constant inputs says why (its data file, docs/onnx.md); others only run out of memory.
    std::string why = dmcrt_last_error();
    throw Error("graph '" + name() + "': dmc_" + name() + "_create returned NULL" + (why.empty() ? "" : ": " + why));
  }
  return Instance(impl_, h);
}

Library::Instance::~Instance() { release(); }

Library::Instance::Instance(Instance&& other) noexcept
    : lib_(std::move(other.lib_)), handle_(std::exchange(other.handle_, nullptr)) {}

Library::Instance& Library::Instance::operator=(Instance&& other) noexcept {
  if (this != &other) {
    release();
    lib_ = std::move(other.lib_);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

void Library::Instance::release() {
  if (handle_ && lib_) lib_->destroy(handle_);
  handle_ = nullptr;
}

void Library::Instance::constants_changed() {
  if (!handle_ || !lib_) throw Error("constants_changed on an empty (moved-from) graph instance");
  if (lib_->constants_changed) lib_->constants_changed(handle_);
}

void Library::Instance::run(const SymbolValues& symbols, const std::vector<TensorRef>& args) {
  if (!handle_ || !lib_) throw Error("run on an empty (moved-from) graph instance");
  const SymbolValues values = check_args(lib_->manifest, symbols, args);
  std::vector<int64_t> packed_symbols;
  for (const auto& name : lib_->manifest.runtime_symbols()) packed_symbols.push_back(values.at(name));
  std::vector<void*> packed_args;
  for (const auto& t : args) packed_args.push_back(t.data);
  dmcrt_clear_error();  // so that a message after a failure is this run's
  const int rc = lib_->run_packed(handle_, packed_symbols.data(), packed_args.data());
  if (rc != 0) {
    const std::string message = dmcrt_last_error();
    throw Error("graph '" + lib_->manifest.name + "': " + (message.empty() ? "" : message + " (") + "dmc_" +
                lib_->manifest.name + "_run_packed failed with code " + std::to_string(rc) +
                (message.empty() ? "" : ")"));
  }
}

}  // namespace dmc
