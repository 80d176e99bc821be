#!/usr/bin/python3
"""Reference: dilated sliding-window attention: W keys to each side at a dilation of R (|i-j| <= W*R, R | i-j)."""
import torch

import alibi_causal
import common
import mha

INIT = mha.INIT


def reference(t, sym):
    s, w, r = sym["S"], sym["W"], sym["R"]
    i = torch.arange(s).unsqueeze(1)
    j = torch.arange(s).unsqueeze(0)
    keep = ((i - j).abs() <= w * r) & ((i - j).abs() % r == 0)
    same = lambda sc, i, j, head: sc
    return {"y": alibi_causal.attention_with(t, sym["H"], same, keep)}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
