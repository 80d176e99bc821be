//===- Importer.cpp - graph file to SDFG IR -------------------------------===//
//
// Checks the graph (names, ops, attributes, dataflow, shapes) and builds one sdfg.sdfg: arguments for
// the graph's inputs and outputs, a transient per intermediate tensor, and one state holding the library
// nodes in a topological order.
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Importer.h"
#include "compiler/importer/GraphFile.h"
#include "compiler/importer/OpSchema.h"
#include "dialects/NN/NNOps.h"
#include "dialects/SDFG/SDFGOps.h"
#include "dialects/Support/Expr.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

#include <algorithm>
#include <cfloat>
#include <map>
#include <set>

using namespace mlir;
using nlohmann::json;

namespace dmc {

void loadDmcDialects(MLIRContext &context) {
  context.loadDialect<sdfg::SDFGDialect, nn::NNDialect, arith::ArithDialect, math::MathDialect>();
}

namespace {

/// "column 7: unknown name 'k'": an expression's diagnostic after its JSON path.
std::string atColumn(const expr::Checked &c) { return "column " + std::to_string(c.column) + ": " + c.error; }

/// The scope of an attribute value written as an expression: the bound symbols, nothing else.
expr::Scope symbolScope(const std::set<std::string> &symbols, const Bindings &bound, expr::Type result) {
  expr::Scope scope;
  scope.symbols = bound;
  for (const std::string &s : symbols)
    if (!bound.count(s))
      scope.unboundSymbols.push_back(s);
  scope.result = result;
  return scope;
}

/// Checks one node's attributes against its spec and fills defaults; reports into `diag`. Int and Float
/// values written as expressions are folded with the bound symbols (`bound`).
bool checkAttrs(const NodeDecl &node, const OpSpec &spec, const std::set<std::string> &symbols,
                const Bindings &bound, AttrValues &out, Diagnostics &diag) {
  bool ok = true;
  out = json::object();
  for (auto &[key, value] : node.attrs.items()) {
    if (std::none_of(spec.attrs.begin(), spec.attrs.end(), [&](const AttrSpec &a) { return key == a.name; })) {
      std::string known;
      for (const AttrSpec &a : spec.attrs)
        known += (known.empty() ? "" : ", ") + std::string(a.name);
      diag.error(node.path + ".attrs." + key,
                 "unknown attribute for " + node.op + (known.empty() ? " (it takes none)" : " (known: " + known + ")"));
      ok = false;
    }
  }
  for (const AttrSpec &a : spec.attrs) {
    std::string where = node.path + ".attrs." + a.name;
    auto it = node.attrs.find(a.name);
    if (it == node.attrs.end()) {
      if (a.defaultValue.is_null()) {
        diag.error(node.path + ".attrs", node.op + " needs attribute '" + a.name + "'");
        ok = false;
      }
      out[a.name] = a.defaultValue;
      continue;
    }
    json v = *it;
    if (v.is_string() && (a.kind == AttrKind::Int || a.kind == AttrKind::Float)) {
      expr::Checked c = expr::check(v.get<std::string>(),
                                    symbolScope(symbols, bound, a.kind == AttrKind::Int ? expr::Type::Int
                                                                                         : expr::Type::Float));
      if (!c.tree) {
        diag.error(where, atColumn(c));
        ok = false;
        continue;
      }
      // check folds an expression over bound symbols to a literal.
      v = a.kind == AttrKind::Int ? json(c.tree->intValue) : json(c.tree->floatValue);
    }
    bool integral = a.kind != AttrKind::Float;
    auto bound = [&](double x) { return integral ? std::to_string((int64_t)x) : json(x).dump(); };
    auto inRange = [&](const json &e) {
      double x = e.get<double>(), lo = a.min, hi = a.max;
      if (a.kind == AttrKind::Float) { // the nn op holds an f32: larger values are not representable
        lo = std::max(lo, -(double)FLT_MAX);
        hi = std::min(hi, (double)FLT_MAX);
      }
      if (x >= lo && x <= hi)
        return true;
      std::string range = lo > -1e300 && hi < 1e300 ? "between " + bound(lo) + " and " + bound(hi)
                          : lo > -1e300            ? "at least " + bound(lo)
                                                   : "at most " + bound(hi);
      diag.error(where, "value " + e.dump() + " is out of range (must be " + range + ")");
      return false;
    };
    auto fail = [&](const std::string &expected) {
      diag.error(where, "expected " + expected + ", got " + v.dump());
      ok = false;
    };
    switch (a.kind) {
    case AttrKind::Flag:
    case AttrKind::Bool:
      if (v.is_boolean())
        out[a.name] = v.get<bool>();
      else if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1))
        out[a.name] = v.get<int64_t>() == 1;
      else
        fail("0, 1, true or false");
      break;
    case AttrKind::Int:
      if (!v.is_number_integer())
        fail("an integer");
      else if ((ok &= inRange(v)))
        out[a.name] = v;
      break;
    case AttrKind::Float:
      if (!v.is_number())
        fail("a number");
      else if ((ok &= inRange(v)))
        out[a.name] = v.get<double>();
      break;
    case AttrKind::IntList:
      if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const json &e) { return e.is_number_integer(); }))
        fail("a list of integers");
      else {
        for (const json &e : v)
          ok &= inRange(e);
        out[a.name] = v;
      }
      break;
    case AttrKind::DimList:
      if (!v.is_array()) {
        fail("a list of integers and symbol names");
        break;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        const json &e = v[i];
        bool good = (e.is_number_integer() && (e.get<int64_t>() > 0 || e.get<int64_t>() == -1)) ||
                    (e.is_string() && symbols.count(e.get<std::string>()));
        if (!good) {
          diag.error(where + "[" + std::to_string(i) + "]",
                     "expected a positive integer, -1 or a declared symbol, got " + e.dump());
          ok = false;
        }
      }
      out[a.name] = v;
      break;
    case AttrKind::TanhOrNone:
      if (v != "none" && v != "tanh")
        fail("\"none\" or \"tanh\"");
      else
        out[a.name] = v;
      break;
    case AttrKind::MaskExpr:
    case AttrKind::ScoreExpr: // checked once shapes are known (GraphImporter::checkExpressions)
      if (!v.is_string() || v.get<std::string>().empty())
        fail(a.kind == AttrKind::MaskExpr ? "a bool expression (a string)" : "a float expression (a string)");
      else
        out[a.name] = v;
      break;
    }
  }
  return ok;
}

