#!/usr/bin/python3
"""Reference: BigBird block-sparse attention (Zaheer et al. 2020) with blocks of BS keys: a sliding window
of three blocks, the first block global (its rows and columns), and a fixed random block layout."""
import torch

import alibi_causal
import common
import mha

INIT = dict(mha.INIT, layout=("bernoulli", 0.2))


def reference(t, sym):
    s, bs = sym["S"], sym["BS"]
    block = torch.arange(s) // bs
    qb, kb = block.unsqueeze(1), block.unsqueeze(0)
    window = (qb - kb).abs() <= 1
    first = (qb == 0) | (kb == 0)
    random = t["layout"][qb, kb] > 0
    same = lambda sc, i, j, head: sc
    return {"y": alibi_causal.attention_with(t, sym["H"], same, window | first | random)}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
