//===- Expr.h - the graph format's expression language ---------------------===//
//
// One language for every expression a graph file may hold (docs/graph-format.md#expressions): symbolic
// attribute values ("1/sqrt(D)", "W/2"), Softmax / attention masks ("j <= i && i - j < 128") and score
// modifiers ("s - slope[h] * (i - j)"). `check` parses, resolves names, types, folds constants and
// proves what generated code relies on (no integer division by a divisor that may be zero, no int64
// overflow, every tensor index affine and in range); its result is a typed tree. Everything downstream
// reads the tree: the importer folds attribute values from it, `print` writes the canonical form that the
// nn ops carry (symbols substituted, tensors named t0, t1, ... by operand), and the expansions and the
// emitter build code from it. No text of an expression reaches generated C++.
//
// Plain C++, shared by the importer, the nn verifiers, the passes, the backend and the unit tests.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_SUPPORT_EXPR_H
#define DMC_SUPPORT_EXPR_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dmc::expr {

enum class Type { Int, Float, Bool };
const char *typeName(Type t);

enum class Op {
  IntLit, FloatLit, BoolLit, // literals (also every folded constant)
  Var,                       // i, j, h (Int) or s (Float): the scope's variables
  Read,                      // tensor element: `tensor`, one Int index per dim (args)
  ToFloat,                   // an Int used where a Float is needed
  Neg, Not,
  Add, Sub, Mul, Div, Mod,   // Int / and % round towards -inf (Python's // and %)
  Lt, Le, Gt, Ge, Eq, Ne,
  And, Or,
  Select,                    // c ? a : b
  Min, Max, Abs,
  Sqrt, Exp, Log, Tanh,      // Float
};

/// How an operator or function is written in the language ("<=", "&&", "abs"); "?" for the others.
const char *opSpelling(Op op);

struct Node {
  Op op = Op::IntLit;
  Type type = Type::Int;
  int64_t intValue = 0;     // IntLit, BoolLit (0/1)
  double floatValue = 0.0;  // FloatLit
  std::string name;         // Var
  int tensor = -1;          // Read: the tensor's position in Scope::tensors
  std::vector<Node> args;
  size_t column = 1;        // 1-based column in the text, for diagnostics
  bool isConstant() const { return op == Op::IntLit || op == Op::FloatLit || op == Op::BoolLit; }
};

/// Inclusive range of an Int variable (i, j, h over their dims).
struct Range {
  int64_t lo = 0, hi = 0;
};

struct TensorRef {
  std::string name;            // as written in the expression
  std::vector<int64_t> shape;  // constant dims (symbols bound)
};

/// What an expression may name, and what it must produce.
struct Scope {
  std::map<std::string, Type> variables;         // i, j, h, s
  std::map<std::string, Range> ranges;           // of Int variables, for the proofs
  std::map<std::string, int64_t> symbols;        // bound symbols: folded to their values
  std::vector<std::string> unboundSymbols;       // declared but not bound: an error to use
  std::vector<TensorRef> tensors;                // readable tensors, by position
  Type result = Type::Int;                       // Float accepts an Int (converted)
};

struct Checked {
  std::optional<Node> tree;  // set when the expression is valid
  std::string error;         // otherwise: the message, and where
  size_t column = 0;
};

/// Parses and checks `text` in `scope` (see the file comment). Never throws.
Checked check(const std::string &text, const Scope &scope);

/// The identifiers in `text` (names, functions, tensors), in order, without checking anything: which
/// tensors an expression may read, before it is checked.
std::vector<std::string> identifiersIn(const std::string &text);

/// Renumbers the tensors a tree reads: `renumber[old]` is the new position. Returns the tree.
Node renumberTensors(Node n, const std::vector<int> &renumber);
/// The tensors a tree reads, in order of first appearance (appended to `out` when not yet in it).
void tensorsRead(const Node &n, std::vector<int> &out);

/// The canonical text of a checked tree: fully parenthesised, tensors as `t<N>`, floats exact.
/// check(print(t), scope with tensors t0..) gives back t.
std::string print(const Node &n);

/// The interval of an Int or Bool (0/1) expression over the ranges of `scope`, or nullopt when it is
/// not Int-valued, reads a tensor or a Float, or its bounds overflow int64.
std::optional<Range> intervalOf(const Node &n, const Scope &scope);

/// An affine form c0 + sum coef[v] * v over Int variables, when `n` is one (no division, modulo or
/// product of variables).
struct Affine {
  int64_t constant = 0;
  std::map<std::string, int64_t> coefficients;
};
std::optional<Affine> affineOf(const Node &n);

/// Values of the variables and tensor elements, for `evaluate`.
struct Env {
  std::map<std::string, double> variables;
  std::vector<const float *> tensors; // row-major data of Scope::tensors
  std::vector<std::vector<int64_t>> shapes;
};
/// The value of a checked tree (Bool as 0/1, Int exactly up to 2^53). Used to fold attribute values
/// and by the unit tests.
double evaluate(const Node &n, const Env &env);

} // namespace dmc::expr

#endif
