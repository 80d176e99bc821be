#!/usr/bin/python3
"""The peer benchmark (scripts/peers.py, samples/torch/peers.py) at the samples' test sizes.

1. In this process, for every softmax-attention sample: the peers' FlexAttention mask_mod, evaluated on
   index grids, is the SDPA peer's keep-mask, at the test size and at S = 300; for the samples with mask
   or score expressions, the mask_mod and score_mod run through the references' attention equal the
   reference; the eager peer's forward (fused Q/K/V projection, head split, GQA repeat, SDPA call with
   is_causal, the boolean mask or the float mask of an additive score, merge, output projection), run in
   float64 with a math stand-in for F.scaled_dot_product_attention where torch has none, equals the
   reference; a score that is not s plus a bias (softcap) has no eager peer, with the reason. For bert_encoder, the
   nn.TransformerEncoderLayer peer in float64 equals the reference (this catches wrongly copied weights).
2. Builds mha_causal, alibi_causal and bert_encoder at their test sizes with `dmc compile -O3 --test-size` and runs the
   driver on each with --rounds 1 --repeat 1: it must exit 0; the dmc build and every peer that ran agreed
   with the reference and were timed; each peer this torch cannot run (no SDPA, no torch.compile, no
   FlexAttention, no onnxruntime: torch 1.13 has none of them) is skipped with its reason; the eager
   TransformerEncoderLayer took the fast path; the JSON holds the ratios the medians give; the SVG is
   well-formed XML with one bar per ratio.
3. A build of mha_causal with the causal mask removed (same graph name, other numbers) is refused: the
   driver reports the mismatch, does not time it, and exits 1.

usage: check_peers.py DMC_BINARY
"""
import importlib
import json
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "samples", "torch"))
import common  # noqa: E402
import peers   # noqa: E402

PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
DRIVER = os.path.join(ROOT, "scripts", "peers.py")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


def load_graph(name):
    with open(os.path.join(ROOT, "samples", name + ".json")) as f:
        return json.load(f)


def rel(got, ref):
    return float((got - ref).abs().max()) / max(1.0, float(ref.abs().max()))


def has_flex():
    try:
        from torch.nn.attention.flex_attention import create_block_mask, flex_attention  # noqa: F401
        return True
    except Exception:  # noqa: BLE001
        return False


def has_ort():
    try:
        import onnxruntime  # noqa: F401
        import onnx  # noqa: F401
        return True
    except Exception:  # noqa: BLE001
        return False


HAS_SDPA = hasattr(F, "scaled_dot_product_attention")
HAS_COMPILE = hasattr(torch, "compile")


