"""A compiled graph library loaded through its C ABI (docs/abi.md) with ctypes."""

import ctypes
import os
import threading
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ._arrays import Argument, allocate, as_argument, is_torch_tensor
from ._errors import ArgumentError, Error, RunError
from ._manifest import Manifest, SizeChecks, resolve_symbols


def _function(dl, name: str, restype, argtypes, path: str):
    try:
        fn = getattr(dl, name)
    except AttributeError:
        raise Error(f"graph library '{path}' does not export '{name}' (not a dmc graph library, or built for "
                    "another graph name?)") from None
    fn.restype, fn.argtypes = restype, argtypes
    return fn


class Call:
    """One call's checked arguments (Library.prepare): the symbol values, and for every argument the
    pointer run_packed receives. run() may be called again; it reuses the same memory."""

    def __init__(self, library: "Library", symbols: Dict[str, int], arguments: Dict[str, Argument]):
        self.library = library
        self.symbols = symbols
        self.arguments = arguments
        m = library.manifest
        runtime = m.runtime_symbols()
        self._symbols = (ctypes.c_int64 * max(1, len(runtime)))(*[symbols[s] for s in runtime])
        self._pointers = (ctypes.c_void_p * max(1, len(m.args)))(*[arguments[a.name].pointer for a in m.args])

    @property
    def outputs(self) -> List[Any]:
        return [self.arguments[a.name].value for a in self.library.manifest.outputs]

    def run(self):
        """Runs the library; returns its output (one) or a tuple of outputs in manifest order."""
        self.library._run_packed_checked(self._symbols, self._pointers)
        outputs = self.outputs
        return outputs[0] if len(outputs) == 1 else tuple(outputs)


