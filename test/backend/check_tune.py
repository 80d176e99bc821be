#!/usr/bin/python3
"""dmc tune and the tuned -O3 (docs/tuning.md):

- two tunes at once, of bert_encoder and mha_causal at the shapes of compare_samples' "S=77, B=3"
  configuration, into one database: both exit 0 within their budget (plus start-up), print their nodes,
  and the database holds the entries of both graphs (concurrent writers keep each other's results),
  keyed by this machine's thread count;
- dmc compile -O3 with that database gives the nodes `tuning = "tuned"` (the dump after
  apply-tuned-choices), and --print-pipeline names the database;
- the tuned libraries match the PyTorch references (compare_samples.py --tuning-db, uneven shapes);
- so do libraries whose stored choices are tile nests at blocks that cut every dimension unevenly
  (GEMMs m = 2 register-tile rows, n = 3 register-tile columns, k = 40, so a partial last block column
  of several panels; attention q = one register tile's rows, k = 2 columns; rows = 3), written into a
  copy of the database;
- bad uses exit 2 with a message: --budget 0, a free size, --tuning-db=none.

usage: check_tune.py DMC_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_samples import uneven_configurations  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"
SAMPLES = ["bert_encoder", "mha_causal"]
BUDGET = 12
failures = []


def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def sample(name):
    return os.path.join(ROOT, "samples", name + ".json")


def binds_of(name):
    """The --test-size and --bind arguments of compare_samples' "S=77, B=3" configuration of `name`."""
    with open(sample(name)) as f:
        graph = json.load(f)
    (extra,) = [extra for label, extra, _ in uneven_configurations(graph) if label.startswith("S=77, B=3")]
    return extra


def odd_tiles(entry):
    """Blocks that cut the test shapes unevenly, in multiples of the register tile `entry`'s ISA gets."""
    mr, nr = (12, 32) if entry["isa"] == "avx512" else (6, 16)
    op = entry["node"].split()[0]
    if op in ("nn.fused_matmul", "nn.matmul", "nn.gemm"):
        return {"m": 2 * mr, "n": 3 * nr, "k": 40}
    if op == "nn.attention":
        return {"q": mr, "k": 2 * nr}
    return {"rows": 3}


