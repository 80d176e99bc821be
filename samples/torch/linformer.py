#!/usr/bin/python3
"""Reference: Linformer self-attention (Wang et al. 2020), one E/F projection shared by all heads.

head_h = softmax(Q_h (E K_h)^T / sqrt(D)) (F V_h), E = ek, F = ev of shape [k, S].
"""
import math

import torch

import common

INIT = {"x": "act", "wq": ("weight", 0), "wk": ("weight", 0), "wv": ("weight", 0), "wo": ("weight", 0),
        "bq": "bias", "bk": "bias", "bv": "bias", "bo": "bias",
        "ek": ("weight", 1), "ev": ("weight", 1)}   # ek @ K sums over S = shape[1]


def reference(t, sym):
    h, x = sym["H"], t["x"]
    q = common.split_heads(common.linear(x, t["wq"], t["bq"]), h)
    k = common.split_heads(common.linear(x, t["wk"], t["bk"]), h)
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), h)
    k = torch.einsum("ks,bhsd->bhkd", t["ek"], k)   # compress the sequence of keys to k rows
    v = torch.einsum("ks,bhsd->bhkd", t["ev"], v)
    p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
    return {"y": common.linear(common.merge_heads(p @ v), t["wo"], t["bo"])}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
