"""PyTorch's string ``padding`` of the functional convolutions (``F.conv1d/2d/3d(padding=
'valid' | 'same')``), resolved once for every dimension before the numeric convolution.

``'valid'`` is no padding. ``'same'`` (stride 1 only) keeps the spatial size: each axis gets
``dilation * (kernel - 1)`` cells in all, half before and the rest after, so an odd total (an
even kernel with an odd dilation) puts its extra cell at the far end through one explicit
zero pad, with PyTorch's warning that this copies the input.

    >>> import eager
    >>> x, padding = string_padding(eager.ones(1, 1, 5), eager.ones(1, 1, 3), "same", 1, 1)
    >>> tuple(x.shape), padding
    ((1, 1, 5), (1,))
"""

from __future__ import annotations

import warnings
from typing import Any

import shared_ops as ops


def _as_tuple(value: Any, nd: int) -> tuple[int, ...]:
    items = (value,) * nd if isinstance(value, int) else tuple(value)
    return tuple(int(v) for v in (items * nd if len(items) == 1 else items))


def warn_uneven_same(stacklevel: int = 3) -> None:
    """PyTorch's warning for a 'same' padding split unevenly (an even kernel with an odd
    dilation), emitted by its functional convolutions and so by its Conv layers too."""
    warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require "
                  "a zero-padded copy of the input be created", stacklevel=stacklevel)


def string_padding(x: Any, weight: Any, padding: Any, stride: Any,
                   dilation: Any) -> tuple[Any, Any]:
    """``(x, padding)`` with a string ``padding`` resolved to numbers (``x`` zero-padded at
    the far end where 'same' splits unevenly); any other ``padding`` passes through.

    ``x`` is batched, its last ``weight.ndim - 2`` axes spatial. Raises PyTorch's
    RuntimeError for an unknown string or 'same' with a stride.
    """
    if not isinstance(padding, str):
        return x, padding
    nd = weight.ndim - 2
    if padding == "valid":
        return x, (0,) * nd
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: {padding!r}")
    if any(s != 1 for s in _as_tuple(stride, nd)):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    totals = [d * (k - 1) for k, d in zip(weight.shape[2:], _as_tuple(dilation, nd),
                                          strict=True)]
    if any(t % 2 for t in totals):
        warn_uneven_same(stacklevel=4)
        lead = ((0, 0),) * (x.ndim - nd)
        x = ops.pad(x, pad_width=lead + tuple((0, t % 2) for t in totals))
    return x, tuple(t // 2 for t in totals)


__all__ = ["string_padding", "warn_uneven_same"]
