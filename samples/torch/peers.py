"""The peers of the peer benchmark (scripts/peers.py): what a PyTorch user would run for each sample.

Each peer is built by make(peer, ...) from the sample's graph, its bound symbols and its seeded float32
inputs (common.make_inputs, the same for every variant), and returns a Variant: fn() runs the peer once
and returns its outputs as {name: float32 tensor}; note says what ran. A peer that cannot run here raises
Skip(reason); the driver prints the reason and goes on.

Peers:
  ref      the sample's reference (samples/torch/NAME.py) run in float32: its eager ops, as written from
           the paper (the peer of scripts/peer_bench.py and `dmc bench --torch`)
  eager    softmax attention (mha, mha_causal, gqa, sparse_*, longformer and the expression samples
           alibi_causal, dilated_window, bigbird, softcap): one fused Q/K/V F.linear (the [3E, E]
           in-projection of nn.MultiheadAttention), F.scaled_dot_product_attention (is_causal for a pure
           causal mask, else a boolean attn_mask built once outside the timing, or a float attn_mask
           [H, S, S] when the score expression is s plus a bias (ALiBi): the bias where kept, -inf
           elsewhere; gqa: the K/V heads repeated G times, as models built on SDPA do), the output
           F.linear; a score SDPA cannot take (softcap's tanh) has no eager peer;
           bert_encoder: nn.TransformerEncoderLayer (batch_first, post-LN, exact GELU, eps 1e-12,
           dropout 0) with the sample's weights, in eval under torch.no_grad() (its fast path);
           linformer, performer, linear_attention: the reference's ops (they have no SDPA form)
  compile  torch.compile of eager (of the module for bert_encoder)
  flex     masked samples and score expressions: the projections as in eager, torch.compile(flex_attention)
           with a BlockMask made once by create_block_mask from the sample's mask (shorthands and mask
           expression) and a score_mod from its score expression (graph_expr evaluated with torch ops)
  ort      bert_encoder: the layer of eager exported with torch.onnx.export, fused by
           onnxruntime.transformers.optimizer (model_type bert), run by an InferenceSession with
           intra_op_num_threads = threads

Requires torch >= 1.13 to import; each peer checks for what it needs.
"""
import importlib
import inspect
import math
import os
import sys
import tempfile

import torch
import torch.nn.functional as F

import common

# The graph format's expression language (symbolic attribute values such as "scale": "1/sqrt(D)").
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "torch_refs"))
import graph_expr  # noqa: E402
from graph_expr import fold_attrs  # noqa: E402

PEERS = ("ref", "eager", "compile", "flex", "ort")

# Which form each sample's eager peer takes.
SOFTMAX = ("mha", "mha_causal", "gqa", "sparse_local", "sparse_strided", "longformer",
           "alibi_causal", "dilated_window", "bigbird", "softcap")
ENCODER = ("bert_encoder",)
REFERENCE_ONLY = ("linformer", "performer", "linear_attention")


class Skip(Exception):
    """This peer cannot run here; the message says why."""


class Variant:
    def __init__(self, fn, note=""):
        self.fn, self.note = fn, note


def reference_module(name):
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    return importlib.import_module(name)


