"""Shared plumbing for the PyTorch reference implementations in samples/torch/.

A reference script reads only the graph's symbols, input and output declarations
(names and shapes) from the JSON; its math is written from the paper, never from
the graph's nodes, so that comparing the compiled graph against it tests both.

    /usr/bin/python3 samples/torch/mha.py --graph samples/mha.json --inputs DIR --outputs DIR
        [--bind S=16 ...] [--test-size] [--seed N] [--make-inputs]

All math runs in float64 (inputs are float32 files, up-cast on load); outputs are
rounded to float32 when written. Requires torch >= 1.13 only.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

DT = torch.float64  # internal precision of every reference


# ---------------------------------------------------------------- symbols ---
def resolve_symbols(graph, test_size=False, binds=None):
    """file values < test_symbols (only with test_size) < binds; every symbol must end positive."""
    syms = dict(graph.get("symbols", {}))
    layers = [graph.get("test_symbols", {}) if test_size else {}, binds or {}]
    for layer in layers:
        for k, v in layer.items():
            if k not in syms:
                raise SystemExit("unknown symbol %s (graph declares %s)" % (k, sorted(syms)))
            syms[k] = v
    for k, v in syms.items():
        if v is None:
            raise SystemExit("symbol %s is unbound; pass --bind %s=N or --test-size" % (k, k))
        if int(v) <= 0:
            raise SystemExit("symbol %s must be positive, got %s" % (k, v))
    return {k: int(v) for k, v in syms.items()}


def shape_of(decl, syms):
    return tuple(d if isinstance(d, int) else syms[d] for d in decl["shape"])


# ----------------------------------------------------------------- inputs ---
# How to draw a random input. Each reference module lists every graph input in INIT.
#   "act"            activation, N(0, 0.5^2)
#   ("weight", ax)   N(0, 1/fan_in) where fan_in = shape[ax] (the contracted dim)
#   "bias"           N(0, 0.02^2)
#   "ln_scale"       1 + N(0, 0.1^2)
#   ("normal", std)  N(0, std^2), e.g. the Performer's random features (std 1)
#   "alibi_slopes"   ALiBi's head slopes 2^(-8(h+1)/H) of a [H] input (deterministic)
#   ("bernoulli", p) 1 with probability p, else 0: a fixed random layout (BigBird's random blocks)
def make_input(kind, shape, gen):
    if kind == "alibi_slopes":
        return torch.tensor([2.0 ** (-8.0 * (h + 1) / shape[0]) for h in range(shape[0])], dtype=DT)
    if isinstance(kind, tuple) and kind[0] == "bernoulli":
        return (torch.rand(shape, generator=gen, dtype=DT) < kind[1]).to(DT)
    z = torch.randn(shape, generator=gen, dtype=DT)
    if kind == "act":
        return 0.5 * z
    if kind == "bias":
        return 0.02 * z
    if kind == "ln_scale":
        return 1.0 + 0.1 * z
    if isinstance(kind, tuple) and kind[0] == "weight":
        return z / float(shape[kind[1]]) ** 0.5
    if isinstance(kind, tuple) and kind[0] == "normal":
        return kind[1] * z
    raise ValueError("unknown init kind %r" % (kind,))


def make_inputs(graph, syms, init, seed=0):
    """Seeded random inputs for every graph input, in declaration order, as float64 tensors."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for decl in graph["inputs"]:
        if decl["name"] not in init:
            raise SystemExit("reference has no INIT entry for graph input '%s'" % decl["name"])
        # Round through float32 so that the values are exactly those written to disk.
        out[decl["name"]] = make_input(init[decl["name"]], shape_of(decl, syms), gen).float().to(DT)
    return out


def load_inputs(graph, syms, d):
    out = {}
    for decl in graph["inputs"]:
        path = os.path.join(d, decl["name"] + ".npy")
        a = np.load(path)
        if a.dtype != np.float32:
            raise SystemExit("%s: dtype %s, expected float32" % (path, a.dtype))
        if a.shape != shape_of(decl, syms):
            raise SystemExit("%s: shape %s, graph declares %s" % (path, a.shape, shape_of(decl, syms)))
        out[decl["name"]] = torch.from_numpy(a).to(DT)
    return out


def save(tensors, d):
    os.makedirs(d, exist_ok=True)
    for name, t in tensors.items():
        np.save(os.path.join(d, name + ".npy"), t.detach().to(torch.float32).numpy())


