#!/usr/bin/python3
"""Static checker for dmc JSON graph files (docs/graph-format.md).

Walks the nodes with NumPy-style shape inference at concrete sizes (the file's
symbols and, separately, the test size) and reports the same error classes the
importer does, with JSON paths such as nodes[3].inputs[1]. It exists so that
sample graphs are checked independently of the C++ importer.

usage: check_shapes.py [--bind S=N ...] samples/*.json     (exit 1 on any error)
"""
import json
import re
import sys

from graph_expr import fold_attrs

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MASK_ATTRS = {"causal", "window", "stride", "global_tokens"}
ELTWISE_BIN = {"Add", "Sub", "Mul", "Div"}
ELTWISE_UN = {"Exp", "Tanh", "Erf", "Relu", "Sqrt", "Reciprocal"}
# op -> (allowed attributes, (min inputs, max inputs))
OPS = {
    "MatMul": ({"transA", "transB", "alpha"}, (2, 2)),
    "Gemm": ({"transA", "transB", "alpha", "beta"}, (2, 3)),
    "Gelu": ({"approximate"}, (1, 1)),
    "Elu": ({"alpha"}, (1, 1)),
    "Scale": ({"alpha", "bias"}, (1, 1)),
    "Softmax": ({"axis", "scale", "mask", "score"} | MASK_ATTRS, (1, 2)),
    "LayerNormalization": ({"axis", "epsilon"}, (3, 3)),
    "ReduceSum": ({"axes", "keepdims"}, (1, 1)),
    "ReduceMax": ({"axes", "keepdims"}, (1, 1)),
    "ReduceMean": ({"axes", "keepdims"}, (1, 1)),
    "Transpose": ({"perm"}, (1, 1)),
    "Reshape": ({"shape"}, (1, 1)),
    "Slice": ({"starts", "ends", "axes"}, (1, 1)),
    "Concat": ({"axis"}, (1, 1 << 30)),
    "Where": (set(), (3, 3)),
}
OPS.update({op: (set(), (2, 2)) for op in ELTWISE_BIN})
OPS.update({op: (set(), (1, 1)) for op in ELTWISE_UN})


class GraphError(Exception):
    pass


def err(path, msg):
    raise GraphError("%s: %s" % (path, msg))


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float))) and not isinstance(v, bool)


def resolve_symbols(g, test_size=False, binds=None):
    """file values < test_symbols (with test_size) < binds. Returns name -> int."""
    syms = g.get("symbols", {})
    if not isinstance(syms, dict):
        err("symbols", "must be an object")
    for k, v in syms.items():
        if not IDENT.match(k):
            err("symbols.%s" % k, "symbol name is not an identifier")
        if v is not None and not is_int(v):
            err("symbols.%s" % k, "value must be an integer or null, got %r" % (v,))
    vals = dict(syms)
    layers = [("test_symbols", g.get("test_symbols", {}) if test_size else {}),
              ("--bind", binds or {})]
    for where, layer in layers:
        for k, v in layer.items():
            if k not in syms:
                err("%s.%s" % (where, k), "unknown symbol (not declared in symbols)")
            if not is_int(v):
                err("%s.%s" % (where, k), "value must be an integer, got %r" % (v,))
            vals[k] = v
    for k, v in vals.items():
        if v is None:
            err("symbols.%s" % k, "unbound symbol (null and not bound)")
        if v <= 0:
            err("symbols.%s" % k, "non-positive symbol value %d" % v)
    return vals


def dim(d, syms, path):
    if is_int(d):
        if d <= 0:
            err(path, "non-positive dimension %d" % d)
        return d
    if isinstance(d, str):
        if d not in syms:
            err(path, "unknown symbol '%s'" % d)
        return syms[d]
    err(path, "dimension must be an int or a symbol name, got %r" % (d,))


def bcast(a, b, path):
    n = max(len(a), len(b))
    a1 = [1] * (n - len(a)) + list(a)
    b1 = [1] * (n - len(b)) + list(b)
    out = []
    for x, y in zip(a1, b1):
        if x != y and x != 1 and y != 1:
            err(path, "shape mismatch: %s and %s do not broadcast" % (list(a), list(b)))
        out.append(max(x, y))
    return out


def axis_of(ax, rank, path):
    if not is_int(ax) or not -rank <= ax < rank:
        err(path, "axis %r out of range for rank %d" % (ax, rank))
    return ax % rank


