"""The graph format's expression language (docs/graph-format.md#expressions) in Python, written apart
from the C++ checker (dialects/Support/Expr.cpp) so that each can be tested against the other.

evaluate(text, names) evaluates with NumPy broadcasting: `names` maps i, j, h, s and symbols to
numbers or arrays, and tensor names to arrays (read with integer index arrays). Int `/` and `%` round
towards -inf. evaluate(text, names, lib=TORCH) does the same on torch tensors with torch ops only, so that
it can run inside a FlexAttention mask_mod or score_mod (the peer benchmark). Only what the reference
interpreter, the checker and the peers need; diagnostics are the C++ side's.
"""
import re

import numpy as np

_TOKEN = re.compile(r"\s*(?:(\d+\.\d*(?:[eE][+-]?\d+)?|\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)|(\d+)|"
                    r"([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|&&|\|\||[-+*/%()\[\],?:<>!]))")
_FUNCS = {"min": 2, "max": 2, "abs": 1, "sqrt": 1, "exp": 1, "log": 1, "tanh": 1, "float": 1}


class _NumPy:
    """The array operations the evaluator needs, on NumPy. `/` on two ints, `//` and `%` are Python's
    operators on both libraries: they round towards -inf on ints, arrays and tensors alike."""
    where = staticmethod(np.where)      # a Python function in some NumPy versions: it would bind to self
    logical_or, logical_and, logical_not = np.logical_or, np.logical_and, np.logical_not
    minimum, maximum, abs, sqrt, exp, log, tanh = np.minimum, np.maximum, np.abs, np.sqrt, np.exp, np.log, np.tanh

    @staticmethod
    def to_float(x):
        return np.asarray(x, dtype=np.float64)

    @staticmethod
    def index(tensor, idx):
        return np.asarray(tensor)[tuple(np.asarray(i) for i in idx)]


class _Torch:
    """The same on torch tensors (imported when first used: the NumPy side needs no torch). The table is
    built once, on the first lookup, and then read like _NumPy's attributes."""

    def __getattr__(self, name):
        import torch
        t = lambda x: x if isinstance(x, torch.Tensor) else torch.as_tensor(x)  # noqa: E731
        ops = {"where": lambda c, a, b: torch.where(t(c), t(a), t(b)),
               "logical_or": lambda a, b: torch.logical_or(t(a), t(b)),
               "logical_and": lambda a, b: torch.logical_and(t(a), t(b)),
               "logical_not": lambda a: torch.logical_not(t(a)),
               "minimum": lambda a, b: torch.minimum(t(a), t(b)),
               "maximum": lambda a, b: torch.maximum(t(a), t(b)),
               "abs": lambda a: torch.abs(t(a)), "sqrt": lambda a: torch.sqrt(t(a) * 1.0),
               "exp": lambda a: torch.exp(t(a) * 1.0), "log": lambda a: torch.log(t(a) * 1.0),
               "tanh": lambda a: torch.tanh(t(a) * 1.0), "to_float": lambda a: a * 1.0,
               "index": lambda tensor, idx: tensor[tuple(idx)]}
        self.__dict__.update(ops)       # later lookups find them without __getattr__
        return ops[name]


NUMPY, TORCH = _NumPy(), _Torch()


