#!/usr/bin/python3
"""Reference: Performer FAVOR+ bidirectional attention (Choromanski et al. 2021), positive features.

phi(x) = exp(w_r^T x - |x|^2 / 2) / sqrt(m), r = 1..m, applied to x = q / D^(1/4) and k / D^(1/4), so that
E[phi(q)^T phi(k)] = exp(q^T k / sqrt(D)) for w_r ~ N(0, I_D).
out_i = sum_j (phi(q_i)^T phi(k_j)) v_j / sum_j phi(q_i)^T phi(k_j), computed as phi(Q) (phi(K)^T V).
Written straight from the paper: no stabilising max-subtraction (float64 keeps it safe at test scale).
"""
import torch

import common

INIT = {"x": "act", "wq": ("weight", 0), "wk": ("weight", 0), "wv": ("weight", 0), "wo": ("weight", 0),
        "bq": "bias", "bk": "bias", "bv": "bias", "bo": "bias",
        "omega": ("normal", 1.0)}   # FAVOR+ needs w_r ~ N(0, I_D), unscaled


def features(x, omega):
    """[B,H,S,D] -> [B,H,S,m] positive random features."""
    d, m = x.shape[-1], omega.shape[0]
    x = x * d ** -0.25
    return torch.exp(x @ omega.T - (x * x).sum(-1, keepdim=True) / 2) / m ** 0.5


def reference(t, sym):
    h, x = sym["H"], t["x"]
    q = common.split_heads(common.linear(x, t["wq"], t["bq"]), h)
    k = common.split_heads(common.linear(x, t["wk"], t["bk"]), h)
    v = common.split_heads(common.linear(x, t["wv"], t["bv"]), h)
    fq, fk = features(q, t["omega"]), features(k, t["omega"])
    num = torch.einsum("bhsm,bhmd->bhsd", fq, torch.einsum("bhsm,bhsd->bhmd", fk, v))
    den = torch.einsum("bhsm,bhm->bhs", fq, fk.sum(dim=2)).unsqueeze(-1)
    return {"y": common.linear(common.merge_heads(num / den), t["wo"], t["bo"])}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