def torch_version():
    parts = []
    for p in torch.__version__.split("+")[0].split(".")[:2]:
        digits = "".join(c for c in p if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def family(name):
    if name in SOFTMAX:
        return "softmax"
    if name in ENCODER:
        return "encoder"
    if name in REFERENCE_ONLY:
        return "reference"
    raise Skip("no peers are defined for sample '%s'" % name)


# ------------------------------------------------------------- masks ---
def softmax_attrs(graph, syms=None):
    """The attributes of the graph's single Softmax node (scale, the shorthand mask, the mask and score
    expressions as text), numeric expressions folded with `syms` (default: the file's symbol values)."""
    nodes = [n for n in graph["nodes"] if n["op"] == "Softmax"]
    if len(nodes) != 1:
        raise Skip("expected one Softmax node, the graph has %d" % len(nodes))
    if syms is None:
        syms = {k: v for k, v in graph.get("symbols", {}).items() if v is not None}
    a = fold_attrs(nodes[0].get("attrs", {}), syms)
    return {"scale": float(a.get("scale", 1.0)), "causal": int(a.get("causal", 0)),
            "window": int(a.get("window", -1)), "stride": int(a.get("stride", 0)),
            "global_tokens": [int(t) for t in a.get("global_tokens", [])],
            "mask": a.get("mask"), "score": a.get("score"), "symbols": dict(syms)}


def is_masked(attrs):
    return bool(attrs["causal"] or attrs["window"] >= 0 or attrs["stride"] > 0 or attrs["global_tokens"]
                or attrs["mask"])


def is_pure_causal(attrs):
    return (bool(attrs["causal"]) and attrs["window"] < 0 and attrs["stride"] <= 0 and not attrs["global_tokens"]
            and not attrs["mask"] and not attrs["score"])


def expression_names(attrs, t, i, j, h, **more):
    """What a mask or score expression reads (docs/graph-format.md): i, j, h, the symbols, the graph's
    tensors t (a tensor it reads, such as ALiBi's slope or BigBird's layout, is a graph input)."""
    return dict(attrs["symbols"], **t, i=i, j=j, h=h, **more)


def index_grids(s, heads_):
    """i [S, 1], j [1, S] and h [H, 1, 1]: an expression evaluated on them gives its [H, S, S] table."""
    return torch.arange(s).view(s, 1), torch.arange(s).view(1, s), torch.arange(heads_).view(heads_, 1, 1)


def keep_mask(attrs, s, t=None, heads_=1):
    """The boolean keep-mask (True = attend): [S, S], or [H, S, S] when the mask expression reads h.
    The shorthand part as the references build it, the expression evaluated on index grids."""
    keep = common.build_mask(s, s, attrs["causal"], attrs["window"], attrs["stride"], attrs["global_tokens"])
    if not attrs["mask"]:
        return keep
    i, j, h = index_grids(s, heads_)
    expr = graph_expr.evaluate(attrs["mask"], expression_names(attrs, t or {}, i, j, h), graph_expr.TORCH)
    keep = keep & torch.as_tensor(expr).expand(heads_, s, s)
    return keep[0] if bool((keep == keep[:1]).all()) else keep


def mask_mod_for(attrs, t=None):
    """A FlexAttention mask_mod(b, h, q_idx, kv_idx) -> bool with the semantics of common.build_mask
    (docs/op-vocabulary.md) and of the mask expression. It also works on broadcast index tensors, which is
    how the test checks it."""
    causal, window, stride, global_tokens = attrs["causal"], attrs["window"], attrs["stride"], attrs["global_tokens"]
    expr, tensors = attrs["mask"], dict(t or {})

    def mask_mod(b, h, q_idx, kv_idx):
        keep = q_idx >= 0            # all true, of the indices' (broadcast) shape
        keep = keep & (kv_idx >= 0)
        if causal:
            keep = keep & (kv_idx <= q_idx)
        if window >= 0:
            keep = keep & ((q_idx - kv_idx).abs() <= window)
        if stride > 0:
            keep = keep & ((q_idx - kv_idx).abs() % stride == 0)
        for g in global_tokens:
            keep = keep | (q_idx == g) | (kv_idx == g)
        if expr:
            keep = keep & graph_expr.evaluate(expr, expression_names(attrs, tensors, q_idx, kv_idx, h),
                                              graph_expr.TORCH)
        return keep
    return mask_mod


def score_mod_for(attrs, t):
    """A FlexAttention score_mod(score, b, h, q_idx, kv_idx) from the score expression, or None."""
    expr, tensors = attrs["score"], dict(t)
    if not expr:
        return None

    def score_mod(score, b, h, q_idx, kv_idx):
        return graph_expr.evaluate(expr, expression_names(attrs, tensors, q_idx, kv_idx, h, s=score),
                                   graph_expr.TORCH)
    return score_mod


def is_additive_score(text):
    """Whether the score expression is s plus or minus terms without s (ALiBi, a relative-position bias):
    then SDPA takes it as a float mask. s first, then + or -: those bind loosest of what a float
    expression may hold at its top level (no comparison, && , || or ?: there), so the rest are terms."""
    tokens = graph_expr.tokens(text)
    if len(tokens) < 3 or tokens[0] != ("name", "s") or tokens[1] not in (("op", "+"), ("op", "-")):
        return False
    depth = 0
    for kind, v in tokens[1:]:
        if kind == "name" and v == "s":
            return False
        if kind == "op" and v in "([":
            depth += 1
        elif kind == "op" and v in ")]":
            depth -= 1
        elif kind == "op" and depth == 0 and v in ("<", "<=", ">", ">=", "==", "!=", "&&", "||", "?", ":"):
            return False
    return True


def float_mask(attrs, s, t, heads_):
    """SDPA's float attn_mask [H, S, S] (or [S, S]) for an additive score: the score at s = 0 where kept,
    -inf elsewhere."""
    keep = keep_mask(attrs, s, t, heads_)
    i, j, h = index_grids(s, heads_)
    dtype = t["x"].dtype
    bias = graph_expr.evaluate(attrs["score"], expression_names(attrs, t, i, j, h, s=torch.zeros((), dtype=dtype)),
                               graph_expr.TORCH)
    bias = torch.as_tensor(bias, dtype=dtype).expand(heads_, s, s)
    return torch.where(keep, bias, torch.tensor(float("-inf"), dtype=dtype)).contiguous()


# --------------------------------------------------------- softmax MHA ---
def heads(name, syms):
    """(query heads, key/value heads, head width) of a softmax sample."""
    if name == "gqa":
        return syms["HKV"] * syms["G"], syms["HKV"], syms["D"]
    return syms["H"], syms["H"], syms["D"]


def sdpa_function():
    fn = getattr(F, "scaled_dot_product_attention", None)
    if fn is None:
        raise Skip("torch %s has no F.scaled_dot_product_attention (PyTorch >= 2.0)" % torch.__version__)
    return fn


def softmax_projections(name, syms, t):
    """Weights in nn.Linear's layout, made once: the fused [E+2KV, E] Q/K/V in-projection and wo^T."""
    hq, hkv, d = heads(name, syms)
    if hq * d != t["x"].shape[-1]:
        raise Skip("E = %d is not Hq*D = %d*%d" % (t["x"].shape[-1], hq, d))
    w_qkv = torch.cat([t["wq"], t["wk"], t["wv"]], dim=1).t().contiguous()
    b_qkv = torch.cat([t["bq"], t["bk"], t["bv"]]).contiguous()
    return w_qkv, b_qkv, t["wo"].t().contiguous(), t["bo"].contiguous()


def make_softmax_forward(name, syms, attrs, attention):
    """forward(x, w_qkv, b_qkv, w_o, b_o, mask) -> y, with attention(q, k, v, mask) on [B, H, S, D]."""
    hq, hkv, d = heads(name, syms)
    group = hq // hkv

    def forward(x, w_qkv, b_qkv, w_o, b_o, mask):
        b, s, e = x.shape
        qkv = F.linear(x, w_qkv, b_qkv)
        q, k, v = qkv.split([hq * d, hkv * d, hkv * d], dim=-1)
        q = q.view(b, s, hq, d).transpose(1, 2)
        k = k.view(b, s, hkv, d).transpose(1, 2)
        v = v.view(b, s, hkv, d).transpose(1, 2)
        if group > 1:               # query head h reads key/value head h // G
            k = k.repeat_interleave(group, dim=1)
            v = v.repeat_interleave(group, dim=1)
        o = attention(q, k, v, mask)
        return F.linear(o.transpose(1, 2).reshape(b, s, e), w_o, b_o)
    return forward


def sdpa_attention(attrs, d, sdpa):
    """attention(q, k, v, mask) through sdpa with the sample's scale and mask."""
    kwargs = {}
    if abs(attrs["scale"] - 1.0 / math.sqrt(d)) > 1e-12:
        if "scale" not in inspect.signature(sdpa).parameters:
            raise Skip("softmax scale %g is not 1/sqrt(D) and this SDPA has no scale argument" % attrs["scale"])
        kwargs["scale"] = attrs["scale"]
    causal = is_pure_causal(attrs)

    def attention(q, k, v, mask):
        if causal:
            return sdpa(q, k, v, is_causal=True, **kwargs)
        return sdpa(q, k, v, attn_mask=mask, **kwargs)
    return attention


def sdpa_standin(q, k, v, attn_mask=None, is_causal=False, scale=None):
    """The math of F.scaled_dot_product_attention (boolean mask: True = attend; a float mask is added), for
    tests on torch 1.13."""
    s = q @ k.transpose(-1, -2) * (scale if scale is not None else 1.0 / math.sqrt(q.shape[-1]))
    if is_causal:
        n = q.shape[-2]
        attn_mask = torch.ones(n, k.shape[-2], dtype=torch.bool).tril()
    if attn_mask is not None and attn_mask.dtype == torch.bool:
        s = s.masked_fill(~attn_mask, float("-inf"))
    elif attn_mask is not None:
        s = s + attn_mask
    return torch.softmax(s, dim=-1) @ v


def softmax_peer(peer, name, graph, syms, t, opts):
    if peer not in ("eager", "compile", "flex"):
        raise Skip("the %s peer is for bert_encoder only" % peer)
    attrs = softmax_attrs(graph, syms)
    hq, hkv, d = heads(name, syms)
    masked = is_masked(attrs)
    w_qkv, b_qkv, w_o, b_o = softmax_projections(name, syms, t)
    s = t["x"].shape[1]
    gqa = " (K/V heads repeated %dx)" % (hq // hkv) if hq != hkv else ""
    score_mod = score_mod_for(attrs, t)
    if peer == "flex":
        if not masked and score_mod is None:
            raise Skip("not a masked sample and no score modifier (plain SDPA is the peer)")
        create_block_mask, flex_attention = flex_api()
        compile_ = compile_function(opts)
        block_mask = None
        if masked:
            # B=None: the mask reads no batch index; H=None unless it reads the head.
            per_head = bool(attrs["mask"]) and ("name", "h") in graph_expr.tokens(attrs["mask"])
            try:
                block_mask = create_block_mask(mask_mod_for(attrs, t), B=None, H=hq if per_head else None,
                                               Q_LEN=s, KV_LEN=s, device="cpu")
            except Exception as e:  # noqa: BLE001 - any failure of an optional API is a skip
                raise Skip("create_block_mask failed: %s" % one_line(e))
        flex = compile_(flex_attention)
        scale = attrs["scale"]

        def attention(q, k, v, mask):
            return flex(q, k, v, score_mod=score_mod, block_mask=block_mask, scale=scale)
        forward = make_softmax_forward(name, syms, attrs, attention)
        args = (t["x"], w_qkv, b_qkv, w_o, b_o, None)
        sparsity = ", score_mod from the score expression" if score_mod is not None else ""
        try:
            sp = float(block_mask.sparsity())
            if 0.0 <= sp <= 100.0:
                sparsity += ", %.1f%% of the blocks skipped" % sp
        except Exception:  # noqa: BLE001 - only for the note
            pass
        blocks = "x".join(str(b) for b in getattr(block_mask, "BLOCK_SIZE", ())) if block_mask is not None else ""
        return Variant(lambda: {"y": forward(*args)},
                       "fused QKV F.linear, torch.compile(%s) of flex_attention, BlockMask%s made once%s%s"
                       % (compile_desc(opts), " " + blocks if blocks else "", sparsity, gqa))
    additive = bool(attrs["score"]) and is_additive_score(attrs["score"])
    if attrs["score"] and not additive:
        raise Skip("the score '%s' is not s plus a bias: SDPA has no form for it (flex and ref run it)"
                   % attrs["score"])
    compile_ = compile_function(opts) if peer == "compile" else None
    sdpa = opts.get("sdpa") or sdpa_function()
    forward = make_softmax_forward(name, syms, attrs, sdpa_attention(attrs, d, sdpa))
    if additive:
        mask = float_mask(attrs, s, t, hq)
    else:
        mask = None if not masked or is_pure_causal(attrs) else keep_mask(attrs, s, t, hq)
    shape = "x".join(str(n) for n in mask.shape) if mask is not None else ""
    how = ("is_causal=True" if is_pure_causal(attrs) else
           "float attn_mask [%s] (the score's bias, -inf where masked) made once" % shape if additive else
           "boolean attn_mask [%s] made once" % shape if masked else "no mask")
    args = (t["x"], w_qkv, b_qkv, w_o, b_o, mask)
    stand = " (math stand-in for SDPA)" if opts.get("sdpa") else ""
    if peer == "eager":
        return Variant(lambda: {"y": forward(*args)}, "fused QKV F.linear + SDPA %s%s%s" % (how, gqa, stand))
    compiled = compile_(forward)
    return Variant(lambda: {"y": compiled(*args)},
                   "torch.compile(%s) of fused QKV F.linear + SDPA %s%s" % (compile_desc(opts), how, gqa))


# --------------------------------------------------------- BERT layer ---
def encoder_layer(syms, t, requires_grad=False):
    """nn.TransformerEncoderLayer holding the sample's weights (stored [in, out] in the graph)."""
    e, h, f = syms["E"], syms["H"], syms["F"]
    ref = reference_module("bert_encoder")
    kwargs = dict(dim_feedforward=f, dropout=0.0, activation="gelu", layer_norm_eps=ref.EPS, batch_first=True)
    if "norm_first" in inspect.signature(torch.nn.TransformerEncoderLayer.__init__).parameters:
        kwargs["norm_first"] = False        # the sample is post-LN
    layer = torch.nn.TransformerEncoderLayer(e, h, **kwargs)
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(torch.cat([t["wq"], t["wk"], t["wv"]], dim=1).t())
        layer.self_attn.in_proj_bias.copy_(torch.cat([t["bq"], t["bk"], t["bv"]]))
        layer.self_attn.out_proj.weight.copy_(t["wo"].t())
        layer.self_attn.out_proj.bias.copy_(t["bo"])
        layer.linear1.weight.copy_(t["w1"].t())
        layer.linear1.bias.copy_(t["b1"])
        layer.linear2.weight.copy_(t["w2"].t())
        layer.linear2.bias.copy_(t["b2"])
        layer.norm1.weight.copy_(t["ln1_g"])
        layer.norm1.bias.copy_(t["ln1_b"])
        layer.norm2.weight.copy_(t["ln2_g"])
        layer.norm2.bias.copy_(t["ln2_b"])
    layer.eval()
    for p in layer.parameters():
        p.requires_grad_(requires_grad)
    return layer


def fast_path_used(layer, x):
    """Whether the layer ran aten::_transformer_encoder_layer_fwd (the fast path): None if unknown."""
    try:
        with torch.no_grad(), torch.autograd.profiler.profile() as prof:
            layer(x)
        return any("_transformer_encoder_layer_fwd" in ev.name for ev in prof.function_events)
    except Exception:  # noqa: BLE001 - only for the note
        return None


def encoder_peer(peer, name, graph, syms, t, opts):
    x = t["x"]
    if peer == "flex":
        raise Skip("not a masked sample (no FlexAttention form)")
    if peer == "ort":
        return ort_peer(syms, t, opts)
    compile_ = compile_function(opts) if peer == "compile" else None
    layer = encoder_layer(syms, t)
    if peer == "eager":
        fast = fast_path_used(layer, x)
        note = {True: "fast path (aten::_transformer_encoder_layer_fwd)", False: "NOT on the fast path",
                None: "fast path not checked"}[fast]

        def run():
            with torch.no_grad():
                return {"y": layer(x)}
        return Variant(run, "nn.TransformerEncoderLayer, eval, no_grad: " + note)
    if peer == "compile":
        compiled = compile_(layer)

        def run_compiled():
            with torch.no_grad():
                return {"y": compiled(x)}
        return Variant(run_compiled, "torch.compile(%s) of nn.TransformerEncoderLayer, eval, no_grad"
                       % compile_desc(opts))
    raise Skip("unknown peer %s" % peer)


class ReferenceOps(torch.nn.Module):
    """The sample's reference math (samples/torch/bert_encoder.py: x @ w + b, head split by reshape and
    permute, softmax, erf GELU, F.layer_norm) as a module holding the weights, for ONNX export: the
    exporter writes its ops one by one, the graph shape onnxruntime's BERT fusions were written for."""

    def __init__(self, syms, t):
        super().__init__()
        self.syms = dict(syms)
        self.names = [k for k in t if k != "x"]
        for k in self.names:
            self.register_parameter(k, torch.nn.Parameter(t[k].clone(), requires_grad=False))

    def forward(self, x):
        ref = reference_module("bert_encoder")
        t = {k: getattr(self, k) for k in self.names}
        t["x"] = x
        return ref.reference(t, self.syms)["y"]


def export_onnx(module, x, path):
    """(how it was exported, [errors of the exporters that failed]); how is None when none worked."""
    errors = []
    sig = inspect.signature(torch.onnx.export).parameters
    attempts = [dict(dynamo=False), dict(dynamo=True)] if "dynamo" in sig else [{}]
    for extra in attempts:
        try:
            torch.onnx.export(module, (x,), path, input_names=["x"], output_names=["y"], opset_version=17, **extra)
            return "torch.onnx.export(%s)" % ", ".join("%s=%s" % kv for kv in extra.items()), errors
        except Exception as e:  # noqa: BLE001 - try the other exporter, then give up
            import traceback
            traceback.print_exc()
            errors.append("%s: %s" % (", ".join("%s=%s" % kv for kv in extra.items()) or "export", one_line(e)))
    return None, errors


ATTENTION_OPS = ("Attention", "MultiHeadAttention")


def ort_peer(syms, t, opts):
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise Skip("onnxruntime is not installed (%s)" % one_line(e))
    try:
        import onnx  # noqa: F401 - torch.onnx.export needs it
    except ImportError as e:
        raise Skip("the onnx package is not installed (%s)" % one_line(e))
    try:
        from onnxruntime.transformers import optimizer
    except ImportError as e:
        optimizer, no_optimizer = None, one_line(e)
    tmp = opts.get("tmpdir") or tempfile.mkdtemp(prefix="dmc-peer-ort-")
    x = t["x"]
    # Two exports of the same layer, each fused by the optimizer; the one with more fused attention ops
    # runs (the first on a tie). The nn.TransformerEncoderLayer is exported with grad enabled, so that it
    # takes its ordinary path (ONNX has no op for the fast path's fused kernel).
    candidates = [("nn.TransformerEncoderLayer", encoder_layer(syms, t, requires_grad=True)),
                  ("the reference's ops", ReferenceOps(syms, t))]
    best, failures = None, []
    for i, (what, module) in enumerate(candidates):
        path = os.path.join(tmp, "bert_encoder_%d.onnx" % i)
        how, errors = export_onnx(module, x, path)
        if how is None:
            failures.append("%s: %s" % (what, "; ".join(errors)))
            continue
        note = "%s by %s" % (what, how)
        model, score = path, -1
        if optimizer is None:
            note += ", onnxruntime.transformers.optimizer unavailable (%s)" % no_optimizer
        else:
            try:
                opt = optimizer.optimize_model(path, model_type="bert", num_heads=syms["H"], hidden_size=syms["E"])
                model = os.path.join(tmp, "bert_encoder_%d_opt.onnx" % i)
                opt.save_model_to_file(model)
                fused = {k: v for k, v in sorted(opt.get_fused_operator_statistics().items()) if v}
                score = sum(fused.get(k, 0) for k in ATTENTION_OPS)
                note += ", optimize_model(bert) fused %s" % (" ".join("%s=%d" % kv for kv in fused.items()) or "nothing")
            except Exception as e:  # noqa: BLE001 - run the unfused export then
                note += ", optimize_model failed (%s), unfused" % one_line(e)
        print("ort candidate: %s" % note, file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, model, note)
    if best is None:
        raise Skip("torch.onnx.export failed: " + "; ".join(failures))
    so = ort.SessionOptions()
    so.intra_op_num_threads = int(opts.get("threads") or 0)
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        sess = ort.InferenceSession(best[1], so, providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001
        raise Skip("onnxruntime could not load the model: %s" % one_line(e))
    feed = {sess.get_inputs()[0].name: x.numpy()}

    def run():
        return {"y": torch.from_numpy(sess.run(None, feed)[0])}
    return Variant(run, "onnxruntime %s, %s, intra_op_num_threads=%d" % (ort.__version__, best[2], so.intra_op_num_threads))


# ------------------------------------------------ reference-only forms ---
def reference_peer(peer, name, graph, syms, t, opts):
    if peer == "flex":
        raise Skip("no softmax over keys to mask (not a FlexAttention form)")
    if peer == "ort":
        raise Skip("the ort peer is for bert_encoder only")
    compile_ = compile_function(opts) if peer == "compile" else None
    ref = reference_module(name)
    names = [d["name"] for d in graph["inputs"]]
    args = tuple(t[n] for n in names)

    def forward(*tensors):
        return ref.reference(dict(zip(names, tensors)), syms)
    if peer == "eager":
        return Variant(lambda: forward(*args), "the reference's eager ops (no SDPA form)")
    compiled = compile_(forward)
    return Variant(lambda: compiled(*args), "torch.compile(%s) of the reference's ops" % compile_desc(opts))


# ------------------------------------------------------------ helpers ---
def one_line(e):
    text = ("%s: %s" % (type(e).__name__, e)).strip().splitlines()
    return (text[0] if text else type(e).__name__)[:300]


def compile_function(opts):
    if not hasattr(torch, "compile"):
        raise Skip("torch %s has no torch.compile (PyTorch >= 2.0)" % torch.__version__)
    if opts.get("freezing"):
        try:
            import torch._inductor.config as inductor_config
            inductor_config.freezing = True
        except Exception as e:  # noqa: BLE001
            raise Skip("cannot set torch._inductor.config.freezing: %s" % one_line(e))
    mode = opts.get("compile_mode")

    def compile_(fn):
        return torch.compile(fn, mode=mode) if mode else torch.compile(fn)
    return compile_


def compile_desc(opts):
    parts = []
    if opts.get("compile_mode"):
        parts.append("mode=%r" % opts["compile_mode"])
    if opts.get("freezing"):
        parts.append("inductor freezing")
    return ", ".join(parts) or "default"


def flex_api():
    try:
        from torch.nn.attention.flex_attention import create_block_mask, flex_attention
    except Exception as e:  # noqa: BLE001 - ImportError, or an older torch's other failure
        raise Skip("torch %s has no torch.nn.attention.flex_attention (PyTorch >= 2.5; CPU from 2.6): %s"
                   % (torch.__version__, one_line(e)))
    return create_block_mask, flex_attention


def make(peer, name, graph, syms, inputs, opts=None):
    """The Variant of peer for sample name: inputs are the seeded float32 tensors, opts a dict
    (threads, compile_mode, freezing, tmpdir; sdpa: a stand-in for F.scaled_dot_product_attention)."""
    opts = dict(opts or {})
    if peer not in PEERS:
        raise Skip("unknown peer '%s' (peers: %s)" % (peer, ", ".join(PEERS)))
    fam = family(name)
    if peer == "ref":
        if fam == "reference":
            raise Skip("same as eager for this sample (the reference's ops)")
        ref = reference_module(name)
        return Variant(lambda: ref.reference(inputs, syms), "samples/torch/%s.py in float32 (eager ops)" % name)
    if fam == "softmax":
        return softmax_peer(peer, name, graph, syms, inputs, opts)
    if fam == "encoder":
        return encoder_peer(peer, name, graph, syms, inputs, opts)
    return reference_peer(peer, name, graph, syms, inputs, opts)
