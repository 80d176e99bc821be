"""check_where.py DMC GRAPH S LEVEL...: runs Inputs/where.json at S for each -O level against the graph
evaluated by test/torch_refs/interp.py (float64 NumPy, no code shared with dmc).

The inputs make the select observable: the condition holds 0, 1, -0 and NaN (NaN is true, -0 false, as
`c != 0` in C and NumPy), x holds +-inf and NaN exactly where c is false, and y (broadcast over rows)
holds NaN in the columns that c keeps for every row; w is inf and NaN in the batch that m drops. A blend c*x + (1-c)*y, or a select reading the
wrong operand, gives NaN or inf in the outputs; the reference has none (checked). Prints one line per
level; exits 1 on any failure."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "torch_refs"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "backend"))
import interp  # noqa: E402
from tolerance import compare_outputs  # noqa: E402

dmc, graph_path, S, levels = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
graph = json.load(open(graph_path))
B, E = graph["symbols"]["B"], graph["symbols"]["E"]
rng = np.random.default_rng(7)
c = (rng.random((S, E)) < 0.5).astype(np.float32)
c[:, 0], c[:, 1] = 1, 0          # a column always kept (y poisoned there), one never kept
c[0, 2], c[0, 3] = -0.0, np.nan  # -0 is false, NaN true
x = rng.standard_normal((B, S, E)).astype(np.float32)
x[:, c == 0] = np.array([np.inf, -np.inf, np.nan], dtype=np.float32)[np.arange(int((c == 0).sum())) % 3]
y = rng.standard_normal(E).astype(np.float32)
y[0] = np.nan
m = np.array([1, 0], dtype=np.float32).reshape(B, 1, 1)
w = rng.standard_normal((B, S, E)).astype(np.float32)
w[1, :, ::2], w[1, :, 1::2] = np.nan, -np.inf
ins = {"c": c, "x": x, "b": rng.standard_normal(E).astype(np.float32), "y": y, "w": w, "m": m,
       "z": rng.standard_normal((S, 1)).astype(np.float32)}
ref = interp.run_graph(graph, {"B": B, "S": S, "E": E}, {k: v.astype(np.float64) for k, v in ins.items()})
assert all(np.isfinite(v).all() for v in ref.values()), "the reference must be finite"
assert np.isnan(x).any() and np.isinf(x).any(), "the test needs poison in the operand not selected"

failed = 0
with tempfile.TemporaryDirectory() as tmp:
    os.mkdir(os.path.join(tmp, "in"))
    for name, value in ins.items():
        np.save(os.path.join(tmp, "in", name + ".npy"), value)
    for level in levels:
        out = os.path.join(tmp, "out" + level)
        os.mkdir(out)
        run = subprocess.run([dmc, "run", graph_path, "-O" + level, "--inputs", os.path.join(tmp, "in"),
                              "--outputs", out, "--no-cache"], capture_output=True, text=True)
        if run.returncode != 0:
            print("FAIL -O%s: dmc run: %s" % (level, run.stderr.strip()[-400:]))
            failed += 1
            continue
        ok, _, detail = compare_outputs(out, ref)
        print("%s -O%s S=%d %s" % ("PASS" if ok else "FAIL", level, S, detail))
        failed += not ok
sys.exit(1 if failed else 0)
