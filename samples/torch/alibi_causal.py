#!/usr/bin/python3
"""Reference: ALiBi causal attention (Press et al. 2022): scores get -slope_h * (i - j), keys j <= i only."""
import math

import torch

import common
import mha

INIT = dict(mha.INIT, slope="alibi_slopes")


def attention_with(t, h, score_mod, keep):
    """Multi-head self-attention whose scaled scores [B, H, S, S] pass through score_mod(scores, i, j, head)
    and are restricted to keep [.., S, S]."""
    x = t["x"]
    q = common.split_heads(common.linear(x, t["wq"], t["bq"]), h)
    k = common.split_heads(common.linear(x, t["wk"], t["bk"]), h)
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), h)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    s = scores.shape[-1]
    i = torch.arange(s).view(1, 1, s, 1)
    j = torch.arange(s).view(1, 1, 1, s)
    head = torch.arange(h).view(1, h, 1, 1)
    scores = score_mod(scores, i, j, head)
    p = common.masked_softmax(scores, keep.expand(scores.shape))
    return common.linear(common.merge_heads(p @ v), t["wo"], t["bo"])


def reference(t, sym):
    s, h = sym["S"], sym["H"]
    slope = t["slope"]
    bias = lambda sc, i, j, head: sc - slope[head] * (i - j).to(sc.dtype)
    return {"y": attention_with(t, h, bias, common.build_mask(s, s, causal=1))}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
