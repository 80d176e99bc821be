//===- Expr.cpp - the graph format's expression language -------------------===//
#include "dialects/Support/Expr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace dmc::expr {

const char *typeName(Type t) {
  switch (t) {
  case Type::Int:
    return "int";
  case Type::Float:
    return "float";
  case Type::Bool:
    return "bool";
  }
  return "?";
}

const char *opSpelling(Op op) {
  switch (op) {
  case Op::Add: return "+";
  case Op::Sub: return "-";
  case Op::Mul: return "*";
  case Op::Div: return "/";
  case Op::Mod: return "%";
  case Op::Lt: return "<";
  case Op::Le: return "<=";
  case Op::Gt: return ">";
  case Op::Ge: return ">=";
  case Op::Eq: return "==";
  case Op::Ne: return "!=";
  case Op::And: return "&&";
  case Op::Or: return "||";
  case Op::Neg: return "-";
  case Op::Not: return "!";
  case Op::Min: return "min";
  case Op::Max: return "max";
  case Op::Abs: return "abs";
  case Op::Sqrt: return "sqrt";
  case Op::Exp: return "exp";
  case Op::Log: return "log";
  case Op::Tanh: return "tanh";
  case Op::ToFloat: return "float";
  default: return "?";
  }
}

namespace {

constexpr size_t kMaxLength = 4096; // a graph file's expression is a line, not a program
constexpr int kMaxDepth = 64;       // nesting: keeps the recursive parser's stack small

struct Failure {
  std::string message;
  size_t column;
};
[[noreturn]] void fail(size_t column, std::string message) { throw Failure{std::move(message), column}; }

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t floorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

/// "an int", "a float", "a bool".
std::string aType(Type t) { return std::string(t == Type::Int ? "an " : "a ") + typeName(t); }

bool isNumeric(Type t) { return t == Type::Int || t == Type::Float; }

Node intLit(int64_t v, size_t col) {
  Node n;
  n.op = Op::IntLit, n.type = Type::Int, n.intValue = v, n.column = col;
  return n;
}
Node floatLit(double v, size_t col) {
  Node n;
  n.op = Op::FloatLit, n.type = Type::Float, n.floatValue = v, n.column = col;
  return n;
}
Node boolLit(bool v, size_t col) {
  Node n;
  n.op = Op::BoolLit, n.type = Type::Bool, n.intValue = v, n.column = col;
  return n;
}


struct Function {
  const char *name;
  Op op;
  size_t arity;
};
const Function kFunctions[] = {{"min", Op::Min, 2},   {"max", Op::Max, 2},   {"abs", Op::Abs, 1},
                               {"sqrt", Op::Sqrt, 1}, {"exp", Op::Exp, 1},   {"log", Op::Log, 1},
                               {"tanh", Op::Tanh, 1}, {"float", Op::ToFloat, 1}};

bool addOverflows(int64_t a, int64_t b, int64_t *r) { return __builtin_add_overflow(a, b, r); }

/// Interval arithmetic on int64 with overflow reported as nullopt.
std::optional<Range> combine(Op op, Range a, Range b) {
  Range r;
  auto corners = [&](auto f) -> std::optional<Range> {
    int64_t v[4];
    int64_t xs[2] = {a.lo, a.hi}, ys[2] = {b.lo, b.hi};
    for (int k = 0; k < 4; ++k)
      if (!f(xs[k / 2], ys[k % 2], &v[k]))
        return std::nullopt;
    return Range{*std::min_element(v, v + 4), *std::max_element(v, v + 4)};
  };
  switch (op) {
  case Op::Add:
    if (__builtin_add_overflow(a.lo, b.lo, &r.lo) || __builtin_add_overflow(a.hi, b.hi, &r.hi))
      return std::nullopt;
    return r;
  case Op::Sub:
    if (__builtin_sub_overflow(a.lo, b.hi, &r.lo) || __builtin_sub_overflow(a.hi, b.lo, &r.hi))
      return std::nullopt;
    return r;
  case Op::Mul:
    return corners([](int64_t x, int64_t y, int64_t *out) { return !__builtin_mul_overflow(x, y, out); });
  case Op::Div: // over a divisor range of one sign, floor(x / y) is monotone in x and in y: corners suffice
    if (b.lo <= 0 && b.hi >= 0)
      return std::nullopt;
    return corners([](int64_t x, int64_t y, int64_t *out) {
      if (x == std::numeric_limits<int64_t>::min() && y == -1)
        return false;
      *out = floorDiv(x, y);
      return true;
    });
  case Op::Mod:
    if (b.lo > 0) {
      if (a.lo >= 0 && a.hi < b.lo) // already reduced
        return a;
      return Range{0, b.hi - 1};
    }
    if (b.hi < 0)
      return Range{b.lo + 1, 0};
    return std::nullopt;
  case Op::Min:
    return Range{std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
  case Op::Max:
    return Range{std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
  default:
    return std::nullopt;
  }
}

class Parser {
public:
  Parser(const std::string &text, const Scope &scope) : s_(text), scope_(scope) {}

  Node parse() {
    if (s_.size() > kMaxLength)
      fail(1, "expression longer than " + std::to_string(kMaxLength) + " characters");
    skip();
    if (pos_ == s_.size())
      fail(1, "empty expression");
    Node n = ternary();
    skip();
    if (pos_ != s_.size())
      fail(pos_ + 1, std::string("unexpected '") + s_[pos_] + "'");
    if (scope_.result == Type::Float && n.type == Type::Int)
      n = convert(std::move(n));
    if (n.type != scope_.result)
      fail(1, "expected " + aType(scope_.result) + " expression, got " + aType(n.type) + " one");
    return n;
  }

private:
  void skip() {
    while (pos_ < s_.size() && std::isspace((unsigned char)s_[pos_]))
      ++pos_;
  }
  size_t col() {
    skip();
    return pos_ + 1;
  }
  bool eat(const char *tok) {
    skip();
    size_t n = std::char_traits<char>::length(tok);
    if (s_.compare(pos_, n, tok) != 0)
      return false;
    // "<" must not take the first half of "<=", nor "!" of "!=", nor "|" / "&" alone.
    if (n == 1 && pos_ + 1 < s_.size() && std::string("<>=!").find(tok[0]) != std::string::npos && s_[pos_ + 1] == '=')
      return false;
    pos_ += n;
    return true;
  }
  void expect(const char *tok) {
    if (!eat(tok))
      fail(col(), std::string("expected '") + tok + "'" + (pos_ < s_.size() ? "" : " at the end"));
  }

  struct Depth {
    int &d;
    Depth(int &d, size_t column) : d(d) {
      if (++d > kMaxDepth)
        fail(column, "expression nested deeper than " + std::to_string(kMaxDepth));
    }
    ~Depth() { --d; }
  };

  Node ternary() {
    Depth guard(depth_, col());
    size_t c = col();
    Node cond = logicalOr();
    if (!eat("?"))
      return cond;
    Node a = ternary();
    expect(":");
    Node b = ternary();
    return make(Op::Select, {std::move(cond), std::move(a), std::move(b)}, c);
  }
  Node logicalOr() {
    Node n = logicalAnd();
    for (size_t c = col(); eat("||"); c = col())
      n = make(Op::Or, {std::move(n), logicalAnd()}, c);
    return n;
  }
  Node logicalAnd() {
    Node n = comparison();
    for (size_t c = col(); eat("&&"); c = col())
      n = make(Op::And, {std::move(n), comparison()}, c);
    return n;
  }
  Node comparison() {
    Node n = additive();
    static const std::pair<const char *, Op> ops[] = {{"<=", Op::Le}, {">=", Op::Ge}, {"==", Op::Eq},
                                                      {"!=", Op::Ne}, {"<", Op::Lt},  {">", Op::Gt}};
    size_t c = col();
    for (auto [tok, op] : ops)
      if (eat(tok)) {
        n = make(op, {std::move(n), additive()}, c);
        size_t c2 = col();
        for (auto [tok2, op2] : ops)
          if (eat(tok2))
            fail(c2, "comparisons do not chain: write 'a < b && b < c'");
        return n;
      }
    return n;
  }
  Node additive() {
    Node n = multiplicative();
    for (;;) {
      size_t c = col();
      if (eat("+"))
        n = make(Op::Add, {std::move(n), multiplicative()}, c);
      else if (eat("-"))
        n = make(Op::Sub, {std::move(n), multiplicative()}, c);
      else
        return n;
    }
  }
  Node multiplicative() {
    Node n = unary();
    for (;;) {
      size_t c = col();
      if (eat("*"))
        n = make(Op::Mul, {std::move(n), unary()}, c);
      else if (eat("/"))
        n = make(Op::Div, {std::move(n), unary()}, c);
      else if (eat("%"))
        n = make(Op::Mod, {std::move(n), unary()}, c);
      else
        return n;
    }
  }
  Node unary() {
    Depth guard(depth_, col());
    size_t c = col();
    if (eat("-"))
      return make(Op::Neg, {unary()}, c);
    if (eat("!"))
      return make(Op::Not, {unary()}, c);
    return primary();
  }
  Node primary() {
    size_t c = col();
    if (pos_ == s_.size())
      fail(c, "unexpected end of expression");
    char ch = s_[pos_];
    if (eat("(")) {
      Node n = ternary();
      expect(")");
      return n;
    }
    if (std::isdigit((unsigned char)ch) || (ch == '.' && pos_ + 1 < s_.size() && std::isdigit((unsigned char)s_[pos_ + 1])))
      return number(c);
    if (std::isalpha((unsigned char)ch) || ch == '_') {
      size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum((unsigned char)s_[pos_]) || s_[pos_] == '_'))
        ++pos_;
      return name(s_.substr(start, pos_ - start), c);
    }
    fail(c, std::string("unexpected '") + ch + "'");
  }
  Node number(size_t c) {
    size_t start = pos_;
    while (pos_ < s_.size() && std::isdigit((unsigned char)s_[pos_]))
      ++pos_;
    bool isFloat = false;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      isFloat = true;
      ++pos_;
      while (pos_ < s_.size() && std::isdigit((unsigned char)s_[pos_]))
        ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t e = pos_ + 1;
      if (e < s_.size() && (s_[e] == '+' || s_[e] == '-'))
        ++e;
      if (e < s_.size() && std::isdigit((unsigned char)s_[e])) {
        isFloat = true;
        pos_ = e;
        while (pos_ < s_.size() && std::isdigit((unsigned char)s_[pos_]))
          ++pos_;
      }
    }
    if (pos_ < s_.size() && (std::isalpha((unsigned char)s_[pos_]) || s_[pos_] == '_'))
      fail(pos_ + 1, "a number cannot run into a name");
    std::string text = s_.substr(start, pos_ - start);
    if (isFloat) {
      double v = std::strtod(text.c_str(), nullptr);
      if (!std::isfinite(v))
        fail(c, "number " + text + " is out of range");
      return floatLit(v, c);
    }
    int64_t v = 0;
    for (char d : text)
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d - '0', &v))
        fail(c, "integer " + text + " does not fit in 64 bits");
    return intLit(v, c);
  }

  Node name(const std::string &id, size_t c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == '(') {
      for (const Function &f : kFunctions)
        if (id == f.name) {
          ++pos_;
          std::vector<Node> args;
          if (!eat(")")) {
            do
              args.push_back(ternary());
            while (eat(","));
            expect(")");
          }
          if (args.size() != f.arity)
            fail(c, id + " takes " + std::to_string(f.arity) + " argument" + (f.arity > 1 ? "s" : "") + ", got " +
                        std::to_string(args.size()));
          return make(f.op, std::move(args), c);
        }
      fail(c, "unknown function '" + id + "' (known: min, max, abs, sqrt, exp, log, tanh, float)");
    }
    for (size_t t = 0; t < scope_.tensors.size(); ++t)
      if (scope_.tensors[t].name == id)
        return read(t, c);
    if (pos_ < s_.size() && s_[pos_] == '[')
      fail(c, "'" + id + "' is not a tensor this expression may read");
    if (id == "true" || id == "false")
      return boolLit(id == "true", c);
    if (auto v = scope_.variables.find(id); v != scope_.variables.end()) {
      Node n;
      n.op = Op::Var, n.type = v->second, n.name = id, n.column = c;
      return n;
    }
    if (auto s = scope_.symbols.find(id); s != scope_.symbols.end())
      return intLit(s->second, c);
    if (std::find(scope_.unboundSymbols.begin(), scope_.unboundSymbols.end(), id) != scope_.unboundSymbols.end())
      fail(c, "symbol '" + id + "' has no value here (an expression needs its symbols bound at import)");
    std::string known;
    for (auto &[v, t] : scope_.variables)
      known += (known.empty() ? "" : ", ") + v;
    for (auto &[v, t] : scope_.symbols)
      known += (known.empty() ? "" : ", ") + v;
    for (const TensorRef &t : scope_.tensors)
      known += (known.empty() ? "" : ", ") + t.name + "[..]";
    fail(c, "unknown name '" + id + "'" + (known.empty() ? " (only numbers here)" : " (known: " + known + ")"));
  }

  Node read(size_t t, size_t c) {
    const TensorRef &ref = scope_.tensors[t];
    if (!eat("["))
      fail(col(), "tensor '" + ref.name + "' needs an index per dimension: " + ref.name + "[...]");
    std::vector<Node> idx;
    std::vector<size_t> cols;
    do {
      cols.push_back(col());
      idx.push_back(ternary());
    } while (eat(","));
    expect("]");
    if (idx.size() != ref.shape.size())
      fail(c, "tensor '" + ref.name + "' has " + std::to_string(ref.shape.size()) + " dimension" +
                  (ref.shape.size() == 1 ? "" : "s") + ", got " + std::to_string(idx.size()) + " indices");
    for (size_t k = 0; k < idx.size(); ++k) {
      if (idx[k].type != Type::Int)
        fail(cols[k], "an index must be an int, got " + aType(idx[k].type));
      if (!quasiAffine(idx[k]))
        fail(cols[k], "an index must be affine in the variables (sums of constant multiples, / and % by "
                      "positive constants)");
      std::optional<Range> r = intervalOf(idx[k], scope_);
      if (!r)
        fail(cols[k], "cannot bound this index");
      int64_t dim = ref.shape[k];
      if (r->lo < 0 || r->hi >= dim)
        fail(cols[k], "index " + std::to_string(k) + " of '" + ref.name + "' ranges over [" + std::to_string(r->lo) +
                          ", " + std::to_string(r->hi) + "], outside [0, " + std::to_string(dim - 1) + "]");
    }
    Node n;
    n.op = Op::Read, n.type = Type::Float, n.tensor = (int)t, n.args = std::move(idx), n.column = c;
    return n;
  }

  static bool quasiAffine(const Node &n) {
    switch (n.op) {
    case Op::IntLit:
    case Op::Var:
      return n.type == Type::Int;
    case Op::Add:
    case Op::Sub:
      return quasiAffine(n.args[0]) && quasiAffine(n.args[1]);
    case Op::Neg:
      return quasiAffine(n.args[0]);
    case Op::Mul:
      return quasiAffine(n.args[0]) && quasiAffine(n.args[1]) &&
             (n.args[0].op == Op::IntLit || n.args[1].op == Op::IntLit);
    case Op::Div:
    case Op::Mod:
      return quasiAffine(n.args[0]) && n.args[1].op == Op::IntLit && n.args[1].intValue > 0;
    default:
      return false;
    }
  }

  Node convert(Node n) {
    if (n.type != Type::Int)
      return n;
    if (n.op == Op::IntLit)
      return floatLit((double)n.intValue, n.column);
    Node f;
    f.op = Op::ToFloat, f.type = Type::Float, f.column = n.column;
    f.args.push_back(std::move(n));
    return f;
  }

  /// Types, checks and folds one operation.
  Node make(Op op, std::vector<Node> args, size_t c) {
    auto wrong = [&](const Node &arg, const char *needs) {
      fail(arg.column, std::string("'") + opSpelling(op) + "' needs " + needs + ", got " + aType(arg.type));
    };
    auto numeric = [&]() {
      for (const Node &a : args)
        if (!isNumeric(a.type))
          wrong(a, "numbers");
    };
    auto promote = [&]() { // both Int, or both Float
      if (std::any_of(args.begin(), args.end(), [](const Node &a) { return a.type == Type::Float; }))
        for (Node &a : args)
          a = convert(std::move(a));
    };
    Node n;
    n.op = op, n.column = c;
    switch (op) {
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Min: case Op::Max:
      numeric();
      promote();
      n.type = args[0].type;
      break;
    case Op::Mod:
      for (const Node &a : args)
        if (a.type != Type::Int)
          wrong(a, "ints");
      n.type = Type::Int;
      break;
    case Op::Neg: case Op::Abs:
      numeric();
      n.type = args[0].type;
      break;
    case Op::Sqrt: case Op::Exp: case Op::Log: case Op::Tanh: case Op::ToFloat:
      numeric();
      promote();
      args[0] = convert(std::move(args[0]));
      n.type = Type::Float;
      if (op == Op::ToFloat)
        return args[0];
      break;
    case Op::Not: case Op::And: case Op::Or:
      for (const Node &a : args)
        if (a.type != Type::Bool)
          wrong(a, "bools");
      n.type = Type::Bool;
      break;
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
      numeric();
      promote();
      n.type = Type::Bool;
      break;
    case Op::Eq: case Op::Ne:
      if (!(args[0].type == Type::Bool && args[1].type == Type::Bool)) {
        numeric();
        promote();
      }
      n.type = Type::Bool;
      break;
    case Op::Select: {
      if (args[0].type != Type::Bool)
        fail(args[0].column, "the condition of '?' must be a bool, got " + aType(args[0].type));
      if (args[1].type == Type::Bool || args[2].type == Type::Bool) {
        if (args[1].type != args[2].type)
          fail(c, "the branches of '?' have different types");
      } else if (args[1].type == Type::Float || args[2].type == Type::Float) {
        args[1] = convert(std::move(args[1]));
        args[2] = convert(std::move(args[2]));
      }
      n.type = args[1].type;
      if (args[0].op == Op::BoolLit)
        return args[0].intValue ? std::move(args[1]) : std::move(args[2]);
      break;
    }
    default:
      fail(c, "internal: unexpected operation");
    }
    // Integer division by something that may be zero is undefined in C++: rejected unless proven nonzero.
    if ((op == Op::Div || op == Op::Mod) && n.type == Type::Int) {
      const Node &d = args[1];
      if (d.op == Op::IntLit && d.intValue == 0)
        fail(c, "division by zero");
      std::optional<Range> r = intervalOf(d, scope_);
      if (!r || (r->lo <= 0 && r->hi >= 0))
        fail(c, "the divisor may be zero" +
                           (r ? " (it ranges over [" + std::to_string(r->lo) + ", " + std::to_string(r->hi) + "])"
                              : std::string()));
    }
    if (op == Op::Div && n.type == Type::Float && args[1].op == Op::FloatLit && args[1].floatValue == 0.0)
      fail(c, "division by zero");
    n.args = std::move(args);
    if (std::all_of(n.args.begin(), n.args.end(), [](const Node &a) { return a.isConstant(); }))
      return fold(n);
    if (n.type == Type::Int && !intervalOf(n, scope_))
      fail(c, "this integer expression may overflow 64 bits");
    return n;
  }

  Node fold(const Node &n) {
    const std::vector<Node> &a = n.args;
    if (n.type == Type::Int) {
      int64_t x = a[0].intValue, y = a.size() > 1 ? a[1].intValue : 0, r = 0;
      bool overflow = false;
      switch (n.op) {
      case Op::Add: overflow = addOverflows(x, y, &r); break;
      case Op::Sub: overflow = __builtin_sub_overflow(x, y, &r); break;
      case Op::Mul: overflow = __builtin_mul_overflow(x, y, &r); break;
      case Op::Div:
        overflow = x == std::numeric_limits<int64_t>::min() && y == -1;
        r = overflow ? 0 : floorDiv(x, y);
        break;
      case Op::Mod: r = y == -1 ? 0 : floorMod(x, y); break;
      case Op::Neg: overflow = __builtin_sub_overflow((int64_t)0, x, &r); break;
      case Op::Abs: overflow = x == std::numeric_limits<int64_t>::min(); r = x < 0 ? -x : x; break;
      case Op::Min: r = std::min(x, y); break;
      case Op::Max: r = std::max(x, y); break;
      default: break;
      }
      if (overflow)
        fail(n.column, "integer overflow");
      return intLit(r, n.column);
    }
    Env env;
    double v = evaluate(n, env);
    if (n.type == Type::Bool)
      return boolLit(v != 0.0, n.column);
    if (!std::isfinite(v))
      fail(n.column, "the value is not finite");
    return floatLit(v, n.column);
  }

  const std::string &s_;
  const Scope &scope_;
  size_t pos_ = 0;
  int depth_ = 0;
};

