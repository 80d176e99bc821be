/* dmc::Library: loads a compiled graph library (docs/abi.md), and runs it with checked arguments.
 *
 *   dmc::Library lib("libmha.so");
 *   auto inst = lib.create();
 *   inst.run({{"B", 1}}, {dmc::TensorRef(x.data(), {1, 128, 768}), dmc::TensorRef(y.data(), ...)});
 *
 * Every failure (missing file, missing symbol, bad manifest, wrong argument) throws dmc::Error. */
#ifndef DMC_RUNTIME_LOADER_H
#define DMC_RUNTIME_LOADER_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dmc/runtime/error.h"
#include "dmc/runtime/export.h"
#include "dmc/runtime/manifest.h"

namespace dmc {

// A non-owning view of one argument: data pointer, element type and shape.
struct TensorRef {
  void* data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;

  TensorRef() = default;
  TensorRef(void* d, DType t, std::vector<int64_t> s) : data(d), dtype(t), shape(std::move(s)) {}
  TensorRef(float* d, std::vector<int64_t> s) : data(d), dtype(DType::F32), shape(std::move(s)) {}
  // Inputs are read-only for the graph; the ABI passes them through void** nonetheless.
  TensorRef(const float* d, std::vector<int64_t> s)
      : data(const_cast<float*>(d)), dtype(DType::F32), shape(std::move(s)) {}
};

using SymbolValues = std::map<std::string, int64_t>;

// The concrete shape of one argument, checked (dmc/runtime/sizes.h): every symbol it names has a
// positive value, and its byte count fits int64_t.
struct ArgShape {
  std::vector<int64_t> dims;
  int64_t elements = 0;
  int64_t bytes = 0;
  std::string text;  // "[1, S=4096, 768]", for messages
};

class DMCRT_API Library {
 public:
  struct Impl;

  // dlopen(path, RTLD_LOCAL | RTLD_NOW), reads dmc_manifest(), resolves dmc_<name>_* entry points.
  // `path` is a file's path, also without a '/' ("libmha.so" is ./libmha.so, never a library found on
  // the search path).
  explicit Library(const std::string& path);
  ~Library();
  Library(Library&&) noexcept;
  Library& operator=(Library&&) noexcept;
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const Manifest& manifest() const;
  const std::string& name() const;  // graph name
  const std::string& path() const;

  // Values of the run-time symbols given and of those bound in `symbols`. A symbol fixed at compile
  // time (manifest: fixed_symbols, or a bound entry) may be given its value, an unused one any value
  // (both are ignored); throws dmc::Error for a symbol the graph does not have, a value that is not
  // positive, or one that differs from the compile-time value.
  SymbolValues symbol_values(const SymbolValues& given) const;
  // The shape of manifest().args[index] under `values` (see ArgShape). Throws dmc::Error naming the
  // argument, its symbols and their values when a symbol has no value or the size overflows.
  ArgShape arg_shape(size_t index, const SymbolValues& values) const;

  // Values of all symbols for these arguments: bound values, then `given`, then values inferred
  // from argument shapes; checks count, dtype and shape of every argument. Throws dmc::Error.
  SymbolValues check_arguments(const SymbolValues& given, const std::vector<TensorRef>& args) const;

  // A graph handle (dmc_<name>_create/destroy). Keeps the library loaded while it lives.
  class DMCRT_API Instance {
   public:
    ~Instance();
    Instance(Instance&&) noexcept;
    Instance& operator=(Instance&&) noexcept;
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    // Checks the arguments (see check_arguments), then calls run_packed. `args` follow the
    // manifest order (inputs, then outputs). Throws dmc::Error on a bad argument or a non-zero
    // return code of the graph.
    void run(const SymbolValues& symbols, const std::vector<TensorRef>& args);
    void run(const std::vector<TensorRef>& args) { run(SymbolValues{}, args); }
    // The values of a constant input (ArgSpec::constant) changed in place since the last run: the next
    // run recomputes what it derived from them (dmc_<name>_constants_changed; docs/abi.md#constant-inputs).
    void constants_changed();
    void* handle() const { return handle_; }

   private:
    friend class Library;
    Instance(std::shared_ptr<const Impl> lib, void* handle) : lib_(std::move(lib)), handle_(handle) {}
    void release();
    std::shared_ptr<const Impl> lib_;
    void* handle_ = nullptr;
  };

  Instance create() const;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace dmc

#endif
