"""`MaxPool1d`, `AvgPool1d` and the adaptive poolings `AdaptiveAvgPool1d`,
`AdaptiveAvgPool2d`, `AdaptiveMaxPool1d`, `AdaptiveMaxPool2d`, printed as PyTorch prints
them (AvgPool1d keeps its sizes as one-element tuples, as PyTorch does).

    >>> AdaptiveAvgPool2d((1, 1))
    AdaptiveAvgPool2d(output_size=(1, 1))
"""

from __future__ import annotations

from typing import Any

from . import functional_pool1d as F1
from .function_layer import FunctionLayer
from .pooling import AvgPoolNd, MaxPoolNd


def _single_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, int) else tuple(value)


class MaxPool1d(MaxPoolNd, function=F1.max_pool1d):
    """``MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
    ceil_mode=False)``."""


class AvgPool1d(AvgPoolNd):
    """``AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True)``."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__(_single_tuple(kernel_size),
                         _single_tuple(stride if stride is not None else kernel_size),
                         _single_tuple(padding), ceil_mode, count_include_pad)

    def forward(self, input: Any) -> Any:
        return F1.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad)


class _AdaptivePool(FunctionLayer, options=("output_size",)):
    """An adaptive pooling to ``output_size`` (kept as given, as PyTorch prints it)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__(output_size)


class AdaptiveAvgPool1d(_AdaptivePool, function=F1.adaptive_avg_pool1d):
    """``AdaptiveAvgPool1d(output_size)``: the mean over each of ``output_size`` windows."""


class AdaptiveAvgPool2d(_AdaptivePool, function=F1.adaptive_avg_pool2d):
    """``AdaptiveAvgPool2d(output_size)``: the mean over an ``output_size`` grid of windows
    (``None`` keeps a size)."""


class _AdaptiveMaxPool(_AdaptivePool):
    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPool, function=F1.adaptive_max_pool1d):
    """``AdaptiveMaxPool1d(output_size, return_indices=False)``."""


class AdaptiveMaxPool2d(_AdaptiveMaxPool, function=F1.adaptive_max_pool2d):
    """``AdaptiveMaxPool2d(output_size, return_indices=False)``."""