std::string floatText(double v) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  return s;
}

} // namespace

Checked check(const std::string &text, const Scope &scope) {
  Checked out;
  try {
    out.tree = Parser(text, scope).parse();
  } catch (const Failure &f) {
    out.tree.reset();
    out.error = f.message;
    out.column = f.column;
  }
  return out;
}

std::vector<std::string> identifiersIn(const std::string &text) {
  std::vector<std::string> out;
  for (size_t k = 0; k < text.size();) {
    unsigned char c = text[k];
    if (std::isalpha(c) || c == '_') {
      size_t start = k;
      while (k < text.size() && (std::isalnum((unsigned char)text[k]) || text[k] == '_'))
        ++k;
      out.push_back(text.substr(start, k - start));
    } else if (std::isdigit(c)) { // a number, exponent included (1e5 is no name)
      while (k < text.size() && (std::isalnum((unsigned char)text[k]) || text[k] == '.'))
        ++k;
    } else {
      ++k;
    }
  }
  return out;
}

Node renumberTensors(Node n, const std::vector<int> &renumber) {
  if (n.op == Op::Read)
    n.tensor = renumber.at(n.tensor);
  for (Node &a : n.args)
    a = renumberTensors(std::move(a), renumber);
  return n;
}

void tensorsRead(const Node &n, std::vector<int> &out) {
  if (n.op == Op::Read && std::find(out.begin(), out.end(), n.tensor) == out.end())
    out.push_back(n.tensor);
  for (const Node &a : n.args)
    tensorsRead(a, out);
}

