"""PyTorch modules exported to ONNX for dmc's end-to-end tests (test/onnx/check_torch.py, docs/onnx.md).

Each builder returns (module, example input); every module is in eval mode, seeded, float32, with the
sequence axis (dim 1 of a batch-first input) exported as the dynamic axis 'S'.
"""
import math

import torch

E, H, F, B = 32, 4, 64, 2


class HandWrittenAttention(torch.nn.Module):
    """Multi-head self-attention written out: projections, head split, softmax(QK^T/sqrt(D))V, merge."""

    def __init__(self, causal=False):
        super().__init__()
        self.causal = causal
        self.q, self.k, self.v, self.o = (torch.nn.Linear(E, E) for _ in range(4))

    def forward(self, x):
        b, s, e = x.shape
        d = e // H
        q = self.q(x).reshape(b, s, H, d).transpose(1, 2)
        k = self.k(x).reshape(b, s, H, d).transpose(1, 2)
        v = self.v(x).reshape(b, s, H, d).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d)
        if self.causal:
            mask = torch.triu(torch.full((s, s), float("-inf")), diagonal=1)
            scores = scores + mask
        p = torch.softmax(scores, dim=-1)
        return self.o((p @ v).transpose(1, 2).reshape(b, s, e))


class MaskedAttention(HandWrittenAttention):
    """The hand-written attention with an additive mask as a second model input ([S, S], e.g. padding)."""

    def forward(self, x, mask):
        b, s, e = x.shape
        d = e // H
        q = self.q(x).reshape(b, s, H, d).transpose(1, 2)
        k = self.k(x).reshape(b, s, H, d).transpose(1, 2)
        v = self.v(x).reshape(b, s, H, d).transpose(1, 2)
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1)
        return self.o((p @ v).transpose(1, 2).reshape(b, s, e))


class Mha(torch.nn.Module):
    """nn.MultiheadAttention (batch first), optionally with the causal -inf mask of nn.Transformer."""

    def __init__(self, causal):
        super().__init__()
        self.causal = causal
        self.attn = torch.nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x):
        s = x.shape[1]
        mask = torch.triu(torch.full((s, s), float("-inf")), diagonal=1) if self.causal else None
        return self.attn(x, x, x, attn_mask=mask, need_weights=False)[0]


def encoder(norm_first, activation):
    return torch.nn.TransformerEncoderLayer(E, H, F, dropout=0.0, activation=activation, batch_first=True,
                                            norm_first=norm_first)


MODELS = {
    "attention": lambda: HandWrittenAttention(),
    "attention_causal": lambda: HandWrittenAttention(causal=True),
    "attention_mask_input": lambda: MaskedAttention(),
    "mha": lambda: Mha(causal=False),
    "mha_causal": lambda: Mha(causal=True),
    "encoder_post_gelu": lambda: encoder(False, "gelu"),
    "encoder_post_relu": lambda: encoder(False, "relu"),
    "encoder_pre_gelu": lambda: encoder(True, "gelu"),
    "encoder_pre_relu": lambda: encoder(True, "relu"),
}


def build(name, seed=0):
    torch.manual_seed(seed)
    module = MODELS[name]().eval()
    # Non-trivial LayerNorm parameters: the defaults (1, 0) would hide a swapped scale and bias.
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    return module


def example_inputs(name, seq, batch=B):
    """The module's inputs at sequence length `seq`, by name (x, and the additive mask where it takes one)."""
    inputs = {"x": torch.randn(batch, seq, E)}
    if name == "attention_mask_input":  # a padding-like mask: the last key of each row is hidden, -1e9
        mask = torch.randn(seq, seq) * 0.5
        mask[:, -1] = -1e9 if seq > 1 else 0.0
        inputs["mask"] = mask
    return inputs


def export(name, path, seq=7, opset=17, batch=B):
    module = build(name)
    inputs = example_inputs(name, seq, batch)
    axes = {"x": {1: "S"}, "y": {1: "S"}}
    if "mask" in inputs:
        axes["mask"] = {0: "S", 1: "S"}
    torch.onnx.export(module, tuple(inputs.values()), path, input_names=list(inputs), output_names=["y"],
                      dynamic_axes=axes, opset_version=opset)
    return module
