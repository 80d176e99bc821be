"""dmc.compile: runs the dmc binary on a graph file and loads the library it writes."""

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Dict, Optional, Sequence

from ._errors import CompileError
from ._library import Library

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class CompileWarning(UserWarning):
    """A warning or remark that dmc printed while compiling."""


def find_dmc(dmc: Optional[os.PathLike] = None) -> str:
    """The dmc binary: `dmc` if given, else $DMC, else `dmc` on PATH, else the checkout's build/bin/dmc
    (when this package is used from the source tree). A path given explicitly or in $DMC that is not
    an executable is an error, not a reason to look elsewhere."""
    for what, chosen in (("dmc=", dmc), ("$DMC", os.environ.get("DMC") or None)):
        if chosen is not None:
            path = os.fspath(chosen)
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                raise CompileError(f"{what} '{path}' is not an executable file")
            return path
    on_path = shutil.which("dmc")
    if on_path:
        return on_path
    build_tree = Path(__file__).resolve().parents[2] / "build" / "bin" / "dmc"
    if build_tree.is_file() and os.access(build_tree, os.X_OK):
        return str(build_tree)
    raise CompileError("cannot find the dmc binary: pass dmc=PATH, set $DMC, or put dmc on PATH")


_temporary_folders = []


@atexit.register
def _remove_temporary_folders():
    for folder in _temporary_folders:
        shutil.rmtree(folder, ignore_errors=True)


def compile(graph: os.PathLike, opt: int = 3, bind: Optional[Dict[str, int]] = None, *, test_size: bool = False,
            passes: Optional[str] = None, target_cpu: Optional[str] = None, output: Optional[os.PathLike] = None,
            cache: bool = True, dmc: Optional[os.PathLike] = None, extra_args: Sequence[str] = ()) -> Library:
    """Compiles `graph` (a graph .json, or whatever else the dmc binary imports) and loads the library.

    opt: -O level 0..3. bind: symbol values fixed at compile time ({"S": 512}); symbols left free become
    run-time arguments, inferred from the input shapes at each call. test_size: the graph's test_symbols.
    passes: a --passes pipeline instead of the -O level's. target_cpu: dmc's --target-cpu (portable by
    default: any x86-64; native, x86-64-v4, x86-64-v3, generic). output: the library's path (its NAME.h and
    NAME.manifest.json are written beside it); by default a new private folder removed when Python exits.
    cache: dmc's compile cache. Raises CompileError with dmc's message when it fails."""
    graph_path = os.fspath(graph)
    if isinstance(opt, bool) or not isinstance(opt, int) or not 0 <= opt <= 3:
        raise CompileError(f"opt must be 0, 1, 2 or 3, got {opt!r}")
    args = [find_dmc(dmc), "compile", graph_path, f"-O{opt}"]
    for name, value in (bind or {}).items():
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise CompileError(f"bind: {name!r} is not a symbol name")
        if isinstance(value, bool) or not isinstance(value, int):
            raise CompileError(f"bind: the value of '{name}' must be an int, got {value!r}")
        args += ["--bind", f"{name}={value}"]
    if test_size:
        args.append("--test-size")
    if passes is not None:
        args.append(f"--passes={passes}")
    if target_cpu is not None:
        args.append(f"--target-cpu={target_cpu}")
    if not cache:
        args.append("--no-cache")
    args += list(extra_args)
    if output is None:
        # A new folder per compile: dlopen returns an already loaded library for a path it has seen, so
        # two compiles must never share a library path within one process.
        folder = tempfile.mkdtemp(prefix="dmc-")
        _temporary_folders.append(folder)
        stem = re.sub(r"[^A-Za-z0-9_]", "_", Path(graph_path).stem) or "graph"
        output = os.path.join(folder, f"lib{stem}.so")
    args += ["-o", os.fspath(output)]
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        raise CompileError(f"dmc compile {graph_path} failed (exit {result.returncode}):\n{result.stderr.rstrip()}")
    for line in result.stderr.splitlines():
        if line.strip():
            warnings.warn(line, CompileWarning, stacklevel=2)
    return Library(output)


def load(path: os.PathLike) -> Library:
    """Loads a library compiled earlier (`dmc compile ... -o libNAME.so`)."""
    return Library(path)
