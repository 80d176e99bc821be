#!/usr/bin/python3
"""Portable libraries (dmc compile --target-cpu, docs/abi.md "Where a library runs"):

- the default (portable) library holds the run function as an ifunc (its builds for x86-64-v4, x86-64-v3
  and the baseline, GCC's target_clones), and its manifest records the flags; native and generic do not;
- a bad --target-cpu or $DMC_TARGET_CPU is refused with the list of targets, exit 2, no output written;
- the library's run path is $ORIGIN and nothing in its dynamic section names the build tree; libdmcrt.so
  is written beside it (left alone when the same file is there); -o naming libdmcrt.so is refused;
- moved to another folder with its libdmcrt, the library runs in a fresh process that loads only that
  libdmcrt, and its output matches the sample's PyTorch reference.

usage: check_portable.py DMC_BINARY
"""
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"
SAMPLE = os.path.join(ROOT, "samples", "mha.json")
failures = []


def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def dmc_compile(dmc, out, *args, env=None):
    return subprocess.run([dmc, "compile", SAMPLE, "--test-size", "-O3", "--no-cache", "-o", out] + list(args),
                          capture_output=True, text=True, env=env)


def dynamic_section(lib):
    return subprocess.run(["readelf", "-d", "-W", lib], capture_output=True, text=True, check=True).stdout


def exported_kind(lib, symbol):
    """nm's letter for `symbol` in the dynamic symbol table ('i': an ifunc, 'T': a plain function)."""
    for line in subprocess.run(["nm", "-D", lib], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == symbol:
            return parts[1]
    return None


# Runs in a fresh process: loads the moved library, runs it on the reference's inputs, and says which
# libdmcrt files the process mapped.
RUNNER = r"""
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np, dmc
lib = dmc.load(sys.argv[2])
inputs = {name: np.load(sys.argv[3] + "/" + name + ".npy") for name in lib.input_names}
y = lib.run(inputs)  # one output: the array itself
np.save(sys.argv[4], y)
maps = open("/proc/self/maps").read().split("\n")
print("\n".join(sorted({line.split()[-1] for line in maps if "libdmcrt" in line})))
"""


def main():
    dmc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        built, moved = os.path.join(tmp, "built"), os.path.join(tmp, "moved")
        os.mkdir(built)
        lib = os.path.join(built, "libmha.so")
        r = dmc_compile(dmc, lib)
        check(r.returncode == 0, "portable compile: " + r.stderr.strip()[-300:])
        check(exported_kind(lib, "dmc_mha_run") == "i", "portable: dmc_mha_run is an ifunc (one build per ISA)")
        manifest = json.load(open(os.path.join(built, "mha.manifest.json")))
        check("-DDMC_TARGET_CLONES" in json.dumps(manifest), "portable: the manifest records the target's flags")

        for target, kind in (("native", "T"), ("generic", "T"), ("x86-64-v3", "T")):
            other = os.path.join(tmp, target, "libmha.so")
            os.mkdir(os.path.dirname(other))
            r = dmc_compile(dmc, other, "--target-cpu=" + target)
            check(r.returncode == 0 and exported_kind(other, "dmc_mha_run") == kind,
                  "--target-cpu=%s: one build of dmc_mha_run (%s)" % (target, r.stderr.strip()[-200:]))

        bad = os.path.join(tmp, "bad", "libmha.so")
        os.mkdir(os.path.dirname(bad))
        for args, env, name in ((["--target-cpu=pentium"], None, "--target-cpu"),
                                ([], dict(os.environ, DMC_TARGET_CPU="pentium"), "$DMC_TARGET_CPU")):
            r = dmc_compile(dmc, bad, *args, env=env)
            check(r.returncode == 2 and name in r.stderr and "'pentium' is not a target" in r.stderr
                  and "x86-64-v3" in r.stderr and not os.listdir(os.path.dirname(bad)),
                  "a bad %s is refused with the targets, nothing written: %s" % (name, r.stderr.strip()))
        r = dmc_compile(dmc, os.path.join(tmp, "bad", "libdmcrt.so"))
        check(r.returncode == 1 and "runtime's name" in r.stderr and not os.listdir(os.path.dirname(bad)),
              "-o .../libdmcrt.so is refused: " + r.stderr.strip())

        dynamic = dynamic_section(lib)
        runpaths = [line for line in dynamic.splitlines() if "RUNPATH" in line or "RPATH" in line]
        check(len(runpaths) == 1 and runpaths[0].rstrip().endswith("[$ORIGIN]"), "run path is $ORIGIN: %s" % runpaths)
        build_tree = os.path.dirname(os.path.dirname(dmc))
        check(build_tree not in dynamic and ROOT not in dynamic, "the dynamic section names no build folder")
        runtime = os.path.join(built, "libdmcrt.so")
        check(os.path.isfile(runtime), "libdmcrt.so is written beside the library")
        before = os.stat(runtime)
        r = subprocess.run([dmc, "compile", os.path.join(ROOT, "samples", "mha_causal.json"), "--test-size", "-O0",
                            "--no-cache", "-o", os.path.join(built, "libmha_causal.so")], capture_output=True, text=True)
        after = os.stat(runtime)
        check(r.returncode == 0 and (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns),
              "a second library in the folder leaves the same libdmcrt.so alone")

        # Move the pair away from the build and run it where nothing else points at the runtime.
        shutil.copytree(built, moved)
        shutil.rmtree(built)
        ins, ref = os.path.join(tmp, "in"), os.path.join(tmp, "ref")
        os.mkdir(ins)
        os.mkdir(ref)
        subprocess.run([PY, os.path.join(ROOT, "samples", "torch", "mha.py"), "--graph", SAMPLE, "--inputs", ins,
                        "--outputs", ref, "--make-inputs", "--seed", "0", "--test-size"], check=True, capture_output=True)
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        out = os.path.join(tmp, "y.npy")
        r = subprocess.run([PY, "-c", RUNNER, os.path.join(ROOT, "python"), os.path.join(moved, "libmha.so"), ins, out],
                           capture_output=True, text=True, env=env)
        check(r.returncode == 0, "the moved library loads and runs: " + r.stderr.strip()[-400:])
        if r.returncode == 0:
            loaded = r.stdout.split()
            check(loaded == [os.path.join(moved, "libdmcrt.so")], "it loads the libdmcrt beside it, only: %s" % loaded)
            graph = json.load(open(SAMPLE))
            expected = np.load(os.path.join(ref, graph["outputs"][0]["name"] + ".npy"))
            got = np.load(out)
            err = float(np.max(np.abs(got - expected)) / max(1.0, float(np.max(np.abs(expected)))))
            check(got.shape == expected.shape and err < 1e-4, "its output matches the reference (error %.2e)" % err)
    print("%d failed" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