def _is_int(value):
    """An int, or an integer NumPy array or torch tensor (bool is not: it is a mask)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iu"
    return str(getattr(value, "dtype", "")).startswith(("torch.int", "torch.uint"))


def tokens(text):
    pos, out = 0, []
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError("bad expression at column %d: %r" % (pos + 1, text))
        if m.group(1):
            out.append(("float", float(m.group(1))))
        elif m.group(2):
            out.append(("int", int(m.group(2))))
        elif m.group(3):
            out.append(("name", m.group(3)))
        else:
            out.append(("op", m.group(4)))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent to (is_int, function of names) pairs."""

    def __init__(self, text, names, lib):
        self.t, self.k, self.names, self.lib = tokens(text), 0, names, lib

    def peek(self):
        return self.t[self.k] if self.k < len(self.t) else ("end", None)

    def eat(self, op):
        if self.peek() == ("op", op):
            self.k += 1
            return True
        return False

    def parse(self):
        v = self.ternary()
        if self.k != len(self.t):
            raise ValueError("trailing tokens")
        return v

    def ternary(self):
        c = self.lor()
        if not self.eat("?"):
            return c
        a = self.ternary()
        assert self.eat(":")
        b = self.ternary()
        return (a[0] and b[0], lambda: self.lib.where(c[1](), a[1](), b[1]()))

    def binary(self, sub, table):
        left = sub()
        while self.peek()[0] == "op" and self.peek()[1] in table:
            op = self.peek()[1]
            self.k += 1
            right = sub()
            left = table[op](left, right)
        return left

    def lor(self):
        return self.binary(self.land, {"||": lambda a, b: (False, lambda: self.lib.logical_or(a[1](), b[1]()))})

    def land(self):
        return self.binary(self.cmp, {"&&": lambda a, b: (False, lambda: self.lib.logical_and(a[1](), b[1]()))})

    def cmp(self):
        ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
               ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
        return self.binary(self.add, {k: (lambda f: lambda a, b: (False, lambda: f(a[1](), b[1]())))(f)
                                      for k, f in ops.items()})

    def add(self):
        return self.binary(self.mul, {"+": lambda a, b: (a[0] and b[0], lambda: a[1]() + b[1]()),
                                      "-": lambda a, b: (a[0] and b[0], lambda: a[1]() - b[1]())})

    def mul(self):
        def div(a, b):
            if a[0] and b[0]:
                return (True, lambda: a[1]() // b[1]())
            return (False, lambda: a[1]() / b[1]())
        return self.binary(self.unary, {"*": lambda a, b: (a[0] and b[0], lambda: a[1]() * b[1]()), "/": div,
                                        "%": lambda a, b: (True, lambda: a[1]() % b[1]())})

    def unary(self):
        if self.eat("-"):
            a = self.unary()
            return (a[0], lambda: -a[1]())
        if self.eat("!"):
            a = self.unary()
            return (False, lambda: self.lib.logical_not(a[1]()))
        return self.primary()

    def primary(self):
        kind, v = self.peek()
        self.k += 1
        if kind == "int":
            return (True, lambda: v)
        if kind == "float":
            return (False, lambda: v)
        if (kind, v) == ("op", "("):
            e = self.ternary()
            assert self.eat(")")
            return e
        if kind != "name":
            raise ValueError("unexpected %r" % (v,))
        if self.eat("("):
            args = [self.ternary()]
            while self.eat(","):
                args.append(self.ternary())
            assert self.eat(")") and len(args) == _FUNCS[v]
            lib = self.lib
            f = {"min": lib.minimum, "max": lib.maximum, "abs": lib.abs, "sqrt": lib.sqrt, "exp": lib.exp,
                 "log": lib.log, "tanh": lib.tanh, "float": lib.to_float}[v]
            is_int = v in ("min", "max", "abs") and all(a[0] for a in args)
            return (is_int, lambda: f(*[a[1]() for a in args]))
        if v in ("true", "false"):
            return (False, lambda: v == "true")
        if self.eat("["):
            idx = [self.ternary()]
            while self.eat(","):
                idx.append(self.ternary())
            assert self.eat("]")
            names, lib = self.names, self.lib
            return (False, lambda: lib.index(names[v], [i[1]() for i in idx]))
        value = self.names[v]
        return (_is_int(value), lambda: self.names[v])


def evaluate(text, names, lib=NUMPY):
    return _Parser(text, names, lib).parse()[1]()


NUMERIC_ATTRS = {"alpha", "beta", "scale", "bias", "epsilon", "axis", "window", "stride"}


def fold_attrs(attrs, syms):
    """A node's attributes with the numeric ones written as expressions folded to numbers."""
    out = dict(attrs)
    for k, v in attrs.items():
        if k in NUMERIC_ATTRS and isinstance(v, str):
            value = evaluate(v, syms)
            out[k] = int(value) if isinstance(value, (int, np.integer)) else float(value)
    return out