std::string print(const Node &n) {
  auto bin = [&](const char *op) { return "(" + print(n.args[0]) + " " + op + " " + print(n.args[1]) + ")"; };
  switch (n.op) {
  case Op::IntLit:
    if (n.intValue == std::numeric_limits<int64_t>::min())
      return "(-9223372036854775807 - 1)";
    return n.intValue < 0 ? "(" + std::to_string(n.intValue) + ")" : std::to_string(n.intValue);
  case Op::FloatLit:
    return n.floatValue < 0 || std::signbit(n.floatValue) ? "(-" + floatText(-n.floatValue) + ")"
                                                          : floatText(n.floatValue);
  case Op::BoolLit:
    return n.intValue ? "true" : "false";
  case Op::Var:
    return n.name;
  case Op::Read: {
    std::string s = "t" + std::to_string(n.tensor) + "[";
    for (size_t k = 0; k < n.args.size(); ++k)
      s += (k ? ", " : "") + print(n.args[k]);
    return s + "]";
  }
  case Op::Neg:
    return "(-" + print(n.args[0]) + ")";
  case Op::Not:
    return "(!" + print(n.args[0]) + ")";
  case Op::Select:
    return "(" + print(n.args[0]) + " ? " + print(n.args[1]) + " : " + print(n.args[2]) + ")";
  case Op::Min: case Op::Max:
    return std::string(opSpelling(n.op)) + "(" + print(n.args[0]) + ", " + print(n.args[1]) + ")";
  case Op::Abs: case Op::Sqrt: case Op::Exp: case Op::Log: case Op::Tanh: case Op::ToFloat:
    return std::string(opSpelling(n.op)) + "(" + print(n.args[0]) + ")";
  default:
    return bin(opSpelling(n.op));
  }
}

