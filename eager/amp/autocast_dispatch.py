"""CPU bfloat16 autocast as a wrapper around eager's dispatch handler, installed only while a
region is open anywhere (so programs without autocast never pay for it).

The ops of PyTorch's CPU lower-precision list that eager has as primitives
(`LOWER_PRECISION_OPS`: the matrix products and convolutions behind ``mm``, ``bmm``,
``matmul``, ``linear``, ``conv*``) take their float32 (and float16) inputs rounded to
bfloat16 and round their result to bfloat16, as torch's bfloat16 kernels do (they accumulate
in float32 and round once). What differs from torch, because NumPy has no bfloat16: the
values are held in float32 tensors, so ``.dtype`` reads ``torch.float32`` where torch's reads
``torch.bfloat16``, and the ops after them (activations, additions) compute in float32 on
those values where torch would round their results to bfloat16 again. Ops on torch's float32
list (losses, softmax in float32...) need nothing: their inputs are float32 already. Two more
differences lie in the convolutions: conv2d adds its bias after the product's rounding (torch
rounds once, after it), and where eager computes a 3x3 convolution by Winograd's transform
(an op program of matrix products), the transformed tiles' products are what get rounded.
Losses therefore agree with torch's within bfloat16's precision (about 3 significant digits),
not exactly; a network of linear layers and ReLUs agrees to float32 rounding
(tests/eager/outkw/test_autocast_bfloat16.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops.dispatch import mode_of, register_mode

from ..tensor_base import wrap_array
from .autocast_state import active_dtype
from .bfloat16 import to_bfloat16

# PyTorch's CPU autocast lower-precision ops, by the eager primitives that compute them
# (linear is ``affine`` with a bias, ``matmul`` without; conv1d and conv2d run ``conv2d_core``,
# conv_transpose1d/2d ``conv2d_input_grad``).
LOWER_PRECISION_OPS = frozenset({"matmul", "mm", "bmm", "affine", "conv2d_core",
                                 "conv2d_input_grad", "conv3d", "conv_transpose3d"})

_lock = threading.Lock()
_open = [0]  # regions open in all threads
_original: list[Any] = []  # eager's Mode while the wrapper is installed


def _autocast(apply: Callable) -> Callable:
    def autocast_apply(op: Any, args: tuple, attrs: dict) -> Any:
        if op.name in LOWER_PRECISION_OPS and active_dtype("cpu") is not None:
            return to_bfloat16(apply(op, tuple([to_bfloat16(a) for a in args]), attrs))
        return apply(op, args, attrs)

    return autocast_apply


def enter_region() -> None:
    """A CPU bfloat16 region opens: install the wrapper if it is the first."""
    with _lock:
        if _open[0] == 0:
            mode = mode_of((wrap_array(np.zeros(0, np.float32)),))
            _original.append(mode)
            register_mode(mode.name, mode.value_type, _autocast(mode.apply), mode.priority,
                          mode.immediate, mode.dtype_of)
        _open[0] += 1


def exit_region() -> None:
    """A CPU bfloat16 region closes: put eager's own handler back after the last."""
    with _lock:
        _open[0] -= 1
        if _open[0] == 0:
            mode = _original.pop()
            register_mode(mode.name, mode.value_type, mode.apply, mode.priority,
                          mode.immediate, mode.dtype_of)


__all__ = ["LOWER_PRECISION_OPS", "enter_region", "exit_region"]
