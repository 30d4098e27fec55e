"""`RMSNorm` and `rms_norm`: scale the trailing ``normalized_shape`` dims by the reciprocal of
their root mean square, ``x / sqrt(mean(x^2) + eps)``, then by an optional ``weight``; ``eps``
None means the input dtype's machine epsilon, as in PyTorch.

    >>> import eager
    >>> RMSNorm(8)
    RMSNorm((8,), eps=None, elementwise_affine=True)
    >>> rms_norm(eager.tensor([[3.0, 4.0]]), (2,)).tolist()
    [[0.8485281467437744, 1.1313709020614624]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from . import init
from ._factory import empty_parameter, param_dtype
from .module import Module


def rms_norm(input: Any, normalized_shape: Any, weight: Any = None,
             eps: float | None = None) -> Any:
    """``input / sqrt(mean(input^2) + eps) * weight`` over the trailing ``normalized_shape``."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(int(d) for d in normalized_shape)
    trailing = tuple(input.shape)[input.ndim - len(shape):] if len(shape) <= input.ndim else None
    if trailing != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*{', '.join(str(d) for d in shape)}], but got input of "
                           f"size{list(input.shape)}")
    if eps is None:
        # np.dtype() accepts eager's dtype objects and NumPy's (a static graph value's).
        eps = float(np.finfo(np.dtype(input.dtype)).eps)
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    mean_square = ops.mean(ops.mul(input, input), axis=axes, keepdims=True)
    out = ops.div(input, ops.sqrt(ops.add(mean_square, eps)))
    return out if weight is None else ops.mul(out, weight)


class RMSNorm(Module):
    """``RMSNorm(normalized_shape, eps=None, elementwise_affine=True, device=None,
    dtype=None)``; ``weight`` starts at ones."""

    def __init__(self, normalized_shape: Any, eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
            tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = empty_parameter(self.normalized_shape, param_dtype(dtype, device))
            init.ones_(self.weight)
        else:
            self.register_parameter("weight", None)

    def forward(self, x: Any) -> Any:
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
