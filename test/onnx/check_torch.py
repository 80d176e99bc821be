"""End to end with Debian's PyTorch: modules of test/onnx/torch_models.py exported by torch.onnx.export,
compiled by `dmc compile MODEL.onnx` at each -O level, run by `dmc run` at several sequence lengths (the
dynamic axis S is a run-time symbol of one library) and compared with PyTorch's own float32 output:
max |dmc - torch| / max |torch| < 1e-5.

  /usr/bin/python3 test/onnx/check_torch.py DMC [--levels 0,3] [--sizes 1,7,77] [MODEL[:OPSET][@BATCH] ...]

Besides opset 17, two encoders are exported at opsets 13 and 14, where PyTorch writes LayerNorm decomposed
(ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add): the importer's pattern must rebuild it. Two
run at batch 1 (the default is 2), where the sequence-first layout transposes only move axes of size 1
and the importer folds them into reshapes (Patterns.cpp).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models  # noqa: E402

TOLERANCE = 1e-5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dmc")
    parser.add_argument("--levels", default="0,1,2,3")
    parser.add_argument("--all-levels-for", default="",
                        help="with --levels, run these models (comma-separated) at -O0..-O3 and the rest only at --levels")
    parser.add_argument("--sizes", default="1,7,77")
    parser.add_argument("models", nargs="*")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    models = args.models or list(torch_models.MODELS) + ["encoder_post_gelu:14", "encoder_pre_relu:13",
                                                         "encoder_post_gelu@1", "encoder_pre_relu@1"]
    levels = [int(v) for v in args.levels.split(",")]
    sizes = [int(v) for v in args.sizes.split(",")]
    failures = checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in models:
            base, _, batch = spec.partition("@")
            name, _, opset = base.partition(":")
            batch = int(batch or torch_models.B)
            path = os.path.join(tmp, f"{name}{opset}b{batch}.onnx")
            module = torch_models.export(name, path, opset=int(opset or 17), batch=batch)
            name = spec
            inputs = {}
            for s in sizes:
                torch.manual_seed(100 + s)
                given = torch_models.example_inputs(name.partition(":")[0].partition("@")[0], s, batch)
                with torch.no_grad():
                    inputs[s] = ({k: v.numpy() for k, v in given.items()}, module(*given.values()).numpy())
            every = [m for m in args.all_levels_for.split(",") if m]
            for level in ([0, 1, 2, 3] if spec in every else levels):
                lib_dir = os.path.join(tmp, f"{name.replace(':', '_').replace('@', '_b')}-O{level}")
                os.makedirs(lib_dir)
                lib = os.path.join(lib_dir, f"lib{name.replace(':', '_').replace('@', '_b')}.so")
                r = subprocess.run([args.dmc, "compile", path, f"-O{level}", "-o", lib, "--no-cache"],
                                   capture_output=True, text=True)
                if r.returncode:
                    print(f"FAIL {name} -O{level}: compile: {r.stderr.strip()}")
                    failures += 1
                    continue
                for s, (x, expected) in inputs.items():
                    in_dir, out_dir = os.path.join(lib_dir, f"in{s}"), os.path.join(lib_dir, f"out{s}")
                    os.makedirs(in_dir)
                    os.makedirs(out_dir)
                    for input_name, data in x.items():
                        np.save(os.path.join(in_dir, input_name + ".npy"), data)
                    r = subprocess.run([args.dmc, "run", lib, "--bind", f"S={s}", "--inputs", in_dir,
                                        "--outputs", out_dir], capture_output=True, text=True)
                    checks += 1
                    if r.returncode:
                        print(f"FAIL {name} -O{level} S={s}: run: {r.stderr.strip()}")
                        failures += 1
                        continue
                    got = np.load(os.path.join(out_dir, "y.npy"))
                    if got.shape != expected.shape:
                        print(f"FAIL {name} -O{level} S={s}: shape {got.shape}, torch {expected.shape}")
                        failures += 1
                        continue
                    err = float(np.abs(got.astype(np.float64) - expected).max() / np.abs(expected).max())
                    ok = err < TOLERANCE and np.isfinite(got).all()
                    failures += not ok
                    print(f"{'ok  ' if ok else 'FAIL'} {name} -O{level} S={s}: max rel error {err:.2e}")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
