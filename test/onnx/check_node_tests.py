"""ONNX backend node tests shipped by Debian (libonnx-testdata) through dmc: each test's model.onnx is
compiled by `dmc compile`, run by `dmc run` on test_data_set_*/input_*.pb and compared with output_*.pb
at the ONNX backend's tolerance (rtol 1e-3, atol 1e-7).

Integer and bool inputs of a test (shapes, axes, indices, conditions) become initializers first: dmc
folds them at import and takes only float32 run-time inputs (docs/onnx.md). The tests run are those of
node_tests.txt; docs/onnx.md lists them with the excluded ones and why.

  /usr/bin/python3 test/onnx/check_node_tests.py DMC [-O0] [--data DIR] [--all PREFIX ...] [TEST ...]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data/node"

# The tests that dmc passes (docs/onnx.md lists the ops claimed and the tests excluded, with reasons).
LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_tests.txt")


def listed_tests():
    return [line.strip() for line in open(LIST) if line.strip() and not line.startswith("#")]


def tensor_of(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def prepare(test_dir, out_path):
    """The test's model with its non-float inputs as initializers; returns (float input names, data sets)."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    sets = []
    for d in sorted(glob.glob(os.path.join(test_dir, "test_data_set_*"))):
        ins = [tensor_of(p) for p in sorted(glob.glob(os.path.join(d, "input_*.pb")))]
        outs = [numpy_helper.to_array(tensor_of(p)) for p in sorted(glob.glob(os.path.join(d, "output_*.pb")))]
        sets.append((ins, outs))
    ins0 = sets[0][0]
    keep, folded = [], []
    for vi, t in zip(model.graph.input, ins0):
        if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE):
            keep.append(vi)
        else:
            t.name = vi.name
            folded.append(t)
    # A folded input must be the same in every data set, or the test needs it at run time.
    for ins, _ in sets[1:]:
        for vi, t in zip(model.graph.input, ins):
            if t.data_type not in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE):
                ref = [f for f in folded if f.name == vi.name][0]
                if numpy_helper.to_array(t).tolist() != numpy_helper.to_array(ref).tolist():
                    raise RuntimeError(f"input {vi.name} differs between data sets")
    del model.graph.input[:]
    model.graph.input.extend(keep)
    model.graph.initializer.extend(folded)
    onnx.save(model, out_path)
    names = [vi.name for vi in keep]
    return names, [([numpy_helper.to_array(t) for t in ins if t.data_type in (1, 11)], outs) for ins, outs in sets]


def run_test(dmc, name, data, tmp, level):
    work = os.path.join(tmp, name)
    os.makedirs(work)
    model = os.path.join(work, "model.onnx")
    _, sets = prepare(os.path.join(data, name), model)
    lib = os.path.join(work, "libmodel.so")
    r = subprocess.run([dmc, "compile", model, f"-O{level}", "-o", lib], capture_output=True, text=True)
    if r.returncode:
        return "compile: " + r.stderr.strip().replace(model, "model.onnx")
    manifest = json.load(open(os.path.join(work, "model.manifest.json")))
    in_names = [a["name"] for a in manifest["args"] if a["role"] == "input"]
    out_names = [a["name"] for a in manifest["args"] if a["role"] == "output"]
    for k, (ins, outs) in enumerate(sets):
        in_dir, out_dir = os.path.join(work, f"in{k}"), os.path.join(work, f"out{k}")
        os.makedirs(in_dir)
        os.makedirs(out_dir)
        if len(ins) != len(in_names) or len(outs) != len(out_names):
            return f"{len(in_names)} inputs and {len(out_names)} outputs, the test has {len(ins)} and {len(outs)}"
        for n, a in zip(in_names, ins):
            np.save(os.path.join(in_dir, n + ".npy"), a.astype(np.float32))
        r = subprocess.run([dmc, "run", lib, "--inputs", in_dir, "--outputs", out_dir], capture_output=True, text=True)
        if r.returncode:
            return "run: " + r.stderr.strip()
        for n, expected in zip(out_names, outs):
            got = np.load(os.path.join(out_dir, n + ".npy"))
            if got.shape != expected.shape:
                return f"output {n}: shape {got.shape}, expected {expected.shape}"
            if not np.allclose(got, expected.astype(np.float32), rtol=1e-3, atol=1e-7):
                err = np.abs(got - expected).max()
                return f"output {n}: max abs error {err:.3g}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dmc")
    parser.add_argument("-O", dest="level", default="0")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--all", nargs="*", help="run every test whose name starts with a prefix")
    parser.add_argument("--quick", action="store_true", help="every third test of node_tests.txt (ctest)")
    parser.add_argument("tests", nargs="*")
    args = parser.parse_args()
    tests = args.tests or listed_tests()
    if args.quick:
        tests = tests[::3]
    if args.all:
        tests = sorted(t for t in os.listdir(args.data) if any(t.startswith(p) for p in args.all))
    missing = [t for t in tests if not os.path.isdir(os.path.join(args.data, t))]
    if missing:
        print(f"missing test folders (is libonnx-testdata installed?): {missing}")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            try:
                why = run_test(args.dmc, t, args.data, tmp, args.level)
            except Exception as e:  # a broken test folder is a failure, not a crash of the runner
                why = f"runner: {e}"
            failures += why is not None
            print(f"{'ok  ' if why is None else 'FAIL'} {t}" + ("" if why is None else f": {why}"))
    print(f"{len(tests) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
