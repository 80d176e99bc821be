#!/usr/bin/python3
"""Peer benchmark: dmc builds of a sample against what a PyTorch user would run instead (issue #13).

    scripts/peers.py --graph samples/NAME.json --so BUILD.so [--so OTHER.so ...] [--bind S=4096]
        [--test-size] [--threads T] [--rounds R] [--repeat N] [--warmup W]
        [--peers ref,eager,compile,flex,ort] [--json OUT.json] [--svg OUT.svg]
    scripts/peers.py --merge A.json B.json ... [--svg ALL.svg] [--json ALL.json]

Every variant -- each dmc build (loaded with ctypes: dmc_NAME_create, dmc_NAME_run_packed, the manifest
for the argument order) and each peer (samples/torch/peers.py says what each one is) -- runs in its own
worker process with T threads (OMP_NUM_THREADS=T, torch.set_num_threads(T), ORT intra_op threads T).
A reference worker first draws the sample's seeded inputs (samples/torch/common.py) and runs
samples/torch/NAME.py on them (float64 unless --ref-dtype float32); every worker gets those inputs.
Each worker then runs once and returns its outputs, which must agree with the reference:
max|out - ref| / max(1, max|ref|) < 1e-3. A variant that disagrees is reported and not timed; a peer that
cannot run here (torch too old, onnxruntime missing, torch.compile failing) is reported as skipped, with
the reason. Then R rounds: in each, every worker in turn runs W untimed and N timed runs while the others
wait on their pipes (the order rotates from round to round). Reported per variant: median, min and max
of the R*N times; per dmc build, its speed-up over each peer (peer median / build median) and over the
best peer. --json writes every number, --svg draws those speed-ups as a bar chart (log scale).

--merge reads the --json files of several runs and prints and draws them together.

Exit status: 0 when every dmc build agreed and was timed and no peer disagreed; 1 otherwise.
"""
import argparse
import datetime
import json
import math
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_DIR = os.path.join(ROOT, "samples", "torch")
TOLERANCE = 1e-3
PEERS = ("ref", "eager", "compile", "flex", "ort")


def relative_error(got, ref):
    got, ref = np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return float("inf")
    err = float(np.max(np.abs(got - ref), initial=0.0)) / max(1.0, float(np.max(np.abs(ref), initial=0.0)))
    return err if np.isfinite(err) else float("inf")


# ================================================================ worker ===
class DmcBuild:
    """A dmc shared library, loaded as scripts/peer_bench.py did: ctypes, the embedded manifest for the
    argument order, dmc_NAME_create and dmc_NAME_run_packed."""

    def __init__(self, path, graph, syms, inputs):
        import ctypes
        name = graph["name"]
        lib = ctypes.CDLL(os.path.abspath(path))
        try:
            manifest_fn = getattr(lib, "dmc_%s_manifest" % name)
        except AttributeError:
            raise RuntimeError("%s exports no dmc_%s_manifest: not a build of graph '%s'" % (path, name, name))
        manifest_fn.restype = ctypes.c_char_p
        manifest = json.loads(manifest_fn())
        create = getattr(lib, "dmc_%s_create" % name)
        create.restype = ctypes.c_void_p
        run = getattr(lib, "dmc_%s_run_packed" % name)
        run.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_void_p)]
        run.restype = ctypes.c_int
        unbound = [s["name"] for s in manifest["symbols"] if s.get("bound") is None]
        declared = {d["name"]: d for d in graph["inputs"] + graph["outputs"]}
        arrays, self.outputs = [], {}
        for arg in manifest["args"]:
            shape = tuple(d if isinstance(d, int) else syms[d] for d in arg["shape"])
            want = tuple(d if isinstance(d, int) else syms[d] for d in declared[arg["name"]]["shape"])
            if shape != want:
                raise RuntimeError("%s was built for %s of shape %s, this run has %s (build and run with the "
                                   "same --bind / --test-size)" % (path, arg["name"], list(shape), list(want)))
            if arg["role"] == "input":
                arrays.append(np.ascontiguousarray(inputs[arg["name"]], dtype=np.float32))
            else:
                self.outputs[arg["name"]] = np.zeros(shape, dtype=np.float32)
                arrays.append(self.outputs[arg["name"]])
        self.arrays = arrays  # keeps the buffers alive
        self.symbols = (ctypes.c_int64 * max(1, len(unbound)))(*[syms[s] for s in unbound])
        self.pointers = (ctypes.c_void_p * len(arrays))(*[a.ctypes.data for a in arrays])
        self.handle = create()
        if not self.handle:
            raise RuntimeError("dmc_%s_create returned NULL" % name)
        self.run_packed, self.path = run, path
        self.note = "dmc -O%s, %s" % (manifest.get("opt_level", "?"), manifest.get("cxx_flags", ""))

    def __call__(self):
        rc = self.run_packed(self.handle, self.symbols, self.pointers)
        if rc != 0:
            raise RuntimeError("dmc run returned %d: %s" % (rc, self.path))
        return self.outputs


