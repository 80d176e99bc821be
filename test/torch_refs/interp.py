"""A direct NumPy (float64) interpreter of dmc graph files, node by node, per docs/op-vocabulary.md.

Used by run_refs.py to cross-check each sample graph against its independent PyTorch reference:
if both agree, the graph's nodes express the paper's math (and the reference is not fooling itself).
Deliberately naive and separate from samples/torch/common.py (own mask code, own softmax).
"""
import math

import numpy as np

from check_shapes import check
from graph_expr import evaluate, fold_attrs


def _erf(x):
    return np.vectorize(math.erf)(x)


def _mask(sq, sk, a):
    causal, window = a.get("causal", 0), a.get("window", -1)
    stride, glob = a.get("stride", 0), set(a.get("global_tokens", []))
    keep = np.zeros((sq, sk), dtype=bool)
    for i in range(sq):
        for j in range(sk):
            ok = (j <= i) if causal else True
            ok = ok and (window < 0 or abs(i - j) <= window)
            ok = ok and (stride <= 0 or abs(i - j) % stride == 0)
            keep[i, j] = ok or i in glob or j in glob
    return keep


def _mm(A, B, a):
    if a.get("transA", 0):
        A = np.swapaxes(A, -1, -2)
    if a.get("transB", 0):
        B = np.swapaxes(B, -1, -2)
    return a.get("alpha", 1.0) * np.matmul(A, B)


def _expression_grids(shape, syms, tensors):
    """Names for a mask or score expression over scores of `shape`: i, j, h as broadcasting index grids."""
    rank = len(shape)
    names = dict(syms)
    names.update(tensors)
    names["i"] = np.arange(shape[-2]).reshape([shape[-2], 1])
    names["j"] = np.arange(shape[-1]).reshape([1, shape[-1]])
    names["h"] = np.arange(shape[-3]).reshape([shape[-3], 1, 1]) if rank >= 3 else 0
    return names


def run_node(op, a, xs, syms, tensors=None):
    a = fold_attrs(a, syms)
    x = xs[0]
    if op == "MatMul":
        return _mm(xs[0], xs[1], a)
    if op == "Gemm":
        y = _mm(xs[0], xs[1], a)
        return y + a.get("beta", 1.0) * xs[2] if len(xs) == 3 else y
    simple = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}
    if op in simple:
        return simple[op](xs[0], xs[1])
    if op == "Where":  # condition != 0 selects x (NaN too, as in C); the other operand is never read there
        return np.where(xs[0] != 0, xs[1], xs[2])
    unary = {"Exp": np.exp, "Tanh": np.tanh, "Erf": _erf, "Relu": lambda v: np.maximum(v, 0),
             "Sqrt": np.sqrt, "Reciprocal": lambda v: 1.0 / v}
    if op in unary:
        return unary[op](x)
    if op == "Gelu":
        if a.get("approximate", "none") == "tanh":
            return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
        return 0.5 * x * (1 + _erf(x / math.sqrt(2)))
    if op == "Elu":
        return np.where(x > 0, x, a.get("alpha", 1.0) * np.expm1(np.minimum(x, 0)))
    if op == "Scale":
        return a["alpha"] * x + a.get("bias", 0.0)
    if op == "Softmax":
        ax = a.get("axis", -1)
        z = a.get("scale", 1.0) * x
        if len(xs) == 2:
            z = z + xs[1]
        keep = np.ones(z.shape, dtype=bool)
        if {"causal", "window", "stride", "global_tokens"} & set(a):
            keep = np.broadcast_to(_mask(z.shape[-2], z.shape[-1], a), z.shape)
        if "score" in a or "mask" in a:
            names = _expression_grids(z.shape, syms, tensors or {})
            if "score" in a:
                names["s"] = z
                z = np.broadcast_to(evaluate(a["score"], names), z.shape).astype(np.float64)
            if "mask" in a:
                keep = np.logical_and(keep, np.broadcast_to(evaluate(a["mask"], names), z.shape))
        z = np.where(keep, z, -np.inf)
        m = np.max(z, axis=ax, keepdims=True)
        e = np.where(keep, np.exp(z - np.where(np.isfinite(m), m, 0)), 0.0)
        s = e.sum(axis=ax, keepdims=True)
        return e / np.where(s == 0, 1, s)
    if op == "LayerNormalization":
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + a.get("epsilon", 1e-5)) * xs[1] + xs[2]
    if op in ("ReduceSum", "ReduceMax", "ReduceMean"):
        f = {"ReduceSum": np.sum, "ReduceMax": np.max, "ReduceMean": np.mean}[op]
        return f(x, axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
    if op == "Transpose":
        return np.transpose(x, a["perm"])
    if op == "Reshape":
        return x.reshape([syms[d] if isinstance(d, str) else d for d in a["shape"]])
    if op == "Slice":
        idx = [slice(None)] * x.ndim
        for s, e, ax in zip(a["starts"], a["ends"], a["axes"]):
            idx[ax] = slice(s, e)
        return x[tuple(idx)]
    if op == "Concat":
        return np.concatenate(xs, axis=a["axis"])
    raise ValueError("unknown op " + op)


def run_graph(g, syms, inputs):
    """Evaluate graph g (already validated) on dict of float64 arrays; returns dict of outputs."""
    vals = dict(inputs)
    pending = list(g["nodes"])
    while pending:
        rest = []
        for n in pending:
            if all(t in vals for t in n["inputs"]):
                vals[n["outputs"][0]] = run_node(n["op"], n.get("attrs", {}), [vals[t] for t in n["inputs"]], syms,
                                                 inputs)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise ValueError("cycle")
        pending = rest
    return {o["name"]: vals[o["name"]] for o in g["outputs"]}


__all__ = ["run_graph", "check"]