# ------------------------------------------------------------------ masks ---
def build_mask(sq, sk, causal=0, window=-1, stride=0, global_tokens=()):
    """Boolean [sq, sk] keep-mask of docs/op-vocabulary.md (row i = query, column j = key).

    kept(i, j) = (causal ? j <= i : true) and (window >= 0 ? |i-j| <= window : true)
                 and (stride > 0 ? (i-j) mod stride == 0 (causal) / |i-j| mod stride == 0 : true)
                 or i in global_tokens or j in global_tokens
    """
    i = torch.arange(sq).unsqueeze(1)
    j = torch.arange(sk).unsqueeze(0)
    keep = torch.ones(sq, sk, dtype=torch.bool)
    if causal:
        keep &= j <= i
    if window >= 0:
        keep &= (i - j).abs() <= window
    if stride > 0:
        # With causal, i-j >= 0 wherever it matters, so |i-j| is the same test.
        keep &= (i - j).abs() % stride == 0
    g = torch.zeros(sq, sk, dtype=torch.bool)
    for t in global_tokens:
        if t < sq:
            g[t, :] = True
        if t < sk:
            g[:, t] = True
    return keep | g


def masked_softmax(scores, keep):
    """softmax over the last dim restricted to keep; masked entries are exactly 0, empty rows all 0."""
    s = scores.masked_fill(~keep, float("-inf"))
    m = s.amax(dim=-1, keepdim=True)
    m = torch.where(torch.isinf(m), torch.zeros_like(m), m)  # empty row: avoid inf - inf
    e = torch.exp(s - m)                                     # exp(-inf) = 0 on masked entries
    z = e.sum(dim=-1, keepdim=True)
    return e / torch.where(z == 0, torch.ones_like(z), z)


# ----------------------------------------------------------- shared math ---
def linear(x, w, b=None):
    """x @ w (+ b): weights are stored [in, out] as in the graphs."""
    y = x @ w
    return y if b is None else y + b


def split_heads(t, h):
    """[B, S, H*D] -> [B, H, S, D]"""
    b, s, e = t.shape
    return t.reshape(b, s, h, e // h).permute(0, 2, 1, 3)


def merge_heads(t):
    """[B, H, S, D] -> [B, S, H*D]"""
    b, h, s, d = t.shape
    return t.permute(0, 2, 1, 3).reshape(b, s, h * d)


# ------------------------------------------------------------------- main ---
def parse_args(argv):
    p = argparse.ArgumentParser(description="dmc PyTorch reference")
    p.add_argument("--graph", required=True)
    p.add_argument("--inputs", help="directory of <input>.npy (written with --make-inputs)")
    p.add_argument("--outputs", help="directory for <output>.npy")
    p.add_argument("--bind", action="append", default=[], metavar="SYM=N")
    p.add_argument("--test-size", action="store_true", help="apply the graph's test_symbols")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--make-inputs", action="store_true", help="generate seeded inputs and write them to --inputs")
    p.add_argument("--time", type=int, default=0, metavar="N",
                   help="instead: time N runs in float32 on seeded inputs and print {\"median_ms\": ...} as JSON")
    p.add_argument("--threads", type=int, default=0, help="with --time: torch.set_num_threads (0: torch's default)")
    a = p.parse_args(argv)
    if not a.time and (not a.inputs or not a.outputs):
        p.error("--inputs and --outputs are required unless --time is given")
    binds = {}
    for b in a.bind:
        k, _, v = b.partition("=")
        if not v.lstrip("-").isdigit():
            p.error("--bind wants SYM=N, got %r" % b)
        binds[k] = int(v)
    a.binds = binds
    return a


def time_reference(reference, init, graph, syms, a):
    """The peer timing of `dmc bench --torch`: the reference's eager PyTorch ops in float32, 1 warm-up."""
    import time
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    inputs = {k: v.float() for k, v in make_inputs(graph, syms, init, a.seed).items()}
    times = []
    with torch.no_grad():
        for rep in range(a.time + 1):
            start = time.perf_counter()
            reference(inputs, syms)
            if rep:
                times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    print(json.dumps({"median_ms": times[len(times) // 2], "runs": a.time, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))
    return 0


def main(reference, init, argv=None):
    """Entry point of a reference script: reference(inputs: dict, syms: dict) -> dict of outputs."""
    a = parse_args(sys.argv[1:] if argv is None else argv)
    with open(a.graph) as f:
        graph = json.load(f)
    syms = resolve_symbols(graph, a.test_size, a.binds)
    if a.time:
        return time_reference(reference, init, graph, syms, a)
    if a.make_inputs:
        inputs = make_inputs(graph, syms, init, a.seed)
        save(inputs, a.inputs)
    else:
        inputs = load_inputs(graph, syms, a.inputs)
    with torch.no_grad():
        outs = reference(inputs, syms)
    for decl in graph["outputs"]:
        if decl["name"] not in outs:
            raise SystemExit("reference did not compute graph output '%s'" % decl["name"])
        if tuple(outs[decl["name"]].shape) != shape_of(decl, syms):
            raise SystemExit("reference output %s has shape %s, graph declares %s"
                             % (decl["name"], tuple(outs[decl["name"]].shape), shape_of(decl, syms)))
    save({d["name"]: outs[d["name"]] for d in graph["outputs"]}, a.outputs)
    return 0