class Worker:
    """The worker side: one variant, driven by pickled (command, args...) messages."""

    def __init__(self):
        self.fn, self.torch = None, None

    def setup(self, spec):
        sys.path.insert(0, TORCH_DIR)
        threads = spec["threads"]
        with open(spec["graph"]) as f:
            self.graph = json.load(f)
        if spec["kind"] == "dmc":
            self.fn = DmcBuild(spec["so"], self.graph, spec["syms"], spec["inputs"])
            return {"status": "ok", "note": self.fn.note}
        import torch
        self.torch = torch
        if threads > 0:
            torch.set_num_threads(threads)
        import common
        if spec["kind"] == "reference":
            return self.setup_reference(spec, torch, common)
        import peers
        syms = spec["syms"]
        inputs = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in spec["inputs"].items()}
        opts = dict(spec.get("opts", {}), threads=threads)
        try:
            variant = peers.make(spec["peer"], self.graph["name"], self.graph, syms, inputs, opts)
        except peers.Skip as e:
            return {"status": "skipped", "reason": str(e)}
        self.fn = variant.fn
        return {"status": "ok", "note": variant.note, "threads": torch.get_num_threads()}

    def setup_reference(self, spec, torch, common):
        import importlib
        syms = common.resolve_symbols(self.graph, spec["test_size"], spec["binds"])
        inputs = common.make_inputs(self.graph, syms, importlib.import_module(self.graph["name"]).INIT, spec["seed"])
        ref = importlib.import_module(self.graph["name"])
        dtype = {"float64": torch.float64, "float32": torch.float32}[spec["ref_dtype"]]
        t = {k: v.to(dtype) for k, v in inputs.items()}
        self.fn = lambda: ref.reference(t, syms)
        return {"status": "ok", "syms": syms, "inputs": {k: v.float().numpy() for k, v in inputs.items()},
                "machine": self.versions(torch)}

    @staticmethod
    def versions(torch):
        info = {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}
        try:
            import re
            cfg = torch.__config__.show()
            for key in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN"):
                m = re.search(r"\b%s=([^,\s]+)" % key, cfg)
                if m:
                    info[key.lower()] = m.group(1)
        except Exception:  # noqa: BLE001 - informative only
            pass
        try:
            import onnxruntime
            info["onnxruntime"] = onnxruntime.__version__
        except Exception:  # noqa: BLE001
            info["onnxruntime"] = None
        return info

    def call(self):
        if self.torch is not None:
            with self.torch.no_grad():
                out = self.fn()
        else:
            out = self.fn()
        return out

    def run(self):
        start = time.perf_counter()
        out = self.call()
        ms = (time.perf_counter() - start) * 1e3
        arrays = {}
        for k, v in out.items():
            if hasattr(v, "detach"):
                v = v.detach().cpu().numpy()
            arrays[k] = np.array(v, copy=True)
        return {"outputs": arrays, "ms": ms}

    def time(self, n, warmup):
        import gc
        for _ in range(warmup):
            self.call()
        gc.collect()
        gc.disable()
        try:
            times = []
            for _ in range(n):
                start = time.perf_counter()
                self.call()
                times.append((time.perf_counter() - start) * 1e3)
        finally:
            gc.enable()
        return {"times": times}


