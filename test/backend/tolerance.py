"""The accuracy rule of every test that compares compiled graphs with a reference.

An output passes when max|dmc - ref| / max(1, max|ref|) < 1e-4: f32 kernels against a float64
reference, with a scale guard that keeps near-zero outputs from inflating the ratio. A NaN or infinite
error never passes (a plain max() would drop a NaN).
"""
import os

import numpy as np

TOLERANCE = 1e-4


def relative_error(got, ref):
    got, ref = np.asarray(got, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    err = float(np.max(np.abs(got - ref), initial=0.0)) / max(1.0, float(np.max(np.abs(ref), initial=0.0)))
    return err if np.isfinite(err) else float("inf")


def compare_outputs(out_dir, expected):
    """Compares OUT_DIR/NAME.npy with each expected {NAME: array}. Returns (ok, label, detail): label is
    "" when every output has the reference's shape and passes, else "shape of NAME" or "wrong numbers"."""
    worst = 0.0
    for name, ref in expected.items():
        got = np.load(os.path.join(out_dir, name + ".npy"))
        if got.shape != np.shape(ref):
            return False, "shape of " + name, "output %s has shape %s, reference %s" % (name, got.shape, np.shape(ref))
        err = relative_error(got, ref)
        if not err < TOLERANCE:
            return False, "wrong numbers", "output %s: max rel error %.3g" % (name, err)
        worst = max(worst, err)
    return True, "", "max rel error %.2e" % worst
