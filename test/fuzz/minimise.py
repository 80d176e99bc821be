"""Delta debugging over the nodes of a failing graph.

Removing a node cuts the graph there: readers of its output read a new graph input of the same name,
holding the value the node computed (so the numbers reaching the rest are unchanged). Chunks of nodes
go first (halves, quarters, ... as ddmin), then single nodes, then single outputs, until nothing more can
go; a candidate is kept when it still fails the same way (`fails(graph)`).
"""
import copy

import numpy as np

import interp


def all_values(graph, symbols, inputs):
    """Every tensor of the graph, float64, by name."""
    vals = {k: v.astype(np.float64) for k, v in inputs.items() if any(i["name"] == k for i in graph["inputs"])}
    pending = list(graph["nodes"])
    while pending:
        rest = [n for n in pending if not all(t in vals for t in n["inputs"])]
        for n in pending:
            if n not in rest:
                vals[n["outputs"][0]] = interp.run_node(n["op"], n.get("attrs", {}), [vals[t] for t in n["inputs"]],
                                                        symbols)
        if len(rest) == len(pending):
            raise ValueError("cycle")
        pending = rest
    return vals


def declared_shape(shape, symbols, symbolic):
    """A concrete shape, each dim named by the symbol of that value when `symbolic` and exactly one has it."""
    out = []
    for d in shape:
        names = [s for s, v in symbols.items() if v == d]
        out.append(names[0] if symbolic and len(names) == 1 else int(d))
    return out


def without(graph, removed, values, symbols, symbolic):
    """The graph with the nodes named in `removed` cut out (None when no node is left); when no output
    is left, the last node that nothing reads provides one."""
    g = copy.deepcopy(graph)
    gone = {n["outputs"][0] for n in g["nodes"] if n["name"] in removed}
    g["nodes"] = [n for n in g["nodes"] if n["name"] not in removed]
    g["outputs"] = [o for o in g["outputs"] if o["name"] not in gone]
    if not g["nodes"]:
        return None
    read = {t for n in g["nodes"] for t in n["inputs"]}
    if not g["outputs"]:  # the last node nobody reads becomes the output
        sink = [n["outputs"][0] for n in g["nodes"] if n["outputs"][0] not in read][-1]
        g["outputs"] = [{"name": sink, "dtype": "f32", "shape": declared_shape(values[sink].shape, symbols, symbolic)}]
    g["inputs"] = [i for i in g["inputs"] if i["name"] in read]
    for t in sorted(gone & read):
        g["inputs"].append({"name": t, "dtype": "f32", "shape": declared_shape(values[t].shape, symbols, symbolic)})
    used = {d for decl in g["inputs"] + g["outputs"] for d in decl["shape"] if isinstance(d, str)}
    used |= {d for n in g["nodes"] for d in n.get("attrs", {}).get("shape", []) if isinstance(d, str)}
    g["symbols"] = {s: v for s, v in g["symbols"].items() if s in used}
    return g


def minimise(graph, fails, case=None):
    """The smallest graph found that still `fails`. `case` (random_graphs.Case) supplies the inputs and
    symbol values; cut tensors become inputs of the case, holding their reference values."""
    if case is None:
        return graph
    values = all_values(graph, case.symbols, case.ins)
    for name, value in values.items():
        case.ins.setdefault(name, value.astype(np.float32))

    def attempt(current, removed):
        for symbolic in (True, False):
            g = without(current, removed, values, case.symbols, symbolic)
            if g is not None and fails(g):
                return g
        return None

    current = graph
    chunk = max(1, len(current["nodes"]) // 2)
    while True:
        names = [n["name"] for n in current["nodes"]]
        progress = False
        for start in range(0, len(names), chunk):
            present = {n["name"] for n in current["nodes"]}
            removed = set(names[start:start + chunk]) & present
            g = attempt(current, removed) if removed and removed != present else None
            if g is not None:
                current, progress = g, True
        if not progress:
            if chunk == 1:
                break
            chunk = max(1, chunk // 2)
    # Outputs that need not be outputs (their nodes may stay, dead or read by others).
    for out in list(current["outputs"]):
        if len(current["outputs"]) > 1:
            g = copy.deepcopy(current)
            g["outputs"] = [o for o in g["outputs"] if o["name"] != out["name"]]
            if fails(g):
                current = g
    return current
