"""`LPPool1d`, `LPPool2d`, `LPPool3d`: power-average pooling layers, printed as PyTorch prints
them (sizes kept as given).

    >>> LPPool2d(2, 3)
    LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)
"""

from __future__ import annotations

from typing import Any

from . import functional_lp_pool as FL
from .function_layer import FunctionLayer


class LPPoolNd(FunctionLayer, options=("norm_type", "kernel_size", "stride", "ceil_mode")):
    """``LPPoolNd(norm_type, kernel_size, stride=None, ceil_mode=False)``; ``forward`` passes
    ``float(norm_type)``, as PyTorch's does."""

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None,
                 ceil_mode: bool = False) -> None:
        super().__init__(norm_type, kernel_size, stride, ceil_mode)

    def forward(self, input: Any) -> Any:
        return type(self).function(input, float(self.norm_type), self.kernel_size, self.stride,
                                   self.ceil_mode)


class LPPool1d(LPPoolNd, function=FL.lp_pool1d):
    """The ``norm_type``-norm of each window of (N, C, L)."""


class LPPool2d(LPPoolNd, function=FL.lp_pool2d):
    """The ``norm_type``-norm of each window of (N, C, H, W)."""


class LPPool3d(LPPoolNd, function=FL.lp_pool3d):
    """The ``norm_type``-norm of each box window of (N, C, D, H, W)."""


__all__ = ["LPPool1d", "LPPool2d", "LPPool3d"]
