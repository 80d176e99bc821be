"""The manifest of a compiled graph (docs/abi.md) and the symbol resolution of one call.

The rules and the messages follow the C++ loader (runtime/src/loader.cpp, dmc::Library::check_arguments):
symbol values come from the library (bound or fixed at compile time), then from the caller, then from the
first argument of matching rank whose shape names the symbol; every argument's shape is then compared with
its declared one. The size checks themselves (a positive symbol, a byte count that fits int64) are not
repeated here: they call libdmcrt's dmcrt_check_symbol and dmcrt_shape_size, so their messages are the
runtime's own.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

from ._errors import ArgumentError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

Dim = Union[int, str]  # a constant or the name of a symbol


@dataclass(frozen=True)
class ArgSpec:
    name: str
    role: str  # "input" or "output"
    dtype: str
    shape: Tuple[Dim, ...]
    index_in_role: int
    constant: bool = False  # an input whose values the caller keeps from run to run (docs/abi.md)

    def describe(self) -> str:
        return f"argument '{self.name}' ({self.role} {self.index_in_role})"

    def declared(self) -> str:
        return "[" + ", ".join(str(d) for d in self.shape) + "]"


@dataclass
class Manifest:
    name: str
    symbols: List[Tuple[str, Optional[int]]]  # (name, bound value or None), declaration order
    args: List[ArgSpec]
    fixed_symbols: Dict[str, int] = field(default_factory=dict)  # optional manifest key
    unused_symbols: List[str] = field(default_factory=list)  # optional manifest key
    document: dict = field(default_factory=dict)  # the parsed JSON

    @staticmethod
    def parse(text: str, source: str) -> "Manifest":
        def bad(what):
            raise ArgumentError(f"bad manifest in {source}: {what}")

        def identifier(value, where):
            if not isinstance(value, str) or not _IDENTIFIER.match(value):
                bad(f"{where} {json.dumps(value)} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)")
            return value

        try:
            doc = json.loads(text)
        except ValueError as e:
            bad(f"invalid JSON: {e}")
        if not isinstance(doc, dict):
            bad("top level is not an object")
        name = identifier(doc.get("name"), "name")
        for key in ("symbols", "args"):
            if not isinstance(doc.get(key), list):
                bad(f"'{key}' must be an array")
        symbols, seen = [], set()
        for i, s in enumerate(doc["symbols"]):
            sym = identifier(s.get("name") if isinstance(s, dict) else None, f"symbols[{i}].name")
            if sym in seen:
                bad(f"symbol '{sym}' is declared twice")
            seen.add(sym)
            bound = s.get("bound")
            if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
                bad(f"symbols[{i}].bound must be an integer or null")
            symbols.append((sym, bound))
        fixed = doc.get("fixed_symbols", {}) or {}
        if not isinstance(fixed, dict) or not all(isinstance(v, int) for v in fixed.values()):
            bad("'fixed_symbols' must map names to integers")
        for sym in fixed:
            identifier(sym, "fixed_symbols key")
        unused = doc.get("unused_symbols", []) or []
        if not isinstance(unused, list):
            bad("'unused_symbols' must be an array")
        unused = [identifier(sym, "unused_symbols entry") for sym in unused]
        args, counts, arg_names = [], {"input": 0, "output": 0}, set()
        for i, a in enumerate(doc["args"]):
            if not isinstance(a, dict):
                bad(f"args[{i}] must be an object")
            arg = identifier(a.get("name"), f"args[{i}].name")
            if arg in arg_names:
                bad(f"argument '{arg}' is declared twice")
            arg_names.add(arg)
            role = a.get("role")
            if role not in counts:
                bad(f"args[{i}] ('{arg}') has unknown role {json.dumps(role)}")
            if not isinstance(a.get("shape"), list):
                bad(f"args[{i}] ('{arg}').shape must be an array")
            shape = []
            for d in a["shape"]:
                if isinstance(d, str) and d in seen:
                    shape.append(d)
                elif isinstance(d, int) and not isinstance(d, bool) and d >= 0:
                    shape.append(d)
                else:
                    bad(f"args[{i}] ('{arg}') has shape entry {json.dumps(d)}: not a size or a declared symbol")
            constant = a.get("constant", False)
            if not isinstance(constant, bool):
                bad(f"args[{i}] ('{arg}').constant must be true or false")
            if constant and role != "input":
                bad(f"args[{i}] ('{arg}') is an output marked constant")
            args.append(ArgSpec(arg, role, a.get("dtype", ""), tuple(shape), counts[role], constant))
            counts[role] += 1
        return Manifest(name, symbols, args, dict(fixed), unused, doc)

    @property
    def inputs(self) -> List[ArgSpec]:
        return [a for a in self.args if a.role == "input"]

    @property
    def outputs(self) -> List[ArgSpec]:
        return [a for a in self.args if a.role == "output"]

    def runtime_symbols(self) -> List[str]:
        """Unbound symbols in declaration order: the order run_packed takes them."""
        return [s for s, bound in self.symbols if bound is None and s not in self.fixed_symbols]


class SizeChecks:
    """libdmcrt's checks (runtime/include/dmc/runtime/sizes.h), reached through a loaded graph library."""

    def __init__(self, check_symbol, shape_size, last_error):
        self._check_symbol = check_symbol
        self._shape_size = shape_size
        self._last_error = last_error

    def symbol(self, name: str, value: int, context: str) -> None:
        if not -(2**63) <= value < 2**63:
            raise ArgumentError(f"{context}symbol '{name}' = {value} does not fit int64")
        if self._check_symbol(name.encode(), value) != 0:
            raise ArgumentError(context + self._last_error())

    def shape(self, what: str, dims: Sequence[int], names: Sequence[Optional[str]], elem_size: int,
              context: str) -> None:
        if self._shape_size(what, dims, names, elem_size) != 0:
            raise ArgumentError(context + self._last_error())


