"""NumPy references (float64) of the graphs the Python tests run, written from the graphs' docs."""
import numpy as np


def linear(x, w, b):
    return x.astype(np.float64) @ w.astype(np.float64) + b.astype(np.float64)


def split_heads(t, heads):
    b, s, e = t.shape
    return t.reshape(b, s, heads, e // heads).transpose(0, 2, 1, 3)


def merge_heads(t):
    b, h, s, d = t.shape
    return t.transpose(0, 2, 1, 3).reshape(b, s, h * d)


def mha(t, heads):
    q, k, v = (split_heads(linear(t["x"], t["w" + n], t["b" + n]), heads) for n in "qkv")
    scores = q @ k.transpose(0, 1, 3, 2) * 0.125  # the graph's literal scale, 1/sqrt(64)
    p = np.exp(scores - scores.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return linear(merge_heads(p @ v), t["wo"], t["bo"])


def linear_attention(t, heads):
    def phi(z):
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0))) + 1  # elu + 1

    q = phi(split_heads(linear(t["x"], t["wq"], t["bq"]), heads))
    k = phi(split_heads(linear(t["x"], t["wk"], t["bk"]), heads))
    v = split_heads(linear(t["x"], t["wv"], t["bv"]), heads)
    out = (q @ (k.transpose(0, 1, 3, 2) @ v)) / (q @ k.sum(axis=2)[..., None])
    return linear(merge_heads(out), t["wo"], t["bo"])


def outer_sum(x):
    x = x.astype(np.float64).reshape(-1)
    return x * x.sum()
