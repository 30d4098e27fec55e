"""Solves from a factorization already at hand: ``torch.cholesky_solve`` (a primitive: its
gradient is PyTorch's, which treats every entry of the factor as free) and
``cholesky_inverse`` from a Cholesky factor; ``torch.linalg.lu_solve`` from packed LU factors
and their pivots (a composite of a permutation and two triangular solves, so its gradient is
its pieces').

    >>> import numpy as np
    >>> cholesky_solve(np.array([[2.0], [4.0]]), np.array([[1.0, 0.0], [0.0, 2.0]]))
    array([[2.],
           [1.]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import ShapeError
from ..registry import composite, primitive
from ._rules import require_float, shape_of
from ._types import Value
from .contraction import diagonal_mask
from .elementwise import add, cast, neg, unbroadcast
from .linalg import matmul, matrix_transpose
from .linalg_functions import linalg_solve_triangular
from .linalg_lu import linalg_lu_permutation


def _check_rhs(name: str, b: Aval, factor: Aval) -> None:
    if b.ndim < 2:
        raise RuntimeError(f"{name}: b should have at least 2 dimensions, but has {b.ndim} "
                           "dimensions instead")
    if factor.ndim < 2:
        raise RuntimeError(f"{name}: u should have at least 2 dimensions, but has "
                           f"{factor.ndim} dimensions instead")
    n, rows = factor.shape[-1], b.shape[-2]
    if n is not None and rows is not None and n != rows:
        raise ShapeError(name, f"Incompatible matrix sizes for {name}: each A matrix is "
                         f"{factor.shape[-2]} by {n} but each b matrix is {rows} by "
                         f"{b.shape[-1]}", shapes=[b.shape, factor.shape])


# --- cholesky_solve: primitive -----------------------------------------------------------------
def _cholesky_solve_kernel(b, factor, upper=False):
    _cholesky_solve_rule(Aval(b.shape, b.dtype), Aval(factor.shape, factor.dtype))
    lower = np.swapaxes(np.triu(factor), -1, -2) if upper else np.tril(factor)
    # Two triangular systems, L y = B and L^T X = y, as LAPACK's potrs solves them.
    y = np.linalg.solve(lower, b)
    return np.linalg.solve(np.swapaxes(lower, -1, -2), y).astype(np.result_type(b, factor))


def _cholesky_solve_rule(b: Aval, factor: Aval, upper=False) -> Aval:
    require_float("cholesky_solve", b)
    _check_rhs("cholesky_solve", b, factor)
    batch = broadcast_shapes("cholesky_solve", b.shape[:-2], factor.shape[:-2])
    return Aval(batch + b.shape[-2:], np.result_type(b.dtype, factor.dtype))


def _cholesky_solve_vjp(g, inputs, out, upper=False):
    # PyTorch's rule: the factor enters as A = L L^T (or U^T U) with every entry free, so
    # gL = -(S + S^T) L with S = gB X^T (gU = -U (S + S^T)), gB = A^-1 g.
    b, factor = inputs
    gb = cholesky_solve(g, factor, upper=upper)
    common = matmul(gb, matrix_transpose(out))
    common = add(common, matrix_transpose(common))
    gf = neg(matmul(factor, common) if upper else matmul(common, factor))
    return unbroadcast(gb, b, inputs), unbroadcast(gf, factor, inputs)


cholesky_solve = primitive(
    "cholesky_solve", _cholesky_solve_kernel, _cholesky_solve_rule, _cholesky_solve_vjp,
    fresh=True, torch_name="CholeskySolveBackward0",
    doc="torch.cholesky_solve: X with A X = B, A = L L^T (U^T U when ``upper``) from its "
        "Cholesky factor (one triangle read); batches broadcast.")


@composite(torch_name="CholeskyInverseBackward0")
def cholesky_inverse(L: Value, upper: bool = False) -> Value:  # noqa: N803
    """``torch.cholesky_inverse``: A^-1 for A = L L^T (or U^T U when ``upper``): `cholesky_solve`
    of the identity, whose gradient is PyTorch's."""
    shape = shape_of(L)
    if len(shape) < 2:
        raise RuntimeError(f"cholesky_inverse: The input tensor must have at least 2 "
                           f"dimensions, got {len(shape)}")
    n = len(shape)
    eye = cast(diagonal_mask(L, groups=((n - 2, n - 1),)), dtype=L.dtype)
    return cholesky_solve(eye, L, upper=upper)


@composite
def linalg_lu_solve(LU: Value, pivots: Value, B: Value, left: bool = True,  # noqa: N803
                    adjoint: bool = False) -> Value:
    """``torch.linalg.lu_solve``: X with A X = B (A^T X = B when ``adjoint``; X A = B, X A^T
    = B when not ``left``), A = P L U given as ``lu_factor``'s packed factors and pivots."""
    if not left:  # X A = B is A^T X^T = B^T
        return matrix_transpose(linalg_lu_solve(LU, pivots, matrix_transpose(B),
                                                adjoint=not adjoint))
    _check_rhs("linalg.lu_solve", Aval(shape_of(B), B.dtype), Aval(shape_of(LU), LU.dtype))
    p = linalg_lu_permutation(pivots, LU)
    if adjoint:  # U^T L^T P^T X = B
        y = linalg_solve_triangular(matrix_transpose(LU), B, upper=False)
        z = linalg_solve_triangular(matrix_transpose(LU), y, upper=True, unitriangular=True)
        return matmul(p, z)
    y = linalg_solve_triangular(LU, matmul(matrix_transpose(p), B), upper=False,
                                unitriangular=True)
    return linalg_solve_triangular(LU, y, upper=True)


__all__ = ["cholesky_solve", "cholesky_inverse", "linalg_lu_solve"]
