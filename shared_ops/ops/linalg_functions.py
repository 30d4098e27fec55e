"""Matrix functions of ``torch.linalg`` written with other ops (composites): the
pseudo-inverse, matrix powers, triangular solves, the cross product, the trace.

Their gradients are their pieces' (the SVD's for ``linalg_pinv``), so both modes get them
without a rule of their own.

    >>> import numpy as np
    >>> linalg_pinv(np.array([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]])
"""

from __future__ import annotations

import builtins

import numpy as np

from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite
from ._rules import shape_of
from ._types import Value
from .contraction import diagonal_mask
from .elementwise import cast, div, mul, sub
from .elementwise_logic import gt, maximum, where
from .linalg import matmul, matrix_transpose
from .linalg_decompositions import linalg_inv, linalg_solve
from .linalg_orthogonal import linalg_svd_u, linalg_svd_vh, linalg_svdvals
from .reductions import max, sum  # noqa: A004
from .runtime_shape import dim_size
from .selection import narrow
from .shape import expand_dims
from .shape_join import concat
from .triangular import tril, triu


def _square(name: str, a) -> None:
    shape = shape_of(a)
    if len(shape) < 2:
        raise ShapeError(name, f"A must have at least 2 dimensions, got shape "
                         f"{describe_shapes(shape)}", shapes=[shape])
    m, n = shape[-2:]
    if m is not None and n is not None and m != n:
        raise ShapeError(name, f"A must be batches of square matrices, but they are {m} by {n} "
                         "matrices", shapes=[shape])


def _on_diagonal(a):
    """True on the main diagonal of each matrix of ``a`` (sizes may be unknown)."""
    n = len(shape_of(a))
    return diagonal_mask(a, groups=((n - 2, n - 1),))


def _largest_dim(name: str, A: Value):  # noqa: N803
    """max(m, n) of the matrices: a Python int where both are known, else a 0-d value computed
    when the graph runs."""
    shape = shape_of(A)
    if len(shape) < 2:
        raise ShapeError(name, f"A must have at least 2 dimensions, got shape "
                         f"{describe_shapes(shape)}", shapes=[shape])
    m, n = shape[-2:]
    if m is not None and n is not None:
        return builtins.max(m, n)
    return cast(maximum(dim_size(A, axis=-2), dim_size(A, axis=-1)), dtype=np.dtype(A.dtype))


@composite(torch_name="LinalgPinvBackward0")
def linalg_pinv(A: Value, atol=None, rtol=None, hermitian: bool = False) -> Value:  # noqa: N803
    """``torch.linalg.pinv``: V diag(1/s) U^T over the singular values above
    ``max(atol, rtol * s_max)``; rtol defaults to eps * max(m, n) when atol is 0 or None.
    (``hermitian`` inputs take the same SVD path: the result is the same matrix.)"""
    if 0 in shape_of(A)[-2:]:  # no singular values: the (n, m) pseudo-inverse is empty
        return mul(matrix_transpose(A), 0.0)
    atol = 0.0 if atol is None else atol
    if rtol is None:
        eps = float(np.finfo(np.dtype(A.dtype)).eps)
        rtol = mul(_largest_dim("linalg_pinv", A), eps) if atol == 0 else 0.0
    s = linalg_svdvals(A)
    cutoff = mul(max(s, axis=-1, keepdims=True), rtol)
    if atol:
        cutoff = where(gt(cutoff, atol), cutoff, atol)
    keep = gt(s, cutoff)
    s_inv = where(keep, div(1.0, where(keep, s, 1.0)), 0.0)
    scaled_v = mul(matrix_transpose(linalg_svd_vh(A)), expand_dims(s_inv, axis=-2))
    return matmul(scaled_v, matrix_transpose(linalg_svd_u(A)))


@composite
def linalg_matrix_power(A: Value, n: int) -> Value:  # noqa: N803
    """``torch.linalg.matrix_power``: A^n by repeated squaring; n = 0 the identity, n < 0 the
    inverse's power."""
    _square("linalg_matrix_power", A)
    if not isinstance(n, int | np.integer) or isinstance(n, bool):
        raise OpValueError("linalg_matrix_power", f"n must be an int, got {n!r}")
    if n == 0:
        return cast(_on_diagonal(A), dtype=np.dtype(A.dtype))
    base, power, result = (linalg_inv(A) if n < 0 else A), abs(int(n)), None
    while power:
        if power & 1:
            result = base if result is None else matmul(result, base)
        power >>= 1
        if power:
            base = matmul(base, base)
    return result


