"""Constant-filled arrays shaped like another value: full_like (primitive), zeros_like and
ones_like (composites).

The output does not depend on the input's values, so there is no gradient
(``differentiable_output=False``); taking the shape from an input instead of a ``shape=``
attr keeps them usable in static graphs whose batch dim is unknown.

    >>> import numpy as np
    >>> full_like(np.zeros((2,), np.float32), fill_value=7)
    array([7., 7.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..registry import composite, primitive
from ._types import Value


# --- full_like: primitive ----------------------------------------------------------------------
def _full_like_kernel(x, fill_value=0, dtype=None):
    dtype = x.dtype if dtype is None else dtype
    if fill_value == 0:  # zeros_like feeds every scatter-style gradient: calloc is ~3x faster
        return np.zeros(x.shape, dtype)
    return np.full(x.shape, fill_value, dtype=dtype)


def _full_like_rule(x: Aval, fill_value=0, dtype=None) -> Aval:
    if dtype is None:
        return x
    dtype = np.dtype(dtype)
    dt.check_supported(dtype, op="full_like")
    return Aval(x.shape, dtype)


full_like = primitive("full_like", _full_like_kernel, _full_like_rule, None,
                      differentiable_output=False, fresh=True, shape_only=True,
                      doc="An array of x's shape (and dtype, unless ``dtype`` is given) "
                          "filled with ``fill_value``.")


# --- zeros_like / ones_like: composites --------------------------------------------------------
@composite
def zeros_like(x: Value, dtype=None) -> Value:
    """Zeros of ``x``'s shape and dtype (or ``dtype``)."""
    return full_like(x, fill_value=0, dtype=dtype)


@composite
def ones_like(x: Value, dtype=None) -> Value:
    """Ones of ``x``'s shape and dtype (or ``dtype``)."""
    return full_like(x, fill_value=1, dtype=dtype)


__all__ = ["full_like", "zeros_like", "ones_like"]