std::optional<Range> intervalOf(const Node &n, const Scope &scope) {
  auto arg = [&](size_t k) { return intervalOf(n.args[k], scope); };
  switch (n.op) {
  case Op::IntLit:
  case Op::BoolLit:
    return Range{n.intValue, n.intValue};
  case Op::Var: {
    if (n.type != Type::Int)
      return std::nullopt;
    auto r = scope.ranges.find(n.name);
    return r == scope.ranges.end() ? std::nullopt : std::optional<Range>(r->second);
  }
  case Op::Neg: {
    auto a = arg(0);
    if (!a || a->lo == std::numeric_limits<int64_t>::min())
      return std::nullopt;
    return Range{-a->hi, -a->lo};
  }
  case Op::Abs: {
    auto a = arg(0);
    if (!a || a->lo == std::numeric_limits<int64_t>::min() || n.type != Type::Int)
      return std::nullopt;
    if (a->lo >= 0)
      return a;
    if (a->hi <= 0)
      return Range{-a->hi, -a->lo};
    return Range{0, std::max(-a->lo, a->hi)};
  }
  case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod: case Op::Min: case Op::Max: {
    if (n.type != Type::Int)
      return std::nullopt;
    auto a = arg(0), b = arg(1);
    if (!a || !b)
      return std::nullopt;
    return combine(n.op, *a, *b);
  }
  case Op::Select: {
    if (n.type == Type::Float)
      return std::nullopt;
    auto a = arg(1), b = arg(2);
    if (!a || !b)
      return std::nullopt;
    return Range{std::min(a->lo, b->lo), std::max(a->hi, b->hi)};
  }
  case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne: case Op::And: case Op::Or:
  case Op::Not:
    return Range{0, 1};
  default:
    return std::nullopt;
  }
}

