"""Ops whose output *size* depends on the values: argwhere (primitive) under nonzero, and
unique_values / unique_inverse / unique_counts (primitives) under unique (composites).

While building a static graph these sizes are unknown, so the shape rules say ``None``:
``nonzero`` of an ``f32[?,3]`` is ``i64[?,2]``, ``unique`` of anything is ``[?]`` (the inverse
has the input's shape, being one position per entry). None of them has a gradient: their
outputs are positions and counts, and ``unique``'s values are a set, not a function PyTorch
differentiates either.

``unique`` follows torch.unique: sorted ascending (also with ``sorted=False``, which allows
any order; PyTorch's CPU kernel sorts too), NaNs are all distinct (NaN != NaN), ``dim=None``
flattens and ``dim=d`` finds unique slices along d (compared lexicographically).

    >>> import numpy as np
    >>> nonzero(np.array([[0, 1], [2, 0]]))
    array([[0, 1],
           [1, 0]])
    >>> unique(np.array([3, 1, 3]), return_counts=True)
    (array([1, 3]), array([1, 2]))
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..registry import composite, primitive
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .indexing import index

_ALL = ("slice", None, None, None)


# --- argwhere: primitive, no gradient ----------------------------------------------------------
def _argwhere_kernel(x):
    return np.argwhere(x).astype(dt.int64, copy=False)


def _argwhere_rule(x: Aval) -> Aval:
    return Aval((None, x.ndim), dt.int64)


argwhere = primitive("argwhere", _argwhere_kernel, _argwhere_rule, None,
                     differentiable_output=False,
                     doc="The int64 positions of the non-zero entries, one row each (torch."
                         "argwhere); how many rows is known only at run time.")


@composite
def nonzero(input: Value, as_tuple: bool = False):  # noqa: A002 -- torch's name
    """``torch.nonzero``: an ``(n, ndim)`` int64 array of the non-zero positions, or with
    ``as_tuple`` one 1-d array per dim (a 0-d input counts as 1-d there, as in PyTorch)."""
    rows = argwhere(input)
    if not as_tuple:
        return rows
    ndim = len(shape_of(input))
    if ndim == 0:
        rows = argwhere(_as_1d(input))
        ndim = 1
    return tuple(index(rows, key=(_ALL, ("int", i))) for i in range(ndim))


def _as_1d(x: Value) -> Value:
    return index(x, key=(("new",),))


# --- unique_values / unique_inverse / unique_counts: primitives, no gradient -------------------
def _unique(x: np.ndarray, dim):
    """np.unique with PyTorch's conventions: every NaN its own value, inverse shaped like x
    (dim=None) or one position per slice."""
    if dim is None:
        values, inverse, counts = np.unique(x.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        return values, inverse.reshape(x.shape), counts
    d = dim_of("unique", dim, x.ndim)
    if x.ndim == 0:
        return _unique(x, None)
    if x.shape[d] == 0:
        return x.copy(), np.zeros(0, dt.int64), np.zeros(0, dt.int64)
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True, axis=d)
    return values, inverse.reshape(-1), counts


def _check_dim(x: Aval, dim) -> int | None:
    if dim is None:
        return None
    return dim_of("unique", dim, x.ndim)


def _unique_part(name: str, part: int, rule, doc: str):
    def kernel(x, dim=None):
        _check_dim(Aval(x.shape, x.dtype), dim)
        out = _unique(x, dim)[part]
        return out if part == 0 else out.astype(dt.int64, copy=False)

    def shape_rule(x: Aval, dim=None) -> Aval:
        return rule(x, _check_dim(x, dim))

    return primitive(name, kernel, shape_rule, None, differentiable_output=False, doc=doc)


def _values_rule(x: Aval, d) -> Aval:
    if d is None:
        return Aval((None,), x.dtype)
    return Aval(tuple(None if i == d else n for i, n in enumerate(x.shape)), x.dtype)


def _inverse_rule(x: Aval, d) -> Aval:
    return Aval(x.shape if d is None else (x.shape[d],), dt.int64)


def _counts_rule(x: Aval, d) -> Aval:
    return Aval((None,), dt.int64)


unique_values = _unique_part("unique_values", 0, _values_rule,
                             doc="The sorted distinct values (dim=None) or slices along dim.")
unique_inverse = _unique_part("unique_inverse", 1, _inverse_rule,
                              doc="Per entry (or slice along dim), its position in "
                                  "unique_values.")
unique_counts = _unique_part("unique_counts", 2, _counts_rule,
                             doc="How often each of unique_values occurs.")


@composite
def unique(input: Value, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None):
    """``torch.unique``: the distinct values, plus (when asked) the inverse positions and the
    counts, as a tuple in that order."""
    values = unique_values(input, dim=dim)
    extra = ([unique_inverse(input, dim=dim)] if return_inverse else []) + \
        ([unique_counts(input, dim=dim)] if return_counts else [])
    return (values, *extra) if extra else values


__all__ = ["argwhere", "nonzero", "unique_values", "unique_inverse", "unique_counts", "unique"]
