//===- GraphFile.cpp - a graph description read from JSON -----------------===//
#include "compiler/importer/GraphFile.h"
#include "compiler/support/Files.h"
#include "dialects/NN/NNOps.h"

#include <set>

using nlohmann::json;

namespace dmc {
namespace {

std::string describe(const json &v) {
  switch (v.type()) {
  case json::value_t::null: return "null";
  case json::value_t::boolean: return "a boolean";
  case json::value_t::string: return "a string";
  case json::value_t::array: return "an array";
  case json::value_t::object: return "an object";
  case json::value_t::number_float: return "a number with a fraction";
  default: return "an integer";
  }
}

/// Reads the object fields of one JSON object, reporting unknown and missing ones.
class FieldReader {
public:
  FieldReader(const json &object, std::string path, Diagnostics &diag, std::set<std::string> known)
      : object_(object), path_(std::move(path)), diag_(diag) {
    for (auto &[key, value] : object.items())
      if (!known.count(key))
        diag_.error(at(key), "unknown field (a typo?)");
  }
  std::string at(const std::string &key) const { return path_.empty() ? key : path_ + "." + key; }

  const json *get(const std::string &key, json::value_t type, bool required) {
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required)
        diag_.error(path_.empty() ? "<top level>" : path_, "missing field '" + key + "'");
      return nullptr;
    }
    bool ok = it->type() == type || (type == json::value_t::number_integer && it->is_number_unsigned());
    if (!ok) {
      diag_.error(at(key), "expected " + describe(json(type)) + ", got " + describe(*it));
      return nullptr;
    }
    return &*it;
  }
  std::optional<std::string> string(const std::string &key, bool required) {
    const json *v = get(key, json::value_t::string, required);
    return v ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
  }

private:
  const json &object_;
  std::string path_;
  Diagnostics &diag_;
};

std::optional<Shape> readShape(const json &v, const std::string &path, Diagnostics &diag) {
  if (!v.is_array()) {
    diag.error(path, "a shape must be an array of positive integers and symbol names, got " + describe(v));
    return std::nullopt;
  }
  Shape shape;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string where = path + "[" + std::to_string(i) + "]";
    if (v[i].is_number_integer() && v[i].get<int64_t>() > 0)
      shape.push_back(Dim::constant(v[i].get<int64_t>()));
    else if (v[i].is_string() && isIdentifier(v[i].get<std::string>()))
      shape.push_back(Dim::named(v[i].get<std::string>()));
    else {
      diag.error(where, "a dimension must be a positive integer or a symbol name, got " + v[i].dump());
      return std::nullopt;
    }
  }
  return shape;
}

void readTensors(const json &list, const std::string &path, std::vector<TensorDecl> &out, Diagnostics &diag) {
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = path + "[" + std::to_string(i) + "]";
    if (!list[i].is_object()) {
      diag.error(where, "expected an object with name, dtype and shape, got " + describe(list[i]));
      continue;
    }
    const bool isInput = path == "inputs";
    FieldReader r(list[i], where, diag,
                  isInput ? std::set<std::string>{"name", "dtype", "shape", "doc", "constant"}
                          : std::set<std::string>{"name", "dtype", "shape", "doc"});
    TensorDecl t;
    t.path = where;
    if (const json *constant = isInput ? r.get("constant", json::value_t::boolean, false) : nullptr)
      t.constant = constant->get<bool>();
    auto name = r.string("name", true);
    auto dtype = r.string("dtype", false); // optional: f32 by default
    bool dtypeOk = dtype || !list[i].contains("dtype");
    const json *shape = r.get("shape", json::value_t::array, true);
    if (!name || !dtypeOk || !shape)
      continue;
    if (!dtype)
      dtype = "f32";
    if (!isIdentifier(*name)) {
      diag.error(r.at("name"), "tensor name '" + *name + "' must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
      continue;
    }
    if (*dtype == "f16" || *dtype == "bf16") {
      diag.error(r.at("dtype"), "unsupported dtype '" + *dtype + "' (only f32 for now)");
      continue;
    }
    if (*dtype != "f32") {
      diag.error(r.at("dtype"), "unsupported dtype '" + *dtype + "': unknown (f32; f16 and bf16 are reserved)");
      continue;
    }
    auto parsed = readShape(*shape, r.at("shape"), diag);
    if (!parsed)
      continue;
    t.name = *name;
    t.dtype = *dtype;
    t.shape = *parsed;
    out.push_back(t);
  }
}

void readNodes(const json &list, std::vector<NodeDecl> &out, Diagnostics &diag) {
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = "nodes[" + std::to_string(i) + "]";
    if (!list[i].is_object()) {
      diag.error(where, "expected a node object, got " + describe(list[i]));
      continue;
    }
    FieldReader r(list[i], where, diag, {"name", "op", "inputs", "outputs", "attrs", "doc", "impl"});
    NodeDecl n;
    n.path = where;
    auto op = r.string("op", true);
    auto name = r.string("name", true);
    if (name && !isIdentifier(*name)) {
      diag.error(r.at("name"), "node name '" + *name + "' must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
      name.reset();
    }
    const json *inputs = r.get("inputs", json::value_t::array, true);
    const json *outputs = r.get("outputs", json::value_t::array, true);
    if (const json *attrs = r.get("attrs", json::value_t::object, false))
      n.attrs = *attrs;
    bool implOk = true;
    if (auto impl = r.string("impl", false)) {
      if (nn::isImplName(*impl))
        n.impl = *impl;
      else {
        diag.error(r.at("impl"), "unknown implementation '" + *impl + "' (" + nn::implNamesList() + ")");
        implOk = false;
      }
    } else if (list[i].contains("impl")) {
      implOk = false; // wrong type, reported by the reader
    }
    if (!op || !name || !inputs || !outputs || !implOk)
      continue;
    n.op = *op;
    n.name = *name;
    bool ok = true;
    auto names = [&](const json &arr, const char *field, std::vector<std::string> &dst) {
      for (size_t k = 0; k < arr.size(); ++k) {
        if (!arr[k].is_string() || !isIdentifier(arr[k].get<std::string>())) {
          diag.error(r.at(field) + "[" + std::to_string(k) + "]", "expected a tensor name (an identifier), got " +
                                                                      arr[k].dump());
          ok = false;
        } else {
          dst.push_back(arr[k].get<std::string>());
        }
      }
    };
    names(*inputs, "inputs", n.inputs);
    names(*outputs, "outputs", n.outputs);
    if (ok)
      out.push_back(n);
  }
}

