"""Selecting along one dim, PyTorch style: index_select, narrow, masked_fill (composites).

``index_select`` and ``narrow`` are `index` ops (NumPy indexing), so their gradients
scatter back through ``index_add``; ``masked_fill`` is a ``where``, whose gradient goes to
the input where the mask is False and, for a 0-d tensor value, sums onto the value where it
is True.

NOTE: ``index_select`` accepts negative indices (counting from the end, as NumPy); PyTorch
refuses them.

    >>> import numpy as np
    >>> index_select(np.arange(6).reshape(2, 3), 1, np.array([2, 0]))
    array([[2, 0],
           [5, 3]])
    >>> narrow(np.arange(5), 0, -3, 2)
    array([2, 3])
    >>> masked_fill(np.array([1, 2, 3]), np.array([True, False, True]), 2.7)
    array([2, 2, 2])
"""

from __future__ import annotations

import numpy as np

from ..errors import DTypeError, OpIndexError, OpValueError, ShapeError, describe_shapes
from ..int_scalars import checked_scalar
from ..registry import composite
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .elementwise import cast
from .elementwise_logic import where
from .indexing import index
from .shape import reshape

_ALL = ("slice", None, None, None)


def _dim(name: str, x: Value, dim) -> int:
    return dim_of(name, dim, len(shape_of(x)))


@composite(torch_name="IndexSelectBackward0")
def index_select(input: Value, dim: int, index: Value) -> Value:  # noqa: A002 -- torch's names
    """``torch.index_select``: the entries at the 1-d (or 0-d) integer ``index`` along
    ``dim``; the result keeps ``dim``, sized by the index."""
    d = _dim("index_select", input, dim)
    idx = index
    if isinstance(idx, list | tuple):
        idx = np.asarray(idx, dtype=np.int64)
    if idx.dtype.kind not in "iu":
        raise DTypeError("index_select", f"index must hold integers, got {idx.dtype}",
                         shapes=[shape_of(input), shape_of(idx)], dtypes=[idx.dtype])
    if len(shape_of(idx)) > 1:
        raise ShapeError("index_select", f"index must be a vector, got shape "
                         f"{describe_shapes(shape_of(idx))}", shapes=[shape_of(idx)])
    if len(shape_of(idx)) == 0:
        idx = reshape(idx, shape=(1,))
    if len(shape_of(input)) == 0:  # PyTorch treats a 0-d input as one entry and stays 0-d
        return reshape(_take(reshape(input, shape=(1,)), idx, 0), shape=())
    return _take(input, idx, d)


def _take(x: Value, idx: Value, d: int) -> Value:
    return index(x, idx, key=(_ALL,) * d + (("arr", 0),))


@composite
def narrow(input: Value, dim: int, start: int, length: int) -> Value:  # noqa: A002
    """``torch.narrow``: ``length`` entries along ``dim`` from ``start`` (negative counts from
    the end); a slice of the input."""
    d = _dim("narrow", input, dim)
    start, length = int(start), int(length)
    size = shape_of(input)[d]
    if length < 0:
        raise OpValueError("narrow", f"length must be non-negative, got {length}")
    if size is not None:
        if not -size <= start <= size:
            raise OpIndexError("narrow", f"start {start} is out of range for dim {d} of size "
                               f"{size} (expected -{size} to {size})")
        start = start % size if start < 0 else start
        if start + length > size:
            raise OpIndexError("narrow", f"start ({start}) + length ({length}) exceeds dim "
                               f"{d} of size {size}")
    stop = start + length
    # Unknown size, negative start: a stop of 0 would mean "the start", None means the end.
    key_stop = None if start < 0 and stop == 0 else stop
    return index(input, key=(_ALL,) * d + (("slice", start, key_stop, None),))


@composite(torch_name="MaskedFillBackward0")
def masked_fill(input: Value, mask: Value, value) -> Value:  # noqa: A002
    """``torch.masked_fill``: ``value`` (a number or a 0-d tensor, converted to the input's
    dtype) where the bool ``mask`` is True, the input elsewhere; they broadcast."""
    if getattr(mask, "dtype", None) is None or mask.dtype.kind != "b":
        raise DTypeError("masked_fill", f"mask must be bool, got "
                         f"{getattr(mask, 'dtype', type(mask).__name__)}",
                         shapes=[shape_of(input)])
    if isinstance(value, bool | int | float | complex | np.number):
        value = checked_scalar(value, input.dtype) if type(value) is int \
            and input.dtype.kind in "iu" else np.asarray(value).astype(input.dtype)  # 2.7 -> 2
    else:
        if len(shape_of(value)) != 0:
            raise ShapeError("masked_fill", f"value must be a number or a 0-d tensor, got "
                             f"shape {describe_shapes(shape_of(value))}",
                             shapes=[shape_of(input), shape_of(value)])
        if value.dtype != input.dtype:
            value = cast(value, dtype=input.dtype)
    return where(mask, value, input)


__all__ = ["index_select", "narrow", "masked_fill"]