def check_attrs(op, attrs, path):
    allowed = OPS[op][0]
    for k, v in attrs.items():
        p = "%s.attrs.%s" % (path, k)
        if k not in allowed:
            err(p, "unknown attribute for %s" % op)
        if k in ("transA", "transB", "keepdims", "causal") and (not is_int(v) or v not in (0, 1)):
            err(p, "must be 0 or 1, got %r" % (v,))
        if k in ("alpha", "beta", "scale", "bias", "epsilon") and not is_num(v):
            err(p, "must be a number, got %r" % (v,))
        if k == "epsilon" and v <= 0:
            err(p, "must be positive")
        if k in ("axis", "window", "stride") and not is_int(v):
            err(p, "must be an integer, got %r" % (v,))
        if k == "window" and v < -1:
            err(p, "must be >= -1")
        if k == "stride" and v < 0:
            err(p, "must be >= 0")
        if k in ("axes", "perm", "starts", "ends", "global_tokens") and \
                (not isinstance(v, list) or not all(is_int(i) for i in v)):
            err(p, "must be a list of integers, got %r" % (v,))
        if k == "global_tokens" and any(i < 0 for i in v):
            err(p, "token indices must be >= 0")
        if k in ("mask", "score") and not isinstance(v, str):
            err(p, "must be an expression (a string), got %r" % (v,))
        if k == "approximate" and v not in ("none", "tanh"):
            err(p, "must be \"none\" or \"tanh\", got %r" % (v,))
        if k == "shape" and (not isinstance(v, list) or
                             not all(is_int(i) or isinstance(i, str) for i in v)):
            err(p, "must be a list of integers and symbol names")
    if op == "Scale" and "alpha" not in attrs:
        err(path + ".attrs", "Scale requires 'alpha'")
    if op.startswith("Reduce") and "axes" not in attrs:
        err(path + ".attrs", "%s requires 'axes'" % op)
    if op == "Transpose" and "perm" not in attrs:
        err(path + ".attrs", "Transpose requires 'perm'")
    if op == "Reshape" and "shape" not in attrs:
        err(path + ".attrs", "Reshape requires 'shape'")
    if op == "Slice" and not {"starts", "ends", "axes"} <= set(attrs):
        err(path + ".attrs", "Slice requires starts, ends and axes")
    if op == "Concat" and "axis" not in attrs:
        err(path + ".attrs", "Concat requires 'axis'")