def main():
    dmc = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DMC_CACHE_DIR=os.path.join(tmp, "cache"))
        db = os.path.join(tmp, "cache", "tuning.json")

        # Two tunes at once into the same database.
        start = time.time()
        tunes = {name: subprocess.Popen([dmc, "tune", sample(name), "--budget", str(BUDGET), "--json",
                                         os.path.join(tmp, name + ".json")] + binds_of(name),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for name in SAMPLES}
        reports = {}
        for name, p in tunes.items():
            out, err = p.communicate()
            elapsed = time.time() - start
            check(p.returncode == 0, "dmc tune %s exits 0 (%s)" % (name, err.strip()[-300:]))
            check(elapsed < BUDGET + 20, "dmc tune %s took %.1f s for a budget of %d s" % (name, elapsed, BUDGET))
            check("stored" in out and "library" in out, "dmc tune %s prints its candidates and what it stored" % name)
            with open(os.path.join(tmp, name + ".json")) as f:
                reports[name] = json.load(f)
        with open(db) as f:
            entries = json.load(f)["entries"]
        for name, report in reports.items():
            nodes = {n["node"] for n in report["nodes"] if n["best"]}
            stored = {e["node"] for e in entries if e["threads"] == report["machine"]["threads"]}
            check(nodes and nodes <= stored,
                  "the database holds the %d nodes %s stored (%d entries in all)" % (len(nodes), name, len(entries)))

        # -O3 applies them, and says so.
        name = "bert_encoder"
        dumps = os.path.join(tmp, "dumps")
        compiled = subprocess.run([dmc, "compile", sample(name), "-O3", "--dump-ir-after-all", dumps, "-o",
                                   os.path.join(tmp, "lib.so")] + binds_of(name), capture_output=True, text=True, env=env)
        check(compiled.returncode == 0, "dmc compile -O3 with the database (%s)" % compiled.stderr.strip()[-300:])
        applied = [f for f in os.listdir(dumps) if f.endswith("-apply-tuned-choices.mlir")] if compiled.returncode == 0 else []
        text = open(os.path.join(dumps, applied[0])).read() if applied else ""
        check(text.count('tuning = "tuned"') >= 4 and 'tuning = "default"' not in text,
              "after apply-tuned-choices every tunable node of %s is tuned (%d)" % (name, text.count('tuning = "tuned"')))
        pipeline = subprocess.run([dmc, "compile", sample(name), "-O3", "--print-pipeline"], capture_output=True,
                                  text=True, env=env)
        check("apply-tuned-choices{" in pipeline.stdout and db in pipeline.stdout,
              "--print-pipeline names the database")

        # The tuned libraries, then blocks that cut every dimension, against the PyTorch references.
        forced = os.path.join(tmp, "forced.json")
        with open(db) as f:
            database = json.load(f)
        candidates = {n["node"]: [c["choice"] for c in n["candidates"]] for r in reports.values() for n in r["nodes"]}
        for e in database["entries"]:
            if any(c.startswith("tiled") for c in candidates.get(e["node"], [])):
                e["impl"], e["tiles"] = "tiled", odd_tiles(e)
        with open(forced, "w") as f:
            json.dump(database, f)
        for name in SAMPLES: # the odd blocks are what -O3 then expands with
            dumps = os.path.join(tmp, "forced-" + name)
            subprocess.run([dmc, "compile", sample(name), "-O3", "--tuning-db=" + forced, "--dump-ir-after-all", dumps,
                            "--emit=header", "-o", os.devnull] + binds_of(name), capture_output=True, env=env)
            applied = [f for f in os.listdir(dumps) if f.endswith("-apply-tuned-choices.mlir")] if os.path.isdir(dumps) else []
            text = open(os.path.join(dumps, applied[0])).read() if applied else ""
            check("k = 40 : i64" in text and ("q = 12 : i64" in text or "q = 6 : i64" in text),
                  "%s compiled with the odd blocks (tiles in the dump after apply-tuned-choices)" % name)
        for what, path in (("tuned", db), ("odd blocks", forced)):
            run = subprocess.run([PY, os.path.join(ROOT, "test", "backend", "compare_samples.py"), dmc, "-O3",
                                  "--tuning-db=" + path, "--uneven"] + SAMPLES, capture_output=True, text=True, env=env)
            check(run.returncode == 0, "the %s libraries match the references:\n%s" % (what, run.stdout.strip()))

        # Bad uses.
        free = os.path.join(tmp, "free.mlir")
        with open(free, "w") as f:
            f.write("sdfg.sdfg @free symbols(%S) inputs(%x: !sdfg.array<f32[S, 16]>) outputs(%y: !sdfg.array<f32[S, 16]>) {\n"
                    "  sdfg.state @s {\n"
                    "    nn.softmax ins(%x : !sdfg.array<f32[S, 16]>) outs(%y : !sdfg.array<f32[S, 16]>)\n"
                    "  }\n}\n")
        for args, message in (([sample("mha"), "--test-size", "--budget", "0"], "--budget must be a positive number"),
                              ([sample("mha"), "--test-size", "--tuning-db=none"], "needs a tuning database"),
                              ([free], "tune needs every size bound; 'S' is not")):
            bad = subprocess.run([dmc, "tune"] + args, capture_output=True, text=True, env=env)
            check(bad.returncode == 2 and message in bad.stderr,
                  "dmc tune %s: exit 2, '%s' (%d: %s)" % (" ".join(os.path.basename(a) for a in args), message,
                                                           bad.returncode, bad.stderr.strip()[-200:]))
    print("%d failed" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
