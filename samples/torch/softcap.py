#!/usr/bin/python3
"""Reference: causal attention with logit soft-capping (Gemma 2): scores become cap * tanh(scores / cap)."""
import torch

import alibi_causal
import common
import mha

INIT = mha.INIT


def reference(t, sym):
    s, cap = sym["S"], float(sym["CAP"])
    soft = lambda sc, i, j, head: cap * torch.tanh(sc / cap)
    return {"y": alibi_causal.attention_with(t, sym["H"], soft, common.build_mask(s, s, causal=1))}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
