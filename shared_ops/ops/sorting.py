"""Sorting: argsort and topk_indices (primitives, int64, no gradient), sort and topk
(composites returning ``(values, indices)``, as torch.sort / torch.topk).

Every order here is *stable*: equal values keep their input order, descending included
(PyTorch's ``stable=True``). NaN counts as the largest value, as in PyTorch: last when
ascending, first when descending. The values are ``take_along_axis(x, indices)``, so their
gradient flows back to the positions the indices name (a tie's gradient goes to the one
element each output position took, as PyTorch's).

NOTE: torch.topk's own order among tied values is an implementation detail of its CPU
kernel (a partial sort: the tie order is neither input order nor reversed). Ours is the
stable sort's, so tied *values* agree with PyTorch and tied *indices* may name other equal
elements.

    >>> import numpy as np
    >>> sort(np.array([3.0, 1.0, 3.0, 2.0]), descending=True)
    (array([3., 3., 2., 1.]), array([0, 2, 3, 1]))
    >>> topk(np.array([3.0, 1.0, 3.0, 2.0]), 2, largest=False)
    (array([1., 2.]), array([1, 3]))
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..errors import OpIndexError, OpValueError, describe_shapes
from ..registry import composite, primitive
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .gather import take_along_axis
from .shape import reshape


def stable_argsort(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable int64 sort order of ``x`` along ``axis``; descending keeps ties in input order
    too, and NaN counts as largest (NumPy's ascending sort already puts it last)."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable").astype(dt.int64, copy=False)
    # Sort the reversed input ascending and reverse that order: ties come out in input order
    # and NaNs first. Negating instead would break on bools, unsigned ints and int minima.
    n = x.shape[axis]
    order = np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)
    return (n - 1 - order).astype(dt.int64, copy=False)


# --- argsort: primitive, no gradient -----------------------------------------------------------
def _argsort_kernel(x, dim=-1, descending=False, stable=False):
    d = dim_of("argsort", dim, x.ndim)
    if x.ndim == 0:
        return np.zeros((), dt.int64)
    return stable_argsort(x, d, descending)


def _argsort_rule(x: Aval, dim=-1, descending=False, stable=False) -> Aval:
    dim_of("argsort", dim, x.ndim)
    return Aval(x.shape, dt.int64)


argsort = primitive("argsort", _argsort_kernel, _argsort_rule, None,
                    differentiable_output=False,
                    doc="The int64 positions that sort x along ``dim`` (torch.argsort); "
                        "always stable, NaN largest.")


# --- topk_indices: primitive, no gradient ------------------------------------------------------
def _check_k(x: Aval, k, d: int) -> None:
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 0:
        raise OpValueError("topk", f"k must be a non-negative int, got {k!r}")
    n = x.shape[d] if x.ndim else 1
    if n is not None and k > n:
        raise OpIndexError("topk", f"k={k} is out of range for dim {d} of size {n} (shape "
                           f"{describe_shapes(x.shape)})", shapes=[x.shape])


def _topk_kernel(x, k, dim=-1, largest=True):
    d = dim_of("topk", dim, x.ndim)
    _check_k(Aval(x.shape, x.dtype), k, d)
    if x.ndim == 0:
        return np.zeros((), dt.int64)
    order = stable_argsort(x, d, largest)
    return order[(slice(None),) * d + (slice(0, k),)]


def _topk_rule(x: Aval, k, dim=-1, largest=True) -> Aval:
    d = dim_of("topk", dim, x.ndim)
    _check_k(x, k, d)
    if x.ndim == 0:
        return Aval((), dt.int64)
    return Aval(x.shape[:d] + (int(k),) + x.shape[d + 1:], dt.int64)


topk_indices = primitive("topk_indices", _topk_kernel, _topk_rule, None,
                         differentiable_output=False,
                         doc="The int64 positions of the k largest (``largest=False``: "
                             "smallest) entries along ``dim``, in sorted order, ties stable.")


# --- sort / topk: composites -------------------------------------------------------------------
def _values_at(x: Value, indices: Value, dim: int) -> Value:
    if len(shape_of(x)) == 0:  # a 0-d input is its own sort (a new value, as PyTorch)
        return reshape(x, shape=())
    return take_along_axis(x, indices, axis=dim)


@composite(torch_name="SortBackward0")
def sort(input: Value, dim: int = -1, descending: bool = False,  # noqa: A002 -- torch's names
         stable: bool = False) -> tuple:
    """``torch.sort``: ``(values, indices)`` sorted along ``dim`` (stable in every case)."""
    indices = argsort(input, dim=dim, descending=descending, stable=stable)
    return _values_at(input, indices, dim), indices


@composite(torch_name="TopkBackward0")
def topk(input: Value, k: int, dim: int = -1, largest: bool = True,  # noqa: A002
         sorted: bool = True) -> tuple:  # noqa: A002
    """``torch.topk``: ``(values, indices)`` of the k largest (or smallest) entries along
    ``dim``, always in sorted order (``sorted=False`` allows any order: this is one)."""
    indices = topk_indices(input, k=k, dim=dim, largest=largest)
    return _values_at(input, indices, dim), indices


__all__ = ["argsort", "topk_indices", "sort", "topk"]