def worker_main():
    # The protocol runs on private copies of stdin and stdout; fd 0 becomes /dev/null and fd 1 the log
    # (stderr), so that nothing a library prints, nor a child it starts, can corrupt it.
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    worker = Worker()
    while True:
        try:
            msg = pickle.load(proto_in)
        except EOFError:
            return 0
        cmd, args = msg[0], msg[1:]
        if cmd == "quit":
            return 0
        try:
            reply = getattr(worker, cmd)(*args)
        except BaseException as e:  # noqa: BLE001 - every failure goes back to the driver
            traceback.print_exc()
            reply = {"status": "error", "reason": ("%s: %s" % (type(e).__name__, e)).strip().splitlines()[0][:400]}
        pickle.dump(reply, proto_out, protocol=pickle.HIGHEST_PROTOCOL)
        proto_out.flush()


# ================================================================ driver ===
class Proc:
    """The driver's end of a worker process."""

    def __init__(self, label, env, log_dir, verbose):
        self.label = label
        self.log = os.path.join(log_dir, "".join(c if c.isalnum() or c in "._-" else "_" for c in label) + ".log")
        self.logf = open(self.log, "wb")
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"], env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=None if verbose else self.logf)

    def ask(self, *msg):
        try:
            pickle.dump(msg, self.p.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.p.stdin.flush()
            return pickle.load(self.p.stdout)
        except (EOFError, BrokenPipeError, pickle.UnpicklingError):
            rc = self.p.wait()
            return {"status": "error", "reason": "worker died (exit status %s)%s" % (rc, self.log_tail())}

    def log_tail(self):
        try:
            self.logf.flush()
            with open(self.log, "rb") as f:
                lines = [l for l in f.read().decode(errors="replace").splitlines() if l.strip()]
            return "; last log line: %s" % lines[-1][:300] if lines else ""
        except OSError:
            return ""

    def close(self):
        if self.p.poll() is None:
            try:
                pickle.dump(("quit",), self.p.stdin)
                self.p.stdin.flush()
                self.p.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.logf.close()


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def worker_env(threads):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if threads > 0:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return env


def parse_binds(binds, error):
    out = {}
    for b in binds:
        k, _, v = b.partition("=")
        if not v.lstrip("-").isdigit():
            error("--bind wants SYM=N, got %r" % b)
        out[k] = int(v)
    return out


def stats(times):
    s = sorted(times)
    n = len(s)
    median = s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
    return median, s[0], s[-1]


def run_benchmark(a, error):
    with open(a.graph) as f:
        graph = json.load(f)
    name = graph["name"]
    binds = parse_binds(a.bind, error)
    log_dir = tempfile.mkdtemp(prefix="dmc-peers-")
    env = worker_env(a.threads)
    opts = {"compile_mode": a.compile_mode, "freezing": a.freezing}
    procs = []

    def say(msg):
        print(msg, flush=True)

    # The reference: symbols, seeded inputs, expected outputs.
    ref = Proc("reference", env, log_dir, a.verbose)
    procs.append(ref)
    r = ref.ask("setup", {"kind": "reference", "graph": a.graph, "binds": binds, "test_size": a.test_size,
                          "seed": a.seed, "threads": a.threads, "ref_dtype": a.ref_dtype})
    if r.get("status") != "ok":
        ref.close()
        raise SystemExit("peers.py: the reference failed: %s (log %s)" % (r.get("reason"), ref.log))
    syms, inputs, machine = r["syms"], r["inputs"], r["machine"]
    out = ref.ask("run")
    if "outputs" not in out:
        ref.close()
        raise SystemExit("peers.py: the reference failed: %s (log %s)" % (out.get("reason"), ref.log))
    expected = out["outputs"]
    ref_ms = out["ms"]
    ref.close()
    procs.remove(ref)
    machine.update(cpu=cpu_model(), cpus=os.cpu_count(), python=platform.python_version(),
                   platform=platform.platform(), numpy=np.__version__)
    sizes = " ".join("%s=%d" % kv for kv in syms.items())
    threads_shown = a.threads if a.threads > 0 else machine.get("torch_threads")
    say("%s (%s), %s threads; %s; torch %s, onnxruntime %s" % (
        name, sizes, threads_shown, machine["cpu"], machine["torch"], machine.get("onnxruntime") or "not installed"))
    say("reference: samples/torch/%s.py in %s, %.1f ms" % (name, a.ref_dtype, ref_ms))

    # The variants.
    variants = []
    labels = set()
    for path in a.so:
        label = os.path.basename(path)
        while label in labels:
            label += "'"
        labels.add(label)
        variants.append({"label": label, "kind": "dmc", "so": os.path.abspath(path)})
    for peer in a.peers:
        variants.append({"label": peer, "kind": "peer", "peer": peer})
    for v in variants:
        v["proc"] = Proc(v["label"], env, log_dir, a.verbose)
        procs.append(v["proc"])
    try:
        for v in variants:
            spec = {"kind": v["kind"], "graph": os.path.abspath(a.graph), "syms": syms, "inputs": inputs,
                    "threads": a.threads, "opts": opts}
            if v["kind"] == "dmc":
                spec["so"] = v["so"]
            else:
                spec["peer"] = v["peer"]
            r = v["proc"].ask("setup", spec)
            v["note"] = r.get("note", "")
            if r.get("status") == "ok":
                out = v["proc"].ask("run")
                if "outputs" in out:
                    v["first_run_ms"] = out["ms"]
                    errs = {k: relative_error(out["outputs"].get(k, np.zeros(0)), expected[k]) for k in expected}
                    v["max_rel_diff"] = max(errs.values()) if errs else 0.0
                    v["status"] = "ok" if v["max_rel_diff"] < TOLERANCE else "mismatch"
                    if v["status"] == "mismatch":
                        worst = max(errs, key=errs.get)
                        v["reason"] = "output %s: max rel diff %.3g against the reference (tolerance %g)" % (
                            worst, errs[worst], TOLERANCE)
                else:
                    r = out
            if "status" not in v:
                reason = r.get("reason", "")
                if r.get("status") == "error":
                    reason = "failed: " + reason
                v["status"] = "failed" if v["kind"] == "dmc" else "skipped"
                v["reason"] = reason
            line = "  %-24s %s" % (v["label"], v["status"])
            if v["status"] == "ok":
                line += "  (max rel diff %.1e, first run %.1f ms) %s" % (v["max_rel_diff"], v["first_run_ms"], v["note"])
            else:
                line += ": %s" % v["reason"]
                if v["status"] == "failed" or v["reason"].startswith("failed"):
                    line += " [log %s]" % v["proc"].log
                    a.keep_logs = True
            say(line)
            if v["status"] != "ok":
                v["proc"].close()

        timed = [v for v in variants if v["status"] == "ok"]
        for v in timed:
            v["times_ms"], v["round_medians_ms"] = [], []
        for rnd in range(a.rounds if timed else 0):
            k = rnd % len(timed)
            for v in timed[k:] + timed[:k]:
                r = v["proc"].ask("time", a.repeat, a.warmup)
                if "times" not in r:
                    v["status"], v["reason"] = ("failed" if v["kind"] == "dmc" else "skipped"), "failed while timed: %s" % r.get("reason")
                    continue
                v["times_ms"] += r["times"]
                v["round_medians_ms"].append(stats(r["times"])[0])
                if a.gap > 0:
                    time.sleep(a.gap)
            timed = [v for v in timed if v["status"] == "ok"]
        for v in timed:
            v["median_ms"], v["min_ms"], v["max_ms"] = stats(v["times_ms"])
    finally:
        for p in procs:
            p.close()
    for v in variants:
        del v["proc"]

    result = {"sample": name, "graph": os.path.relpath(os.path.abspath(a.graph), ROOT), "symbols": syms,
              "threads": threads_shown, "rounds": a.rounds, "repeat": a.repeat, "warmup": a.warmup, "seed": a.seed,
              "tolerance": TOLERANCE, "reference": {"module": "samples/torch/%s.py" % name, "dtype": a.ref_dtype},
              "options": {"compile_mode": a.compile_mode, "freezing": a.freezing, "gap_s": a.gap},
              "machine": machine, "date": datetime.datetime.now().isoformat(timespec="seconds"),
              "variants": variants}
    result["ratios"] = ratios(result)
    if a.keep_logs:
        say("worker logs kept in %s" % log_dir)
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    return result


def ratios(result):
    """Per dmc build: speed-up over each timed peer (peer median / build median) and over the best peer."""
    builds = [v for v in result["variants"] if v["kind"] == "dmc" and v["status"] == "ok"]
    peers = [v for v in result["variants"] if v["kind"] == "peer" and v["status"] == "ok"]
    out = []
    best = min(peers, key=lambda v: v["median_ms"]) if peers else None
    for b in builds:
        for p in peers:
            out.append({"build": b["label"], "peer": p["label"], "speedup": p["median_ms"] / b["median_ms"]})
        if best is not None:
            out.append({"build": b["label"], "peer": "best", "best_peer": best["label"],
                        "speedup": best["median_ms"] / b["median_ms"]})
    return out


def print_table(result):
    v_all = result["variants"]
    builds = [v for v in v_all if v["kind"] == "dmc" and v["status"] == "ok"]
    print()
    print("%s (%s), %s threads, %d rounds x %d runs (+%d warm-up), medians of all runs" % (
        result["sample"], " ".join("%s=%d" % kv for kv in result["symbols"].items()), result["threads"],
        result["rounds"], result["repeat"], result["warmup"]))
    w0 = max([24] + [len(v["label"]) for v in v_all])
    head = "%-*s %10s %10s %10s %9s" % (w0, "variant", "median ms", "min ms", "max ms", "rel diff")
    widths = [max(12, len(b["label"]) + 4) for b in builds]
    for b, w in zip(builds, widths):
        head += "  %*s" % (w, b["label"] + " x")
    print(head)
    for v in v_all:
        if v["status"] != "ok":
            print("%-*s %s: %s" % (w0, v["label"], v["status"], v.get("reason", "")))
            continue
        line = "%-*s %10.3f %10.3f %10.3f %9.1e" % (w0, v["label"], v["median_ms"], v["min_ms"], v["max_ms"],
                                                    v["max_rel_diff"])
        if v["kind"] == "peer":
            for b, w in zip(builds, widths):
                line += "  %*.2fx" % (w - 1, v["median_ms"] / b["median_ms"])
        print(line)
    for r in result["ratios"]:
        if r["peer"] == "best":
            print("%s: %.2fx the best peer (%s)" % (r["build"], r["speedup"], r["best_peer"]))
    if builds and len(builds) > 1:
        base = builds[0]
        for b in builds[1:]:
            print("%s / %s: %.2fx" % (b["label"], base["label"], base["median_ms"] / b["median_ms"]))


# ================================================================== SVG ===
COLORS = {"ref": "#9e9e9e", "eager": "#1f77b4", "compile": "#ff7f0e", "flex": "#2ca02c", "ort": "#9467bd",
          "best": "#d62728"}


def xml_escape(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def draw_svg(results, path):
    """A horizontal bar per (run, dmc build, peer): dmc's speed-up over the peer, on a log scale around 1x;
    one group of bars per run (sample, sizes, threads)."""
    groups = []
    for res in results:
        sizes = " ".join("%s=%d" % (k, res["symbols"][k]) for k in ("B", "S") if k in res["symbols"])
        rows = []
        for r in res["ratios"]:
            peer = r["peer"] if r["peer"] != "best" else "best peer (%s)" % r["best_peer"]
            rows.append(("%s vs %s" % (r["build"], peer), r["speedup"], r["peer"]))
        groups.append(("%s, %s, %s threads" % (res["sample"], sizes, res["threads"]), rows))
    width, left, right, top, bar, gap, head = 980, 330, 70, 70, 16, 5, 24
    nrows = sum(max(1, len(rows)) for _, rows in groups)
    height = top + nrows * (bar + gap) + len(groups) * head + 50
    vals = [v for _, rows in groups for _, v, _ in rows] or [1.0]
    lo = 2.0 ** math.floor(math.log2(min(min(vals), 1.0) / 1.1))
    hi = 2.0 ** math.ceil(math.log2(max(max(vals), 1.0) * 1.1))
    if hi / lo < 4:
        lo, hi = lo / 2, hi * 2
    plot_left = left + 50          # room for the value of a bar that ends far left
    span = width - plot_left - right

    def x(v):
        return plot_left + span * (math.log2(v) - math.log2(lo)) / (math.log2(hi) - math.log2(lo))

    def tick(v):
        return "%gx" % v if v >= 1 else "1/%dx" % round(1 / v)
    machine = results[0]["machine"] if results else {}
    title = "dmc speed-up over its peers (peer median / dmc median; right of 1x: dmc is faster)"
    sub = "%s, %s CPUs; torch %s, onnxruntime %s" % (machine.get("cpu", "?"), machine.get("cpus", "?"),
                                                    machine.get("torch", "?"), machine.get("onnxruntime") or "not installed")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="22" font-size="15" font-weight="bold">%s</text>' % xml_escape(title),
           '<text x="10" y="42" fill="#555">%s</text>' % xml_escape(sub)]
    steps = int(round(math.log2(hi / lo)))
    every = 1 if steps <= 10 else 2
    for i in range(steps + 1):
        v = lo * 2.0 ** i
        one = abs(v - 1) < 1e-9
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%s"/>' % (
            x(v), top - 8, x(v), height - 40, "#000" if one else "#ddd", "1.5" if one else "1"))
        if one or i % every == 0:
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#333">%s</text>' % (x(v), height - 24, tick(v)))
    y = top
    for header, rows in groups:
        out.append('<text x="10" y="%d" font-weight="bold">%s</text>' % (y + 14, xml_escape(header)))
        y += head
        for label, val, peer in rows:
            x0, x1 = sorted((x(1.0), x(val)))
            out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left, y + bar - 4, xml_escape(label)))
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %.3fx</title></rect>' % (
                x0, y, max(1.0, x1 - x0), bar, COLORS.get(peer, "#17becf"), xml_escape(header + ": " + label), val))
            out.append('<text x="%.1f" y="%d" text-anchor="%s">%.2fx</text>' % (
                x(val) + (4 if val >= 1 else -4), y + bar - 4, "start" if val >= 1 else "end", val))
            y += bar + gap
        if not rows:
            out.append('<text x="%d" y="%d" fill="#555">no dmc build and peer were both timed</text>' % (
                plot_left, y + bar - 4))
            y += bar + gap
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