/// Larger tensors cannot be allocated anyway; the limit keeps element-count arithmetic (Reshape, Concat)
/// far from int64 overflow.
constexpr int64_t kMaxElements = int64_t(1) << 53;

/// True when the constant dimensions of `shape` alone multiply to more than kMaxElements.
bool tooLarge(const Shape &shape) {
  int64_t n = 1;
  for (const Dim &d : shape)
    if (!d.isSymbolic() && d.value > 0 && (__builtin_mul_overflow(n, d.value, &n) || n > kMaxElements))
      return true;
  return false;
}
const char *kTooLarge = " has more than 2^53 elements";

/// A declared shape with the values bound to its symbols, "[B=1, S=4096, 768]", so that a size error
/// names the symbols and values that caused it.
std::string formatBound(const Shape &declared, const Bindings &bound) {
  std::string out = "[";
  for (size_t i = 0; i < declared.size(); ++i) {
    const Dim &d = declared[i];
    out += (i ? ", " : "") + d.str();
    if (d.isSymbolic() && bound.count(d.symbol))
      out += "=" + std::to_string(bound.at(d.symbol));
  }
  return out + "]";
}

/// " (with B=1, S=4096)": the bound symbols, for a size error in a shape inferred from them.
std::string boundSuffix(const Bindings &bound) {
  std::string out;
  for (const auto &[name, value] : bound)
    out += (out.empty() ? " (with " : ", ") + name + "=" + std::to_string(value);
  return out.empty() ? out : out + ")";
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, const Graph &graph, Bindings bound, Diagnostics &diag)
      : ctx_(ctx), g_(graph), bound_(std::move(bound)), diag_(diag), b_(&ctx) {}

  OwningOpRef<ModuleOp> run() {
    checkNames();
    std::vector<size_t> order = checkNodesAndSort();
    if (diag_.hasErrors())
      return nullptr;
    inferShapes(order);
    checkExpressions();
    checkOutputs();
    if (diag_.hasErrors())
      return nullptr;
    return build(order);
  }

