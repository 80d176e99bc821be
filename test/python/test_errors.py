"""Bad arguments raise dmc.ArgumentError before the library runs, failed runs dmc.RunError, each with the
message the C++ loader gives (the same strings as test/lit/backend/run-sizes.test expects from dmc run)."""
import json
import re

import numpy as np
import pytest

import dmc
from conftest import OUTER_SUM
from dmc._manifest import Manifest, resolve_symbols


def raises(exc, message, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message
    return info.value


def test_symbol_messages_are_the_runtimes(outer_sum):
    x = np.ones((1, 4), dtype=np.float32)
    raises(dmc.ArgumentError, "graph 'outer_sum': symbol 'S' = 0 is not a positive size",
           outer_sum, x=x, symbols={"S": 0})
    raises(dmc.ArgumentError, "argument 'x' (input 0): shape [1, 0]: symbol 'S' = 0 is not a positive size",
           outer_sum, x=np.ones((1, 0), dtype=np.float32))
    raises(dmc.ArgumentError, "graph 'outer_sum': unknown symbol 'T'", outer_sum, x=x, symbols={"T": 3})
    raises(dmc.ArgumentError, "graph 'outer_sum': argument 'x' (input 0) of shape [1, S=4611686018427387904] is too "
           "large: its size in bytes overflows int64", outer_sum, x=x, symbols={"S": 2**62})


def test_shape_mismatch_names_the_symbols(outer_sum, linear_attention):
    raises(dmc.ArgumentError, "argument 'x' (input 0): expected shape [1, 5] but got [1, 4] (declared [1, S] with "
           "S=5 given)", outer_sum, x=np.ones((1, 4), dtype=np.float32), symbols={"S": 5})
    raises(dmc.ArgumentError, "argument 'y' (output 0): expected shape [4] but got [5] (declared [S] with S=4 from "
           "argument 'x')", outer_sum, x=np.ones((1, 4), dtype=np.float32), out=np.empty(5, dtype=np.float32))
    inputs = {a.name: np.zeros([7 if d == "S" else d for d in a.shape], dtype=np.float32)
              for a in linear_attention.manifest.inputs}
    inputs["wq"] = np.zeros((128, 64), dtype=np.float32)
    raises(dmc.ArgumentError, "argument 'wq' (input 1): expected shape [128, 128] but got [128, 64]",
           linear_attention, **inputs)


def test_a_failed_run_carries_dmcrt_last_error(outer_sum):
    # Small arguments, a 1 PiB transient: the check passes, the run fails inside the library.
    x = np.zeros((1, 16777216), dtype=np.float32)
    raises(dmc.RunError, "graph 'outer_sum': cannot allocate 1125899906842624 bytes for transient 'outer' of shape "
           "[S=16777216, S=16777216]: out of memory (dmc_outer_sum_run_packed failed with code 3)", outer_sum, x=x)
    # The library stays usable.
    assert outer_sum(x=np.ones((1, 2), dtype=np.float32)).tolist() == [2.0, 2.0]


def test_dtype_and_layout_errors(outer_sum):
    raises(dmc.ArgumentError, "argument 'x' (input 0): expected dtype float32 but got float64 (convert with "
           ".astype(numpy.float32))", outer_sum, x=np.ones((1, 3)))
    raises(dmc.ArgumentError, "argument 'x' (input 0): expected dtype float32 but got float64 (convert with "
           ".astype(numpy.float32))", outer_sum, x=[[1.0, 2.0]])
    raises(dmc.ArgumentError, "argument 'y' (output 0): output array is not C-contiguous and aligned (pass a "
           "contiguous array, or none)", outer_sum, x=np.ones((1, 3), dtype=np.float32),
           out=np.empty(6, dtype=np.float32)[::2])
    readonly = np.empty(3, dtype=np.float32)
    readonly.flags.writeable = False
    raises(dmc.ArgumentError, "argument 'y' (output 0): output array is read-only", outer_sum,
           x=np.ones((1, 3), dtype=np.float32), out=readonly)
    raises(dmc.ArgumentError, "argument 'x' (input 0): expected dtype float32 but got >f4 (convert with "
           ".astype(numpy.float32))", outer_sum, x=np.ones((1, 3), dtype=">f4"))


def test_overlapping_output_is_refused(outer_sum):
    buf = np.ones(8, dtype=np.float32)
    raises(dmc.ArgumentError, "graph 'outer_sum': argument 'y' (output 0) overlaps argument 'x' (input 0) in memory; "
           "outputs need memory of their own", outer_sum, x=buf[:4].reshape(1, 4), out=buf[2:6])


def test_missing_unknown_and_duplicate_arguments(outer_sum, linear_attention):
    raises(dmc.ArgumentError, "graph 'outer_sum': missing argument 'x' (input 0)", outer_sum)
    raises(dmc.ArgumentError, "graph 'outer_sum': unknown input 'z'; inputs are x", outer_sum,
           x=np.ones((1, 2), dtype=np.float32), z=1)
    raises(dmc.ArgumentError, "graph 'outer_sum': unknown input 'y' (outputs are passed with out=); inputs are x",
           outer_sum, x=np.ones((1, 2), dtype=np.float32), y=1)
    raises(dmc.ArgumentError, "graph 'outer_sum': input 'x' given twice (by position and by name)", outer_sum,
           np.ones((1, 2), dtype=np.float32), x=np.ones((1, 2), dtype=np.float32))
    raises(dmc.ArgumentError, "graph 'outer_sum': takes 1 inputs (x) but 2 were given", outer_sum, 1, 2)
    raises(dmc.ArgumentError, "graph 'outer_sum': out= names unknown output 'q'; outputs are y", outer_sum,
           x=np.ones((1, 2), dtype=np.float32), out={"q": None})
    err = raises(dmc.ArgumentError, "graph 'linear_attention': missing argument 'wo' (input 7), argument 'bo' "
                 "(input 8)", linear_attention, **{n: 0 for n in linear_attention.input_names[:7]})
    assert isinstance(err, ValueError)


def test_compile_errors(dmc_binary, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "bad", "inputs": [], "outputs": [], "nodes": [{"op": "Nope"}]}')
    with pytest.raises(dmc.CompileError, match=r"dmc compile .*bad.json failed \(exit 1\):\n.*bad.json: error: "):
        dmc.compile(bad, dmc=dmc_binary)
    with pytest.raises(dmc.CompileError, match="missing.json"):
        dmc.compile(tmp_path / "missing.json", dmc=dmc_binary)
    with pytest.raises(dmc.CompileError, match="opt must be 0, 1, 2 or 3, got 4"):
        dmc.compile(bad, opt=4, dmc=dmc_binary)
    with pytest.raises(dmc.CompileError, match="bind: 'S;rm' is not a symbol name"):
        dmc.compile(bad, bind={"S;rm": 1}, dmc=dmc_binary)
    with pytest.raises(dmc.CompileError, match="dmc= '/nonexistent/dmc' is not an executable file"):
        dmc.compile(bad, dmc="/nonexistent/dmc")


def test_load_errors(tmp_path):
    with pytest.raises(dmc.Error, match="graph library 'nope.so' does not exist"):
        dmc.load("nope.so")
    not_a_library = tmp_path / "libx.so"
    not_a_library.write_text("text")
    with pytest.raises(dmc.Error, match="cannot load graph library"):
        dmc.load(not_a_library)


def test_fixed_and_unused_symbols_from_the_manifest(outer_sum):
    """Manifest keys the compiler may add (fixed_symbols, unused_symbols): a fixed symbol given with its own
    value is accepted, with another value refused; an unused one is accepted and ignored."""
    doc = json.loads(json.dumps(outer_sum.manifest.document))  # a deep copy
    doc["symbols"] = [{"name": "S", "bound": None}]
    doc["fixed_symbols"] = {"E": 8}
    doc["unused_symbols"] = ["H"]
    m = Manifest.parse(json.dumps(doc), "test")
    assert m.runtime_symbols() == ["S"]
    shapes = {"x": (1, 3)}
    assert resolve_symbols(m, {"E": 8, "H": 2}, shapes, outer_sum._sizes) == {"E": 8, "S": 3}
    with pytest.raises(dmc.ArgumentError, match=re.escape("graph 'outer_sum': symbol 'E' is bound to 8 at compile "
                                                          "time but 9 was given")):
        resolve_symbols(m, {"E": 9}, shapes, outer_sum._sizes)
    with pytest.raises(dmc.ArgumentError, match="unknown symbol 'Q'"):
        resolve_symbols(m, {"Q": 9}, shapes, outer_sum._sizes)
    # An unused symbol that is still a run-time argument gets a valid value without being given.
    doc["symbols"].append({"name": "H", "bound": None})
    m = Manifest.parse(json.dumps(doc), "test")
    assert resolve_symbols(m, {}, shapes, outer_sum._sizes) == {"E": 8, "S": 3, "H": 1}
    assert resolve_symbols(m, {"H": 4}, shapes, outer_sum._sizes)["H"] == 4


def test_bad_manifest_is_refused(outer_sum):
    doc = dict(outer_sum.manifest.document)
    doc["args"] = [{"name": "../x", "role": "input", "dtype": "f32", "shape": [1]}]
    with pytest.raises(dmc.ArgumentError, match=re.escape('bad manifest in test: args[0].name "../x" is not an '
                                                          'identifier')):
        Manifest.parse(json.dumps(doc), "test")


def test_what_dmc_prints_on_success_becomes_warnings(dmc_binary):
    # --pass-stats writes its report to stderr: each line reaches Python as a CompileWarning.
    with pytest.warns(dmc.CompileWarning, match="Pass statistics report"):
        lib = dmc.compile(OUTER_SUM, opt=0, cache=False, extra_args=["--pass-stats"], dmc=dmc_binary)
    assert lib(x=np.ones((1, 2), dtype=np.float32)).tolist() == [2.0, 2.0]


def test_manifest_structure_is_checked():
    with pytest.raises(dmc.ArgumentError, match="bad manifest in test: 'args' must be an array"):
        Manifest.parse('{"name": "g", "symbols": [], "args": {}}', "test")
    with pytest.raises(dmc.ArgumentError, match=re.escape("args[0] ('x').shape must be an array")):
        Manifest.parse('{"name": "g", "symbols": [], "args": [{"name": "x", "role": "input", "shape": 3}]}', "test")
    with pytest.raises(dmc.ArgumentError, match="not a size or a declared symbol"):
        Manifest.parse('{"name": "g", "symbols": [], "args": [{"name": "x", "role": "input", "shape": ["S"]}]}',
                       "test")
