"""`MaxUnpool1d`, `MaxUnpool2d`, `MaxUnpool3d`: the partial inverse of max pooling (the
decoder half of SegNet-style networks), printed as PyTorch prints them (sizes as tuples).

    >>> MaxUnpool2d(2)
    MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
"""

from __future__ import annotations

from typing import Any

from . import functional_unpool as FU
from .module import Module


def _tuple(value: Any, nd: int) -> tuple[int, ...]:
    return (value,) * nd if isinstance(value, int) else tuple(value)


class MaxUnpoolNd(Module):
    """``forward(input, indices, output_size=None)`` writes ``input`` at ``indices``; a
    subclass names its ``function`` and ``spatial_dims``."""

    function: Any = None
    spatial_dims = 0

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        n = self.spatial_dims
        self.kernel_size = _tuple(kernel_size, n)
        self.stride = _tuple(stride if stride is not None else kernel_size, n)
        self.padding = _tuple(padding, n)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Any:
        return type(self).function(input, indices, self.kernel_size, self.stride, self.padding,
                                   output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(MaxUnpoolNd):
    """``MaxUnpool1d(kernel_size, stride=None, padding=0)``: the inverse of `MaxPool1d`."""

    function = staticmethod(FU.max_unpool1d)
    spatial_dims = 1


class MaxUnpool2d(MaxUnpoolNd):
    """``MaxUnpool2d(kernel_size, stride=None, padding=0)``: the inverse of `MaxPool2d`."""

    function = staticmethod(FU.max_unpool2d)
    spatial_dims = 2


class MaxUnpool3d(MaxUnpoolNd):
    """``MaxUnpool3d(kernel_size, stride=None, padding=0)``: the inverse of `MaxPool3d`."""

    function = staticmethod(FU.max_unpool3d)
    spatial_dims = 3


__all__ = ["MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"]
