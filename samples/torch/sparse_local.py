#!/usr/bin/python3
"""Reference: Sparse Transformer local attention (Child et al. 2019).

Query i attends to the previous WINDOW positions and itself: i - WINDOW <= j <= i.
"""
import common
import mha

INIT = mha.INIT
WINDOW = 128


def reference(t, sym):
    s = sym["S"]
    return {"y": mha.attention(t, sym["H"], common.build_mask(s, s, causal=1, window=WINDOW))}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
