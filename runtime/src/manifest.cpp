// Parsing and validation of the graph manifest JSON (docs/abi.md).
#include "dmc/runtime/manifest.h"

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace dmc {
namespace {

using Json = nlohmann::json;

[[noreturn]] void bad(const std::string& source, const std::string& what) {
  throw Error("bad manifest in " + source + ": " + what);
}

const Json& field(const Json& obj, const char* key, const std::string& where, const std::string& source) {
  auto it = obj.find(key);
  if (it == obj.end()) bad(source, where + " has no '" + key + "'");
  return *it;
}

std::string string_field(const Json& obj, const char* key, const std::string& where,
                         const std::string& source) {
  const Json& v = field(obj, key, where, source);
  if (!v.is_string()) bad(source, where + "." + key + " must be a string");
  return v.get<std::string>();
}

// Names become file names (dmc run --inputs DIR reads DIR/NAME.npy) and are printed in messages: only
// identifiers, as the compiler writes them (docs/abi.md#names). A rejected name is printed as JSON with
// every non-ASCII and control character escaped.
std::string name_field(const Json& obj, const char* key, const std::string& where, const std::string& source) {
  std::string name = string_field(obj, key, where, source);
  auto ascii = [](char c, bool digit_ok) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (digit_ok && c >= '0' && c <= '9');
  };
  bool ok = !name.empty() && ascii(name[0], false);
  for (char c : name) ok = ok && ascii(c, true);
  if (!ok)
    bad(source, where + "." + key + " " + Json(name).dump(-1, ' ', true) +
                    " is not an identifier ([A-Za-z_][A-Za-z0-9_]*)");
  return name;
}

DType parse_dtype(const std::string& s, const std::string& where, const std::string& source) {
  if (s == "f32") return DType::F32;
  if (s == "f16") return DType::F16;
  if (s == "bf16") return DType::BF16;
  bad(source, where + " has unknown dtype '" + s + "'");
}

}  // namespace

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32: return "f32";
    case DType::F16: return "f16";
    case DType::BF16: return "bf16";
  }
  return "?";
}

size_t dtype_size(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

Manifest Manifest::parse(const std::string& json_text, const std::string& source) {
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    bad(source, std::string("invalid JSON: ") + e.what());
  }
  if (!doc.is_object()) bad(source, "top level is not an object");
  Manifest m;
  m.json = json_text;
  m.name = name_field(doc, "name", "manifest", source);
  if (auto it = doc.find("dmc_version"); it != doc.end() && it->is_string()) m.dmc_version = *it;
  if (auto it = doc.find("opt_level"); it != doc.end() && it->is_number_integer()) m.opt_level = *it;

  const Json& syms = field(doc, "symbols", "manifest", source);
  if (!syms.is_array()) bad(source, "'symbols' must be an array");
  std::set<std::string> names;
  for (size_t i = 0; i < syms.size(); ++i) {
    const std::string where = "symbols[" + std::to_string(i) + "]";
    if (!syms[i].is_object()) bad(source, where + " must be an object");
    SymbolSpec s;
    s.name = name_field(syms[i], "name", where, source);
    if (!names.insert(s.name).second) bad(source, "symbol '" + s.name + "' is declared twice");
    const Json& b = field(syms[i], "bound", where, source);
    if (b.is_number_integer()) s.bound = b.get<int64_t>();
    else if (!b.is_null()) bad(source, where + ".bound must be an integer or null");
    m.symbols.push_back(s);
  }

  // Optional: manifests written before dmc recorded them lack these fields. Shapes name only the
  // run-time symbols (`names`); no symbol is in two lists (`declared`).
  std::set<std::string> declared = names;
  if (auto it = doc.find("fixed_symbols"); it != doc.end()) {
    if (!it->is_object()) bad(source, "'fixed_symbols' must be an object");
    for (auto entry = it->begin(); entry != it->end(); ++entry) {
      const Json key = {{"name", entry.key()}};
      const std::string name = name_field(key, "name", "fixed_symbols", source);
      if (!entry->is_number_integer() || entry->get<int64_t>() <= 0)
        bad(source, "fixed_symbols." + name + " must be a positive integer");
      if (!declared.insert(name).second) bad(source, "symbol '" + name + "' is declared twice");
      m.fixed_symbols[name] = entry->get<int64_t>();
    }
  }
  if (auto it = doc.find("unused_symbols"); it != doc.end()) {
    if (!it->is_array()) bad(source, "'unused_symbols' must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json key = {{"name", (*it)[i]}};
      const std::string name = name_field(key, "name", "unused_symbols[" + std::to_string(i) + "]", source);
      if (!declared.insert(name).second) bad(source, "symbol '" + name + "' is declared twice");
      m.unused_symbols.push_back(name);
    }
  }

  const Json& args = field(doc, "args", "manifest", source);
  if (!args.is_array()) bad(source, "'args' must be an array");
  int n_in = 0, n_out = 0;
  std::set<std::string> arg_names;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string where = "args[" + std::to_string(i) + "]";
    if (!args[i].is_object()) bad(source, where + " must be an object");
    ArgSpec a;
    a.name = name_field(args[i], "name", where, source);
    if (!arg_names.insert(a.name).second) bad(source, "argument '" + a.name + "' is declared twice");
    where += " ('" + a.name + "')";
    const std::string role = string_field(args[i], "role", where, source);
    if (role == "input") a.role = ArgRole::Input, a.index_in_role = n_in++;
    else if (role == "output") a.role = ArgRole::Output, a.index_in_role = n_out++;
    else bad(source, where + " has unknown role '" + role + "'");
    a.dtype = parse_dtype(string_field(args[i], "dtype", where, source), where, source);
    if (args[i].contains("constant")) {
      if (!args[i]["constant"].is_boolean()) bad(source, where + ".constant must be true or false");
      a.constant = args[i]["constant"].get<bool>();
      if (a.constant && a.role != ArgRole::Input) bad(source, where + " is an output marked constant");
    }
    const Json& shape = field(args[i], "shape", where, source);
    if (!shape.is_array()) bad(source, where + ".shape must be an array");
    for (const Json& d : shape) {
      DimSpec dim;
      if (d.is_number_integer() && d.get<int64_t>() >= 0) {
        dim.value = d.get<int64_t>();
      } else if (d.is_string()) {
        dim.symbol = d.get<std::string>();
        if (!names.count(dim.symbol))
          bad(source, where + " uses undeclared symbol '" + dim.symbol + "'");
      } else {
        bad(source, where + ".shape entries must be non-negative integers or symbol names");
      }
      a.shape.push_back(dim);
    }
    m.args.push_back(a);
  }
  return m;
}

const SymbolSpec* Manifest::find_symbol(const std::string& name) const {
  for (const auto& s : symbols)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> Manifest::runtime_symbols() const {
  std::vector<std::string> out;
  for (const auto& s : symbols)
    if (!s.bound) out.push_back(s.name);
  return out;
}

std::string Manifest::shape_string(const std::vector<DimSpec>& shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) os << ", ";
    if (shape[i].is_symbol()) os << shape[i].symbol;
    else os << shape[i].value;
  }
  os << ']';
  return os.str();
}

}  // namespace dmc
