#!/usr/bin/python3
"""Reference: Sparse Transformer strided attention (Child et al. 2019), the strided head alone.

Query i attends to keys j <= i with (i - j) mod STRIDE == 0.
"""
import common
import mha

INIT = mha.INIT
STRIDE = 128


def reference(t, sym):
    s = sym["S"]
    return {"y": mha.attention(t, sym["H"], common.build_mask(s, s, causal=1, stride=STRIDE))}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
