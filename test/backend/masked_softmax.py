"""The float64 softmax of docs/op-vocabulary.md for the NumPy references of test/backend/graphs: the
additive mask, the generated masks (causal, window, stride, global tokens on the last two dims: row i =
query, column j = key), dropped positions exactly 0 and a row with nothing kept all 0."""
import numpy as np


def softmax(x, axis=-1, scale=1.0, mask=None, causal=False, window=-1, stride=0, global_tokens=()):
    s = scale * x
    if mask is not None:
        s = s + mask
    if causal or window >= 0 or stride > 0 or global_tokens:
        i = np.arange(s.shape[-2])[:, None]
        j = np.arange(s.shape[-1])[None, :]
        keep = np.ones(s.shape[-2:], bool)
        if causal:
            keep &= j <= i
        if window >= 0:
            keep &= abs(i - j) <= window
        if stride > 0:
            keep &= abs(i - j) % stride == 0
        for t in global_tokens:
            keep |= (i == t) | (j == t)
        s = np.where(keep, s, -np.inf)
    m = s.max(axis=axis, keepdims=True)
    e = np.where(np.isneginf(s), 0.0, np.exp(s - np.where(np.isneginf(m), 0.0, m)))
    total = e.sum(axis=axis, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)
