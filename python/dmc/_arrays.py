"""Arguments of a call: NumPy arrays, PyTorch tensors and other buffers as (pointer, shape) pairs.

Contiguous float32 data on the CPU is passed in place: a torch.Tensor by data_ptr(), a NumPy array by its
data pointer, anything else through NumPy's view of it (DLPack, the buffer protocol or __array_interface__).
Inputs that are float32 but not C-contiguous are copied into a contiguous array first; any other dtype,
a non-CPU tensor, or an output that is not writable, contiguous float32 is an ArgumentError: converting
another dtype would silently round, and writing an output into a copy would lose it.
"""

from dataclasses import dataclass
from typing import Any, Tuple

import numpy as np

from ._errors import ArgumentError


def is_torch_tensor(value: Any) -> bool:
    # Checked by type name so that torch is imported only by callers who use it.
    cls = type(value)
    return cls.__module__.startswith("torch") and hasattr(value, "data_ptr") and hasattr(value, "is_contiguous")


@dataclass
class Argument:
    pointer: int  # what run_packed receives
    shape: Tuple[int, ...]
    value: Any  # the object that owns the memory (kept alive for the call)
    copied: bool  # True when `value` is a contiguous copy of the caller's input


def _torch_argument(what: str, tensor, writable: bool) -> Argument:
    import torch

    if tensor.device.type != "cpu":
        raise ArgumentError(f"{what}: tensor is on {tensor.device}; dmc libraries run on the CPU (use .cpu())")
    if tensor.dtype != torch.float32:
        raise ArgumentError(f"{what}: expected dtype float32 but got {tensor.dtype} (convert with .float())")
    copied = False
    if not tensor.is_contiguous():
        if writable:
            raise ArgumentError(f"{what}: output tensor is not contiguous (pass a contiguous tensor, or none)")
        tensor, copied = tensor.contiguous(), True
    if writable and tensor.requires_grad:
        raise ArgumentError(f"{what}: output tensor requires grad; dmc writes it outside autograd (pass one "
                            "without requires_grad)")
    return Argument(tensor.data_ptr(), tuple(tensor.shape), tensor, copied)


def _numpy_argument(what: str, array: np.ndarray, writable: bool) -> Argument:
    if array.dtype != np.float32 or not array.dtype.isnative:
        raise ArgumentError(f"{what}: expected dtype float32 but got {array.dtype} (convert with "
                            ".astype(numpy.float32))")
    copied = False
    if not (array.flags.c_contiguous and array.flags.aligned):
        if writable:
            raise ArgumentError(f"{what}: output array is not C-contiguous and aligned (pass a contiguous array, "
                                "or none)")
        array, copied = np.ascontiguousarray(array), True
    if writable and not array.flags.writeable:
        raise ArgumentError(f"{what}: output array is read-only")
    return Argument(array.__array_interface__["data"][0], tuple(array.shape), array, copied)


def as_argument(what: str, value: Any, writable: bool) -> Argument:
    """`value` as an argument of run_packed; `what` names it in errors ("argument 'x' (input 0)")."""
    if is_torch_tensor(value):
        return _torch_argument(what, value, writable)
    if isinstance(value, np.ndarray):
        return _numpy_argument(what, value, writable)
    try:
        if hasattr(value, "__dlpack__") and not hasattr(value, "__array_interface__"):
            array = np.from_dlpack(value)  # DLPack (CPU memory): a view, not a copy
        else:
            array = np.asarray(value)  # buffer protocol or __array_interface__: a view, not a copy
    except Exception as e:  # noqa: BLE001 - NumPy raises several types for unconvertible objects
        raise ArgumentError(f"{what}: cannot use a {type(value).__name__} as an array: {e}") from None
    return _numpy_argument(what, array, writable)


def allocate(shape: Tuple[int, ...], like_torch: bool):
    """A new output: a torch.Tensor when the inputs were tensors, else a NumPy array."""
    if like_torch:
        import torch

        return torch.empty(shape, dtype=torch.float32)
    return np.empty(shape, dtype=np.float32)
