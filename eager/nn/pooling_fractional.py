"""`FractionalMaxPool2d` and `FractionalMaxPool3d`: max pooling over pseudo-random windows to
an ``output_size`` or an ``output_ratio`` of the input, with PyTorch's constructor checks
(it prints no options, as PyTorch's does).

    >>> FractionalMaxPool2d(3, output_ratio=0.5).output_ratio
    (0.5, 0.5)
"""

from __future__ import annotations

from typing import Any

from . import functional_fractional_pool as FF
from .module import Module


def _tuple(value: Any, nd: int) -> tuple:
    return (value,) * nd if isinstance(value, int | float) else tuple(value)


class FractionalMaxPoolNd(Module):
    """The options and checks both fractional poolings share; a subclass names its
    ``function`` and ``spatial_dims``. ``_random_samples`` (fixed samples, else drawn per call)
    is a buffer, as in PyTorch."""

    function: Any = None
    spatial_dims = 0

    def __init__(self, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                 return_indices: bool = False, _random_samples: Any = None) -> None:
        super().__init__()
        nd, name = self.spatial_dims, type(self).__name__
        if nd == 3 and ((isinstance(kernel_size, int) and kernel_size <= 0) or (
                isinstance(kernel_size, tuple | list) and not all(k > 0 for k in kernel_size))):
            raise ValueError(f"kernel_size must be greater than 0, but got {kernel_size}")
        self.kernel_size = _tuple(kernel_size, nd)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _tuple(output_size, nd) if output_size is not None else None
        self.output_ratio = _tuple(output_ratio, nd) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling "
                             "ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Any) -> Any:
        return type(self).function(input, self.kernel_size, self.output_size,
                                   self.output_ratio, self.return_indices,
                                   _random_samples=self._random_samples)


class FractionalMaxPool2d(FractionalMaxPoolNd):
    """``FractionalMaxPool2d(kernel_size, output_size=None, output_ratio=None,
    return_indices=False, _random_samples=None)``."""

    function = staticmethod(FF.fractional_max_pool2d)
    spatial_dims = 2


class FractionalMaxPool3d(FractionalMaxPoolNd):
    """``FractionalMaxPool3d(kernel_size, output_size=None, output_ratio=None,
    return_indices=False, _random_samples=None)``."""

    function = staticmethod(FF.fractional_max_pool3d)
    spatial_dims = 3


__all__ = ["FractionalMaxPool2d", "FractionalMaxPool3d"]
