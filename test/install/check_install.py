#!/usr/bin/python3
"""ctest install_consumer: `cmake --install BUILD --prefix TMP`, then test/install/consumer configured,
built and run against TMP only (docs/cmake.md).

Checks: the tools, libdmcrt, the headers and the package config are installed; no installed file's and no
generated library's run path names the build tree (it is $ORIGIN, the prefix's libdmcrt beside it); the consumer's graph is compiled at build time by the
installed dmc, rebuilt when the graph changes and not otherwise; its output matches loops in main.cpp; the
libdmcrt it loads is the installed one (or its copy beside the graph library); the dmc Python package loads and runs the same library.

    test/install/check_install.py BUILD_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONSUMER = Path(__file__).resolve().parent / "consumer"


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(map(str, args))} exited {result.returncode}\n{result.stdout}{result.stderr}")
    return result.stdout


def run_path(binary: Path) -> str:
    for line in run("readelf", "-d", binary).splitlines():
        if "(RUNPATH)" in line or "(RPATH)" in line:
            return line.split("[", 1)[1].rstrip("]")
    return ""


def check(condition, message):
    if not condition:
        sys.exit(f"FAIL: {message}")


def main():
    build = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="dmc-install-") as tmp:
        tmp = Path(tmp)
        prefix, consumer, consumer_build = tmp / "prefix", tmp / "consumer", tmp / "consumer-build"
        run("cmake", "--install", build, "--prefix", prefix)
        for path in ["bin/dmc", "bin/dmc-opt", "lib/libdmcrt.so", "include/dmc/runtime/runtime.h",
                     "include/dmc/runtime/loader.h", "lib/cmake/dmc/dmcConfig.cmake",
                     "lib/cmake/dmc/dmcConfigVersion.cmake", "lib/cmake/dmc/dmcGraphLibrary.cmake"]:
            check((prefix / path).is_file(), f"{path} is not installed")
        for path in ["bin/dmc", "bin/dmc-opt", "lib/libdmcrt.so"]:
            check(str(build) not in run_path(prefix / path), f"{path} has the run path {run_path(prefix / path)}")

        # A copy of the consumer, so that the test can touch its graph; a cache of its own, so that the
        # installed dmc really compiles.
        shutil.copytree(CONSUMER, consumer)
        env = dict(os.environ, DMC_CACHE_DIR=str(tmp / "cache"))
        run("cmake", "-S", consumer, "-B", consumer_build, "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={prefix}", env=env)
        log = run("cmake", "--build", consumer_build, env=env)
        check(f"{prefix}/bin/dmc compile" in run("ninja", "-C", consumer_build, "-t", "commands"),
              "the graph is not compiled by the installed dmc")
        check("dmc: compiling affine_softmax.json (-O3 --bind S=5)" in log, f"no graph compile in\n{log}")
        library = consumer_build / "affine_softmax" / "libaffine_softmax.so"
        check(run_path(library) == "$ORIGIN", f"the graph library's run path is {run_path(library)}")
        beside = library.parent / "libdmcrt.so"
        check(beside.is_file() and beside.read_bytes() == (prefix / "lib" / "libdmcrt.so").read_bytes(),
              "the installed libdmcrt is not beside the graph library")
        check((consumer_build / "affine_softmax" / "affine_softmax.h").is_file(), "no generated header")

        out = run(consumer_build / "consumer", env=env)
        print(out, end="")
        # The executable's run path lists the graph library's folder too, where the installed runtime's copy is.
        check(f"libdmcrt: {prefix}/lib/libdmcrt.so" in out or f"libdmcrt: {beside}" in out,
              "the consumer did not load the installed libdmcrt or its copy beside the graph library")
        check(f"graph: {library}" in out, "the consumer did not load its graph library")

        # The same library from Python (dmc.load on $<TARGET_FILE:affine_softmax>), B inferred from x.
        script = ("import dmc, numpy as np, sys\n"
                  "lib = dmc.load(sys.argv[1])\n"
                  "x = np.linspace(-1, 1, 3 * 5 * 3, dtype=np.float32).reshape(3, 5, 3)\n"
                  "w = np.linspace(1, -1, 9, dtype=np.float32).reshape(3, 3)\n"
                  "t = x.astype(np.float64) @ w\n"
                  "want = np.exp(t - t.max(-1, keepdims=True))\n"
                  "want /= want.sum(-1, keepdims=True)\n"
                  "assert np.abs(lib(x=x, w=w) - want).max() < 1e-6\n")
        run(sys.executable, "-c", script, library, env=dict(env, PYTHONPATH=str(CONSUMER.parents[2] / "python")))

        check("no work to do" in run("cmake", "--build", consumer_build, env=env), "a second build did work")
        os.utime(consumer / "affine_softmax.json")
        check("dmc: compiling" in run("cmake", "--build", consumer_build, env=env),
              "a touched graph was not compiled again")
    print("install_consumer: ok")


if __name__ == "__main__":
    main()
