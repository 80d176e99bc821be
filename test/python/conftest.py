"""Fixtures of the dmc Python package's tests: the dmc binary ($DMC, set by ctest) and compiled graphs.

Run: DMC=build/bin/dmc PYTHONPATH=python /usr/bin/python3 -m pytest -q test/python   (ctest: python_api)"""
import os
from pathlib import Path

import numpy as np
import pytest

import dmc

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
# y[i] = x[i] * sum(x) through an [S, S] transient, S a run-time symbol (shared with the lit tests).
OUTER_SUM = ROOT / "test" / "lit" / "backend" / "Inputs" / "outer_sum.json"


@pytest.fixture(scope="session")
def dmc_binary():
    return os.path.abspath(dmc.find_dmc())


@pytest.fixture(scope="session")
def outer_sum(dmc_binary):
    return dmc.compile(OUTER_SUM, opt=0, dmc=dmc_binary)


@pytest.fixture(scope="session")
def linear_attention(dmc_binary):
    # E and H bound, B=1 by default, S left null in the sample: a run-time argument.
    return dmc.compile(SAMPLES / "linear_attention.json", opt=3, bind={"E": 128, "H": 2}, dmc=dmc_binary)


def random_inputs(lib, sizes, seed=0):
    """Inputs for `lib` with the symbols of `sizes`, weights scaled by 1/sqrt(fan-in) so that outputs
    stay of order one."""
    rng = np.random.default_rng(seed)
    out = {}
    for spec in lib.manifest.inputs:
        shape = [sizes[d] if isinstance(d, str) else d for d in spec.shape]
        scale = 1 / np.sqrt(shape[0]) if spec.name.startswith("w") else 1.0
        out[spec.name] = (rng.standard_normal(shape) * scale).astype(np.float32)
    return out


def assert_close(actual, expected, rtol=1e-4):
    actual = np.asarray(actual, dtype=np.float64)
    assert actual.shape == expected.shape
    error = np.max(np.abs(actual - expected)) / max(1e-30, np.max(np.abs(expected)))
    assert error < rtol, f"max relative error {error:.3g}"
