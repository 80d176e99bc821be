#!/usr/bin/python3
"""Reference: softmax multi-head self-attention (Vaswani et al. 2017), BERT-style projections with bias.

y = concat_h(softmax(Q_h K_h^T / sqrt(D)) V_h) @ wo + bo, Q = x@wq + bq etc.
The other softmax-attention samples reuse attention() with a keep-mask.
"""
import math

import torch

import common

INIT = {"x": "act", "wq": ("weight", 0), "wk": ("weight", 0), "wv": ("weight", 0), "wo": ("weight", 0),
        "bq": "bias", "bk": "bias", "bv": "bias", "bo": "bias"}


def attention(t, h, keep=None):
    """Multi-head self-attention of t["x"] with H = h heads; keep: optional bool [S, S] mask."""
    x = t["x"]
    q = common.split_heads(common.linear(x, t["wq"], t["bq"]), h)
    k = common.split_heads(common.linear(x, t["wk"], t["bk"]), h)
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), h)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if keep is None:
        p = torch.softmax(scores, dim=-1)
    else:
        p = common.masked_softmax(scores, keep)
    return common.linear(common.merge_heads(p @ v), t["wo"], t["bo"])


def reference(t, sym):
    return {"y": attention(t, sym["H"])}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