# ================================================================= main ===
def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="Each peer is described in "
                                "samples/torch/peers.py and docs/performance.md (Peer benchmark).")
    p.add_argument("--graph", help="samples/NAME.json")
    p.add_argument("--so", action="append", default=[], help="a dmc build of the graph (repeatable)")
    p.add_argument("--bind", action="append", default=[], metavar="SYM=N")
    p.add_argument("--test-size", action="store_true", help="the graph's test_symbols (builds made with --test-size)")
    p.add_argument("--threads", type=int, default=0, help="threads of every variant (0: each library's default)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--repeat", type=int, default=10, help="timed runs per variant per round")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs per variant before each round's runs")
    p.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of %s" % ",".join(PEERS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ref-dtype", choices=("float64", "float32"), default="float64",
                   help="precision of the reference the outputs are checked against")
    p.add_argument("--compile-mode", default=None, help="torch.compile mode (default: torch's default)")
    p.add_argument("--freezing", action="store_true", help="torch._inductor.config.freezing = True for compile/flex")
    p.add_argument("--gap", type=float, default=0.1, help="seconds of pause between two workers' turns")
    p.add_argument("--json", help="write every number here")
    p.add_argument("--svg", help="draw dmc's speed-ups here")
    p.add_argument("--merge", nargs="+", metavar="JSON", help="print and draw the results of earlier --json runs")
    p.add_argument("--keep-logs", action="store_true", help="keep the workers' logs (kept anyway after a failure)")
    p.add_argument("--verbose", action="store_true", help="workers' stderr to this terminal instead of logs")
    a = p.parse_args(argv)

    if a.merge:
        results = []
        for path in a.merge:
            with open(path) as f:
                data = json.load(f)
            results += data if isinstance(data, list) else [data]
        for res in results:
            print_table(res)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(results, f, indent=1)
        if a.svg:
            draw_svg(results, a.svg)
        return 0
    if not a.graph:
        p.error("--graph is required (or --merge)")
    a.peers = [x for x in a.peers.split(",") if x] if a.peers else []
    for x in a.peers:
        if x not in PEERS:
            p.error("unknown peer '%s' (peers: %s)" % (x, ", ".join(PEERS)))
    if a.rounds < 1 or a.repeat < 1 or a.warmup < 0:
        p.error("--rounds and --repeat must be at least 1, --warmup at least 0")
    result = run_benchmark(a, p.error)
    print_table(result)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
        print("wrote %s" % a.json)
    if a.svg:
        draw_svg([result], a.svg)
        print("wrote %s" % a.svg)
    bad = [v["label"] for v in result["variants"]
           if (v["kind"] == "dmc" and v["status"] != "ok") or v["status"] == "mismatch"]
    if bad:
        print("peers.py: %s did not agree with the reference or could not be timed" % ", ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