std::optional<Affine> affineOf(const Node &n) {
  if (n.type != Type::Int)
    return std::nullopt;
  auto scaled = [](Affine a, int64_t k) -> std::optional<Affine> {
    if (__builtin_mul_overflow(a.constant, k, &a.constant))
      return std::nullopt;
    for (auto &[v, c] : a.coefficients)
      if (__builtin_mul_overflow(c, k, &c))
        return std::nullopt;
    return a;
  };
  switch (n.op) {
  case Op::IntLit:
    return Affine{n.intValue, {}};
  case Op::Var:
    return Affine{0, {{n.name, 1}}};
  case Op::Neg: {
    auto a = affineOf(n.args[0]);
    return a ? scaled(*a, -1) : std::nullopt;
  }
  case Op::Add:
  case Op::Sub: {
    auto a = affineOf(n.args[0]), b = affineOf(n.args[1]);
    if (!a || !b)
      return std::nullopt;
    if (n.op == Op::Sub && !(b = scaled(*b, -1)))
      return std::nullopt;
    if (addOverflows(a->constant, b->constant, &a->constant))
      return std::nullopt;
    for (auto &[v, c] : b->coefficients)
      if (addOverflows(a->coefficients[v], c, &a->coefficients[v]))
        return std::nullopt;
    return a;
  }
  case Op::Mul: {
    auto a = affineOf(n.args[0]), b = affineOf(n.args[1]);
    if (!a || !b)
      return std::nullopt;
    auto isConst = [](const Affine &x) {
      return std::all_of(x.coefficients.begin(), x.coefficients.end(), [](auto &p) { return p.second == 0; });
    };
    if (isConst(*a))
      return scaled(*b, a->constant);
    if (isConst(*b))
      return scaled(*a, b->constant);
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

double evaluate(const Node &n, const Env &env) {
  auto arg = [&](size_t k) { return evaluate(n.args[k], env); };
  bool isInt = n.type == Type::Int;
  switch (n.op) {
  case Op::IntLit:
  case Op::BoolLit:
    return (double)n.intValue;
  case Op::FloatLit:
    return n.floatValue;
  case Op::Var: {
    auto v = env.variables.find(n.name);
    return v == env.variables.end() ? 0.0 : v->second;
  }
  case Op::Read: {
    const std::vector<int64_t> &shape = env.shapes.at(n.tensor);
    int64_t offset = 0;
    for (size_t k = 0; k < n.args.size(); ++k)
      offset = offset * shape[k] + (int64_t)arg(k);
    return env.tensors.at(n.tensor)[offset];
  }
  case Op::ToFloat:
    return arg(0);
  case Op::Neg:
    return -arg(0);
  case Op::Not:
    return arg(0) == 0.0;
  case Op::Add:
    return arg(0) + arg(1);
  case Op::Sub:
    return arg(0) - arg(1);
  case Op::Mul:
    return arg(0) * arg(1);
  case Op::Div:
    return isInt ? (double)floorDiv((int64_t)arg(0), (int64_t)arg(1)) : arg(0) / arg(1);
  case Op::Mod:
    return (double)floorMod((int64_t)arg(0), (int64_t)arg(1));
  case Op::Lt:
    return arg(0) < arg(1);
  case Op::Le:
    return arg(0) <= arg(1);
  case Op::Gt:
    return arg(0) > arg(1);
  case Op::Ge:
    return arg(0) >= arg(1);
  case Op::Eq:
    return arg(0) == arg(1);
  case Op::Ne:
    return arg(0) != arg(1);
  case Op::And:
    return arg(0) != 0.0 && arg(1) != 0.0;
  case Op::Or:
    return arg(0) != 0.0 || arg(1) != 0.0;
  case Op::Select:
    return arg(0) != 0.0 ? arg(1) : arg(2);
  case Op::Min:
    return std::min(arg(0), arg(1));
  case Op::Max:
    return std::max(arg(0), arg(1));
  case Op::Abs:
    return std::fabs(arg(0));
  case Op::Sqrt:
    return std::sqrt(arg(0));
  case Op::Exp:
    return std::exp(arg(0));
  case Op::Log:
    return std::log(arg(0));
  case Op::Tanh:
    return std::tanh(arg(0));
  }
  return 0.0;
}

} // namespace dmc::expr
