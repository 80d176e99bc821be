"""dmc.compile and calls on NumPy arrays against NumPy references, at the test size and odd sizes."""
import array

import numpy as np
import pytest

import dmc
import references
from conftest import SAMPLES, assert_close, random_inputs

MHA_TEST = {"B": 2, "S": 16, "E": 128, "H": 2, "D": 64}  # samples/mha.json's test_symbols


@pytest.mark.parametrize("opt", [0, 3])
@pytest.mark.parametrize("seq", [1, 16, 77])
def test_mha_matches_numpy(dmc_binary, opt, seq):
    lib = dmc.compile(SAMPLES / "mha.json", opt=opt, test_size=True, bind={"S": seq}, dmc=dmc_binary)
    assert lib.name == "mha" and lib.output_names == ["y"]
    inputs = random_inputs(lib, dict(MHA_TEST, S=seq))
    y = lib(**inputs)
    assert isinstance(y, np.ndarray) and y.dtype == np.float32
    assert_close(y, references.mha(inputs, heads=2))
    # Positional inputs, in manifest order, give the same result.
    assert np.array_equal(lib(*[inputs[n] for n in lib.input_names]), y)


@pytest.mark.parametrize("seq", [1, 5, 77])
def test_runtime_symbol_inferred_from_shapes(linear_attention, seq):
    lib = linear_attention
    assert lib.manifest.runtime_symbols() == ["S"]
    inputs = random_inputs(lib, {"B": 1, "S": seq, "E": 128}, seed=seq)
    call = lib.prepare(**inputs)
    assert call.symbols["S"] == seq
    y = call.run()
    assert y.shape == (1, seq, 128)
    assert_close(y, references.linear_attention(inputs, heads=2))


@pytest.mark.parametrize("seq", [1, 77, 1000])
def test_outer_sum_odd_sizes(outer_sum, seq):
    x = np.random.default_rng(seq).standard_normal((1, seq)).astype(np.float32)
    assert_close(outer_sum(x=x), references.outer_sum(x))


def test_inputs_are_passed_in_place(outer_sum):
    x = np.arange(1, 8, dtype=np.float32).reshape(1, 7)
    call = outer_sum.prepare(x=x)
    assert call.arguments["x"].pointer == x.ctypes.data and not call.arguments["x"].copied
    # The buffer protocol: a Python array('f') is read in place too.
    buf = array.array("f", [1.0, 2.0, 3.0])
    call = outer_sum.prepare(x=np.frombuffer(buf, dtype=np.float32).reshape(1, 3))
    assert call.arguments["x"].pointer == buf.buffer_info()[0]
    assert_close(call.run(), references.outer_sum(np.array(buf)))


class DLPackOnly:
    """An array known only through DLPack (as other frameworks' tensors are)."""

    def __init__(self, array):
        self.array = array

    def __dlpack__(self, stream=None):
        return self.array.__dlpack__()

    def __dlpack_device__(self):
        return self.array.__dlpack_device__()


def test_dlpack_input_is_passed_in_place(outer_sum):
    x = np.random.default_rng(7).standard_normal((1, 9)).astype(np.float32)
    call = outer_sum.prepare(x=DLPackOnly(x))
    assert call.arguments["x"].pointer == x.ctypes.data and not call.arguments["x"].copied
    assert_close(call.run(), references.outer_sum(x))


def test_non_contiguous_input_is_copied(outer_sum):
    wide = np.random.default_rng(1).standard_normal((1, 40)).astype(np.float32)
    strided = wide[:, ::2]
    call = outer_sum.prepare(x=strided)
    assert call.arguments["x"].copied and call.arguments["x"].pointer != strided.ctypes.data
    assert_close(call.run(), references.outer_sum(strided))


def test_out_is_written_in_place(outer_sum):
    x = np.random.default_rng(2).standard_normal((1, 33)).astype(np.float32)
    y = np.full(33, np.nan, dtype=np.float32)
    assert outer_sum(x=x, out=y) is y
    assert_close(y, references.outer_sum(x))
    y2 = np.empty(33, dtype=np.float32)
    assert outer_sum(x=x, out={"y": y2}) is y2 and np.array_equal(y, y2)
    assert outer_sum(x=x, out=[y2]) is y2


def test_run_with_a_dict(outer_sum):
    x = np.ones((1, 4), dtype=np.float32)
    assert_close(outer_sum.run({"x": x}), references.outer_sum(x))


def test_symbols_given_explicitly(outer_sum):
    x = np.ones((1, 4), dtype=np.float32)
    assert_close(outer_sum(x=x, symbols={"S": 4}), references.outer_sum(x))


def test_load_a_compiled_library(outer_sum):
    again = dmc.load(outer_sum.path)
    x = np.ones((1, 3), dtype=np.float32)
    assert np.array_equal(again(x=x), outer_sum(x=x))
