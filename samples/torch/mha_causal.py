#!/usr/bin/python3
"""Reference: causal multi-head self-attention: query i attends to keys j <= i only."""
import common
import mha

INIT = mha.INIT


def reference(t, sym):
    s = sym["S"]
    return {"y": mha.attention(t, sym["H"], common.build_mask(s, s, causal=1))}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
