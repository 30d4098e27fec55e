"""Pooling in ``eager.nn.functional``: `max_pool2d` (with ``ceil_mode`` and
``return_indices``) and `avg_pool2d`, over (N, C, H, W) or unbatched (C, H, W) inputs.

``ceil_mode`` is PyTorch's output size rule (a last, partial window counts when it starts
inside the input or its left padding), reached by padding the bottom and right with -inf
before the ``max_pool2d`` op, which then sees an exact fit. ``return_indices`` recomputes,
without gradient, which tap of each window holds the first maximum (strided slices and
selects), and returns its flat ``h * W + w`` position in the unpadded input, as PyTorch.

    >>> import numpy as np, eager
    >>> x = eager.from_numpy(np.arange(25.0, dtype=np.float32).reshape(1, 1, 5, 5))
    >>> out, idx = max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    >>> idx.numpy()[0, 0].tolist()
    [[6, 8, 9], [16, 18, 19], [21, 23, 24]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops


def _pair(value: Any) -> tuple[int, int]:
    return (int(value), int(value)) if isinstance(value, int | np.integer) else \
        tuple(int(v) for v in value)  # type: ignore[return-value]


def _ceil_out(size: int, k: int, s: int, p: int, d: int) -> int:
    """PyTorch's ``pooling_output_shape`` in ceil mode."""
    out = -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1
    return out - 1 if (out - 1) * s >= size + p else out


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over each (dilated) window; ``(output, indices)`` with ``return_indices``."""
    unbatched = input.ndim == 3
    x = ops.expand_dims(input, axis=0) if unbatched else input
    k = _pair(kernel_size)
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    if ceil_mode:
        if None in x.shape[2:]:
            raise ValueError("max_pool2d: ceil_mode needs the height and width known")
        extra = [max(0, (_ceil_out(x.shape[2 + i], k[i], s[i], p[i], d[i]) - 1) * s[i]
                     + d[i] * (k[i] - 1) + 1 - (x.shape[2 + i] + 2 * p[i])) for i in (0, 1)]
        if any(extra):
            x = ops.pad(x, pad_width=((0, 0), (0, 0), (0, extra[0]), (0, extra[1])),
                        value=float("-inf"))
    out = ops.max_pool2d(x, k, stride=s, padding=p, dilation=d)
    if not return_indices:
        return ops.squeeze(out, axis=0) if unbatched else out
    indices = _argmax_indices(x, input.shape[-2:], k, s, p, d, out.shape[2:])
    if unbatched:
        return ops.squeeze(out, axis=0), ops.squeeze(indices, axis=0)
    return out, indices


def _argmax_indices(x: Any, hw: tuple, k: tuple, s: tuple, p: tuple, d: tuple,
                    out_hw: tuple) -> Any:
    """Flat positions (in the unpadded H x W plane) of each window's first maximum."""
    if None in tuple(hw) + tuple(out_hw):
        raise ValueError("max_pool2d: return_indices needs the height and width known")
    w, (oh, ow) = hw[1], out_hw
    x = ops.stop_gradient(x)  # positions only: nothing here is differentiated
    if any(p):
        x = ops.pad(x, pad_width=((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])),
                    value=float("-inf"))
    rows, cols = np.arange(oh) * s[0] - p[0], np.arange(ow) * s[1] - p[1]
    best = index = None
    for i in range(k[0]):
        for j in range(k[1]):
            view = ops.getitem(x, (slice(None), slice(None),
                                   slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0]),
                                   slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])))
            flat = ((rows[:, None] + i * d[0]) * w + cols[None, :] + j * d[1]).astype(np.int64)
            if best is None:
                best, index = view, ops.add(ops.zeros_like(view, dtype=np.int64), flat)
                continue
            # Strictly greater keeps the first maximum; a NaN takes the place, as in PyTorch.
            better = ops.where(ops.gt(view, best), True, ops.ne(view, view))
            best = ops.where(better, view, best)
            index = ops.where(better, flat, index)
    return index


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Any:
    """Mean over each window (zero padding counts unless ``count_include_pad=False``);
    ``ceil_mode`` keeps a last, partial window; ``divisor_override`` divides every sum by it."""
    if divisor_override is not None and int(divisor_override) == 0:
        raise RuntimeError("divisor must be not zero")
    unbatched = input.ndim == 3
    x = ops.expand_dims(input, axis=0) if unbatched else input
    if stride is not None and not isinstance(stride, int) and len(stride) == 0:
        stride = None  # PyTorch's default, as an empty list
    out = ops.avg_pool2d(x, kernel_size, stride=stride, padding=padding,
                         count_include_pad=count_include_pad, ceil_mode=bool(ceil_mode),
                         divisor_override=divisor_override)
    return ops.squeeze(out, axis=0) if unbatched else out


__all__ = ["max_pool2d", "avg_pool2d"]
