#!/usr/bin/python3
"""Reference: Longformer self-attention (Beltagy et al. 2020): sliding window + global tokens.

Window of total width w = 256: query i sees keys |i - j| <= 128. Global token 0 sees and is seen by
every position. Same Q/K/V projections for window and global attention (the paper has a second,
global set; the graph simplifies it the same way).
"""
import common
import mha

INIT = mha.INIT
HALF_WINDOW = 128
GLOBAL = [0]


def reference(t, sym):
    s = sym["S"]
    keep = common.build_mask(s, s, window=HALF_WINDOW, global_tokens=GLOBAL)
    return {"y": mha.attention(t, sym["H"], keep)}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