def infer(op, attrs, shapes, syms, path):
    """Output shape of one node from its input shapes (concrete ints)."""
    a = attrs
    if op in ELTWISE_BIN:
        return bcast(shapes[0], shapes[1], path)
    if op == "Where":
        c, x, y = (list(s) for s in shapes[:3])
        try:
            return bcast(bcast(c, x, path), y, path)
        except GraphError:
            err(path, "shape mismatch: %s, %s and %s do not broadcast" % (c, x, y))
    if op in ELTWISE_UN or op in ("Gelu", "Elu", "Scale"):
        return list(shapes[0])
    if op in ("MatMul", "Gemm"):
        A, B = list(shapes[0]), list(shapes[1])
        if op == "Gemm" and (len(A) != 2 or len(B) != 2):
            err(path, "Gemm is rank 2 only, got %s and %s" % (A, B))
        if len(A) < 2 or len(B) < 2:
            err(path, "MatMul operands need rank >= 2, got %s and %s" % (A, B))
        if a.get("transA", 0):
            A[-2], A[-1] = A[-1], A[-2]
        if a.get("transB", 0):
            B[-2], B[-1] = B[-1], B[-2]
        if A[-1] != B[-2]:
            err(path, "shape mismatch: contraction dims differ, op(A) %s and op(B) %s" % (A, B))
        out = bcast(A[:-2], B[:-2], path) + [A[-2], B[-1]]
        if op == "Gemm" and len(shapes) == 3:
            bcast(shapes[2], out, path + ".inputs[2]")
            if bcast(shapes[2], out, path) != out:
                err(path, "shape mismatch: C %s does not broadcast to %s" % (shapes[2], out))
        return out
    if op == "Softmax":
        x = shapes[0]
        ax = axis_of(a.get("axis", -1), len(x), path + ".attrs.axis")
        if (MASK_ATTRS | {"mask", "score"}) & set(a) and (ax != len(x) - 1 or len(x) < 2):
            err(path, "mask attributes need axis = last and rank >= 2")
        if len(shapes) == 2 and bcast(shapes[1], x, path) != list(x):
            err(path + ".inputs[1]", "shape mismatch: mask %s does not broadcast to %s" % (shapes[1], x))
        return list(x)
    if op == "LayerNormalization":
        x = shapes[0]
        if axis_of(a.get("axis", -1), len(x), path + ".attrs.axis") != len(x) - 1:
            err(path + ".attrs.axis", "LayerNormalization axis must be the last")
        for i in (1, 2):
            if list(shapes[i]) != [x[-1]]:
                err(path + ".inputs[%d]" % i, "shape mismatch: %s, expected [%d] for input %s"
                    % (shapes[i], x[-1], x))
        return list(x)
    if op.startswith("Reduce"):
        x = shapes[0]
        axes = {axis_of(i, len(x), path + ".attrs.axes") for i in a["axes"]}
        keep = a.get("keepdims", 1)
        return [1 if i in axes else d for i, d in enumerate(x) if keep or i not in axes]
    if op == "Transpose":
        x, perm = shapes[0], a["perm"]
        if sorted(perm) != list(range(len(x))):
            err(path + ".attrs.perm", "%s is not a permutation of rank %d" % (perm, len(x)))
        return [x[p] for p in perm]
    if op == "Reshape":
        x, spec = shapes[0], a["shape"]
        total = 1
        for d in x:
            total *= d
        out, neg = [], None
        for i, d in enumerate(spec):
            if d == -1:
                if neg is not None:
                    err(path + ".attrs.shape", "more than one -1")
                neg = i
                out.append(-1)
            else:
                out.append(dim(d, syms, "%s.attrs.shape[%d]" % (path, i)))
        known = 1
        for d in out:
            if d != -1:
                known *= d
        if neg is not None:
            if total % known:
                err(path, "shape mismatch: cannot reshape %s to %s" % (x, spec))
            out[neg] = total // known
        elif known != total:
            err(path, "shape mismatch: cannot reshape %s (%d elements) to %s = %s (%d)"
                % (x, total, spec, out, known))
        return out
    if op == "Slice":
        x = list(shapes[0])
        st, en, ax = a["starts"], a["ends"], a["axes"]
        if not len(st) == len(en) == len(ax):
            err(path + ".attrs", "starts, ends and axes differ in length")
        for s, e, i in zip(st, en, ax):
            i = axis_of(i, len(x), path + ".attrs.axes")
            s = min(max(s + x[i] if s < 0 else s, 0), x[i])
            e = min(max(e + x[i] if e < 0 else e, 0), x[i])
            if e <= s:
                err(path, "empty slice on axis %d of %s" % (i, shapes[0]))
            x[i] = e - s
        return x
    if op == "Concat":
        x0 = list(shapes[0])
        ax = axis_of(a["axis"], len(x0), path + ".attrs.axis")
        out = list(x0)
        for j, s in enumerate(shapes[1:], 1):
            if len(s) != len(x0) or any(s[i] != x0[i] for i in range(len(x0)) if i != ax):
                err(path + ".inputs[%d]" % j, "shape mismatch: %s vs %s off axis %d" % (s, x0, ax))
            out[ax] += s[ax]
        return out
    err(path, "unknown op %s" % op)


