"""Triangular parts of matrices: tril and triu (primitives, torch.tril / torch.triu).

They act on the last two dims (leading dims are a batch) and keep the entries on and below
(tril) or on and above (triu) the ``diagonal``-th diagonal: 0 is the main one, positive
counts up and right, negative down and left. Zeroing is linear, so the gradient is the same
mask applied to the cotangent.

    >>> import numpy as np
    >>> tril(np.ones((3, 3), np.int64), diagonal=-1)
    array([[0, 0, 0],
           [1, 0, 0],
           [1, 1, 0]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import primitive


def _triangle(name: str, kernel, doc: str):
    def check(x: Aval, diagonal) -> None:
        if x.ndim < 2:
            raise ShapeError(name, f"input must have at least 2 dims, got shape "
                             f"{describe_shapes(x.shape)}", shapes=[x.shape])
        if not isinstance(diagonal, int | np.integer) or isinstance(diagonal, bool):
            raise OpValueError(name, f"diagonal must be an int, got {diagonal!r}")

    def run(x, diagonal=0):
        check(Aval(x.shape, x.dtype), diagonal)
        return kernel(x, int(diagonal))

    def rule(x: Aval, diagonal=0) -> Aval:
        check(x, diagonal)
        return x

    def vjp(g, inputs, out, diagonal=0):
        return (op(g, diagonal=diagonal),)

    op = primitive(name, run, rule, vjp, doc=doc)
    return op


tril = _triangle("tril", np.tril,
                 doc="The lower triangle of the last two dims, on and below ``diagonal``.")
triu = _triangle("triu", np.triu,
                 doc="The upper triangle of the last two dims, on and above ``diagonal``.")

__all__ = ["tril", "triu"]
