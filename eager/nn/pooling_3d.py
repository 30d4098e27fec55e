"""`MaxPool3d`, `AvgPool3d`, `AdaptiveAvgPool3d` and `AdaptiveMaxPool3d` over
(N, C, D, H, W) inputs, printed as PyTorch prints them (sizes kept as given).

    >>> MaxPool3d(2)
    MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> AdaptiveAvgPool3d((1, None, 2))
    AdaptiveAvgPool3d(output_size=(1, None, 2))
"""

from __future__ import annotations

from typing import Any

from . import functional_conv3d as F3
from .module import Module
from .pooling import DivisorAvgPoolNd, MaxPoolNd


class MaxPool3d(MaxPoolNd):
    """``MaxPool3d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
    ceil_mode=False)``."""

    function = staticmethod(F3.max_pool3d)


class AvgPool3d(DivisorAvgPoolNd, function=F3.avg_pool3d):
    """``AvgPool3d(kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True, divisor_override=None)``."""


class AdaptivePool3d(Module):
    """An adaptive 3-d pooling to ``output_size`` (kept as given, as PyTorch prints it); a
    subclass names its ``function``."""

    function: Any = None

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool3d(AdaptivePool3d):
    """``AdaptiveAvgPool3d(output_size)``: the mean over an ``output_size`` grid of box
    windows (``None`` keeps a size)."""

    function = staticmethod(F3.adaptive_avg_pool3d)


class AdaptiveMaxPool3d(AdaptivePool3d):
    """``AdaptiveMaxPool3d(output_size, return_indices=False)``: the max over an
    ``output_size`` grid of box windows (and their flat positions with ``return_indices``)."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Any) -> Any:
        return F3.adaptive_max_pool3d(input, self.output_size, self.return_indices)