def check(g, test_size=False, binds=None):
    """Validate graph dict g; return (output name -> shape, warnings). Raises GraphError."""
    for key in ("name", "inputs", "outputs", "nodes"):
        if key not in g:
            err(key, "missing required field")
    for key in g:
        if key not in ("name", "doc", "symbols", "test_symbols", "inputs", "outputs", "nodes"):
            err(key, "unknown top-level field")
    if not isinstance(g["name"], str) or not IDENT.match(g["name"]):
        err("name", "not an identifier: %r" % (g["name"],))
    syms = resolve_symbols(g, test_size, binds)
    shapes, warnings, used = {}, [], set()
    for key in ("inputs", "outputs"):
        for i, t in enumerate(g[key]):
            p = "%s[%d]" % (key, i)
            for f in t:
                # "constant" (a weight the caller keeps, docs/graph-format.md) on inputs only.
                if f not in ("name", "dtype", "shape") and not (f == "constant" and key == "inputs"):
                    err("%s.%s" % (p, f), "unknown field")
                elif f == "constant" and not isinstance(t[f], bool):
                    err("%s.%s" % (p, f), "not a boolean: %r" % (t[f],))
            if not isinstance(t.get("name"), str) or not IDENT.match(t["name"]):
                err(p + ".name", "not an identifier: %r" % (t.get("name"),))
            if t.get("dtype", "f32") != "f32":
                err(p + ".dtype", "unsupported dtype '%s' (only f32 for now)" % t["dtype"])
            if not isinstance(t.get("shape"), list):
                err(p + ".shape", "missing or not a list")
            s = [dim(d, syms, "%s.shape[%d]" % (p, j)) for j, d in enumerate(t["shape"])]
            if key == "inputs":
                if t["name"] in shapes:
                    err(p + ".name", "duplicate tensor name '%s'" % t["name"])
                shapes[t["name"]] = s
    graph_inputs = set(shapes)
    # Topological walk in any order: repeatedly take nodes whose inputs are all known.
    nodes = g["nodes"]
    producers, node_names = {}, set()
    for n, node in enumerate(nodes):
        p = "nodes[%d]" % n
        for f in ("name", "op", "inputs", "outputs"):
            if f not in node:
                err(p, "missing field '%s'" % f)
        for f in node:
            if f not in ("name", "op", "inputs", "outputs", "attrs", "impl"):
                err("%s.%s" % (p, f), "unknown field")
        if "impl" in node and node["impl"] not in ("pure", "tiled", "library"):
            err(p + ".impl", "unknown implementation %r (pure, tiled, library)" % (node["impl"],))
        if node["name"] in node_names:
            err(p + ".name", "duplicate node name '%s'" % node["name"])
        node_names.add(node["name"])
        if node["op"] not in OPS:
            err(p + ".op", "unknown op '%s'" % node["op"])
        lo, hi = OPS[node["op"]][1]
        if not lo <= len(node["inputs"]) <= hi:
            err(p + ".inputs", "%s takes %d..%d inputs, got %d" % (node["op"], lo, hi, len(node["inputs"])))
        if len(node["outputs"]) != 1:
            err(p + ".outputs", "every op has exactly one output")
        check_attrs(node["op"], fold_attrs(node.get("attrs", {}), syms), p)
        for j, o in enumerate(node["outputs"]):
            if o in graph_inputs:
                err("%s.outputs[%d]" % (p, j), "'%s' is a graph input" % o)
            if o in producers:
                err("%s.outputs[%d]" % (p, j), "duplicate tensor name '%s' (also produced by nodes[%d])"
                    % (o, producers[o]))
            producers[o] = n
    for n, node in enumerate(nodes):
        for j, t in enumerate(node["inputs"]):
            if t not in graph_inputs and t not in producers:
                err("nodes[%d].inputs[%d]" % (n, j), "unknown tensor '%s'" % t)
    pending = list(range(len(nodes)))
    while pending:
        progress = []
        for n in pending:
            node = nodes[n]
            if all(t in shapes for t in node["inputs"]):
                p = "nodes[%d]" % n
                used.update(node["inputs"])
                for k in ("mask", "score"):  # the tensors an expression reads
                    used.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(node.get("attrs", {}).get(k, ""))))
                out = infer(node["op"], fold_attrs(node.get("attrs", {}), syms), [shapes[t] for t in node["inputs"]], syms, p)
                shapes[node["outputs"][0]] = out
                progress.append(n)
        if not progress:
            err("nodes[%d]" % pending[0], "cycle: nodes %s depend on each other"
                % [nodes[i]["name"] for i in pending])
        pending = [n for n in pending if n not in progress]
    for i, t in enumerate(g["outputs"]):
        p = "outputs[%d]" % i
        if t["name"] not in producers:
            err(p, "output '%s' is never produced by a node" % t["name"])
        want = [dim(d, syms, p) for d in t["shape"]]
        if shapes[t["name"]] != want:
            err(p + ".shape", "shape mismatch: declared %s, inferred %s" % (want, shapes[t["name"]]))
    for i, t in enumerate(g["inputs"]):
        if t["name"] not in used:
            warnings.append("inputs[%d]: input '%s' is never used" % (i, t["name"]))
    return {t["name"]: shapes[t["name"]] for t in g["outputs"]}, warnings


def check_file(path, binds=None):
    """Check at the file's sizes and at the test size. Returns (errors, warnings).

    At the default size a null symbol that is not bound gets the stand-in value 37
    (prime, so it cannot accidentally equal a product of other dims)."""
    try:
        with open(path) as f:
            g = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: cannot parse: %s" % (path, e)], []
    errors, warnings = [], []
    for test in (False, True):
        b = dict(binds or {})
        if not test:
            for k, v in g.get("symbols", {}).items():
                if v is None and k not in b:
                    b[k] = 37
        tag = "%s (%s size)" % (path, "test" if test else "default")
        try:
            _, warns = check(g, test, b)
            warnings += ["%s: warning: %s" % (tag, w) for w in warns]
        except GraphError as e:
            errors.append("%s: %s" % (tag, e))
    return errors, warnings


def main(argv):
    binds, files = {}, []
    it = iter(argv)
    for a in it:
        if a == "--bind":
            k, v = next(it).split("=")
            binds[k] = int(v)
        else:
            files.append(a)
    bad = 0
    for f in files:
        errors, warnings = check_file(f, binds)
        print("%-40s %s" % (f, "ok" if not errors else "FAIL"))
        for p in errors + warnings:
            print("  " + p)
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
