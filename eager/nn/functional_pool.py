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
from shared_ops.ops.pool_windows import ceil_extra


def _pair(value: Any) -> tuple[int, int]:
    return (int(value), int(value)) if isinstance(value, int | np.integer) else \
        tuple(int(v) for v in value)  # type: ignore[return-value]


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
        extra = [ceil_extra(x.shape[2 + i], k[i], s[i], p[i], d[i]) for i in (0, 1)]
        if any(extra):
            x = ops.pad(x, pad_width=((0, 0), (0, 0), (0, extra[0]), (0, extra[1])),
                        value=float("-inf"))
    out = ops.max_pool2d(x, k, stride=s, padding=p, dilation=d)
    if not return_indices:
        return ops.squeeze(out, axis=0) if unbatched else out
    indices = argmax_indices(x, input.shape[-2:], k, s, p, d, out.shape[2:])
    if unbatched:
        return ops.squeeze(out, axis=0), ops.squeeze(indices, axis=0)
    return out, indices


def argmax_indices(x: Any, sizes: tuple, k: tuple, s: tuple, p: tuple, d: tuple,
                   out_sizes: tuple) -> Any:
    """Flat positions (in the unpadded spatial volume of ``sizes``) of each window's first
    maximum, for a pooling over the last ``len(sizes)`` axes of a batched ``x`` (2-d and 3-d
    max pooling share it)."""
    if None in tuple(sizes) + tuple(out_sizes):
        raise ValueError("max_pool: return_indices needs the spatial sizes known")
    nd = len(sizes)
    x = ops.stop_gradient(x)  # positions only: nothing here is differentiated
    if any(p):
        x = ops.pad(x, pad_width=((0, 0), (0, 0)) + tuple((q, q) for q in p),
                    value=float("-inf"))
    starts = [np.arange(o) * st - q for o, st, q in zip(out_sizes, s, p, strict=True)]
    strides = [int(np.prod(sizes[a + 1:])) for a in range(nd)]
    best = index = None
    for tap in np.ndindex(*k):
        view = ops.getitem(x, (slice(None), slice(None)) + tuple(
            slice(t * dd, t * dd + st * (o - 1) + 1, st)
            for t, dd, st, o in zip(tap, d, s, out_sizes, strict=True)))
        flat = sum(np.reshape((starts[a] + tap[a] * d[a]) * strides[a],
                              (-1,) + (1,) * (nd - 1 - a)) for a in range(nd))
        flat = np.asarray(flat, dtype=np.int64)
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
