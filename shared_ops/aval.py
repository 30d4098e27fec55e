"""Abstract values: what is known about an array before it exists (shape and dtype).

A dimension is an ``int`` or ``None`` (unknown until data arrives: a batch size fed later).
Shape rules compute on avals, so the static mode checks a whole program before any data
flows, and the eager mode uses the same rules to explain a failure.

    >>> Aval((None, 5), np.dtype("float32"))
    f32[?,5]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import dtypes as dt
from .errors import OpIndexError, ShapeError, describe_shapes

Dim = int | None
Shape = tuple[Dim, ...]


class Aval(NamedTuple):
    """Shape (dims may be ``None``) and dtype of a value."""

    shape: Shape
    dtype: np.dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def is_concrete(self) -> bool:
        """True when every dimension is known."""
        return None not in self.shape

    def size(self) -> int | None:
        """Number of elements, or ``None`` when a dimension is unknown."""
        if None in self.shape:
            return None
        n = 1
        for d in self.shape:
            n *= d
        return n

    def __repr__(self) -> str:
        dims = ",".join("?" if d is None else str(d) for d in self.shape)
        return f"{dt.short_name(self.dtype)}[{dims}]"

    __str__ = __repr__


def aval_of(value) -> Aval:
    """The aval of anything with ``shape`` and ``dtype`` (ndarray, Tensor, Node)."""
    aval = getattr(value, "aval", None)
    if aval is not None:
        return aval
    return Aval(tuple(value.shape), np.dtype(value.dtype))


def broadcast_shapes(op: str, *shapes: Shape) -> Shape:
    """NumPy broadcasting, extended to unknown dims; raises ``ShapeError`` naming all shapes.

    An unknown dim against 1 stays unknown; against a known ``n > 1`` it must be ``n`` (or 1),
    so the result is ``n``; two unknown dims are taken to be equal.
    """
    ndim = max(len(s) for s in shapes)
    out: list[Dim] = []
    for i in range(-ndim, 0):
        dim: Dim = 1
        for s in shapes:
            if -i > len(s):
                continue
            d = s[i]
            if d == 1:
                continue
            if dim == 1:
                dim = d
            elif d is None or dim is None:
                dim = dim if d is None else d
            elif d != dim:
                raise ShapeError(
                    op,
                    f"shapes {describe_shapes(*shapes)} cannot broadcast "
                    f"(dimension {i}: {dim} vs {d})",
                    shapes=shapes,
                )
        out.append(dim)
    return tuple(out)


def normalize_axis(op: str, axis: int, ndim: int) -> int:
    """A non-negative axis; raises ``OpIndexError`` naming the axis and the rank."""
    if not -ndim <= axis < max(ndim, 1):
        raise OpIndexError(op, f"axis {axis} is out of range for a {ndim}-d input")
    return axis % ndim if ndim else 0


def normalize_axes(op: str, axis, ndim: int) -> tuple[int, ...]:
    """``None`` -> all axes; an int or a sequence -> sorted non-negative axes, no repeats."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    norm = tuple(sorted(normalize_axis(op, int(a), ndim) for a in axes))
    if len(set(norm)) != len(norm):
        raise OpIndexError(op, f"axis {axis} repeats an axis")
    return norm
