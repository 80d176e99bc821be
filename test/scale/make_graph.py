#!/usr/bin/env python3
"""Writes a large valid graph of about N nodes for compile-time tests.

    make_graph.py chain|tree N OUT.json

chain: every node reads the previous node's output (every few also a weight or bias), mixing the op
       families: element-wise, broadcast, MatMul, Softmax, Transpose pairs, Scale.
tree:  N/2 independent leaves read the input (siblings for horizontal fusion), then a binary tree of
       Adds sums them (many transients alive at once).
"""
import json
import sys

CYCLE = [("Relu", []), ("Add", ["b"]), ("Exp", []), ("MatMul", ["w"]), ("Scale", []),
         ("Transpose", []), ("Transpose", []), ("Softmax", []), ("Mul", ["b"]), ("Tanh", [])]
LEAVES = ["Relu", "Exp", "Tanh", "Sqrt"]


def node(name, op, inputs):
    attrs = {"Scale": {"alpha": 0.5}, "Transpose": {"perm": [1, 0]}, "Softmax": {"axis": -1}}.get(op, {})
    return {"name": name, "op": op, "inputs": inputs, "outputs": [name], "attrs": attrs}


def chain(n):
    nodes, prev = [], "x"
    for k in range(n):
        op, extra = CYCLE[k % len(CYCLE)]
        nodes.append(node(f"n{k}", op, [prev] + extra))
        prev = f"n{k}"
    return nodes


def tree(n):
    nodes = [node(f"leaf{k}", LEAVES[k % len(LEAVES)], ["x"]) for k in range(max(2, n // 2))]
    level = [nd["name"] for nd in nodes]
    while len(level) > 1:
        nxt = []
        for k in range(0, len(level) - 1, 2):
            nodes.append(node(f"sum{len(nodes)}", "Add", [level[k], level[k + 1]]))
            nxt.append(nodes[-1]["name"])
        level = nxt + level[len(level) - len(level) % 2:]
    return nodes


def graph(kind, n):
    nodes = {"chain": chain, "tree": tree}[kind](n)
    nodes[-1]["outputs"] = ["y"]
    return {"name": kind, "symbols": {"S": 16, "E": 16},
            "inputs": [{"name": "x", "dtype": "f32", "shape": ["S", "E"]}] + ([
                {"name": "w", "dtype": "f32", "shape": ["E", "E"]},
                {"name": "b", "dtype": "f32", "shape": ["E"]}] if kind == "chain" else []),
            "outputs": [{"name": "y", "dtype": "f32", "shape": ["S", "E"]}], "nodes": nodes}


if __name__ == "__main__":
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(out, "w") as f:
        json.dump(graph(kind, n), f)