/// line:col of a byte offset, for syntax errors.
std::string lineCol(const std::string &text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i, ++col)
    if (text[i] == '\n') {
      ++line;
      col = 0;
    }
  return std::to_string(line) + ":" + std::to_string(col);
}
} // namespace

std::optional<Graph> readGraphFile(const std::string &path, Diagnostics &diag) {
  std::string error;
  std::optional<std::string> contents = readInputFile(path, error);
  if (!contents) {
    diag.error("", error);
    return std::nullopt;
  }
  std::string text = std::move(*contents);
  json root;
  // Graph files nest a few levels; a hostile depth would overflow the stack in nlohmann's recursive copy,
  // dump and compare (found by mutation testing), so parsing stops past kMaxDepth.
  constexpr int kMaxDepth = 64;
  struct TooDeep {};
  try {
    root = json::parse(text, [](int depth, json::parse_event_t, json &) {
      if (depth > kMaxDepth)
        throw TooDeep{};
      return true;
    });
  } catch (const TooDeep &) {
    diag.error("", "invalid JSON: nested more than " + std::to_string(kMaxDepth) + " levels deep");
    return std::nullopt;
  } catch (const json::out_of_range &e) {
    // A number literal too large for a double (1e400): nlohmann reports it as out_of_range, not parse_error.
    std::string what = e.what();
    size_t pos = what.find("] ");
    diag.error("", "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
    return std::nullopt;
  } catch (const json::parse_error &e) {
    // e.byte is one past the offending character.
    std::string what = e.what();
    size_t colon = what.find("syntax error");
    diag.error(lineCol(text, e.byte ? e.byte - 1 : 0),
               "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon)));
    return std::nullopt;
  }
  return readGraphJson(root, diag);
}

std::optional<Graph> readGraphJson(const json &root, Diagnostics &diag) {
  if (!root.is_object()) {
    diag.error("<top level>", "expected a graph object, got " + describe(root));
    return std::nullopt;
  }
  Graph g;
  FieldReader r(root, "", diag, {"name", "doc", "symbols", "test_symbols", "inputs", "outputs", "nodes"});
  if (auto name = r.string("name", true)) {
    if (!isIdentifier(*name))
      diag.error("name", "graph name '" + *name + "' must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
    g.name = *name;
  }
  g.doc = r.string("doc", false).value_or("");
  if (const json *symbols = r.get("symbols", json::value_t::object, false)) {
    for (auto &[name, value] : symbols->items()) {
      std::string where = "symbols." + name;
      if (!isIdentifier(name))
        diag.error(where, "symbol name '" + name + "' must be an identifier");
      else if (value.is_null())
        g.symbols[name] = std::nullopt;
      else if (value.is_number_integer())
        g.symbols[name] = value.get<int64_t>();
      else
        diag.error(where, "expected an integer or null, got " + describe(value));
    }
  }
  if (const json *symbols = r.get("test_symbols", json::value_t::object, false)) {
    for (auto &[name, value] : symbols->items()) {
      if (!value.is_number_integer())
        diag.error("test_symbols." + name, "expected an integer, got " + describe(value));
      else
        g.testSymbols[name] = value.get<int64_t>();
    }
  }
  if (const json *inputs = r.get("inputs", json::value_t::array, true))
    readTensors(*inputs, "inputs", g.inputs, diag);
  if (const json *outputs = r.get("outputs", json::value_t::array, true))
    readTensors(*outputs, "outputs", g.outputs, diag);
  if (const json *nodes = r.get("nodes", json::value_t::array, true))
    readNodes(*nodes, g.nodes, diag);
  return g;
}

Bindings resolveSymbols(const Graph &graph, bool testSize, const Bindings &bindings, Diagnostics &diag) {
  Bindings values;
  std::map<std::string, std::string> source; // where each value came from, for diagnostics
  for (auto &[name, value] : graph.symbols)
    if (value) {
      values[name] = *value;
      source[name] = "symbols." + name;
    }
  if (testSize)
    for (auto &[name, value] : graph.testSymbols) {
      if (!graph.symbols.count(name)) {
        diag.error("test_symbols." + name, "unknown symbol '" + name + "' (not declared in symbols)");
        continue;
      }
      values[name] = value;
      source[name] = "test_symbols." + name;
    }
  for (auto &[name, value] : bindings) {
    if (!graph.symbols.count(name)) {
      diag.error("--bind " + name, "unknown symbol '" + name + "' (not declared in symbols)");
      continue;
    }
    values[name] = value;
    source[name] = "--bind " + name;
  }
  for (auto &[name, value] : values)
    if (value <= 0)
      diag.error(source[name], "symbol '" + name + "' must be positive, got " + std::to_string(value));
  return values;
}

} // namespace dmc
