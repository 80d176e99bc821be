#!/usr/bin/python3
"""Random mask and score expressions on one attention, against the float64 NumPy interpreter.

  random_masks.py generate SEED                       the graph of SEED (JSON) on stdout
  random_masks.py run DMC --seeds A:B [--jobs N]      each seed at one configuration chosen by it

Each seed draws a softmax attention softmax(Q K^T / sqrt(D) with its mask and score expressions) V over
[H, S, D] with S up to 200, a random mask (affine comparisons of i and j, |i - j|, residues, conditions on
i alone, on the head, combined with && || !) and sometimes a score expression (a distance penalty, a soft
cap, a per-head bias read from an input, a relative-position table); one seed in four draws instead a
residue-class pattern ((i - j) % s == 0 and conditions on i - j) at S a multiple of s, which -O3 and the
small-block pipelines run per class (split-residue-classes). The configurations are -O0, -O1, -O3
and -O3 with attention blocks of 24 queries and 64 or 128 keys (one seed in three outputs the
probabilities instead: the softmax alone, at -O3 on the tiled rows), so that the tiled attention's derived
key-block ranges cut S unevenly. Outputs must match test/torch_refs/interp.py (which evaluates the
expressions with its own parser, graph_expr.py) as in compare_samples.py; fully masked rows give zeros
on both sides. Exits 1 on any failure, printing the graph's seed and expressions.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "torch_refs"))
sys.path.insert(0, os.path.join(HERE, "..", "backend"))

import interp  # noqa: E402
from tolerance import compare_outputs  # noqa: E402

SMALL_BLOCKS = ("fuse-attention,choose-implementations{attention=tiled default=library elementwise=pure},"
                "split-residue-classes,"
                "expand-library-nodes{only=elementwise},expand-library-nodes{attention-block-k=%d "
                "attention-block-q=24 impl=library only=attention},remove-dead-containers")
CONFIGS = [["-O0"], ["-O1"], ["-O3"], ["--passes=" + SMALL_BLOCKS % 64], ["--passes=" + SMALL_BLOCKS % 128]]


def atom(rng, s):
    k = rng.randint(0, max(1, s // 2))
    return rng.choice([
        "j <= i", "j < i", "i - j <= %d" % k, "j - i <= %d" % k, "abs(i - j) <= %d" % k,
        "j >= i - %d" % k, "j <= %d" % k, "i < %d" % k, "i >= %d" % k, "(i - j) %% %d == 0" % (k + 1),
        "(i + 2 * j) %% %d != 1" % (k + 2), "i / %d == j / %d" % (k + 1, k + 1), "h == 0 || j <= i",
        "2 * j <= i + %d" % k, "j + %d >= 3 * i" % k,
    ])


def residue_atoms(rng, s):
    """Conditions on i - j alone, which split-residue-classes rewrites for the classes."""
    k = rng.randint(0, max(1, s // 2))
    return ["j <= i", "abs(i - j) <= %d" % k, "i - j <= %d" % k, "j - i < %d" % k, "j >= i - %d" % k]


def mask_of(rng, s, depth=0):
    if depth >= 2 or rng.random() < 0.4:
        return atom(rng, s)
    op = rng.choice(["&&", "&&", "||"])
    left, right = mask_of(rng, s, depth + 1), mask_of(rng, s, depth + 1)
    text = "(%s) %s (%s)" % (left, op, right)
    return "!(%s)" % text if rng.random() < 0.15 else text


def generate(seed):
    rng = random.Random(seed)
    h, s, d, dv = rng.randint(1, 3), rng.choice([1, 2, 7, 33, 64, 77, 100, 129, 150, 200]), rng.choice([8, 16]), 8
    attrs = {"scale": "1/sqrt(D)", "mask": mask_of(rng, s)}
    inputs = [{"name": n, "shape": ["H", "S", dim]} for n, dim in (("q", "D"), ("k", "D"), ("v", dv))]
    r = rng.random()
    if r < 0.2:
        attrs["score"] = "s - 0.05 * float(abs(i - j))"
    elif r < 0.35:
        attrs["score"] = "2.0 * tanh(s / 2.0)"
    elif r < 0.5:
        attrs["score"] = "s - slope[h] * (i - j)"
        inputs.append({"name": "slope", "shape": ["H"]})
    elif r < 0.65:
        attrs["score"] = "s + rel[h, i - j + S - 1]"
        inputs.append({"name": "rel", "shape": ["H", "R"]})
    if seed % 4 == 3:  # a residue-class pattern at a multiple of its stride: split-residue-classes applies
        stride = rng.choice([2, 3, 4, 7])
        s = stride * rng.choice([1, 5, 11, 25])
        attrs = {"scale": "1/sqrt(D)", "mask": " && ".join(
            ["(i - j) %% %d == 0" % stride] + rng.sample(residue_atoms(rng, s), rng.randint(0, 2)))}
        inputs = inputs[:3]
    # One seed in three outputs the probabilities: the softmax alone (-O3: the tiled rows, no fusion).
    probs_out = seed % 3 == 2
    graph = {
        "name": "masks%d" % seed, "symbols": {"H": h, "S": s, "D": d, "R": 2 * s - 1},
        "inputs": inputs,
        "outputs": [{"name": "probs", "shape": ["H", "S", "S"]} if probs_out else {"name": "o", "shape": ["H", "S", dv]}],
        "nodes": [
            {"name": "scores", "op": "MatMul", "inputs": ["q", "k"], "outputs": ["scores"], "attrs": {"transB": 1}},
            {"name": "probs", "op": "Softmax", "inputs": ["scores"], "outputs": ["probs"], "attrs": attrs},
        ] + ([] if probs_out else [{"name": "o", "op": "MatMul", "inputs": ["probs", "v"], "outputs": ["o"]}]),
    }
    if probs_out:
        graph["inputs"] = [t for t in inputs if t["name"] != "v"]
    return graph


def run_seed(dmc, seed):
    graph = generate(seed)
    config = CONFIGS[seed % len(CONFIGS)]
    syms = graph["symbols"]
    rng = np.random.default_rng(seed)
    ins = {}
    for decl in graph["inputs"]:
        shape = [syms[x] if isinstance(x, str) else x for x in decl["shape"]]
        ins[decl["name"]] = (0.5 * rng.standard_normal(shape)).astype(np.float32)
    expected = interp.run_graph(graph, syms, {k: v.astype(np.float64) for k, v in ins.items()})
    with tempfile.TemporaryDirectory(prefix="dmc-masks-") as tmp:
        gpath, in_dir, out_dir = (os.path.join(tmp, p) for p in ("g.json", "in", "out"))
        with open(gpath, "w") as f:
            json.dump(graph, f)
        os.makedirs(in_dir)
        for name, value in ins.items():
            np.save(os.path.join(in_dir, name + ".npy"), value)
        run = subprocess.run([dmc, "run", gpath, "--no-cache", "--inputs", in_dir, "--outputs", out_dir] + config,
                             capture_output=True, text=True)
        where = "seed %d %s S=%d mask %r score %r" % (seed, config[0][:12], syms["S"], graph["nodes"][1]["attrs"]["mask"],
                                                     graph["nodes"][1]["attrs"].get("score"))
        if run.returncode != 0:
            return False, "FAIL %s: %s" % (where, (run.stderr.strip().splitlines() or ["?"])[0])
        ok, kind, message = compare_outputs(out_dir, expected)
        return ok, "%s %s: %s" % ("PASS" if ok else "FAIL", where, message)


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["generate", "run"])
    p.add_argument("arg")
    p.add_argument("--seeds", default="0:10")
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args(argv)
    if a.command == "generate":
        print(json.dumps(generate(int(a.arg)), indent=1))
        return 0
    lo, hi = (int(x) for x in a.seeds.split(":"))
    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda seed: run_seed(a.arg, seed), range(lo, hi)))
    for ok, line in results:
        print(line)
    failed = sum(not ok for ok, _ in results)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
