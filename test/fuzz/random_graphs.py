#!/usr/bin/python3
"""Differential testing of dmc on random graphs against an independent float64 NumPy reference.

  random_graphs.py generate SEED [-o FILE]                 the graph of SEED (JSON) on stdout or in FILE
  random_graphs.py run DMC --seeds A:B [--levels 0,1,2,3,3t | --levels-per-graph N] [--jobs N]
                       [--out DIR] [--no-minimise] [--small]
  random_graphs.py replay DMC GRAPH.json... [--levels 0,1,2,3,3t]   regression graphs at each level
  random_graphs.py minimise DMC GRAPH.json -ON --inputs DIR [--bind S=N ...] [--out DIR]

`run` generates the graphs of seeds A..B-1 (test/fuzz/generate.py), writes seeded inputs, evaluates the
graph with test/torch_refs/interp.py (float64; it shares no code with the compiler), and for each chosen
level compiles the graph to a library with `dmc compile --no-cache` (symbols left null in the graph
stay run-time arguments) and runs it with `dmc run LIB --bind ...`. Every output must match:
max|dmc - ref| / max(1, max|ref|) < 1e-4, as test/backend/compare_samples.py. A failure (a crash, an
error, a wrong shape, a wrong number) is minimised by delta debugging over nodes and written to
DIR/seedN-ON.json with the command reproducing it. The levels are dmc's -O0..-O3 without tuned
choices, and 3t: -O3 with every matmul a GEMM tile nest and the attention tile nest in small blocks
(tiled_pipeline), so that random sizes cut tiles and blocks unevenly. --levels-per-graph N tests N levels per graph chosen
by the seed (the bounded ctest run), so the run is deterministic. Exits 1 when anything failed.

DMC_CXXFLAGS is passed on to dmc: the ctest run sets a cheaper g++ -O to save compile time.
"""
import argparse
import functools
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "torch_refs"))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))

import interp  # noqa: E402
from generate import generate  # noqa: E402
from minimise import minimise  # noqa: E402
from tolerance import compare_outputs  # noqa: E402



def make_inputs(graph, symbols, kinds, seed):
    rng = np.random.default_rng(seed)
    ins = {}
    for decl in graph["inputs"]:
        shape = [symbols[d] if isinstance(d, str) else d for d in decl["shape"]]
        if kinds.get(decl["name"]) == "positive":
            ins[decl["name"]] = rng.uniform(0.5, 2.0, shape).astype(np.float32)
        else:
            ins[decl["name"]] = (0.5 * rng.standard_normal(shape)).astype(np.float32)
    return ins


def failure_kind(stderr):
    """A short, stable label of a dmc failure: what the minimiser must preserve."""
    if "Stack dump" in stderr or "Segmentation" in stderr or "PLEASE submit" in stderr:
        passes = re.findall(r"(\w+)::runOnOperation", stderr)
        return "crash in " + passes[0] if passes else "crash"
    for line in stderr.splitlines():
        if "error:" in line:
            message = line.split("error:", 1)[1].strip()
            return "error: " + " ".join(w for w in message.split() if not any(c.isdigit() for c in w))[:80]
    return "failed"


def first_line(stderr):
    """The line of a dmc failure worth printing: its first error, or the failing pass of a crash."""
    lines = stderr.strip().splitlines() or [""]
    return next((l for l in lines if "error:" in l), next((l for l in lines if "runOnOperation" in l), lines[-1]))


LEVELS = ("0", "1", "2", "3", "3t")


@functools.lru_cache(maxsize=None)
def tiled_pipeline(dmc):
    """-O3's pipeline with fused matmuls as tile nests (passes/expansions/TiledMatMul.cpp) on the 12 x 32
    register tile on every machine, tiles of 24 x 64 x 40, attention blocks of 24 x 64 and the tiled
    rows (softmax, layer norm, reductions) in blocks of 5 rows. Without tuned choices the pipeline is
    the same for every graph: it is asked of dmc once, with a sample."""
    sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "mha.json")
    out = subprocess.run([dmc, "compile", sample, "-O3", "--tuning-db=none", "--print-pipeline"],
                         capture_output=True, text=True, check=True).stdout.strip()
    pipeline, n = re.subn(r"fused_matmul=library", "fused_matmul=tiled", out)
    assert n == 1, "-O3's pipeline changed: %s" % out
    steps = {"only=fused_matmul,attention": {"attention-block-k": "64", "attention-block-q": "24",
                                             "register-tile": "12x32", "tile-k": "40", "tile-m": "24",
                                             "tile-n": "64"},
             "only=softmax,layernorm,reduce": {"row-block": "5"}}
    for marker, options in steps.items():
        def sized(m):
            text = m.group(0)
            for name, value in options.items():
                text, k = re.subn(r"\b%s=[^ }]*" % name, "%s=%s" % (name, value), text)
                assert k == 1, "-O3's pipeline has no %s option in %s" % (name, text)
            return text
        pipeline, k = re.subn(r"expand-library-nodes\{[^}]*%s[^}]*\}" % re.escape(marker), sized, pipeline)
        assert k == 1, "-O3's pipeline has no step with %s: %s" % (marker, out)
    return pipeline


