"""torch_where.py DIR: exports with Debian's torch (opset 17, S dynamic) a module of torch.where selects
and writes DIR/where.onnx, inputs at S = 5 in DIR/in (the bool condition as the library's f32 0/1) and
PyTorch's own output in DIR/expected.npy.

    y = where(c, x, v) * 2 + where(keep, w.tanh(), -0.5)    c: a bool input [B, S, 1], v: a weight [E],
                                                              keep: a known bool buffer [E]
The operands not selected hold inf and NaN (x where c is false, w where keep is), so a blend instead of a
select would give NaN; PyTorch's output is finite (checked)."""
import os
import sys

import numpy as np
import torch


class Select(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.v = torch.nn.Parameter(torch.tensor([0.75, 1.5, -2.0, 0.25, 3.0, -1.0, 0.5, 2.0]))
        self.register_buffer("keep", torch.tensor([True, False, True, True, False, True, False, True]))

    def forward(self, x, w, c):
        return torch.where(c, x, self.v) * 2 + torch.where(self.keep, w.tanh(), torch.tensor(-0.5))


out = sys.argv[1]
os.makedirs(os.path.join(out, "in"), exist_ok=True)
torch.manual_seed(0)
module = Select().eval()
B, S, E = 2, 5, 8
x = torch.randn(B, S, E)
c = torch.tensor([True, False, True, True, False, False, True, False, True, True]).reshape(B, S, 1)
poison = torch.tensor([float("inf"), float("-inf"), float("nan")] * 3)[:E]
x = torch.where(c, x, poison)
w = torch.where(module.keep, torch.randn(B, S, E), poison)
torch.onnx.export(module, (torch.randn(B, 3, E), torch.randn(B, 3, E), torch.ones(B, 3, 1, dtype=torch.bool)),
                  os.path.join(out, "where.onnx"), input_names=["x", "w", "c"], output_names=["y"],
                  dynamic_axes={"x": {1: "S"}, "w": {1: "S"}, "c": {1: "S"}, "y": {1: "S"}}, opset_version=17)
with torch.no_grad():
    expected = module(x, w, c).numpy()
assert np.isfinite(expected).all() and not np.isfinite(x.numpy()).all() and not np.isfinite(w.numpy()).all()
np.save(os.path.join(out, "in", "x.npy"), x.numpy())
np.save(os.path.join(out, "in", "w.npy"), w.numpy())
np.save(os.path.join(out, "in", "c.npy"), c.numpy().astype(np.float32))
np.save(os.path.join(out, "expected.npy"), expected)
