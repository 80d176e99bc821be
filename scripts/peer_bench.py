#!/usr/bin/python3
"""A compiled dmc graph against its PyTorch reference, interleaved in one process (peer comparison).

Meant for a machine without MLIR (the device machine): scripts/peer_bench.sh builds the generated C++ and
the runtime's kernels there with the system compiler, then runs this. Both sides run in float32 on the
same seeded inputs with the same thread count; the outputs are compared before anything is timed.

usage: peer_bench.py --so LIB.so [--so OTHER.so ...] --graph samples/NAME.json [--bind S=N ...] [--repeat N] [--threads T]

Several --so (builds of the same graph, e.g. two pipelines) run interleaved with each other and PyTorch.
"""
import argparse
import ctypes
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--so", action="append", required=True)
    p.add_argument("--graph", required=True)
    p.add_argument("--bind", action="append", default=[])
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    ref_path = os.path.join(os.path.dirname(os.path.abspath(a.graph)), "torch",
                            os.path.splitext(os.path.basename(a.graph))[0] + ".py")
    sys.path.insert(0, os.path.dirname(ref_path))
    spec = importlib.util.spec_from_file_location("reference", ref_path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    import common

    with open(a.graph) as f:
        graph = json.load(f)
    binds = {k: int(v) for k, v in (b.split("=") for b in a.bind)}
    syms = common.resolve_symbols(graph, False, binds)
    inputs = {k: v.float() for k, v in common.make_inputs(graph, syms, ref.INIT, 0).items()}

    name = graph["name"]

    def load(path):
        """A run function for the library at `path`, and its outputs."""
        lib = ctypes.CDLL(os.path.abspath(path))
        getattr(lib, "dmc_%s_manifest" % name).restype = ctypes.c_char_p
        manifest = json.loads(getattr(lib, "dmc_%s_manifest" % name)())
        create = getattr(lib, "dmc_%s_create" % name)
        create.restype = ctypes.c_void_p
        run = getattr(lib, "dmc_%s_run_packed" % name)
        run.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_void_p)]
        unbound = [s["name"] for s in manifest["symbols"] if s["bound"] is None]
        symbols = (ctypes.c_int64 * max(1, len(unbound)))(*[syms[s] for s in unbound])
        arrays, outputs = [], {}
        for arg in manifest["args"]:
            shape = tuple(d if isinstance(d, int) else syms[d] for d in arg["shape"])
            if arg["role"] == "input":
                arrays.append(np.ascontiguousarray(inputs[arg["name"]].numpy(), dtype=np.float32))
            else:
                outputs[arg["name"]] = np.zeros(shape, dtype=np.float32)
                arrays.append(outputs[arg["name"]])
        pointers = (ctypes.c_void_p * len(arrays))(*[x.ctypes.data for x in arrays])
        handle = create()

        def dmc_run():
            if run(handle, symbols, pointers) != 0:
                raise SystemExit("dmc run failed: " + path)
        return dmc_run, outputs, arrays

    def torch_run():
        with torch.no_grad():
            return ref.reference(inputs, syms)

    builds = [(os.path.basename(path), *load(path)) for path in a.so]
    expected = torch_run()
    times = {"torch": []}
    for label, run, outputs, _ in builds:
        run()
        err = max(float(np.max(np.abs(outputs[k] - expected[k].numpy())) / max(1.0, float(expected[k].abs().max())))
                  for k in outputs)
        print("%s: max rel diff %.1e against the reference" % (label, err))
        if not err < 1e-3:
            raise SystemExit("%s: outputs differ from PyTorch's" % label)
        times[label] = []
    for _ in range(a.repeat):
        for label, fn in [(b[0], b[1]) for b in builds] + [("torch", torch_run)]:
            start = time.perf_counter()
            fn()
            times[label].append((time.perf_counter() - start) * 1e3)
    med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    print("%s: %d interleaved runs, %d torch threads, torch %s" % (name, a.repeat, torch.get_num_threads(),
                                                                 torch.__version__))
    for label, *_ in builds:
        print("  %-28s %10.3f ms  %.2fx PyTorch" % (label, med[label], med["torch"] / med[label]))
    print("  %-28s %10.3f ms  (the reference's eager ops, float32)" % ("torch", med["torch"]))
    if len(builds) > 1:
        base = builds[0][0]
        for label, *_ in builds[1:]:
            print("  %s / %s: %.2fx" % (label, base, med[base] / med[label]))

if __name__ == "__main__":
    main()
