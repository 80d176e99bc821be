#!/usr/bin/python3
"""A graph whose every name is hostile to C++ compiles and runs at -O0..-O3, and the ABI keeps its names.

The graph (test/lit/backend/Inputs/adversarial_names.json) names its tensors, symbols, nodes and itself with
C++ keywords and alternative tokens (int, and, compl, not_eq, xor_eq, char16_t), macros of the headers that
generated code includes (M_PI, NULL, errno, assert, INT64_MAX, RAND_MAX), pairs that an old prefix scheme
merged (int + u_int, _x + u__x), the emitter's own names (_handle, _state, dmc_buffer) and a tensor named
like a run-time symbol (S). Checks:
  1. no macro of the headers the generated C++ includes starts with a prefix the emitter reserves for
     user names (the complete list, from the system compiler's preprocessor);
  2. the manifest lists the graph's own names, in order;
  3. the header NAME.h compiles as C and as C++;
  4. at every -O level the library compiles, `dmc run --inputs/--outputs` reads and writes NAME.npy for
     the graph's names, and every output matches NumPy (max relative error below 1e-4);
  5. the same graph under other hostile graph names (the exported dmc_NAME_* functions) compiles, loads
     and runs at -O0.
Prints one line per check; exits 1 on any failure.

usage: check_names.py DMC_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from tolerance import compare_outputs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GRAPH = os.path.join(ROOT, "test", "lit", "backend", "Inputs", "adversarial_names.json")
PREFIXES = ("s_", "v_", "dmc_")  # Emitter::symbolName, Emitter::containerName, the ABI's functions
SIZES = {"S": 5, "RAND_MAX": 7, "errno": 6}  # the graph's run-time symbols; INT64_MAX is 3 in the file
GRAPH_NAMES = ("graph", "dmc_buffer", "int")


def inputs(rng):
    S, R, E = SIZES["S"], SIZES["RAND_MAX"], SIZES["errno"]
    shapes = {"S": (S, R), "bitand": (R, E), "char16_t": (E,), "M_PI": (S, E), "NULL": (3, E)}
    return {name: rng.standard_normal(shape).astype(np.float32) for name, shape in shapes.items()}


def reference(x):
    x = {k: v.astype(np.float64) for k, v in x.items()}
    xor_eq = np.maximum(x["S"] @ x["bitand"] + x["char16_t"], 0.0)
    u_int = xor_eq * x["M_PI"]
    e = np.exp(u_int - u_int.max(axis=-1, keepdims=True))
    u__x = e / e.sum(axis=-1, keepdims=True)
    int64_max = xor_eq + u__x
    handle = int64_max / int64_max.sum(axis=1, keepdims=True)
    return {"int": np.tanh(u_int), "_x": 2.0 * u__x + 0.5, "and": np.exp(handle), "assert": x["M_PI"] @ x["NULL"].T}


def run(command):
    return subprocess.run(command, capture_output=True, text=True)


def check_macros(dmc, tmp):
    emitted = run([dmc, "compile", GRAPH, "--emit=cpp", "-o", "-"])
    if emitted.returncode != 0:
        return False, "dmc compile --emit=cpp failed: " + emitted.stderr[-400:]
    includes = [line for line in emitted.stdout.splitlines() if line.startswith("#include")]
    source = os.path.join(tmp, "includes.cpp")
    with open(source, "w") as f:
        f.write("\n".join(includes) + "\n")
    cxx = os.environ.get("CXX", "c++")
    pre = run([cxx, "-std=c++17", "-fopenmp", "-I", os.path.join(ROOT, "runtime", "include"), "-dM", "-E", source])
    if pre.returncode != 0:
        return False, "preprocessing the includes failed: " + pre.stderr[-400:]
    macros = [m.group(1) for m in re.finditer(r"^#define (\w+)", pre.stdout, re.M)]
    clashes = [m for m in macros if m.startswith(PREFIXES)]
    if len(macros) < 100 or "M_PI" not in macros:  # the list must be the real one
        return False, "only %d macros found" % len(macros)
    return not clashes, "%d macros, %d with a reserved prefix %s" % (len(macros), len(clashes), clashes[:5])


def check_manifest(dmc):
    emitted = run([dmc, "compile", GRAPH, "--emit=manifest", "-o", "-"])
    if emitted.returncode != 0:
        return False, "dmc compile --emit=manifest failed: " + emitted.stderr[-400:]
    manifest = json.loads(emitted.stdout)
    with open(GRAPH) as f:
        graph = json.load(f)
    got = [a["name"] for a in manifest["args"]]
    want = [t["name"] for t in graph["inputs"] + graph["outputs"]]
    symbols = sorted(s["name"] for s in manifest["symbols"])
    ok = got == want and symbols == sorted(SIZES) and manifest["name"] == graph["name"]
    return ok, "args %s, symbols %s" % (got, symbols)


def check_header(dmc, tmp):
    header = os.path.join(tmp, "compl.h")
    emitted = run([dmc, "compile", GRAPH, "--emit=header", "-o", header])
    if emitted.returncode != 0:
        return False, "dmc compile --emit=header failed: " + emitted.stderr[-400:]
    for compiler, language in ((os.environ.get("CC", "cc"), "c"), (os.environ.get("CXX", "c++"), "c++")):
        checked = run([compiler, "-fsyntax-only", "-Wall", "-Werror", "-x", language, header])
        if checked.returncode != 0:
            return False, "%s -x %s: %s" % (compiler, language, checked.stderr[-400:])
    return True, "C and C++ accept it"


def check_level(dmc, tmp, level, graph_name=None):
    ins = inputs(np.random.default_rng(level))
    expected = reference(ins)
    graph, label = GRAPH, "O%d" % level
    if graph_name:  # the same graph under another name
        with open(GRAPH) as f:
            renamed = dict(json.load(f), name=graph_name)
        label += "-" + graph_name
        graph = os.path.join(tmp, label + ".json")
        with open(graph, "w") as f:
            json.dump(renamed, f)
    lib = os.path.join(tmp, label, "lib%s.so" % (graph_name or "compl"))
    in_dir, out_dir = os.path.join(tmp, "in-" + label), os.path.join(tmp, "out-" + label)
    os.mkdir(in_dir)
    for name, value in ins.items():
        np.save(os.path.join(in_dir, name + ".npy"), value)
    built = run([dmc, "compile", graph, "-O%d" % level, "--no-cache", "-o", lib])
    if built.returncode != 0:
        return False, "dmc compile failed: " + built.stderr[-600:]
    binds = [arg for name, value in SIZES.items() for arg in ("--bind", "%s=%d" % (name, value))]
    ran = run([dmc, "run", lib, *binds, "--inputs", in_dir, "--outputs", out_dir])
    if ran.returncode != 0:
        return False, "dmc run failed: " + ran.stderr[-400:]
    written = sorted(os.listdir(out_dir))
    if written != sorted(name + ".npy" for name in expected):
        return False, "dmc run --outputs wrote %s" % written
    ok, _, detail = compare_outputs(out_dir, expected)
    return ok, detail


def main():
    dmc = sys.argv[1]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        checks = [("macros", lambda: check_macros(dmc, tmp)), ("manifest", lambda: check_manifest(dmc)),
                  ("header", lambda: check_header(dmc, tmp))]
        checks += [("-O%d" % level, lambda level=level: check_level(dmc, tmp, level)) for level in range(4)]
        # dmc_graph_create next to dmc_graph_name; the emitter's own struct; a keyword.
        checks += [("@" + name, lambda name=name: check_level(dmc, tmp, 0, name)) for name in GRAPH_NAMES]
        for label, check in checks:
            ok, message = check()
            print("%s %-16s %s" % ("PASS" if ok else "FAIL", label, message), flush=True)
            failed += not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
