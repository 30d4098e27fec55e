"""Power-average pooling in ``eager.nn.functional``: `lp_pool1d`, `lp_pool2d`, `lp_pool3d`,
PyTorch's composition: ``(sum over the window of x ** p) ** (1 / p)``, the sum being the
average pooling (no padding, ``ceil_mode`` as given) times the window size, with the sign of
a negative sum kept and its magnitude rectified. ``p`` of +-inf is a max pooling of ``|x|``.

    >>> import eager
    >>> lp_pool1d(eager.tensor([[[3.0, 4.0, 1.0, 1.0]]]), 2, 2)
    tensor([[[5.0000, 1.4142]]])
"""

from __future__ import annotations

import math
from typing import Any

import shared_ops as ops

from .functional_activation import relu
from .functional_conv3d import avg_pool3d, max_pool3d
from .functional_pool import avg_pool2d, max_pool2d
from .functional_pool1d import avg_pool1d, max_pool1d


def _window_size(kernel_size: Any, nd: int) -> int:
    items = (kernel_size,) * nd if isinstance(kernel_size, int) else tuple(kernel_size)
    return math.prod(items * nd if len(items) == 1 else items)


def _lp_pool(input: Any, norm_type: float, kernel_size: Any, stride: Any, ceil_mode: bool,
             avg: Any, max_pool: Any, nd: int) -> Any:
    if isinstance(norm_type, int | float) and math.isinf(norm_type):
        pooled = max_pool(ops.abs(input) if norm_type > 0 else ops.neg(ops.abs(input)),
                          kernel_size, stride, 0, 1, ceil_mode)
        return pooled if norm_type > 0 else ops.neg(pooled)
    out = avg(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    rectified = ops.mul(ops.sign(out), relu(ops.abs(out)))
    return ops.mul(rectified, _window_size(kernel_size, nd)).pow(1.0 / norm_type)


def lp_pool1d(input: Any, norm_type: int | float, kernel_size: int, stride: Any = None,
              ceil_mode: bool = False) -> Any:
    """The ``norm_type``-norm of each window of (N, C, L) or (C, L)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, avg_pool1d, max_pool1d, 1)


def lp_pool2d(input: Any, norm_type: int | float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Any:
    """The ``norm_type``-norm of each window of (N, C, H, W) or (C, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, avg_pool2d, max_pool2d, 2)


def lp_pool3d(input: Any, norm_type: int | float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Any:
    """The ``norm_type``-norm of each box window of (N, C, D, H, W) or (C, D, H, W)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, avg_pool3d, max_pool3d, 3)


__all__ = ["lp_pool1d", "lp_pool2d", "lp_pool3d"]
