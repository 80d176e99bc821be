#!/usr/bin/python3
"""Hand-written SDFGs (test/backend/graphs/NAME.mlir) run under pass pipelines against NumPy.

Each NAME.mlir has a NAME.py beside it with PIPELINES (textual pass pipelines for `dmc run --passes`),
inputs(rng) -> {name: array} and reference(inputs) -> {name: array}. For every pipeline, the inputs are
written as .npy, `dmc run` computes the outputs, and every output must match the float64 reference to a
max relative error below 1e-4 (as compare_samples.py). A NAME.py may also list AGREE, pairs (i, j) of
indices into PIPELINES whose outputs must agree with each other to a max relative error below 1e-5 (an
implementation against another that computes in the same precision). These graphs cover transformations
that the samples do not trigger. Prints one line per graph and pipeline (and pair); exits 1 on any failure.

With --jobs N, N pipeline runs go at once; the lines keep their order.

usage: compare_graphs.py DMC_BINARY [--jobs N] [name ...]
"""
import glob
import importlib.util
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tolerance import compare_outputs, relative_error

AGREE_TOLERANCE = 1e-5

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(dmc, graph, module, pipeline):
    """(ok, message, outputs): the outputs ({name: array}, empty when the run failed) against the reference."""
    ins = {k: v.astype(np.float32) for k, v in module.inputs(np.random.default_rng(0)).items()}
    expected = module.reference({k: v.astype(np.float64) for k, v in ins.items()})
    with tempfile.TemporaryDirectory() as tmp:
        in_dir, out_dir = os.path.join(tmp, "in"), os.path.join(tmp, "out")
        os.mkdir(in_dir)
        os.mkdir(out_dir)
        for name, value in ins.items():
            np.save(os.path.join(in_dir, name + ".npy"), value)
        run = subprocess.run([dmc, "run", graph, "--passes=" + pipeline, "--inputs", in_dir, "--outputs", out_dir,
                              "--no-cache"], capture_output=True, text=True)
        if run.returncode != 0:
            return False, "dmc run failed: " + run.stderr.strip()[-400:], {}
        ok, _, detail = compare_outputs(out_dir, expected)
        outputs = {name: np.load(os.path.join(out_dir, name + ".npy")) for name in expected} if ok else {}
        return ok, detail, outputs


def agree(a, b):
    """(ok, message): every output of run b within AGREE_TOLERANCE of run a's."""
    if not a or not b:
        return False, "a run failed"
    worst = max(relative_error(b[name], a[name]) for name in a)
    return worst < AGREE_TOLERANCE, "max rel difference %.2e" % worst


def main():
    args = sys.argv[1:]
    jobs = 1
    if "--jobs" in args:
        at = args.index("--jobs")
        jobs = int(args[at + 1])
        del args[at:at + 2]
    dmc, names = args[0], args[1:]
    graphs = [g for g in sorted(glob.glob(os.path.join(HERE, "graphs", "*.mlir")))
              if not names or os.path.basename(g)[:-5] in names]
    modules = {g: load(g[:-5] + ".py") for g in graphs}
    tasks = [(g, pipeline) for g in graphs for pipeline in modules[g].PIPELINES]
    passed = failed = 0

    def report(ok, text):
        nonlocal passed, failed
        print("%s %s" % ("PASS" if ok else "FAIL", text), flush=True)
        passed += ok
        failed += not ok

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda t: check(dmc, t[0], modules[t[0]], t[1]), tasks))
    for g in graphs:
        name = os.path.basename(g)[:-5]
        outputs = []
        for (graph, pipeline), (ok, message, out) in zip(tasks, results):
            if graph == g:
                outputs.append(out)
                report(ok, "%-18s %-70s %s" % (name, pipeline, message))
        for i, j in getattr(modules[g], "AGREE", []):
            ok, message = agree(outputs[i], outputs[j])
            report(ok, "%-18s pipelines %d and %d agree: %s" % (name, i, j, message))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