def compile_args(dmc, level):
    """dmc compile's options for `level` (LEVELS); no tuned choices, so a run is the same everywhere."""
    if level == "3t":
        return ["--passes=" + tiled_pipeline(dmc)]
    return ["-O" + level, "--tuning-db=none"]


def check(dmc, graph, symbols, ins, expected, level, workdir):
    """(ok, kind, message) for one graph at one level; kind labels the failure for the minimiser."""
    gpath = os.path.join(workdir, "graph.json")
    in_dir, out_dir = os.path.join(workdir, "in"), os.path.join(workdir, "out-O%s" % level)
    lib = os.path.join(workdir, "O%s" % level, "lib%s.so" % graph["name"])
    with open(gpath, "w") as f:
        json.dump(graph, f)
    os.makedirs(in_dir, exist_ok=True)
    for name, value in ins.items():
        np.save(os.path.join(in_dir, name + ".npy"), value)
    comp = subprocess.run([dmc, "compile", gpath] + compile_args(dmc, level) + ["--no-cache", "-o", lib],
                          capture_output=True, text=True)
    if comp.returncode != 0:
        return False, "compile " + failure_kind(comp.stderr), first_line(comp.stderr)
    binds = []
    for name, value in graph["symbols"].items():
        if value is None:
            binds += ["--bind", "%s=%d" % (name, symbols[name])]
    # Two runs of one handle: the outputs are the second's (dmc run fills them with NaN before it), which
    # skips the maps on constant inputs that the first ran once.
    run = subprocess.run([dmc, "run", lib, "--repeat", "2", "--inputs", in_dir, "--outputs", out_dir] + binds,
                         capture_output=True, text=True)
    if run.returncode != 0:
        return False, "run " + failure_kind(run.stderr), first_line(run.stderr)
    return compare_outputs(out_dir, expected)


class Case:
    """A graph with its symbol values and inputs; re-checkable on any sub-graph (for the minimiser)."""

    def __init__(self, dmc, graph, symbols, ins):
        self.dmc, self.graph, self.symbols, self.ins = dmc, graph, symbols, ins

    def reference(self, graph):
        ins = {i["name"]: self.ins[i["name"]].astype(np.float64) for i in graph["inputs"]}
        return interp.run_graph(graph, self.symbols, ins)

    def run(self, graph, level):
        ins = {i["name"]: self.ins[i["name"]] for i in graph["inputs"]}
        try:
            expected = self.reference(graph)
        except Exception as e:  # a sub-graph the reference cannot evaluate is not a valid candidate
            return False, "reference: %s" % type(e).__name__, str(e)
        # Inputs outside an op's domain (a generator bug) would make the comparison meaningless.
        for name, value in expected.items():
            if not np.all(np.isfinite(value)):
                return False, "reference not finite", "reference output %s is not finite" % name
        with tempfile.TemporaryDirectory(prefix="dmc-fuzz-") as tmp:
            return check(self.dmc, graph, self.symbols, ins, expected, level, tmp)


def levels_for(seed, args):
    if args.levels_per_graph:
        return sorted(random.Random(seed * 7919 + 1).sample(LEVELS, args.levels_per_graph))
    return parse_levels(args.levels)


def parse_levels(text):
    levels = text.split(",")
    for level in levels:
        if level not in LEVELS:
            raise SystemExit("random_graphs.py: unknown level %s (levels: %s)" % (level, ",".join(LEVELS)))
    return levels


def run_seed(seed, args):
    big = not args.small
    graph, symbols, kinds = generate(seed, big=big)
    ins = make_inputs(graph, symbols, kinds, seed)
    case = Case(args.dmc, graph, symbols, ins)
    results = []
    for level in levels_for(seed, args):
        ok, kind, message = case.run(graph, level)
        line = "%s seed %d -O%s %d nodes: %s" % ("PASS" if ok else "FAIL", seed, level, len(graph["nodes"]),
                                                 message if ok else kind + ": " + message.splitlines()[-1][:200])
        if not ok and not args.no_minimise:
            line += "\n  " + write_failure(case, graph, level, kind, "seed%d" % seed, args.out)
        results.append((ok, line))
    return results


def write_failure(case, graph, level, kind, label, out):
    """Minimises the failure and writes OUT/LABEL-ON.json, its inputs in OUT/LABEL-ON-inputs/; returns
    a line naming them and the commands reproducing the failure."""
    small = minimise(graph, lambda g: case.run(g, level)[1] == kind, case)
    small["doc"] = "minimised from %s at -O%s: %s" % (label, level, kind)
    stem = os.path.join(out, "%s-O%s" % (label, level))
    os.makedirs(stem + "-inputs", exist_ok=True)
    with open(stem + ".json", "w") as f:
        json.dump(small, f, indent=1)
    for decl in small["inputs"]:
        np.save(os.path.join(stem + "-inputs", decl["name"] + ".npy"), case.ins[decl["name"]])
    binds = "".join(" --bind %s=%d" % (s, case.symbols[s]) for s, v in small["symbols"].items() if v is None)
    options = " ".join(shlex.quote(a) for a in compile_args(case.dmc, level))
    return ("minimised to %d nodes (%s): %s.json; reproduce: %s minimise DMC %s.json -O%s --inputs %s-inputs%s"
            "  or: dmc compile %s.json %s -o lib.so && dmc run lib.so --inputs %s-inputs%s") % (
        len(small["nodes"]), kind, stem, os.path.relpath(__file__), stem, level, stem, binds, stem, options, stem,
        binds)


