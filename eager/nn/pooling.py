"""`MaxPool2d` and `AvgPool2d` over NCHW inputs (``stride`` defaults to ``kernel_size``), and
their bases `MaxPoolNd` and `AvgPoolNd`, which the 1-d and 3-d poolings share (as PyTorch's
``_MaxPoolNd`` and ``_AvgPoolNd``), with `DivisorAvgPoolNd` for the 2-d and 3-d averages."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .function_layer import FunctionLayer


class _PoolWindow(FunctionLayer):
    """What every pooling holds and prints first: ``kernel_size``, ``stride`` (by default
    ``kernel_size``) and ``padding``."""

    def __init__(self, kernel_size: Any, stride: Any, padding: Any) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPoolNd(_PoolWindow):
    """A max pooling's arguments, forward and repr; a subclass names its ``function``."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__(kernel_size, stride, padding)
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.kernel_size, self.stride, self.padding,
                                   self.dilation, ceil_mode=self.ceil_mode,
                                   return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, dilation={self.dilation}, ceil_mode={self.ceil_mode}"


class MaxPool2d(MaxPoolNd, function=F.max_pool2d):
    """``MaxPool2d(kernel_size, stride=None, padding=0, dilation=1)``.

        >>> MaxPool2d(2)
        MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """


class AvgPoolNd(_PoolWindow):
    """An average pooling's common arguments and repr (``stride`` defaults to
    ``kernel_size``)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__(kernel_size, stride, padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad


class DivisorAvgPoolNd(AvgPoolNd):
    """An average pooling that also takes ``divisor_override`` (the 2-d and 3-d ones, as in
    PyTorch): ``function(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
    divisor_override)``."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.kernel_size, self.stride, self.padding,
                                   self.ceil_mode, self.count_include_pad, self.divisor_override)


class AvgPool2d(DivisorAvgPoolNd, function=F.avg_pool2d):
    """``AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
    divisor_override=None)``.

        >>> AvgPool2d(2)
        AvgPool2d(kernel_size=2, stride=2, padding=0)
    """