@composite
def linalg_solve_triangular(A: Value, B: Value, upper: bool, left: bool = True,  # noqa: N803
                            unitriangular: bool = False) -> Value:
    """``torch.linalg.solve_triangular``: X with T X = B (``left``) or X T = B, T the upper or
    lower triangle of A (with ones on its diagonal when ``unitriangular``)."""
    _square("linalg_solve_triangular", A)
    t = triu(A) if upper else tril(A)
    if unitriangular:
        t = where(_on_diagonal(A), 1.0, t)
    if left:
        return linalg_solve(t, B)
    return matrix_transpose(linalg_solve(matrix_transpose(t), matrix_transpose(B)))


@composite(torch_name="LinalgCrossBackward0")
def linalg_cross(input: Value, other: Value, dim: int = -1) -> Value:  # noqa: A002
    """``torch.linalg.cross``: the cross product of 3-vectors along ``dim`` (broadcasting)."""
    shapes = (shape_of(input), shape_of(other))
    for shape in shapes:
        if not -len(shape) <= dim < len(shape) or shape[dim] not in (3, None):
            raise ShapeError("linalg_cross", f"inputs dimension {dim} must have length 3, got "
                             f"shapes {describe_shapes(*shapes)}", shapes=shapes)
    a = [narrow(input, dim, i, 1) for i in range(3)]
    b = [narrow(other, dim, i, 1) for i in range(3)]
    return concat([sub(mul(a[1], b[2]), mul(a[2], b[1])),
                   sub(mul(a[2], b[0]), mul(a[0], b[2])),
                   sub(mul(a[0], b[1]), mul(a[1], b[0]))], axis=dim)


@composite(torch_name="TraceBackward0")
def trace(input: Value) -> Value:  # noqa: A002
    """``torch.trace``: the sum of a matrix's main diagonal."""
    shape = shape_of(input)
    if len(shape) != 2:
        raise ShapeError("trace", f"expected a matrix, but got tensor with size "
                         f"{describe_shapes(shape)}", shapes=[shape])
    # An int 0 (not 0.0) keeps an integer matrix's dtype, so sum promotes it like torch's.
    return sum(where(_on_diagonal(input), input, 0))


@composite(torch_name="LinalgHouseholderProductBackward0")
def linalg_householder_product(A: Value, tau: Value) -> Value:  # noqa: N803
    """``torch.linalg.householder_product``: the first n columns of H_1 ... H_k, H_i = I -
    tau_i v_i v_i^T with v_i column i of A below the diagonal and 1 on it (the Q of a QR
    factorization in LAPACK's compact form); A is (m, n), tau (k,), k <= n <= m."""
    a_shape, t_shape = shape_of(A), shape_of(tau)
    if len(a_shape) < 2 or a_shape[-2] is None or a_shape[-1] is None or not t_shape:
        raise ShapeError("linalg_householder_product", f"A must be a batch of matrices of known "
                         f"size and tau a batch of vectors, got shapes "
                         f"{describe_shapes(a_shape, t_shape)}", shapes=[a_shape, t_shape])
    m, n = a_shape[-2:]
    k = t_shape[-1]
    if not (k is not None and k <= n <= m):
        raise ShapeError("linalg_householder_product", f"expects m >= n >= k for A (m, n) and "
                         f"tau (k,), got shapes {describe_shapes(a_shape, t_shape)}",
                         shapes=[a_shape, t_shape])
    rows = np.arange(m).reshape(m, 1)
    q = cast(_on_diagonal(A), dtype=np.dtype(A.dtype))
    # Q = H_1 (H_2 (... (H_k I))): apply the reflectors to the identity from the last one.
    for i in reversed(range(k)):
        v = where(rows < i, 0.0, where(rows == i, 1.0, narrow(A, -1, i, 1)))
        scale = expand_dims(narrow(tau, -1, i, 1), axis=-1)
        q = sub(q, mul(scale, matmul(v, matmul(matrix_transpose(v), q))))
    return q


__all__ = ["linalg_pinv", "linalg_matrix_power", "linalg_solve_triangular", "linalg_cross",
           "trace", "linalg_householder_product"]
