"""Tensor methods of linear algebra (``det``, ``inverse``, ``slogdet``, ``svd``, ``qr``,
``trace``...), PyTorch's older spellings of `linalg_api`'s functions, with their structured
results (``torch.return_types.svd`` holds V, not Vh). Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> float(METHODS["trace"](np.arange(4.0).reshape(2, 2)))
    3.0
"""

from __future__ import annotations

import warnings

from . import linalg_api, linalg_api_lu
from .aval import broadcast_shapes
from .ops.linalg import matrix_transpose
from .return_types import return_type
from .tensor_api_core import METHODS, method, op, shape_of

SlogdetResult = return_type("slogdet", ("sign", "logabsdet"))
SvdResult = return_type("svd", ("U", "S", "V"))
QrResult = return_type("qr", ("Q", "R"))
LuWithInfoResult = return_type("_lu_with_info", ("LU", "pivots", "info"))
TriangularSolveResult = return_type("triangular_solve", ("solution", "cloned_coefficient"))



@method("det")
def _det(self):
    """The determinant (``torch.det``)."""
    return linalg_api.det(self)


@method("inverse")
def _inverse(self):
    """The matrix inverse (``torch.inverse``)."""
    return linalg_api.inv(self)


@method("logdet")
def _logdet(self):
    """log det: nan for a negative determinant, -inf for a zero one (``torch.logdet``)."""
    sign, logabsdet = linalg_api.slogdet(self)
    return op("add")(logabsdet, op("log")(sign))


@method("slogdet")
def _slogdet(self):
    """``(sign, logabsdet)`` (``torch.slogdet``)."""
    return SlogdetResult(*linalg_api.slogdet(self))


@method("cholesky")
def _cholesky(self, upper: bool = False):
    """The Cholesky factor (``torch.cholesky``)."""
    return linalg_api.cholesky(self, upper=upper)


@method("trace")
def _trace(self):
    """The sum of the main diagonal of a matrix (``torch.trace``)."""
    return op("trace")(self)


@method("pinverse")
def _pinverse(self, rcond: float = 1e-15):
    """The pseudo-inverse, singular values below ``rcond * s_max`` dropped (``torch.pinverse``)."""
    return linalg_api.pinv(self, rtol=rcond)


@method("matrix_power")
def _matrix_power(self, n: int):
    """``self`` to the integer power ``n`` (``torch.matrix_power``)."""
    return linalg_api.matrix_power(self, n)


