/* The manifest of a compiled graph (docs/abi.md), parsed and validated. Failures throw dmc::Error. */
#ifndef DMC_RUNTIME_MANIFEST_H
#define DMC_RUNTIME_MANIFEST_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dmc/runtime/error.h"
#include "dmc/runtime/export.h"

namespace dmc {

enum class DType { F32, F16, BF16 };
DMCRT_API const char* dtype_name(DType dtype);  // "f32", "f16", "bf16"
DMCRT_API size_t dtype_size(DType dtype);       // bytes of one element

enum class ArgRole { Input, Output };

struct SymbolSpec {
  std::string name;
  std::optional<int64_t> bound;  // nullopt: a run-time argument
};

// One dimension of an argument shape: a constant or the name of a symbol.
struct DimSpec {
  int64_t value = 0;   // when symbol is empty
  std::string symbol;  // non-empty for a symbolic dim
  bool is_symbol() const { return !symbol.empty(); }
};

struct ArgSpec {
  std::string name;
  ArgRole role = ArgRole::Input;
  DType dtype = DType::F32;
  std::vector<DimSpec> shape;
  int index_in_role = 0;  // position among the inputs (or among the outputs)
  // An input whose values the caller keeps from run to run ("constant": true; docs/abi.md#constant-inputs).
  bool constant = false;
};

struct DMCRT_API Manifest {
  std::string name;
  std::string dmc_version;
  int opt_level = 0;
  std::vector<SymbolSpec> symbols;  // declaration order
  // The graph's symbols that are no run-time argument (docs/abi.md): given a value at compile time,
  // and declared but used by no shape. Empty in manifests older than these fields.
  std::map<std::string, int64_t> fixed_symbols;
  std::vector<std::string> unused_symbols;
  std::vector<ArgSpec> args;        // declaration order (inputs then outputs per docs/abi.md)
  std::string json;                 // the original text

  // Parses and validates (known dtypes/roles, shapes that only name declared symbols, ...).
  static Manifest parse(const std::string& json_text, const std::string& source = "manifest");

  const SymbolSpec* find_symbol(const std::string& name) const;
  // Unbound symbols in declaration order: the order run_packed expects them.
  std::vector<std::string> runtime_symbols() const;
  // "[B, S, 768]"
  static std::string shape_string(const std::vector<DimSpec>& shape);
};

}  // namespace dmc

#endif