# ------------------------------------------------------------ in-process ---
def check_in_process():
    sdpa = None if HAS_SDPA else peers.sdpa_standin
    alibi = importlib.import_module("alibi_causal")
    for name in peers.SOFTMAX:
        graph = load_graph(name)
        ref = importlib.import_module(name)
        syms = common.resolve_symbols(graph, True)
        t = common.make_inputs(graph, syms, ref.INIT, 3)          # float64
        for s in (syms["S"], 300):
            binds = {"S": s}
            if "NB" in syms:                                         # bigbird: NB * BS >= S
                binds["NB"] = -(-s // syms["BS"])
            sized = common.resolve_symbols(graph, True, binds)
            ts = common.make_inputs(graph, sized, ref.INIT, 3)      # a layout table follows S
            attrs = peers.softmax_attrs(graph, sized)
            hq = peers.heads(name, sized)[0]
            i, j, h = peers.index_grids(s, hq)
            got = peers.mask_mod_for(attrs, ts)(torch.tensor(0), h, i, j).expand(hq, s, s)
            want = peers.keep_mask(attrs, s, ts, hq).expand(hq, s, s)
            check(torch.equal(got, want), "%s: mask_mod differs from keep_mask at S=%d" % (name, s))
        attrs = peers.softmax_attrs(graph, syms)
        expected = ref.reference(t, syms)["y"]
        if attrs["mask"] or attrs["score"]:
            # What the flex peer hands FlexAttention (mask_mod on index grids, score_mod), run by the
            # references' own attention with a score hook: it must be the reference.
            s, hq = syms["S"], peers.heads(name, syms)[0]
            i, j, h = peers.index_grids(s, hq)
            keep = peers.mask_mod_for(attrs, t)(torch.tensor(0), h, i, j)
            score_mod = peers.score_mod_for(attrs, t)
            hook = (lambda sc, i, j, head: score_mod(sc, 0, head, i, j)) if score_mod else (lambda sc, i, j, head: sc)
            err = rel(alibi.attention_with(t, hq, hook, keep), expected)
            check(err < 1e-10, "%s: flex peer's mask_mod/score_mod differ from the reference by %.3g" % (name, err))
            print("%-16s flex peer's mask_mod and score_mod vs reference %.1e" % (name, err), flush=True)
        if attrs["score"] and not peers.is_additive_score(attrs["score"]):
            try:
                peers.make("eager", name, graph, syms, t, {"sdpa": sdpa})
                check(False, "%s: eager peer built for a score SDPA cannot take" % name)
            except peers.Skip as e:
                check("not s plus a bias" in str(e), "%s: eager peer skipped for another reason: %s" % (name, e))
            continue
        variant = peers.make("eager", name, graph, syms, t, {"sdpa": sdpa})
        with torch.no_grad():
            err = rel(variant.fn()["y"], expected)
        check(err < 1e-10, "%s: eager peer (%s) differs from the reference by %.3g" % (name, variant.note, err))
        print("%-16s mask_mod = keep_mask; eager peer vs reference %.1e (%s)" % (name, err, variant.note), flush=True)
    check(peers.is_additive_score("s - slope[h] * (i - j)") and peers.is_additive_score("s + rel[h, i - j + S - 1]"),
          "ALiBi / relative bias not seen as additive")
    check(not any(peers.is_additive_score(e) for e in ("CAP * tanh(s / CAP)", "s * 2", "s - s * 0.5", "s - (s + 1)",
                                                        "-s + 1", "s + 1 > 0 ? s : 0")),
          "a score that is not s plus a bias seen as additive")
    # The reference's own masks: the peers read them from the graph, the references from their constants.
    s = 400
    mask = lambda name: peers.keep_mask(peers.softmax_attrs(load_graph(name)), s)  # noqa: E731
    lf, sl, ss = (importlib.import_module(n) for n in ("longformer", "sparse_local", "sparse_strided"))
    check(torch.equal(mask("longformer"), common.build_mask(s, s, window=lf.HALF_WINDOW, global_tokens=lf.GLOBAL)),
          "longformer: graph mask differs from the reference's")
    check(torch.equal(mask("sparse_local"), common.build_mask(s, s, causal=1, window=sl.WINDOW)),
          "sparse_local: graph mask differs from the reference's")
    check(torch.equal(mask("sparse_strided"), common.build_mask(s, s, causal=1, stride=ss.STRIDE)),
          "sparse_strided: graph mask differs from the reference's")
    check(peers.is_pure_causal(peers.softmax_attrs(load_graph("mha_causal"))), "mha_causal: not seen as pure causal")
    check(not peers.is_masked(peers.softmax_attrs(load_graph("mha"))), "mha: seen as masked")

    graph = load_graph("bert_encoder")
    syms = common.resolve_symbols(graph, True)
    ref = importlib.import_module("bert_encoder")
    t = common.make_inputs(graph, syms, ref.INIT, 3)
    layer = peers.encoder_layer(syms, t).double()
    with torch.no_grad():
        err = rel(layer(t["x"]), ref.reference(t, syms)["y"])
    check(err < 1e-10, "bert_encoder: nn.TransformerEncoderLayer peer differs from the reference by %.3g" % err)
    print("%-16s TransformerEncoderLayer (float64) vs reference %.1e" % ("bert_encoder", err), flush=True)


# -------------------------------------------------------------- driver ---
def expected_skip(sample, peer):
    """The words the reason must contain when this peer cannot run here, else None (it may run)."""
    if peer == "ort":
        if sample != "bert_encoder":
            return "bert_encoder only"
        return None if has_ort() else "onnxruntime"
    if peer == "flex":
        if sample == "bert_encoder":
            return "not a masked sample"
        return None if has_flex() else "flex_attention"
    if peer == "compile" and not HAS_COMPILE:
        return "torch.compile"
    if sample != "bert_encoder" and peer in ("eager", "compile") and not HAS_SDPA:
        return "scaled_dot_product_attention"
    return None


def run_driver(tmp, sample, so, extra=()):
    stem = os.path.join(tmp, sample + ("_bad" if extra else ""))
    cmd = [PY, DRIVER, "--graph", os.path.join(ROOT, "samples", sample + ".json"), "--test-size", "--so", so,
           "--threads", "1", "--rounds", "1", "--repeat", "1", "--json", stem + ".json", "--svg", stem + ".svg"]
    p = subprocess.run(cmd + list(extra), capture_output=True, text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    print(p.stdout, end="", flush=True)
    if p.stderr.strip():
        print(p.stderr, end="", file=sys.stderr, flush=True)
    return p.returncode, stem + ".json", stem + ".svg"


def check_driver_run(sample, so, tmp):
    rc, jpath, spath = run_driver(tmp, sample, so)
    check(rc == 0, "%s: driver exited %d" % (sample, rc))
    if not check(os.path.exists(jpath) and os.path.exists(spath), "%s: JSON or SVG not written" % sample):
        return
    with open(jpath) as f:
        res = json.load(f)
    by = {v["label"]: v for v in res["variants"]}
    build = by.get(os.path.basename(so))
    if check(build is not None, "%s: no variant for the dmc build" % sample):
        check(build["kind"] == "dmc" and build["status"] == "ok", "%s: dmc build status %s" % (sample, build["status"]))
        check(build.get("max_rel_diff", 1) < 1e-3 and len(build.get("times_ms", [])) == 1 and build["median_ms"] > 0,
              "%s: dmc build not checked or not timed" % sample)
    for peer in peers.PEERS:
        v = by.get(peer)
        if not check(v is not None, "%s: no variant for peer %s" % (sample, peer)):
            continue
        words = expected_skip(sample, peer)
        if words is not None:
            check(v["status"] == "skipped" and words in v.get("reason", ""),
                  "%s: peer %s should be skipped (%s), got %s: %s" % (sample, peer, words, v["status"], v.get("reason")))
            continue
        check(v["status"] in ("ok", "skipped"), "%s: peer %s is %s: %s" % (sample, peer, v["status"], v.get("reason")))
        if v["status"] == "skipped":
            check(bool(v.get("reason")), "%s: peer %s skipped without a reason" % (sample, peer))
        else:
            check(v["max_rel_diff"] < 1e-3 and len(v["times_ms"]) == 1, "%s: peer %s not checked or not timed" % (sample, peer))
    check(by["ref"]["status"] == "ok", "%s: the reference peer did not run" % sample)
    if sample == "bert_encoder":
        check(by["eager"]["status"] == "ok", "bert_encoder: the TransformerEncoderLayer peer did not run: %s"
              % by["eager"].get("reason"))
        check("fast path (aten::" in by["eager"].get("note", ""), "bert_encoder: eager peer not on the fast path: %s"
              % by["eager"].get("note"))
    timed = [v for v in res["variants"] if v["kind"] == "peer" and v["status"] == "ok"]
    ratios = {r["peer"]: r for r in res["ratios"]}
    for v in timed:
        r = ratios.get(v["label"])
        check(r is not None and math.isclose(r["speedup"], v["median_ms"] / build["median_ms"], rel_tol=1e-9),
              "%s: ratio against %s is not its median over the build's" % (sample, v["label"]))
    best = min(timed, key=lambda v: v["median_ms"])
    check(ratios.get("best", {}).get("best_peer") == best["label"], "%s: best peer is not the fastest" % sample)
    check(len(res["ratios"]) == len(timed) + 1, "%s: %d ratios for %d timed peers" % (sample, len(res["ratios"]), len(timed)))
    for key in ("cpu", "torch", "cpus"):
        check(res["machine"].get(key), "%s: machine info lacks %s" % (sample, key))
    try:
        root = ET.parse(spath).getroot()
    except ET.ParseError as e:
        check(False, "%s: SVG is not well-formed XML: %s" % (sample, e))
        return
    ns = "{http://www.w3.org/2000/svg}"
    check(root.tag == ns + "svg", "%s: SVG root is %s" % (sample, root.tag))
    bars = [r for r in root.iter(ns + "rect") if r.find(ns + "title") is not None]
    check(len(bars) == len(res["ratios"]), "%s: %d bars for %d ratios" % (sample, len(bars), len(res["ratios"])))


def compile_so(dmc, graph_path, out):
    p = subprocess.run([dmc, "compile", graph_path, "-O3", "--test-size", "-o", out], capture_output=True, text=True)
    if not check(p.returncode == 0, "dmc compile %s failed: %s" % (graph_path, p.stderr.strip())):
        raise SystemExit(1)
    return out


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: check_peers.py DMC_BINARY")
    dmc = sys.argv[1]
    check_in_process()
    with tempfile.TemporaryDirectory(prefix="dmc-check-peers-") as tmp:
        for sample in ("mha_causal", "alibi_causal", "bert_encoder"):
            so = compile_so(dmc, os.path.join(ROOT, "samples", sample + ".json"), os.path.join(tmp, "lib%s.so" % sample))
            check_driver_run(sample, so, tmp)
        # A build that computes something else under the same name: no causal mask.
        graph = load_graph("mha_causal")
        for n in graph["nodes"]:
            if n["op"] == "Softmax":
                n["attrs"].pop("causal")
        os.mkdir(os.path.join(tmp, "bad"))
        bad_json = os.path.join(tmp, "bad", "mha_causal.json")
        with open(bad_json, "w") as f:
            json.dump(graph, f)
        bad = compile_so(dmc, bad_json, os.path.join(tmp, "bad", "libmha_causal_nomask.so"))
        rc, jpath, _ = run_driver(tmp, "mha_causal", bad, ["--peers", "ref"])
        check(rc == 1, "a build without the causal mask: driver exited %d, expected 1" % rc)
        if check(os.path.exists(jpath), "a build without the causal mask: no JSON"):
            with open(jpath) as f:
                v = json.load(f)["variants"][0]
            check(v["status"] == "mismatch" and "times_ms" not in v and "median_ms" not in v,
                  "a build without the causal mask was not refused: %s" % v["status"])
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("peer benchmark: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
