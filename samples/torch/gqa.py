#!/usr/bin/python3
"""Reference: grouped-query attention (Ainslie et al. 2023).

Hq = HKV * G query heads; query head h reads key/value head h // G (K/V heads repeated G times,
the usual repeat_interleave formulation).
"""
import math

import torch

import common

INIT = {"x": "act", "wq": ("weight", 0), "wk": ("weight", 0), "wv": ("weight", 0), "wo": ("weight", 0),
        "bq": "bias", "bk": "bias", "bv": "bias", "bo": "bias"}


def reference(t, sym):
    hkv, g, x = sym["HKV"], sym["G"], t["x"]
    q = common.split_heads(common.linear(x, t["wq"], t["bq"]), hkv * g)   # [B,Hq,S,D]
    k = common.split_heads(common.linear(x, t["wk"], t["bk"]), hkv)       # [B,HKV,S,D]
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), hkv)
    k = k.repeat_interleave(g, dim=1)                                     # [B,Hq,S,D]
    v = v.repeat_interleave(g, dim=1)
    p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
    return {"y": common.linear(common.merge_heads(p @ v), t["wo"], t["bo"])}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
