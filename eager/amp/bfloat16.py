"""bfloat16 precision without a bfloat16 storage type: NumPy has none, so a CPU autocast
region to ``torch.bfloat16`` keeps float32 arrays whose values are rounded to the nearest
bfloat16 (8 mantissa bits; round to nearest, ties to even, as PyTorch's float -> bfloat16
conversion rounds).

    >>> round_to_bfloat16(np.array([1.0, 1.00390625, 1.01171875, 3.14159265], np.float32))
    array([1.      , 1.      , 1.015625, 3.140625], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.custom_function import Function
from ..autograd.grad_mode import thread_state
from ..tensor_base import TensorBase, wrap_array

_LOW_HALF = np.uint32(0x7FFF)
_HIGH_HALF = np.uint32(0xFFFF0000)


def round_to_bfloat16(values: np.ndarray) -> np.ndarray:
    """``values`` (float32 or float16) rounded to bfloat16's precision, as a float32 array."""
    x = np.asarray(values, np.float32)
    bits = x.view(np.uint32)
    # add just under half of the dropped 16 bits' unit (plus one when the kept part is odd:
    # ties go to even), then drop them; a carry into the exponent rounds up to the next binade
    # or to inf, as the conversion does
    rounded = ((bits + (_LOW_HALF + ((bits >> 16) & np.uint32(1)))) & _HIGH_HALF).view(np.float32)
    return np.where(np.isnan(x), x, rounded)  # a NaN stays one (its bits could carry to inf)


class _RoundToBFloat16(Function):
    """The recorded cast to bfloat16 and back: torch's gradient through ``.to(bfloat16)`` is
    the incoming gradient as a bfloat16 tensor, so backward rounds it too."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return wrap_array(round_to_bfloat16(x.numpy()))

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return wrap_array(round_to_bfloat16(grad.numpy()))


def to_bfloat16(value: Any) -> Any:
    """A float32 (or float16) Tensor or array rounded to bfloat16 precision, recorded for
    backward when it requires grad; anything else as it is."""
    if isinstance(value, TensorBase):
        if value.numpy().dtype.kind != "f" or value.numpy().dtype == np.float64:
            return value
        if value.requires_grad and thread_state.grad_enabled:
            return _RoundToBFloat16.apply(value)
        return wrap_array(round_to_bfloat16(value.numpy()))
    if isinstance(value, np.ndarray) and value.dtype in (np.float32, np.float16):
        return round_to_bfloat16(value)
    return value


__all__ = ["round_to_bfloat16", "to_bfloat16"]
