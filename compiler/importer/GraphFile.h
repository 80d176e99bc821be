//===- GraphFile.h - a graph description read from JSON -------------------===//
//
// The JSON graph format of docs/graph-format.md, read into plain structs and checked for structure
// (fields, types, names, dtypes, symbols). Shapes of intermediate tensors are inferred later.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_IMPORTER_GRAPHFILE_H
#define DMC_IMPORTER_GRAPHFILE_H

#include "compiler/importer/Diagnostics.h"
#include "dialects/Support/Shape.h"

#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dmc {

struct TensorDecl {
  std::string name, dtype, path; // path: JSON path of the declaration, for diagnostics
  Shape shape;
  // An input whose values the caller keeps the same from run to run ("constant": true, a weight): work on
  // it alone may be done once per handle (run-constant-maps-once; abi.md says how a caller changes one).
  bool constant = false;
};

struct NodeDecl {
  std::string name, op, path;
  std::string impl; // the node's implementation choice (pure, tiled, library), or "" to leave it to passes
  std::vector<std::string> inputs, outputs;
  nlohmann::json attrs = nlohmann::json::object();
};

struct Graph {
  std::string name, doc;
  std::map<std::string, std::optional<int64_t>> symbols;      // value from the file; nullopt = unbound
  std::map<std::string, int64_t> testSymbols;
  std::vector<TensorDecl> inputs, outputs;
  std::vector<NodeDecl> nodes;
};

/// Reads `path`; reports every structural problem to `diag`. Returns nullopt when the file cannot be
/// used at all (unreadable, not JSON, wrong top-level shape); otherwise a graph, which is only
/// trustworthy if `diag` has no errors.
std::optional<Graph> readGraphFile(const std::string &path, Diagnostics &diag);

/// The same checks on a graph already parsed (the ONNX importer builds one, compiler/onnx).
std::optional<Graph> readGraphJson(const nlohmann::json &root, Diagnostics &diag);

/// Resolves symbol values: the file's, then test_symbols when `testSize`, then `bindings`.
/// Reports unknown and non-positive symbols. Unbound symbols are absent from the result.
Bindings resolveSymbols(const Graph &graph, bool testSize, const Bindings &bindings, Diagnostics &diag);

} // namespace dmc

#endif
