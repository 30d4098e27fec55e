"""Bicubic resizing for ``F.interpolate(mode="bicubic")``: PyTorch's cubic convolution
(Keys' kernel with a = -0.75) over four source taps per output, clamped at the borders, one
spatial axis at a time.

Tap positions and weights are computed with PyTorch's CPU formulas in its dtype (the source
position ``scale * (dst + 0.5) - 0.5`` is not clamped at 0 for cubic, unlike linear; the
index is floored and kept below the input's size, the fraction kept in [0, 1]), so the same
pixels mix with the same weights. The resize itself is four gathers (``getitem`` with index
arrays) mixed by constant weights: the gradient is the gathers' and it traces into static
graphs unchanged.

    >>> [round(float(w), 4) for w in cubic_weights(np.array(0.5, np.float32))]
    [-0.0938, 0.5938, 0.5938, -0.0938]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

_A = -0.75  # PyTorch's cubic convolution coefficient
_FLOAT32 = np.dtype(np.float32)


def cubic_weights(t: np.ndarray) -> tuple[np.ndarray, ...]:
    """The four tap weights at fraction ``t`` (taps at -1, 0, 1, 2 from the floor), in t's
    dtype."""
    one, a = t.dtype.type(1.0), t.dtype.type(_A)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + one

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return far(t + one), near(t), near(one - t), far((one - t) + one)


def cubic_taps(in_size: int, out_size: int, scale: float | None, align_corners: bool,
               dtype: np.dtype = _FLOAT32) -> tuple[list[np.ndarray], list]:
    """The four source indices (clamped into the input) and weights of each output, computed
    in ``dtype`` (PyTorch's: float32 for float32 and float16 inputs, float64 for float64)."""
    f = np.dtype(np.float64 if dtype == np.float64 else np.float32).type
    dst = np.arange(out_size, dtype=f)
    if align_corners:
        step = f((in_size - 1) / (out_size - 1)) if out_size > 1 else f(0)
        src = dst * step
    else:
        step = f(1.0 / scale) if scale is not None and scale > 0 else f(in_size) / f(out_size)
        src = step * (dst + f(0.5)) - f(0.5)
    floor = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    t = np.clip(src - floor.astype(f), f(0), f(1))
    indices = [np.clip(floor - 1 + k, 0, in_size - 1) for k in range(4)]
    return indices, list(cubic_weights(t))


def resize_cubic(x: Any, axis: int, in_size: int, out_size: int, scale: float | None,
                 align_corners: bool) -> Any:
    """``x`` resized along ``axis`` from ``in_size`` to ``out_size`` by cubic convolution."""
    indices, weights = cubic_taps(in_size, out_size, scale, align_corners, np.dtype(x.dtype))
    shape = (out_size,) + (1,) * (len(x.shape) - axis - 1)
    head = (slice(None),) * axis
    out = None
    for index, weight in zip(indices, weights, strict=True):
        term = ops.mul(ops.getitem(x, head + (index,)),
                       weight.reshape(shape).astype(np.dtype(x.dtype)))
        out = term if out is None else ops.add(out, term)
    return out


__all__ = ["cubic_taps", "cubic_weights", "resize_cubic"]