@method("svd")
def _svd(self, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)`` with self = U diag(S) V^T (``torch.svd``: V, not Vh; ``some=False`` the
    full U and V; without ``compute_uv`` U and V are zeros)."""
    if not compute_uv:  # zeros shaped as the full U (m, m) and V (n, n), as PyTorch's
        a = op("stop_gradient")(self)
        return SvdResult(op("zeros_like")(op("matmul")(a, matrix_transpose(a))),
                         linalg_api.svdvals(self),
                         op("zeros_like")(op("matmul")(matrix_transpose(a), a)))
    u, s, vh = linalg_api.svd(self, full_matrices=not some)
    return SvdResult(u, s, matrix_transpose(vh))


@method("qr")
def _qr(self, some: bool = True):
    """``(Q, R)`` (``torch.qr``, deprecated there for ``torch.linalg.qr``)."""
    warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a "
                  "future PyTorch release.\nThe boolean parameter 'some' has been replaced with "
                  "a string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced "
                  "with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
                  UserWarning, stacklevel=3)
    return QrResult(*linalg_api.qr(self, mode="reduced" if some else "complete"))


@method("mv")
def _mv(self, vec):
    """The product of a matrix and a vector (``torch.mv``)."""
    if len(shape_of(self)) != 2 or len(shape_of(vec)) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(shape_of(self))}, "
                           f"{len(shape_of(vec))}")
    rows, cols = shape_of(self)
    if cols is not None and shape_of(vec)[0] is not None and cols != shape_of(vec)[0]:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec "
                           f"({shape_of(vec)[0]})")
    return op("matmul")(self, vec)


@method("cross")
def _cross(self, other, dim: int | None = None):
    """The cross product along ``dim``; without ``dim`` the first dim of size 3, as
    ``torch.cross`` (which warns that this default will change)."""
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                      "Please either pass the dim explicitly or simply use torch.linalg.cross."
                      "\nThe default value of dim will change to agree with that of "
                      "linalg.cross in a future release.", UserWarning, stacklevel=3)
        shape = broadcast_shapes("cross", shape_of(self), shape_of(other))
        dim = next((d for d, size in enumerate(shape) if size == 3), -1)
    return linalg_api.cross(self, other, dim=dim)


@method("matrix_exp")
def _matrix_exp(self):
    """exp of each square matrix (``torch.matrix_exp``)."""
    return linalg_api_lu.matrix_exp(self)


@method("cholesky_solve")
def _cholesky_solve(self, input2, upper: bool = False):
    """X with A X = self, A = L L^T from its factor ``input2`` (``torch.cholesky_solve``)."""
    return linalg_api_lu.cholesky_solve(self, input2, upper)


@method("cholesky_inverse")
def _cholesky_inverse(self, upper: bool = False):
    """The inverse of L L^T from its factor (``torch.cholesky_inverse``)."""
    return linalg_api_lu.cholesky_inverse(self, upper)


@method("lu")
def _lu(self, pivot: bool = True, get_infos: bool = False):
    """``(LU, pivots)`` or, with ``get_infos``, ``(LU, pivots, infos)`` (``torch.lu``, the
    older spelling of ``linalg.lu_factor_ex``)."""
    warnings.warn("torch.lu is deprecated in favor of torch.linalg.lu_factor / "
                  "torch.linalg.lu_factor_ex and will be removed in a future PyTorch release."
                  "\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, "
                  "pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = "
                  "torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\nLU, "
                  "pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)", UserWarning,
                  stacklevel=3)
    # Without get_infos a zero pivot raises, as PyTorch's (its check_errors=not get_infos).
    result = linalg_api_lu.lu_factor_ex(self, pivot=pivot, check_errors=not get_infos)
    return LuWithInfoResult(*result) if get_infos else (result.LU, result.pivots)


@method("lu_solve")
def _lu_solve(self, LU_data, LU_pivots):  # noqa: N803
    """X with A X = self from ``torch.lu``'s output (``torch.lu_solve``)."""
    warnings.warn("torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be "
                  "removed in a future PyTorch release.\nNote that torch.linalg.lu_solve has its "
                  "arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be replaced "
                  "with\nX = torch.linalg.lu_solve(LU, pivots, B)", UserWarning, stacklevel=3)
    return linalg_api_lu.lu_solve(LU_data, LU_pivots, self)


@method("triangular_solve")
def _triangular_solve(self, A, upper: bool = True, transpose: bool = False,  # noqa: N803
                      unitriangular: bool = False):
    """``(solution, cloned_coefficient)`` with T X = self (T^T X = self when ``transpose``), T
    the upper or lower triangle of A (``torch.triangular_solve``, deprecated there)."""
    warnings.warn("torch.triangular_solve is deprecated in favor of "
                  "torch.linalg.solve_triangularand will be removed in a future PyTorch "
                  "release.\ntorch.linalg.solve_triangular has its arguments reversed and does "
                  "not return a copy of one of the inputs.\nX = torch.triangular_solve(B, "
                  "A).solution\nshould be replaced with\nX = torch.linalg.solve_triangular(A, "
                  "B).", UserWarning, stacklevel=3)
    t = matrix_transpose(A) if transpose else A
    solution = linalg_api.solve_triangular(t, self, upper=upper != transpose,
                                           unitriangular=unitriangular)
    return TriangularSolveResult(solution, op("add")(A, 0.0))


__all__ = ["METHODS"]
