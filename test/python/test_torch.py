"""PyTorch tensors: contiguous float32 tensors are passed in place (data_ptr), outputs are tensors."""
import numpy as np
import pytest

import dmc
import references
from conftest import assert_close, random_inputs

torch = pytest.importorskip("torch")


def test_tensors_in_place_and_tensor_outputs(linear_attention):
    inputs = random_inputs(linear_attention, {"B": 1, "S": 77, "E": 128}, seed=3)
    tensors = {n: torch.from_numpy(a) for n, a in inputs.items()}
    call = linear_attention.prepare(**tensors)
    for name, t in tensors.items():
        assert call.arguments[name].pointer == t.data_ptr() and not call.arguments[name].copied
    y = call.run()
    assert isinstance(y, torch.Tensor) and y.dtype == torch.float32 and tuple(y.shape) == (1, 77, 128)
    assert_close(y.numpy(), references.linear_attention(inputs, heads=2))


def test_out_tensor_is_written_in_place(outer_sum):
    x = torch.randn(1, 50, generator=torch.Generator().manual_seed(4))
    y = torch.full((50,), float("nan"))
    pointer = y.data_ptr()
    assert outer_sum(x=x, out=y) is y and y.data_ptr() == pointer
    assert_close(y.numpy(), references.outer_sum(x.numpy()))


def test_non_contiguous_tensor_is_copied(outer_sum):
    x = torch.randn(1, 60, generator=torch.Generator().manual_seed(5))[:, ::2]  # [1, 30], stride 2
    assert not x.is_contiguous()
    call = outer_sum.prepare(x=x)
    assert call.arguments["x"].copied and call.arguments["x"].pointer != x.data_ptr()
    assert_close(call.run().numpy(), references.outer_sum(x.numpy()))


def test_requires_grad_input_is_read(outer_sum):
    x = torch.ones(1, 3, requires_grad=True)
    assert outer_sum(x=x).tolist() == [3.0, 3.0, 3.0]


def test_tensor_errors(outer_sum):
    with pytest.raises(dmc.ArgumentError, match=r"argument 'x' \(input 0\): expected dtype float32 but got "
                                                r"torch.float64 \(convert with .float\(\)\)"):
        outer_sum(x=torch.ones(1, 3, dtype=torch.float64))
    with pytest.raises(dmc.ArgumentError, match=r"argument 'y' \(output 0\): output tensor is not contiguous"):
        outer_sum(x=torch.ones(1, 3), out=torch.empty(6)[::2])
    with pytest.raises(dmc.ArgumentError, match="output tensor requires grad"):
        outer_sum(x=torch.ones(1, 3), out=torch.empty(3, requires_grad=True))
    with pytest.raises(dmc.ArgumentError, match=r"expected shape \[3\] but got \[4\]"):
        outer_sum(x=torch.ones(1, 3), out=torch.empty(4))


def test_mixed_numpy_and_torch(outer_sum):
    y = np.empty(3, dtype=np.float32)
    assert outer_sum(x=torch.ones(1, 3), out=y) is y and y.tolist() == [3.0, 3.0, 3.0]
