"""PyTorch's deprecated upsampling aliases in ``eager.nn.functional``: `upsample`,
`upsample_nearest`, `upsample_bilinear` (still in older tutorials). Each warns as PyTorch's
does, then calls `interpolate` (``upsample_bilinear`` with ``align_corners=True``).

    >>> import warnings, eager
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     upsample_nearest(eager.tensor([[[1.0, 2.0]]]), scale_factor=2)
    tensor([[[1., 1., 2., 2.]]])
"""

from __future__ import annotations

import warnings
from typing import Any

from .functional_shape import interpolate


def _deprecated(name: str) -> None:
    # stacklevel 3: the warning names the caller's line, as PyTorch's stacklevel=2 does.
    warnings.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=3)


def upsample(input: Any, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: Any = None) -> Any:
    """Deprecated: ``interpolate(input, size, scale_factor, mode, align_corners)``."""
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Any, size: Any = None, scale_factor: Any = None) -> Any:
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Any, size: Any = None, scale_factor: Any = None) -> Any:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


__all__ = ["upsample", "upsample_nearest", "upsample_bilinear"]