class Library:
    """A dmc graph library: `lib(x=x, w=w)` or `lib(x, w)` runs it (see docs/python.md).

    Thread safety: the ABI lets distinct handles run concurrently but not one handle twice at once, so
    each call takes a handle from a pool (creating one when all are busy) and returns it afterwards;
    calls from several threads run in parallel, each on its own handle."""

    def __init__(self, path: os.PathLike):
        self.path = os.fspath(path)
        # An absolute path: dlopen would search the library path for a name without a slash.
        resolved = os.path.abspath(self.path)
        if not os.path.exists(resolved):
            raise Error(f"graph library '{self.path}' does not exist")
        try:
            self._dl = ctypes.CDLL(resolved, mode=os.RTLD_LOCAL | os.RTLD_NOW)
        except OSError as e:
            raise Error(f"cannot load graph library '{self.path}': {e}") from None
        manifest_fn = _function(self._dl, "dmc_manifest", ctypes.c_char_p, [], self.path)
        text = manifest_fn()
        if text is None:
            raise Error(f"graph library '{self.path}': dmc_manifest() returned NULL")
        self.manifest = Manifest.parse(text.decode("utf-8"), f"'{self.path}'")
        for spec in self.manifest.args:
            if spec.dtype != "f32":
                raise Error(f"graph library '{self.path}': {spec.describe()} has dtype {spec.dtype}; the Python "
                            "package handles f32 only")
        prefix = f"dmc_{self.manifest.name}_"
        self._create = _function(self._dl, prefix + "create", ctypes.c_void_p, [], self.path)
        self._run_packed = _function(self._dl, prefix + "run_packed", ctypes.c_int,
                                     [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64),
                                      ctypes.POINTER(ctypes.c_void_p)], self.path)
        self._destroy = _function(self._dl, prefix + "destroy", None, [ctypes.c_void_p], self.path)
        # Absent from libraries older than it; those hold nothing derived from constant inputs.
        self._constants_changed = getattr(self._dl, prefix + "constants_changed", None)
        if self._constants_changed is not None:
            self._constants_changed.restype, self._constants_changed.argtypes = None, [ctypes.c_void_p]
        # libdmcrt, which the graph library links: dlsym on the library's handle finds its dependencies'
        # symbols too, so these are the very functions (and thread-local error slot) the graph uses.
        self._last_error = _function(self._dl, "dmcrt_last_error", ctypes.c_char_p, [], self.path)
        self._clear_error = _function(self._dl, "dmcrt_clear_error", None, [], self.path)
        check_symbol = _function(self._dl, "dmcrt_check_symbol", ctypes.c_int, [ctypes.c_char_p, ctypes.c_int64],
                                 self.path)
        shape_size = _function(self._dl, "dmcrt_shape_size", ctypes.c_int,
                               [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_char_p),
                                ctypes.c_int, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p], self.path)

        def shape_size_call(what: str, dims: Sequence[int], names: Sequence[Optional[str]], elem_size: int) -> int:
            rank = len(dims)
            return shape_size(what.encode(), (ctypes.c_int64 * max(1, rank))(*dims),
                              (ctypes.c_char_p * max(1, rank))(*[n.encode() if n else None for n in names]),
                              rank, elem_size, None, None)

        self._sizes = SizeChecks(check_symbol, shape_size_call, lambda: self._last_error().decode("utf-8", "replace"))
        self._lock = threading.Lock()
        self._idle: List[Tuple[int, int]] = []  # handles no call is using, with the constants generation they saw
        self._closed = False
        # Constant inputs (manifest "constant": true): each new value (another object) or constants_changed()
        # starts a generation; a handle from an older one is told (dmc_NAME_constants_changed) before it runs.
        # The last objects are kept, so that a new one is never taken for them (ids are reused once freed).
        self._generation = 0
        self._constant_values: Dict[str, Any] = {}

    # -- what the library takes -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def input_names(self) -> List[str]:
        return [a.name for a in self.manifest.inputs]

    @property
    def output_names(self) -> List[str]:
        return [a.name for a in self.manifest.outputs]

    def __repr__(self) -> str:
        return f"<dmc.Library '{self.name}' ({', '.join(self.input_names)}) -> ({', '.join(self.output_names)})>"

    @property
    def constant_input_names(self) -> List[str]:
        return [a.name for a in self.manifest.inputs if a.constant]

    def constants_changed(self) -> None:
        """Says that the values of a constant input changed in place (the same array, new values): the
        next call recomputes what the library derived from them once (docs/abi.md#constant-inputs). Passing
        another array for a constant input needs no call."""
        with self._lock:
            self._generation += 1

    # -- calls ------------------------------------------------------------------------------------------
    def __call__(self, *inputs, out=None, symbols: Optional[Dict[str, int]] = None, **named):
        """Runs the graph on `inputs` (positional, in manifest order) and/or `named` inputs; returns the
        output, or a tuple of outputs in manifest order. `out`: an array (one output), a sequence in order
        or a dict by name, written in place; outputs not given are allocated (torch tensors when an input
        is one). `symbols`: values of run-time symbols that no argument shape determines."""
        return self.prepare(*inputs, out=out, symbols=symbols, **named).run()

    def run(self, inputs: Dict[str, Any], out=None, symbols: Optional[Dict[str, int]] = None):
        """Like calling the library, with the inputs in a dict (for inputs named `out` or `symbols`)."""
        return self.prepare(out=out, symbols=symbols, **dict(inputs)).run()

    def prepare(self, *inputs, out=None, symbols: Optional[Dict[str, int]] = None, **named) -> Call:
        """Checks the arguments against the manifest and allocates missing outputs, without running."""
        m = self.manifest
        graph = f"graph '{m.name}': "
        given_inputs = self._collect_inputs(inputs, named, graph)
        given_outputs = self._collect_outputs(out, graph)
        arguments: Dict[str, Argument] = {}
        for spec in m.args:
            value = given_inputs.get(spec.name) if spec.role == "input" else given_outputs.get(spec.name)
            if value is not None:
                arguments[spec.name] = as_argument(spec.describe(), value, writable=spec.role == "output")
        shapes: Dict[str, Tuple[int, ...]] = {}
        values = resolve_symbols(m, dict(symbols or {}), {n: a.shape for n, a in arguments.items()}, self._sizes,
                                 expected=shapes)
        like_torch = any(is_torch_tensor(v) for v in given_inputs.values())
        for spec in m.outputs:
            if spec.name not in arguments:
                arguments[spec.name] = as_argument(spec.describe(), allocate(shapes[spec.name], like_torch),
                                                   writable=True)
        _check_no_overlap(m, arguments, graph)
        with self._lock:
            for spec in m.inputs:
                if spec.constant and self._constant_values.get(spec.name) is not given_inputs[spec.name]:
                    self._constant_values[spec.name] = given_inputs[spec.name]
                    self._generation += 1
        return Call(self, values, arguments)

    def _collect_inputs(self, positional: Tuple[Any, ...], named: Dict[str, Any], graph: str) -> Dict[str, Any]:
        specs = self.manifest.inputs
        if len(positional) > len(specs):
            raise ArgumentError(f"{graph}takes {len(specs)} inputs ({', '.join(self.input_names)}) but "
                                f"{len(positional)} were given")
        given = {spec.name: value for spec, value in zip(specs, positional)}
        for name, value in named.items():
            if name in given:
                raise ArgumentError(f"{graph}input '{name}' given twice (by position and by name)")
            if name not in self.input_names:
                hint = " (outputs are passed with out=)" if name in self.output_names else ""
                raise ArgumentError(f"{graph}unknown input '{name}'{hint}; inputs are {', '.join(self.input_names)}")
            given[name] = value
        missing = [s.describe() for s in specs if given.get(s.name) is None]
        if missing:
            raise ArgumentError(f"{graph}missing {', '.join(missing)}")
        return given

    def _collect_outputs(self, out, graph: str) -> Dict[str, Any]:
        names = self.output_names
        if out is None:
            return {}
        if isinstance(out, dict):
            unknown = [n for n in out if n not in names]
            if unknown:
                raise ArgumentError(f"{graph}out= names unknown output '{unknown[0]}'; outputs are {', '.join(names)}")
            return dict(out)
        if isinstance(out, (list, tuple)):
            if len(out) != len(names):
                raise ArgumentError(f"{graph}out= has {len(out)} entries but the graph has {len(names)} outputs "
                                    f"({', '.join(names)})")
            return dict(zip(names, out))
        if len(names) != 1:
            raise ArgumentError(f"{graph}out= is one array but the graph has {len(names)} outputs ({', '.join(names)}): "
                                "pass a tuple or a dict")
        return {names[0]: out}

    # -- handles ----------------------------------------------------------------------------------------
    def _run_packed_checked(self, symbols, pointers) -> None:
        handle, generation = self._acquire()
        try:
            self._clear_error()  # so that a message after a failure is this run's (the slot is per thread)
            rc = self._run_packed(handle, symbols, pointers)
            if rc != 0:
                message = self._last_error().decode("utf-8", "replace")
                name = self.manifest.name
                detail = f"{message} (dmc_{name}_run_packed failed with code {rc})" if message else \
                    f"dmc_{name}_run_packed failed with code {rc}"
                raise RunError(f"graph '{name}': {detail}")
        finally:
            self._release(handle, generation)

    def _acquire(self) -> Tuple[int, int]:
        """A handle and the constants generation it has seen (the current one: an older handle is told)."""
        with self._lock:
            if self._closed:
                raise Error(f"graph '{self.name}': the library was closed")
            current = self._generation
            handle, seen = self._idle.pop() if self._idle else (None, current)
        if handle is None:
            handle = self._create()
            if not handle:
                raise RunError(f"graph '{self.name}': dmc_{self.name}_create returned NULL")
        elif seen != current and self._constants_changed is not None:
            self._constants_changed(handle)
        return handle, current

    def _release(self, handle: int, generation: int) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append((handle, generation))
                return
        self._destroy(handle)

    def close(self) -> None:
        """Destroys the idle handles; a call still running destroys its handle when it ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = [h for h, _ in self._idle], []
        for handle in idle:
            self._destroy(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_lock", None) is not None:
            self.close()


def _check_no_overlap(m: Manifest, arguments: Dict[str, Argument], graph: str) -> None:
    """Outputs must not share memory with an input or another output: generated code reads inputs after
    it starts writing outputs."""
    extents = []
    for spec in m.args:
        a = arguments[spec.name]
        size = 4
        for d in a.shape:
            size *= d
        if size:
            extents.append((spec, a.pointer, a.pointer + size))
    for i, (spec, lo, hi) in enumerate(extents):
        for other, olo, ohi in extents[:i]:
            if "output" in (spec.role, other.role) and lo < ohi and olo < hi:
                raise ArgumentError(f"{graph}{spec.describe()} overlaps {other.describe()} in memory; outputs need "
                                    "memory of their own")
