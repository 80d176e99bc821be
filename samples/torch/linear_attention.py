#!/usr/bin/python3
"""Reference: linear attention (Katharopoulos et al. 2020), non-causal, phi(x) = elu(x) + 1.

V'_i = phi(Q_i)^T (sum_j phi(K_j) V_j^T) / (phi(Q_i)^T sum_j phi(K_j))   (eq. 5 of the paper)
"""
import torch
import torch.nn.functional as F

import common

INIT = {"x": "act", "wq": ("weight", 0), "wk": ("weight", 0), "wv": ("weight", 0), "wo": ("weight", 0),
        "bq": "bias", "bk": "bias", "bv": "bias", "bo": "bias"}


def phi(x):
    return F.elu(x) + 1


def reference(t, sym):
    h, x = sym["H"], t["x"]
    q = phi(common.split_heads(common.linear(x, t["wq"], t["bq"]), h))
    k = phi(common.split_heads(common.linear(x, t["wk"], t["bk"]), h))
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), h)
    kv = torch.einsum("bhsd,bhse->bhde", k, v)                  # sum_j phi(K_j) V_j^T
    z = torch.einsum("bhsd,bhd->bhs", q, k.sum(dim=2))          # phi(Q_i)^T sum_j phi(K_j)
    out = torch.einsum("bhsd,bhde->bhse", q, kv) / z.unsqueeze(-1)
    return {"y": common.linear(common.merge_heads(out), t["wo"], t["bo"])}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