def cmd_run(args):
    first, last = (int(x) for x in args.seeds.split(":"))
    start = time.time()
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for results in pool.map(lambda s: run_seed(s, args), range(first, last)):
            for ok, line in results:
                print(line, flush=True)
                passed += ok
                failed += not ok
    print("%d passed, %d failed (%d graphs, %.0f s)" % (passed, failed, last - first, time.time() - start))
    return 1 if failed else 0


def cmd_generate(args):
    graph, _, _ = generate(args.seed, big=not args.small)
    text = json.dumps(graph, indent=1)
    if args.o:
        with open(args.o, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


def cmd_replay(args):
    """Regression graphs (test/fuzz/regressions/*.json): each at every level against the reference.
    Symbols left null stay run-time arguments, bound to the graph's test_symbols when run; inputs are
    seeded N(0, 0.5), or GRAPH-inputs/NAME.npy beside the graph where that folder exists."""
    passed = failed = 0
    for path in args.graphs:
        with open(path) as f:
            graph = json.load(f)
        symbols = {k: v for k, v in graph["symbols"].items() if v is not None}
        symbols.update(graph.get("test_symbols", {}))
        saved = os.path.splitext(path)[0] + "-inputs"
        if os.path.isdir(saved):
            ins = {i["name"]: np.load(os.path.join(saved, i["name"] + ".npy")) for i in graph["inputs"]}
        else:
            ins = make_inputs(graph, symbols, {}, 0)
        case = Case(args.dmc, graph, symbols, ins)
        for level in parse_levels(args.levels):
            ok, kind, message = case.run(graph, level)
            print("%s %s -O%s: %s" % ("PASS" if ok else "FAIL", os.path.basename(path), level,
                                      message if ok else kind + ": " + message), flush=True)
            passed += ok
            failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def cmd_minimise(args):
    """Re-checks, and shrinks further, a failing graph with its inputs (.npy files as `run` writes them)."""
    with open(args.graph) as f:
        graph = json.load(f)
    symbols = {k: v for k, v in graph["symbols"].items() if v is not None}
    symbols.update((k, int(v)) for k, v in (b.split("=") for b in args.bind))
    unbound = sorted(k for k in graph["symbols"] if k not in symbols)
    if unbound:
        print("minimise: the run-time symbols %s need values: --bind %s=N (the failing run printed them)" %
              (", ".join(unbound), unbound[0]), file=sys.stderr)
        return 2
    ins = {i["name"]: np.load(os.path.join(args.inputs, i["name"] + ".npy")) for i in graph["inputs"]}
    case = Case(args.dmc, graph, symbols, ins)
    ok, kind, message = case.run(graph, args.level)
    print("%s -O%s: %s" % ("PASS" if ok else "FAIL " + kind, args.level, message))
    if ok:
        return 0
    name = os.path.splitext(os.path.basename(args.graph))[0]
    print(write_failure(case, graph, args.level, kind, name + "-min", args.out))
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("seed", type=int)
    g.add_argument("-o")
    g.add_argument("--small", action="store_true", help="no dims large enough for the tiled kernels")
    r = sub.add_parser("run")
    r.add_argument("dmc")
    r.add_argument("--seeds", required=True, help="A:B, the seeds A..B-1")
    r.add_argument("--levels", default=",".join(LEVELS))
    r.add_argument("--levels-per-graph", type=int, default=0)
    r.add_argument("--jobs", type=int, default=1)
    r.add_argument("--out", default="fuzz-failures")
    r.add_argument("--no-minimise", action="store_true")
    r.add_argument("--small", action="store_true")
    rp = sub.add_parser("replay")
    rp.add_argument("dmc")
    rp.add_argument("graphs", nargs="+")
    rp.add_argument("--levels", default=",".join(LEVELS))
    m = sub.add_parser("minimise")
    m.add_argument("dmc")
    m.add_argument("graph")
    m.add_argument("-O", dest="level", choices=LEVELS, required=True, help="the level that fails")
    m.add_argument("--inputs", required=True, help="a folder of NAME.npy for the graph's inputs")
    m.add_argument("--bind", action="append", default=[], help="S=N for each symbol left null")
    m.add_argument("--out", default="fuzz-failures")
    args = p.parse_args()
    commands = {"run": cmd_run, "generate": cmd_generate, "replay": cmd_replay, "minimise": cmd_minimise}
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
