"""`Upsample` (with `UpsamplingNearest2d` and `UpsamplingBilinear2d`), which is
`functional.interpolate` as a layer, and `PixelShuffle` / `PixelUnshuffle` with their functional
forms, which move channels into space and back by one reshape and one permutation.

    >>> import eager
    >>> Upsample(scale_factor=2)
    Upsample(scale_factor=2.0, mode='nearest')
    >>> pixel_shuffle(eager.arange(8.0).reshape(1, 4, 1, 2), 2).shape
    torch.Size([1, 1, 2, 4])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from .function_layer import FunctionLayer
from .functional_shape import interpolate
from .module import Module


class Upsample(Module):
    """``Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None,
    recompute_scale_factor=None)``."""

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Any) -> Any:
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return info + f", mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``UpsamplingNearest2d(size=None, scale_factor=None)``: nearest-neighbour ``Upsample``."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``UpsamplingBilinear2d(size=None, scale_factor=None)``: bilinear ``Upsample`` with
    ``align_corners=True``."""

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


def _check_shuffle(op: str, input: Any) -> tuple:
    shape = tuple(input.shape)
    if len(shape) < 3:
        raise RuntimeError(f"{op} expects input to have at least 3 dimensions, but got input "
                           f"with {len(shape)} dimension(s)")
    return shape


def pixel_shuffle(input: Any, upscale_factor: int) -> Any:
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""
    r = int(upscale_factor)
    shape = _check_shuffle("pixel_shuffle", input)
    *lead, c, h, w = shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    n = len(lead)
    x = ops.reshape(input, shape=(*lead, c // (r * r), r, r, h, w))
    x = ops.transpose(x, axes=(*range(n), n, n + 3, n + 1, n + 4, n + 2))
    return ops.reshape(x, shape=(*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Any, downscale_factor: int) -> Any:
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""
    r = int(downscale_factor)
    shape = _check_shuffle("pixel_unshuffle", input)
    *lead, c, h, w = shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by "
                           f"downscale_factor, but input.size(-2)={h} and input.size(-1)={w} "
                           f"are not both divisible by {r}")
    n = len(lead)
    x = ops.reshape(input, shape=(*lead, c, h // r, r, w // r, r))
    x = ops.transpose(x, axes=(*range(n), n, n + 2, n + 4, n + 1, n + 3))
    return ops.reshape(x, shape=(*lead, c * r * r, h // r, w // r))


class PixelShuffle(FunctionLayer, function=pixel_shuffle, options=("upscale_factor",)):
    """``PixelShuffle(upscale_factor)``: channels into space."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__(upscale_factor)


class PixelUnshuffle(FunctionLayer, function=pixel_unshuffle, options=("downscale_factor",)):
    """``PixelUnshuffle(downscale_factor)``: space into channels."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__(downscale_factor)
