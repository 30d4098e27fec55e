"""``torch.linalg`` functions written with the others: ``cond``, ``tensorinv``,
``tensorsolve``, ``vander``. `linalg_api` re-exports them.

    >>> import numpy as np
    >>> vander(np.array([1.0, 2.0]), N=3)
    array([[1., 1., 1.],
           [1., 2., 4.]])
"""

from __future__ import annotations

import math
from typing import Any

from .op_table import OPS

_COND_ORDS = (None, "fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2)


def _op(name: str) -> Any:
    return OPS[name]


def cond(A: Any, p: Any = None) -> Any:  # noqa: N803
    """The condition number of each matrix in the ``p`` norm: s_max / s_min for None, 2 (any
    shape) and s_min / s_max for -2; else ||A||_p ||A^-1||_p (square A only)."""
    if p not in _COND_ORDS:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    s_ord = p in (None, 2, -2)
    if len(A.shape) < 2:
        raise RuntimeError("linalg.cond: The input tensor A must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if not s_ord and m != n:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but "
                           f"they are {m} by {n} matrices")
    if s_ord:
        s = _op("linalg_svdvals")(A)
        if 0 in (m, n):  # no singular values: PyTorch's condition number is 0
            return _op("sum")(s, axis=-1)
        big, small = _op("max")(s, axis=-1), _op("min")(s, axis=-1)
        return _op("div")(small, big) if p == -2 else _op("div")(big, small)
    def norm(x: Any) -> Any:
        return _op("matrix_norm")(x, ord=p, dim=(-2, -1), keepdim=False, dtype=None)

    # The unchecked inverse: a singular A has condition number inf, not an error.
    return _op("mul")(norm(A), norm(_op("linalg_inv_ex")(A)))


def tensorinv(A: Any, ind: int = 2) -> Any:  # noqa: N803
    """The inverse of A seen as a map from its last dims to its first ``ind`` dims: shaped
    ``A.shape[ind:] + A.shape[:ind]``."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    shape = tuple(A.shape)
    rows, cols = math.prod(shape[:ind]), math.prod(shape[ind:])
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) "
                           f"== prod(self.shape[:ind]), but got {cols} != {rows}")
    matrix = _op("reshape")(A, shape=(rows, cols))
    return _op("reshape")(_op("linalg_inv")(matrix), shape=shape[ind:] + shape[:ind])


def tensorsolve(A: Any, B: Any, dims: Any = None) -> Any:  # noqa: N803
    """X with ``tensordot(A, X, X.ndim) == B``: X is shaped ``A.shape[B.ndim:]`` (``dims``
    of A first moved to the end)."""
    if dims is not None:
        ndim = len(A.shape)
        moved = [d % ndim for d in dims]
        rest = [d for d in range(ndim) if d not in moved]
        A = _op("transpose")(A, axes=tuple(rest + moved))  # noqa: N806
    a_shape, b_shape = tuple(A.shape), tuple(B.shape)
    result_shape = a_shape[len(b_shape):]
    rows, cols = math.prod(b_shape), math.prod(result_shape)
    if math.prod(a_shape[:len(b_shape)]) != rows or rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape["
                           f"other.ndim:]) == prod(self.shape[:other.ndim]), but got {cols} "
                           f"!= {math.prod(a_shape[:len(b_shape)])}")
    x = _op("linalg_solve")(_op("reshape")(A, shape=(rows, cols)),
                            _op("reshape")(B, shape=(rows, 1)))
    return _op("reshape")(x, shape=result_shape)


def vander(x: Any, *, N: int | None = None) -> Any:  # noqa: N803
    """The Vandermonde matrix of each vector: column j is ``x ** j``, j < N (N defaults to
    x's length)."""
    if len(x.shape) < 1:
        raise RuntimeError("linalg.vander: x must have at least 1 dimension")
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    column = _op("expand_dims")(x, axis=-1)
    # Cumulative products of x (not pow) keep integer dtypes exact, as PyTorch's do.
    ones = _op("ones_like")(column)
    powers = [ones] + [column] * (n - 1)
    return _op("cumprod")(_op("concat")(powers, axis=-1), dim=-1, dtype=x.dtype)


__all__ = ["cond", "tensorinv", "tensorsolve", "vander"]
