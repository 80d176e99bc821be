"""The graph format's expression language (docs/graph-format.md#expressions) in Python, written apart
from the C++ checker (dialects/Support/Expr.cpp) so that each can be tested against the other.

evaluate(text, names) evaluates with NumPy broadcasting: `names` maps i, j, h, s and symbols to
numbers or arrays, and tensor names to arrays (read with integer index arrays). Int `/` and `%` round
towards -inf. Only what the reference interpreter and the checker need; diagnostics are the C++ side's.
"""
import re

import numpy as np

_TOKEN = re.compile(r"\s*(?:(\d+\.\d*(?:[eE][+-]?\d+)?|\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)|(\d+)|"
                    r"([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|&&|\|\||[-+*/%()\[\],?:<>!]))")
_FUNCS = {"min": 2, "max": 2, "abs": 1, "sqrt": 1, "exp": 1, "log": 1, "tanh": 1, "float": 1}


def _tokens(text):
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

    def __init__(self, text, names):
        self.t, self.k, self.names = _tokens(text), 0, names

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
        return (a[0] and b[0], lambda: np.where(c[1](), a[1](), b[1]()))

    def binary(self, sub, table):
        left = sub()
        while self.peek()[0] == "op" and self.peek()[1] in table:
            op = self.peek()[1]
            self.k += 1
            right = sub()
            left = table[op](left, right)
        return left

    def lor(self):
        return self.binary(self.land, {"||": lambda a, b: (False, lambda: np.logical_or(a[1](), b[1]()))})

    def land(self):
        return self.binary(self.cmp, {"&&": lambda a, b: (False, lambda: np.logical_and(a[1](), b[1]()))})

    def cmp(self):
        ops = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
               "!=": np.not_equal}
        return self.binary(self.add, {k: (lambda f: lambda a, b: (False, lambda: f(a[1](), b[1]())))(f)
                                      for k, f in ops.items()})

    def add(self):
        return self.binary(self.mul, {"+": lambda a, b: (a[0] and b[0], lambda: a[1]() + b[1]()),
                                      "-": lambda a, b: (a[0] and b[0], lambda: a[1]() - b[1]())})

    def mul(self):
        def div(a, b):
            if a[0] and b[0]:
                return (True, lambda: np.floor_divide(a[1](), b[1]()))
            return (False, lambda: np.true_divide(a[1](), b[1]()))
        return self.binary(self.unary, {"*": lambda a, b: (a[0] and b[0], lambda: a[1]() * b[1]()), "/": div,
                                        "%": lambda a, b: (True, lambda: np.mod(a[1](), b[1]()))})

    def unary(self):
        if self.eat("-"):
            a = self.unary()
            return (a[0], lambda: -a[1]())
        if self.eat("!"):
            a = self.unary()
            return (False, lambda: np.logical_not(a[1]()))
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
            f = {"min": np.minimum, "max": np.maximum, "abs": np.abs, "sqrt": np.sqrt, "exp": np.exp,
                 "log": np.log, "tanh": np.tanh, "float": lambda x: np.asarray(x, dtype=np.float64)}[v]
            is_int = v in ("min", "max", "abs") and all(a[0] for a in args)
            return (is_int, lambda: f(*[a[1]() for a in args]))
        if v in ("true", "false"):
            return (False, lambda: v == "true")
        if self.eat("["):
            idx = [self.ternary()]
            while self.eat(","):
                idx.append(self.ternary())
            assert self.eat("]")
            names = self.names
            return (False, lambda: np.asarray(names[v])[tuple(np.asarray(i[1]()) for i in idx)])
        value = self.names[v]
        return (isinstance(value, (int, np.integer)) or (isinstance(value, np.ndarray) and value.dtype.kind == "i"),
                lambda: self.names[v])


def evaluate(text, names):
    return _Parser(text, names).parse()[1]()


NUMERIC_ATTRS = {"alpha", "beta", "scale", "bias", "epsilon", "axis", "window", "stride"}


def fold_attrs(attrs, syms):
    """A node's attributes with the numeric ones written as expressions folded to numbers."""
    out = dict(attrs)
    for k, v in attrs.items():
        if k in NUMERIC_ATTRS and isinstance(v, str):
            value = evaluate(v, syms)
            out[k] = int(value) if isinstance(value, (int, np.integer)) else float(value)
    return out