def resolve_symbols(m: Manifest, given: Dict[str, int], shapes: Dict[str, Tuple[int, ...]],
                    sizes: SizeChecks, expected: Optional[Dict[str, Tuple[int, ...]]] = None) -> Dict[str, int]:
    """Values of all symbols for one call: `given` by the caller, `shapes` of the arguments present
    (by name). Raises ArgumentError as dmc::Library::check_arguments does. `expected`, when given, receives
    every argument's checked shape."""
    graph = f"graph '{m.name}': "
    values: Dict[str, int] = {s: b for s, b in m.symbols if b is not None}
    values.update(m.fixed_symbols)
    origin = {s: "bound at compile time" for s in values}
    declared = {s for s, _ in m.symbols}
    for sym, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ArgumentError(f"{graph}symbol '{sym}' must be an int, got {type(value).__name__}")
        if sym in m.unused_symbols and sym not in declared:
            continue  # the graph declares it, but nothing in this library depends on it
        if sym not in declared and sym not in m.fixed_symbols:
            raise ArgumentError(f"{graph}unknown symbol '{sym}'")
        sizes.symbol(sym, value, graph)
        if sym in values and values[sym] != value:
            raise ArgumentError(f"{graph}symbol '{sym}' is bound to {values[sym]} at compile time but {value} was given")
        values[sym] = value
        origin[sym] = "given"
    for spec in m.args:
        shape = shapes.get(spec.name)
        if shape is None or len(shape) != len(spec.shape):
            continue
        for dim, actual in zip(spec.shape, shape):
            if isinstance(dim, str) and dim not in values:
                sizes.symbol(dim, actual, f"{spec.describe()}: shape {list(shape)}: ")
                values[dim] = actual
                origin[dim] = f"from argument '{spec.name}'"
    for sym, _ in m.symbols:
        if sym not in values and sym in m.unused_symbols:
            values[sym] = 1  # a run-time argument the library declares it never reads: any valid size
        if sym not in values:
            raise ArgumentError(f"{graph}symbol '{sym}' has no value: it is unbound, not given and used by no "
                                f"argument shape (pass symbols={{'{sym}': N}})")
    for spec in m.args:
        shape = shapes.get(spec.name)
        want = expected_shape(spec, values, sizes, graph)
        if expected is not None:
            expected[spec.name] = want
        if shape is not None and tuple(shape) != want:
            used = []
            for dim in dict.fromkeys(d for d in spec.shape if isinstance(d, str)):
                used.append(f"{dim}={values[dim]} {origin[dim]}")
            message = f"{spec.describe()}: expected shape {list(want)} but got {list(shape)}"
            if used:
                message += f" (declared {spec.declared()} with {', '.join(used)})"
            raise ArgumentError(message)
    return values


def expected_shape(spec: ArgSpec, values: Dict[str, int], sizes: SizeChecks, graph: str) -> Tuple[int, ...]:
    """The concrete shape of `spec` under `values`, its byte count checked by dmcrt_shape_size."""
    dims = tuple(values[d] if isinstance(d, str) else d for d in spec.shape)
    names = [d if isinstance(d, str) else None for d in spec.shape]
    sizes.shape(spec.describe(), dims, names, 4, graph)
    return dims
