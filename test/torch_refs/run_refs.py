#!/usr/bin/python3
"""Test driver for the sample graphs and their PyTorch references.

For every samples/*.json, at the test size:
  1. check_shapes: the graph is well formed and shape-consistent at the default and the test size;
  2. runs samples/torch/<name>.py --test-size --make-inputs in a temp dir, as a user would, and checks
     that every declared output exists with the declared shape and is finite;
  3. evaluates the graph's nodes with the NumPy interpreter (interp.py) on the same inputs and compares
     with the reference (this is what ties the JSON to the paper's math);
  4. one or more known-answer checks on the reference itself (uniform attention, masked rows untouched,
     LayerNorm statistics, special cases that reduce to plain MHA, ...).
Prints one line per sample and "N passed, M failed"; exits 1 on any failure.

usage: /usr/bin/python3 test/torch_refs/run_refs.py [-v] [sample-name ...]
"""
import glob
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(ROOT, "samples")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SAMPLES, "torch"))

import check_shapes  # noqa: E402
import common        # noqa: E402
import interp        # noqa: E402

PY = "/usr/bin/python3"
DT = torch.float64


class CheckFailed(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise CheckFailed(msg)


def close(a, b, what, tol=1e-9):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    expect(a.shape == b.shape, "%s: shapes %s vs %s" % (what, a.shape, b.shape))
    err = float(np.max(np.abs(a - b) / (1.0 + np.abs(b)))) if a.size else 0.0
    expect(err <= tol, "%s: max rel err %.3g > %.3g" % (what, err, tol))
    return err


# ------------------------------------------------------------ mask checks ---
def check_mask_helper():
    """common.build_mask against hand-written patterns and against interp's independent loop version."""
    lit = lambda rows: torch.tensor([[c == "1" for c in r] for r in rows.split()])
    cases = [
        (dict(causal=1, window=2), "10000 11000 11100 01110 00111"),
        (dict(causal=1, stride=2), "10000 01000 10100 01010 10101"),
        (dict(stride=2), "10101 01010 10101 01010 10101"),
        (dict(window=1, global_tokens=[0]), "11111 11100 11110 10111 10011"),
        (dict(causal=1, global_tokens=[4]), "10001 11001 11101 11111 11111"),
    ]
    for kw, want in cases:
        got = common.build_mask(5, 5, **kw)
        expect(torch.equal(got, lit(want)), "build_mask(%s) = %s" % (kw, got.int().tolist()))
    for causal in (0, 1):
        for window in (-1, 0, 3):
            for stride in (0, 1, 3):
                for glob_ in ([], [0], [2, 6]):
                    kw = dict(causal=causal, window=window, stride=stride, global_tokens=glob_)
                    a = common.build_mask(9, 7, **kw).numpy()
                    b = interp._mask(9, 7, kw)
                    expect((a == b).all(), "build_mask vs interp mask differ for %s" % kw)


def softmax_attrs(graph):
    sm = [n for n in graph["nodes"] if n["op"] == "Softmax"]
    return sm[0].get("attrs", {}) if sm else {}


# --------------------------------------------------------- known answers ---
def with_(t, **kw):
    u = dict(t)
    u.update(kw)
    return u


def uniform_over(keep, vals):
    """Row i = mean of vals[:, j] over keep[i, j]; vals [B,S,E], keep [S,S] numpy bool."""
    k = torch.from_numpy(keep.astype(np.float64))
    w = k / k.sum(-1, keepdim=True).clamp(min=1)
    return torch.einsum("ij,bje->bie", w, vals)


def alibi_over(keep, slope, vals, heads):
    """With every score 0, ALiBi's weights are exp(-slope_h (i - j)) over the kept keys, per head."""
    s = keep.shape[0]
    dist = torch.arange(s).view(s, 1) - torch.arange(s).view(1, s)
    w = torch.exp(-slope.view(-1, 1, 1) * dist.to(DT)) * torch.from_numpy(keep.astype(np.float64))
    w = w / w.sum(-1, keepdim=True)
    b, _, e = vals.shape
    v = vals.view(b, s, heads, e // heads).transpose(1, 2)          # [B, H, S, D]
    return torch.einsum("hij,bhjd->bhid", w, v).transpose(1, 2).reshape(b, s, e)


def check_softmax_family(name, mod, graph, t, syms):
    """wq = wk = 0 makes every kept score equal, so attention is the plain mean of V over the kept keys
    (ALiBi: the mean weighted by exp(-slope (i - j)); a soft cap keeps 0 at 0); perturbing one position p
    must leave rows that do not see p exactly unchanged (masked prob = 0)."""
    a = softmax_attrs(graph)
    s = syms["S"]
    keep = interp._mask(s, s, a) if set(a) & {"causal", "window", "stride", "global_tokens"} \
        else np.ones((s, s), bool)
    if "mask" in a:  # the mask expression, evaluated by the Python interpreter of the language
        names = interp._expression_grids((s, s), syms, {k: v.numpy() for k, v in t.items()})
        keep = keep & np.broadcast_to(interp.evaluate(a["mask"], names), (s, s))
    z = torch.zeros_like
    u = with_(t, wq=z(t["wq"]), wk=z(t["wk"]), bq=z(t["bq"]), bk=z(t["bk"]))
    v = t["x"] @ t["wv"] + t["bv"]
    if "slope" in t:
        want = alibi_over(keep, t["slope"], v, syms["H"]) @ t["wo"] + t["bo"]
    else:
        want = uniform_over(keep, v) @ t["wo"] + t["bo"]
    close(mod.reference(u, syms)["y"], want, name + " uniform attention")
    y0 = mod.reference(t, syms)["y"]
    for p in sorted({0, s // 2, s - 1}):
        x1 = t["x"].clone()
        x1[:, p, :] += 1.0
        y1 = mod.reference(with_(t, x=x1), syms)["y"]
        changed = (y1 - y0).abs().amax(dim=(0, 2)) > 1e-12   # [S]
        for i in range(s):
            if i != p:
                expect(bool(changed[i]) == bool(keep[i, p]),
                       "%s: row %d %s after perturbing key %d, mask says kept=%s"
                       % (name, i, "changed" if changed[i] else "unchanged", p, keep[i, p]))
    return "uniform=mean(V); masked keys inert" if not keep.all() else "uniform=mean(V)"


def check_bert(name, mod, graph, t, syms):
    e = syms["E"]
    ones, zeros = torch.ones(e, dtype=DT), torch.zeros(e, dtype=DT)
    y = mod.reference(with_(t, ln2_g=ones, ln2_b=zeros), syms)["y"]
    close(y.mean(-1), torch.zeros_like(y.mean(-1)), "LN2 output mean", 1e-9)
    close(y.var(-1, unbiased=False), torch.ones_like(y.mean(-1)), "LN2 output variance", 1e-6)
    y = mod.reference(with_(t, ln2_g=zeros), syms)["y"]
    close(y, t["ln2_b"].expand_as(y), "ln2_g = 0 gives ln2_b", 0)
    # No attention and no FFN contribution: both residual branches pass x through two LayerNorms.
    z = torch.zeros_like
    u = with_(t, wo=z(t["wo"]), bo=z(t["bo"]), w2=z(t["w2"]), b2=z(t["b2"]),
              ln1_g=ones, ln1_b=zeros, ln2_g=ones, ln2_b=zeros)
    x = t["x"]
    want = (x - x.mean(-1, keepdim=True)) / x.std(-1, unbiased=False, keepdim=True)
    close(mod.reference(u, syms)["y"], want, "residual path = LN(x)", 1e-6)
    return "LN stats; ln_g=0; residual path"


def check_linformer(name, mod, graph, t, syms):
    import mha
    s = syms["S"]
    eye = torch.eye(s, dtype=DT)
    s2 = dict(syms, Kc=s)
    close(mod.reference(with_(t, ek=eye, ev=eye), s2)["y"], mha.reference(t, s2)["y"], "Ek = Ev = I equals MHA")
    z = torch.zeros_like
    u = with_(t, wq=z(t["wq"]), wk=z(t["wk"]), bq=z(t["bq"]), bk=z(t["bk"]))
    vc = torch.einsum("ks,bse->bke", t["ev"], t["x"] @ t["wv"] + t["bv"])
    want = vc.mean(1, keepdim=True).expand(-1, s, -1) @ t["wo"] + t["bo"]
    close(mod.reference(u, syms)["y"], want, "uniform over compressed keys")
    return "Ek=Ev=I is MHA; uniform=mean(Ev V)"


def qkv_heads(t, h):
    x = t["x"]
    return [common.split_heads(x @ t["w" + c] + t["b" + c], h) for c in "qkv"]


def check_performer(name, mod, graph, t, syms):
    import mha
    h, d = syms["H"], syms["D"]
    # omega = 0: every feature of a row is exp(-|x'|^2/2), so out_i = sum_j c_j v_j / sum_j c_j, c_j from keys.
    q, k, v = qkv_heads(t, h)
    c = torch.exp(-(k * d ** -0.25).pow(2).sum(-1) / 2)                           # [B,H,S]
    ctx = (c.unsqueeze(-1) * v).sum(2, keepdim=True) / c.sum(2)[..., None, None]    # [B,H,1,D]
    want = common.merge_heads(ctx.expand_as(v)) @ t["wo"] + t["bo"]
    close(mod.reference(with_(t, omega=torch.zeros_like(t["omega"])), syms)["y"], want, "omega = 0")
    # FAVOR+ is an unbiased estimator of the softmax kernel: with many features it approaches softmax MHA.
    # Its variance grows like exp(|q'+k'|^2), so halve x to keep 2^16 features well inside the tolerance
    # (rel err ~5e-3 over seeds); uniform attention or a wrong D^(-1/4) (0.03..0.07) would fail it.
    m, tol = 1 << 16, 0.015
    t = with_(t, x=0.5 * t["x"])
    big = torch.randn(m, d, generator=torch.Generator().manual_seed(1), dtype=DT)
    y_fav = mod.reference(with_(t, omega=big), dict(syms, M=m))["y"]
    y_soft = mha.reference(t, syms)["y"]
    y_unif = mha.reference(with_(t, wq=torch.zeros_like(t["wq"]), bq=torch.zeros_like(t["bq"])), syms)["y"]
    rel = lambda y: float((y - y_soft).abs().max() / y_soft.abs().max())
    expect(rel(y_unif) > 2 * tol, "softmax vs uniform too close (%.3g) for the FAVOR+ check to mean much"
           % rel(y_unif))
    err = rel(y_fav)
    expect(err < tol, "FAVOR+ with 2^16 features vs softmax: rel err %.3g" % err)
    return "omega=0 closed form; 2^16 features ~ softmax (%.1e)" % err


def check_gqa(name, mod, graph, t, syms):
    import mha
    d, g = syms["D"], syms["G"]
    # Query head h reads kv head h // G: spell that out as full [E,E] K/V weights and run plain MHA.
    idx = torch.cat([torch.arange(d) + (h // g) * d for h in range(syms["HKV"] * g)])
    full = with_(t, wk=t["wk"][:, idx], wv=t["wv"][:, idx], bk=t["bk"][idx], bv=t["bv"][idx])
    close(mod.reference(t, syms)["y"], mha.reference(full, dict(syms, H=syms["HKV"] * g))["y"],
          "GQA equals MHA with repeated K/V heads")
    return "equals MHA with K/V heads repeated"


def check_linear(name, mod, graph, t, syms):
    # wk = bk = 0: phi(K) = 1 everywhere, so every key weighs the same: out = mean of V.
    z = torch.zeros_like
    u = with_(t, wk=z(t["wk"]), bk=z(t["bk"]))
    s = syms["S"]
    want = uniform_over(np.ones((s, s), bool), t["x"] @ t["wv"] + t["bv"]) @ t["wo"] + t["bo"]
    close(mod.reference(u, syms)["y"], want, "phi(K) = 1 gives mean(V)")
    # Quadratic form of the same kernel: A = phi(Q) phi(K)^T, rows normalised, times V.
    q, k, v = qkv_heads(t, syms["H"])
    phi = lambda a: torch.where(a > 0, a + 1, torch.exp(a))
    A = phi(q) @ phi(k).transpose(-1, -2)
    want = common.merge_heads((A / A.sum(-1, keepdim=True)) @ v) @ t["wo"] + t["bo"]
    close(mod.reference(t, syms)["y"], want, "equals the S x S form")
    return "phi(K)=1 gives mean(V); equals S x S form"


SANITY = {"mha": check_softmax_family, "mha_causal": check_softmax_family,
          "sparse_local": check_softmax_family, "sparse_strided": check_softmax_family,
          "longformer": check_softmax_family, "alibi_causal": check_softmax_family,
          "dilated_window": check_softmax_family, "bigbird": check_softmax_family, "softcap": check_softmax_family, "bert_encoder": check_bert, "linformer": check_linformer,
          "performer": check_performer, "gqa": check_gqa, "linear_attention": check_linear}


# ------------------------------------------------------------------ driver ---
def run_sample(path, tmp, verbose):
    name = os.path.splitext(os.path.basename(path))[0]
    notes = []
    errors, warnings = check_shapes.check_file(path)
    expect(not errors, "; ".join(errors))
    notes += warnings
    with open(path) as f:
        graph = json.load(f)
    expect(graph["name"] == name, "graph name %r does not match file name" % graph["name"])
    script = os.path.join(SAMPLES, "torch", name + ".py")
    expect(os.path.exists(script), "no reference script %s" % script)
    ind, outd = os.path.join(tmp, name, "in"), os.path.join(tmp, name, "out")
    r = subprocess.run([PY, script, "--graph", path, "--inputs", ind, "--outputs", outd,
                        "--test-size", "--make-inputs", "--seed", "0"], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    expect(r.returncode == 0, "reference failed (rc %d): %s" % (r.returncode, r.stderr.strip()[-2000:]))
    syms = common.resolve_symbols(graph, test_size=True)
    outs = {}
    for decl in graph["outputs"]:
        f = os.path.join(outd, decl["name"] + ".npy")
        expect(os.path.exists(f), "missing output %s" % f)
        a = np.load(f)
        want = common.shape_of(decl, syms)
        expect(a.dtype == np.float32 and a.shape == want,
               "output %s: %s %s, declared float32 %s" % (decl["name"], a.dtype, a.shape, want))
        expect(np.isfinite(a).all(), "output %s has non-finite values" % decl["name"])
        expect(np.abs(a).max() > 0, "output %s is all zeros" % decl["name"])
        outs[decl["name"]] = a
    inputs = {d["name"]: np.load(os.path.join(ind, d["name"] + ".npy")).astype(np.float64)
              for d in graph["inputs"]}
    got = interp.run_graph(graph, syms, inputs)
    # The reference wrote float32; the interpreter is float64 on the same inputs.
    err = max(close(got[k], outs[k], "graph vs reference, output " + k, 2e-6) for k in outs)
    notes.append("graph==ref %.1e" % err)
    if any(n["op"] == "Softmax" and set(n.get("attrs", {})) & {"causal", "window", "stride", "global_tokens"}
           for n in graph["nodes"]):
        check_mask_helper()
    expect(name in SANITY, "no known-answer check for %s" % name)
    mod = importlib.import_module(name)
    t = {k: torch.from_numpy(v) for k, v in inputs.items()}
    with torch.no_grad():
        notes.append(SANITY[name](name, mod, graph, t, syms))
    return notes


def main(argv):
    verbose = "-v" in argv
    only = [a for a in argv if not a.startswith("-")]
    paths = sorted(glob.glob(os.path.join(SAMPLES, "*.json")))
    if only:
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in only]
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="dmc_refs_") as tmp:
        for p in paths:
            name = os.path.splitext(os.path.basename(p))[0]
            t0 = time.time()
            try:
                notes = run_sample(p, tmp, verbose)
                print("PASS %-18s %5.2fs  %s" % (name, time.time() - t0, "; ".join(notes)))
                passed += 1
            except Exception as e:  # noqa: BLE001 -- report every failure, keep going
                print("FAIL %-18s %5.2fs  %s" % (name, time.time() - t0, e))
                if verbose or not isinstance(e, CheckFailed):
                    traceback.print_exc()
                failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
