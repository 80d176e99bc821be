#!/usr/bin/python3
"""Reference: BERT encoder layer, post-LN, inference (Devlin et al. 2019; Ivanov et al. 2021).

h = LN(x + MHA(x)); y = LN(h + W2 gelu(W1 h + b1) + b2); LayerNorm epsilon 1e-12, exact (erf) GELU.
"""
import torch.nn.functional as F

import common
import mha

EPS = 1e-12
INIT = dict(mha.INIT, ln1_g="ln_scale", ln1_b="bias", ln2_g="ln_scale", ln2_b="bias",
            w1=("weight", 0), b1="bias", w2=("weight", 0), b2="bias")


def reference(t, sym):
    x = t["x"]
    e = x.shape[-1]
    h = F.layer_norm(x + mha.attention(t, sym["H"]), (e,), t["ln1_g"], t["ln1_b"], EPS)
    f = common.linear(F.gelu(common.linear(h, t["w1"], t["b1"])), t["w2"], t["b2"])
    return {"y": F.layer_norm(h + f, (e,), t["ln2_g"], t["ln2_b"], EPS)}


if __name__ == "__main__":
    raise SystemExit(common.main(reference, INIT))
