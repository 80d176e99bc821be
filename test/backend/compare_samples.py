#!/usr/bin/python3
"""Every sample compiled by dmc at -O0 must match its PyTorch reference.

For each samples/*.json, in two configurations -- its test size with seed 0, and its test size with the
sequence length S grown by 8 and seed 1 -- writes seeded inputs with the reference (samples/torch/<name>.py --make-inputs), runs the reference,
then `dmc run` on the same inputs, and compares every output: max relative error
max|dmc - ref| / max(1, max|ref|) must stay below 1e-4 (f32 kernels against a float64 reference;
the scale guard keeps near-zero outputs from inflating the ratio).
Prints one line per sample and "N passed, M failed"; exits 1 on any failure.

With --uneven, the configurations are instead shapes that cut the kernels' blocks unevenly: one query
(S=1), S=77, a single head, batch 3, a head width of 32 (uneven_configurations): the samples' softmax
scale is the expression 1/sqrt(D), so one file serves every head width.

With --jobs N, N runs go at once (the sanitizer job's runs are sequential otherwise); the lines keep
their order.

usage: compare_samples.py DMC_BINARY [-ON] [--passes=PIPELINE] [--target-cpu=CPU] [--tuning-db=FILE] [--uneven] [--jobs N]
                          [sample ...]
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tolerance import compare_outputs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"


def configurations(graph):
    """(label, extra args) pairs: the test size, and a second shape and seed where S is a symbol."""
    configs = [("test size, seed 0", ["--test-size"], 0)]
    s = graph.get("test_symbols", {}).get("S", graph.get("symbols", {}).get("S"))
    if s:
        configs.append(("S=%d, seed 1" % (s + 8), ["--test-size", "--bind", "S=%d" % (s + 8)], 1))
    return configs


# Symbol overrides of --uneven. The samples tie E to the heads (E = H*D; GQA: E = HKV*G*D, KV = HKV*D),
# so E and KV follow from them; a symbol a sample lacks is left out.
UNEVEN = [
    ("S=1, B=3, seed 2", {"S": 1, "B": 3}, 2),
    ("S=77, H=1, seed 3", {"S": 77, "H": 1, "HKV": 1}, 3),
    ("S=77, B=3, seed 4", {"S": 77, "B": 3}, 4),
    ("S=77, D=32, seed 5", {"S": 77, "D": 32}, 5),
]


def uneven_configurations(graph):
    symbols = dict(graph.get("symbols", {}))
    symbols.update(graph.get("test_symbols", {}))
    configs = []
    for label, overrides, seed in UNEVEN:
        bound = dict(symbols)
        bound.update({k: v for k, v in overrides.items() if k in symbols})
        if "HKV" in bound:
            bound["E"], bound["KV"] = bound["HKV"] * bound["G"] * bound["D"], bound["HKV"] * bound["D"]
        elif "H" in bound and "E" in bound:
            bound["E"] = bound["H"] * bound["D"]
        binds = []
        for k, v in sorted(bound.items()):
            if k in overrides or k in ("E", "KV"):
                binds += ["--bind", "%s=%d" % (k, v)]
        configs.append((label, ["--test-size"] + binds, seed))
    return configs


def compare(dmc, sample, opt, extra_args, seed, dmc_args):
    name = os.path.splitext(os.path.basename(sample))[0]
    with open(sample) as f:
        graph = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        ins, ref, out = (os.path.join(tmp, d) for d in ("in", "ref", "out"))
        for d in (ins, ref, out):
            os.mkdir(d)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run([PY, os.path.join(ROOT, "samples", "torch", name + ".py"), "--graph", sample, "--inputs", ins,
                        "--outputs", ref, "--make-inputs", "--seed", str(seed)] + extra_args, check=True, env=env, capture_output=True)
        run = subprocess.run([dmc, "run", sample, "-O%d" % opt, "--inputs", ins, "--outputs", out] + extra_args + dmc_args,
                             capture_output=True, text=True)
        if run.returncode != 0:
            return False, "dmc run failed: " + run.stderr.strip()[-400:]
        expected = {o["name"]: np.load(os.path.join(ref, o["name"] + ".npy")) for o in graph["outputs"]}
        ok, _, detail = compare_outputs(out, expected)
        return ok, detail


def main():
    dmc = sys.argv[1]
    args = sys.argv[2:]
    opt = 0
    if args and args[0].startswith("-O"):
        opt = int(args.pop(0)[2:])
    # --passes=PIPELINE runs those passes instead of the level's (dmc run --passes), to test passes that
    # no pipeline runs, or runs elsewhere.
    # --target-cpu=CPU: the generated code built for that CPU (with DMCRT_TILED_ISA, the micro-kernels too).
    # --tuning-db=FILE: -O3 applies the choices stored there (test/backend/check_tune.py).
    forwarded = ("--passes=", "--target-cpu=", "--tuning-db=")
    dmc_args = [a for a in args if a.startswith(forwarded)]
    args = [a for a in args if not a.startswith(forwarded)]
    uneven = "--uneven" in args
    args = [a for a in args if a != "--uneven"]
    jobs = 1
    if "--jobs" in args:
        at = args.index("--jobs")
        jobs = int(args[at + 1])
        del args[at:at + 2]
    samples = sorted(glob.glob(os.path.join(ROOT, "samples", "*.json")))
    if args:
        samples = [s for s in samples if os.path.splitext(os.path.basename(s))[0] in args]
    tasks = []
    for sample in samples:
        with open(sample) as f:
            graph = json.load(f)
        for label, extra, seed in (uneven_configurations if uneven else configurations)(graph):
            tasks.append((sample, label, extra, seed))
    how = " ".join(dmc_args) if dmc_args else "-O%d" % opt
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda t: compare(dmc, t[0], opt, t[2], t[3], dmc_args), tasks)
        for (sample, label, _, _), (ok, message) in zip(tasks, results):
            print("%s %-22s %s %-18s %s" % ("PASS" if ok else "FAIL", os.path.basename(sample), how, label, message),
                  flush=True)
            passed += ok
            failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