private:
  std::set<std::string> declaredSymbols() const {
    std::set<std::string> s;
    for (auto &[name, value] : g_.symbols)
      s.insert(name);
    return s;
  }

  void checkSymbolsOf(const TensorDecl &t) {
    for (size_t i = 0; i < t.shape.size(); ++i)
      if (t.shape[i].isSymbolic() && !g_.symbols.count(t.shape[i].symbol))
        diag_.error(t.path + ".shape[" + std::to_string(i) + "]",
                    "unknown symbol '" + t.shape[i].symbol + "' (declare it in \"symbols\")");
  }

  void checkNames() {
    std::set<std::string> nodeNames;
    for (const TensorDecl &t : g_.inputs) {
      checkSymbolsOf(t);
      if (!producer_.emplace(t.name, -1).second)
        diag_.error(t.path + ".name", "duplicate input name '" + t.name + "'");
      shapes_[t.name] = bindShape(t.shape, bound_);
      if (tooLarge(shapes_[t.name]))
        diag_.error(t.path + ".shape", formatBound(t.shape, bound_) + kTooLarge);
    }
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const NodeDecl &n = g_.nodes[i];
      if (!nodeNames.insert(n.name).second)
        diag_.error(n.path + ".name", "duplicate node name '" + n.name + "'");
      for (size_t k = 0; k < n.outputs.size(); ++k)
        if (!producer_.emplace(n.outputs[k], (int)i).second)
          diag_.error(n.path + ".outputs[" + std::to_string(k) + "]",
                      "tensor '" + n.outputs[k] + "' is already " +
                          (producer_[n.outputs[k]] < 0 ? "a graph input" : "produced by another node"));
    }
    std::set<std::string> outputNames;
    for (const TensorDecl &t : g_.outputs) {
      checkSymbolsOf(t);
      if (tooLarge(bindShape(t.shape, bound_)))
        diag_.error(t.path + ".shape", formatBound(t.shape, bound_) + kTooLarge);
      if (!outputNames.insert(t.name).second)
        diag_.error(t.path + ".name", "duplicate output name '" + t.name + "'");
    }
  }

  /// Ops, arity, attributes and input references; then Kahn's algorithm. Nodes left over are on a cycle.
  std::vector<size_t> checkNodesAndSort() {
    std::set<std::string> symbols = declaredSymbols();
    std::vector<std::vector<size_t>> users(g_.nodes.size());
    std::vector<int> pending(g_.nodes.size(), 0);
    specs_.assign(g_.nodes.size(), nullptr);
    attrs_.assign(g_.nodes.size(), json::object());
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const NodeDecl &n = g_.nodes[i];
      const OpSpec *spec = lookupOp(n.op);
      if (!spec) {
        std::string known;
        for (const std::string &op : knownOps())
          known += (known.empty() ? "" : ", ") + op;
        diag_.error(n.path + ".op", "unknown op '" + n.op + "' (known: " + known + ")");
        used_.insert(n.inputs.begin(), n.inputs.end()); // no "never used" warnings on top of this error
        continue;
      }
      specs_[i] = spec;
      if (n.inputs.size() < spec->minInputs || n.inputs.size() > spec->maxInputs)
        diag_.error(n.path + ".inputs", n.op + " takes " +
                                            (spec->minInputs == spec->maxInputs
                                                 ? std::to_string(spec->minInputs)
                                                 : std::to_string(spec->minInputs) + " to " +
                                                       std::to_string(spec->maxInputs)) +
                                            " inputs, got " + std::to_string(n.inputs.size()));
      if (n.outputs.size() != 1)
        diag_.error(n.path + ".outputs", n.op + " has exactly 1 output, got " + std::to_string(n.outputs.size()));
      checkAttrs(n, *spec, symbols, bound_, attrs_[i], diag_);
      for (const char *e : {"mask", "score"}) // tensors an expression reads are used
        if (attrs_[i].contains(e) && attrs_[i][e].is_string())
          for (const std::string &id : expr::identifiersIn(attrs_[i][e].get<std::string>()))
            if (producer_.count(id))
              used_.insert(id);
      for (size_t k = 0; k < n.inputs.size(); ++k) {
        auto it = producer_.find(n.inputs[k]);
        if (it == producer_.end()) {
          diag_.error(n.path + ".inputs[" + std::to_string(k) + "]", "unknown tensor '" + n.inputs[k] + "'");
        } else if (it->second >= 0) {
          users[it->second].push_back(i);
          ++pending[i];
        }
        used_.insert(n.inputs[k]);
      }
    }
    std::vector<size_t> order, ready;
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (pending[i] == 0)
        ready.push_back(i);
    // Keep the file's order among ready nodes: deterministic and familiar to the author.
    while (!ready.empty()) {
      std::sort(ready.begin(), ready.end(), std::greater<size_t>());
      size_t i = ready.back();
      ready.pop_back();
      order.push_back(i);
      for (size_t u : users[i])
        if (--pending[u] == 0)
          ready.push_back(u);
    }
    if (order.size() != g_.nodes.size() && !diag_.hasErrors()) {
      // The nodes left over are on a cycle or behind one: peel off those whose users are all gone to
      // name only the nodes on (or between) cycles.
      std::vector<bool> left(g_.nodes.size());
      for (size_t i = 0; i < g_.nodes.size(); ++i)
        left[i] = pending[i] > 0;
      for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < g_.nodes.size(); ++i)
          if (left[i] && std::none_of(users[i].begin(), users[i].end(), [&](size_t u) { return left[u]; }))
            left[i] = false, changed = true;
      }
      std::string cycle;
      size_t first = g_.nodes.size();
      for (size_t i = 0; i < g_.nodes.size(); ++i)
        if (left[i]) {
          cycle += (cycle.empty() ? "'" : ", '") + g_.nodes[i].name + "'";
          first = std::min(first, i);
        }
      diag_.error(first < g_.nodes.size() ? g_.nodes[first].path : "nodes",
                  "cycle: nodes " + cycle + " depend on each other");
    }
    for (const TensorDecl &t : g_.inputs)
      if (!used_.count(t.name) &&
          std::none_of(g_.outputs.begin(), g_.outputs.end(), [&](const TensorDecl &o) { return o.name == t.name; }))
        diag_.warning(t.path, "input '" + t.name + "' is never used");
    return order;
  }

  void inferShapes(const std::vector<size_t> &order) {
    for (size_t i : order) {
      const NodeDecl &n = g_.nodes[i];
      std::vector<Shape> ins;
      bool known = true;
      for (const std::string &in : n.inputs) {
        auto it = shapes_.find(in);
        if (it == shapes_.end())
          known = false;
        else
          ins.push_back(it->second);
      }
      if (!known)
        continue; // an earlier error already explains it
      AttrValues attrs = attrs_[i];
      if (attrs.contains("shape")) { // Reshape targets may name symbols: bind them like shapes
        Shape declared, target;
        for (json &d : attrs["shape"]) {
          declared.push_back(d.is_string() ? Dim::named(d.get<std::string>()) : Dim::constant(d.get<int64_t>()));
          if (d.is_string() && bound_.count(d.get<std::string>()))
            d = bound_.at(d.get<std::string>());
          target.push_back(d.is_string() ? Dim::named(d.get<std::string>()) : Dim::constant(d.get<int64_t>()));
        }
        if (tooLarge(target)) {
          diag_.error(n.path + ".attrs.shape", formatBound(declared, bound_) + kTooLarge);
          continue;
        }
      }
      nn::InferredShape out = specs_[i]->infer(ins, attrs);
      if (!out.ok()) {
        diag_.error(n.path, n.op + " '" + n.name + "': " + out.error);
        continue;
      }
      if (tooLarge(out.shape)) {
        diag_.error(n.path, n.op + " '" + n.name + "': result " + formatShape(out.shape) + kTooLarge +
                                boundSuffix(bound_));
        continue;
      }
      shapes_[n.outputs[0]] = out.shape;
    }
  }

  /// Softmax's mask and score expressions, once shapes are known: i and j range over the scores' last
  /// two dims (query, key), h over the one before (0 without), s is the score; the graph's inputs of
  /// constant shape may be read. The tensors read become extra inputs of the node, named t0, t1, ... in
  /// the canonical text that the nn op carries (exprs_).
  void checkExpressions() {
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const AttrValues &a = attrs_[i];
      if (!specs_[i] || !a.contains("mask") || (a["mask"] == "" && a["score"] == ""))
        continue;
      const NodeDecl &n = g_.nodes[i];
      auto xs = shapes_.find(n.inputs[0]);
      if (xs == shapes_.end() || xs->second.size() < 2 || !shapes_.count(n.outputs[0]))
        continue; // an earlier error explains it
      const Shape &x = xs->second;
      size_t r = x.size();
      std::string where = n.path + ".attrs." + (a["mask"] != "" ? "mask" : "score");
      bool symbolic = x[r - 1].isSymbolic() || x[r - 2].isSymbolic() || (r >= 3 && x[r - 3].isSymbolic());
      if (symbolic) {
        diag_.error(where, "an expression needs the scores' sizes bound at import, got " + formatShape(x));
        continue;
      }
      expr::Scope scope = symbolScope(declaredSymbols(), bound_, expr::Type::Bool);
      scope.variables = {{"i", expr::Type::Int}, {"j", expr::Type::Int}, {"h", expr::Type::Int}};
      scope.ranges = {{"i", {0, x[r - 2].value - 1}},
                      {"j", {0, x[r - 1].value - 1}},
                      {"h", {0, r >= 3 ? x[r - 3].value - 1 : 0}}};
      for (const TensorDecl &t : g_.inputs) {
        const Shape &shape = shapes_[t.name];
        if (std::none_of(shape.begin(), shape.end(), [](const Dim &d) { return d.isSymbolic(); })) {
          expr::TensorRef ref{t.name, {}};
          for (const Dim &d : shape)
            ref.shape.push_back(d.value);
          scope.tensors.push_back(ref);
        }
      }
      std::vector<int> read;
      std::optional<expr::Node> trees[2];
      const char *keys[2] = {"mask", "score"};
      bool ok = true;
      for (int k = 0; k < 2; ++k) {
        if (a[keys[k]] == "")
          continue;
        expr::Scope s = scope;
        if (k == 1) {
          s.variables["s"] = expr::Type::Float;
          s.result = expr::Type::Float;
        }
        expr::Checked c = expr::check(a[keys[k]].get<std::string>(), s);
        if (!c.tree) {
          diag_.error(n.path + ".attrs." + keys[k], atColumn(c));
          ok = false;
          continue;
        }
        trees[k] = c.tree;
        expr::tensorsRead(*c.tree, read);
      }
      if (!ok)
        continue;
      std::vector<int> renumber(scope.tensors.size(), -1);
      NodeExprs &out = exprs_[i];
      for (size_t t = 0; t < read.size(); ++t) {
        renumber[read[t]] = (int)t;
        out.tensors.push_back(scope.tensors[read[t]].name);
      }
      if (trees[0])
        out.mask = expr::print(expr::renumberTensors(*trees[0], renumber));
      if (trees[1])
        out.score = expr::print(expr::renumberTensors(*trees[1], renumber));
    }
  }

  void checkOutputs() {
    for (const TensorDecl &t : g_.outputs) {
      auto p = producer_.find(t.name);
      if (p == producer_.end() || p->second < 0) {
        diag_.error(t.path, "output '" + t.name + "' is never produced by a node");
        continue;
      }
      auto s = shapes_.find(t.name);
      if (s == shapes_.end())
        continue;
      Shape declared = bindShape(t.shape, bound_);
      if (declared != s->second)
        diag_.error(t.path + ".shape", "output '" + t.name + "' is declared " + formatShape(declared) +
                                           " but its node produces " + formatShape(s->second));
    }
  }

  sdfg::ArrayType arrayType(const Shape &shape) { return sdfg::ArrayType::get(b_.getF32Type(), shape); }

  OwningOpRef<ModuleOp> build(const std::vector<size_t> &order) {
    Location fileLoc = FileLineColLoc::get(&ctx_, diag_.file(), 1, 1);
    OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
    // Unbound symbols used by any container become the SDFG's symbols (run-time arguments).
    std::set<std::string> freeSymbols;
    for (auto &[name, shape] : shapes_)
      for (const Dim &d : shape)
        if (d.isSymbolic())
          freeSymbols.insert(d.symbol);
    std::set<std::string> taken(freeSymbols.begin(), freeSymbols.end());
    std::vector<std::string> argNames(freeSymbols.begin(), freeSymbols.end());
    SmallVector<Type> argTypes(freeSymbols.size(), b_.getIndexType());
    // A tensor named like a free symbol gets another SSA name; the ABI keeps the graph's name.
    SmallVector<StringRef> abiNames;
    bool renamed = false;
    for (const auto *list : {&g_.inputs, &g_.outputs})
      for (const TensorDecl &t : *list) {
        argNames.push_back(uniqueIdentifier(t.name, taken));
        abiNames.push_back(t.name);
        renamed |= argNames.back() != t.name;
        argTypes.push_back(arrayType(list == &g_.inputs ? shapes_[t.name] : bindShape(t.shape, bound_)));
      }
    b_.setInsertionPointToEnd(module->getBody());
    auto sdfgOp = b_.create<sdfg::SDFGOp>(
        fileLoc, b_.getStringAttr(g_.name), b_.getStrArrayAttr(SmallVector<StringRef>(argNames.begin(), argNames.end())),
        b_.getI64IntegerAttr(freeSymbols.size()), b_.getI64IntegerAttr(0), b_.getI64IntegerAttr(g_.inputs.size()),
        renamed ? b_.getStrArrayAttr(abiNames) : nullptr, /*fixed_symbols=*/nullptr, /*unused_symbols=*/nullptr);
    // The graph's other symbols, for the manifest: those with a value, and those no shape uses.
    SmallVector<NamedAttribute> fixed;
    SmallVector<StringRef> unused;
    for (auto &[name, value] : g_.symbols)
      if (bound_.count(name))
        fixed.push_back(b_.getNamedAttr(name, b_.getI64IntegerAttr(bound_.at(name))));
      else if (!freeSymbols.count(name))
        unused.push_back(name);
    if (!fixed.empty())
      sdfgOp.setFixedSymbolsAttr(b_.getDictionaryAttr(fixed));
    if (!unused.empty())
      sdfgOp.setUnusedSymbolsAttr(b_.getStrArrayAttr(unused));
    SmallVector<StringRef> constantArguments;
    for (const TensorDecl &t : g_.inputs)
      if (t.constant)
        constantArguments.push_back(t.name);
    if (!constantArguments.empty())
      sdfgOp->setAttr(sdfg::SDFGOp::kConstantArgumentsAttr, b_.getStrArrayAttr(constantArguments));
    Block *body = new Block();
    sdfgOp.getBody().push_back(body);
    for (Type t : argTypes)
      body->addArgument(t, fileLoc);
    std::map<std::string, Value> containers;
    size_t next = freeSymbols.size();
    for (const auto *list : {&g_.inputs, &g_.outputs})
      for (const TensorDecl &t : *list)
        containers[t.name] = body->getArgument(next++);

    b_.setInsertionPointToEnd(body);
    for (size_t i : order) {
      const std::string &out = g_.nodes[i].outputs[0];
      if (containers.count(out))
        continue;
      auto alloc = b_.create<sdfg::AllocOp>(nameLoc(i), arrayType(shapes_[out]), sdfg::Storage::heap,
                                            sdfg::Lifetime::sdfg, b_.getStringAttr(uniqueIdentifier(out, taken)));
      containers[out] = alloc;
    }
    auto state = b_.create<sdfg::StateOp>(fileLoc, b_.getStringAttr("main"));
    state.getBody().push_back(new Block());
    b_.setInsertionPointToEnd(&state.getBody().front());
    std::set<std::string> labels;
    for (size_t i : order)
      buildNode(i, containers, labels);
    if (failed(verify(*module))) {
      diag_.error("", "internal error: the imported IR does not verify (see above)");
      return nullptr;
    }
    return module;
  }

  Location nameLoc(size_t i) {
    const NodeDecl &n = g_.nodes[i];
    return NameLoc::get(b_.getStringAttr(n.path + " '" + n.name + "'"),
                        FileLineColLoc::get(&ctx_, diag_.file(), 1, 1));
  }

  void buildNode(size_t i, std::map<std::string, Value> &containers, std::set<std::string> &labels) {
    const NodeDecl &n = g_.nodes[i];
    const OpSpec &spec = *specs_[i];
    OperationState state(nameLoc(i), spec.irOp);
    for (const std::string &in : n.inputs)
      state.addOperands(containers.at(in));
    auto exprs = exprs_.find(i);
    int32_t extra = 0;
    if (exprs != exprs_.end()) { // the tensors the expressions read follow the node's inputs
      for (const std::string &t : exprs->second.tensors)
        state.addOperands(containers.at(t));
      extra = exprs->second.tensors.size();
      if (!exprs->second.mask.empty())
        state.addAttribute("mask_expr", b_.getStringAttr(exprs->second.mask));
      if (!exprs->second.score.empty())
        state.addAttribute("score_expr", b_.getStringAttr(exprs->second.score));
      if (extra)
        state.addAttribute("expr_tensors", b_.getI64IntegerAttr(extra));
    }
    state.addOperands(containers.at(n.outputs[0]));
    state.addAttribute("operandSegmentSizes", b_.getDenseI32ArrayAttr({(int32_t)n.inputs.size() + extra, 1}));
    state.addAttribute("label", b_.getStringAttr(uniqueIdentifier(n.name, labels)));
    if (!n.impl.empty())
      state.addAttribute(nn::kImplAttrName, b_.getStringAttr(n.impl));
    const AttrValues &attrs = attrs_[i];
    for (const AttrSpec &a : spec.attrs) {
      const json &v = attrs[a.name];
      if (std::string(a.irName).empty() || v.is_null())
        continue;
      switch (a.kind) {
      case AttrKind::Flag:
        if (v.get<bool>())
          state.addAttribute(a.irName, b_.getUnitAttr());
        break;
      case AttrKind::Bool:
        state.addAttribute(a.irName, b_.getBoolAttr(v.get<bool>()));
        break;
      case AttrKind::Int:
        state.addAttribute(a.irName, b_.getI64IntegerAttr(v.get<int64_t>()));
        break;
      case AttrKind::Float:
        state.addAttribute(a.irName, b_.getF32FloatAttr(v.get<double>()));
        break;
      case AttrKind::IntList:
        state.addAttribute(a.irName, b_.getDenseI64ArrayAttr(v.get<std::vector<int64_t>>()));
        break;
      case AttrKind::TanhOrNone:
        if (v == "tanh")
          state.addAttribute(a.irName, b_.getUnitAttr());
        break;
      case AttrKind::DimList:
      case AttrKind::MaskExpr: // the canonical text, from checkExpressions
      case AttrKind::ScoreExpr:
        break;
      }
    }
    if (spec.irOp == std::string("nn.slice")) // normalise negative indices and default axes
      normalizeSlice(i, state);
    b_.create(state);
  }

  /// Slice's starts/ends may count from the end and axes may be omitted; the nn op takes them resolved.
  void normalizeSlice(size_t i, OperationState &state) {
    const AttrValues &a = attrs_[i];
    const Shape &x = shapes_[g_.nodes[i].inputs[0]];
    std::vector<int64_t> starts = a["starts"].get<std::vector<int64_t>>(), ends = a["ends"].get<std::vector<int64_t>>();
    std::vector<int64_t> axes;
    for (size_t k = 0; k < starts.size(); ++k) {
      int64_t axis = a["axes"].empty() ? (int64_t)k : a["axes"][k].get<int64_t>();
      axis = *normalizeAxis(axis, x.size());
      axes.push_back(axis);
      int64_t dim = x[axis].value;
      for (int64_t *v : {&starts[k], &ends[k]})
        *v = std::min(*v < 0 ? std::max<int64_t>(0, *v + dim) : *v, dim);
    }
    state.attributes.set("starts", b_.getDenseI64ArrayAttr(starts));
    state.attributes.set("ends", b_.getDenseI64ArrayAttr(ends));
    state.attributes.set("axes", b_.getDenseI64ArrayAttr(axes));
  }

  MLIRContext &ctx_;
  const Graph &g_;
  Bindings bound_;
  Diagnostics &diag_;
  OpBuilder b_;
  std::map<std::string, int> producer_; // tensor -> node index, -1 for graph inputs
  std::map<std::string, Shape> shapes_;
  std::set<std::string> used_;
  std::vector<const OpSpec *> specs_;
  std::vector<AttrValues> attrs_;
  /// A node's checked expressions in canonical form and the tensors they read (its extra inputs).
  struct NodeExprs {
    std::string mask, score;
    std::vector<std::string> tensors;
  };
  std::map<size_t, NodeExprs> exprs_;
};
} // namespace

