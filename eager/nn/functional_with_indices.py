"""The ``*_with_indices`` spellings of the max poolings in ``eager.nn.functional``: each
returns ``(output, indices)`` whatever its ``return_indices`` says, as PyTorch's do (their
``return_indices=False`` default is kept for the signature).

    >>> import eager
    >>> out, idx = max_pool1d_with_indices(eager.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    >>> idx
    tensor([[[1, 2]]])
"""

from __future__ import annotations

from typing import Any

from .functional_conv3d import adaptive_max_pool3d, max_pool3d
from .functional_pool import max_pool2d
from .functional_pool1d import adaptive_max_pool1d, adaptive_max_pool2d, max_pool1d


def max_pool1d_with_indices(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> Any:
    """``max_pool1d(..., return_indices=True)``: (output, indices)."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> Any:
    """``max_pool2d(..., return_indices=True)``: (output, indices)."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> Any:
    """``max_pool3d(..., return_indices=True)``: (output, indices)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d_with_indices(input: Any, output_size: Any,
                                     return_indices: bool = False) -> Any:
    """``adaptive_max_pool1d(..., return_indices=True)``: (output, indices)."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Any, output_size: Any,
                                     return_indices: bool = False) -> Any:
    """``adaptive_max_pool2d(..., return_indices=True)``: (output, indices)."""
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Any, output_size: Any,
                                     return_indices: bool = False) -> Any:
    """``adaptive_max_pool3d(..., return_indices=True)``: (output, indices)."""
    return adaptive_max_pool3d(input, output_size, True)


__all__ = ["max_pool1d_with_indices", "max_pool2d_with_indices", "max_pool3d_with_indices",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices"]