namespace {
/// Symbols resolved, then the checks and the build of GraphImporter.
OwningOpRef<ModuleOp> importChecked(MLIRContext &context, const Graph &graph, const ImportOptions &options,
                                    Diagnostics &diag) {
  Bindings bound = resolveSymbols(graph, options.testSize, options.bindings, diag);
  if (diag.hasErrors())
    return nullptr;
  // Diagnostics from verifiers during the build are reported through MLIR's handler, with the node's path.
  return GraphImporter(context, graph, bound, diag).run();
}
} // namespace

std::string uniqueIdentifier(const std::string &name, std::set<std::string> &taken) {
  std::string out;
  for (char c : name)
    out += (std::isalnum((unsigned char)c) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit((unsigned char)out[0]))
    out = "t_" + out;
  std::string unique = out;
  for (int i = 1; taken.count(unique); ++i)
    unique = out + "_" + std::to_string(i);
  taken.insert(unique);
  return unique;
}

OwningOpRef<ModuleOp> importGraph(MLIRContext &context, const std::string &path, const ImportOptions &options,
                                  Diagnostics &diag) {
  loadDmcDialects(context);
  std::optional<Graph> graph = readGraphFile(path, diag);
  if (!graph || diag.hasErrors())
    return nullptr;
  return importChecked(context, *graph, options, diag);
}

OwningOpRef<ModuleOp> importGraphJson(MLIRContext &context, const json &root, const ImportOptions &options,
                                      Diagnostics &diag) {
  loadDmcDialects(context);
  std::optional<Graph> graph = readGraphJson(root, diag);
  if (!graph || diag.hasErrors())
    return nullptr;
  return importChecked(context, *graph, options, diag);
}


} // namespace dmc
