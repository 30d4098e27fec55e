"""The LU family and the matrix exponential of ``torch.linalg`` (``lu_factor``,
``lu_factor_ex``, ``lu``, ``lu_solve``, ``matrix_exp``) and the ``torch``
functions beside them (``lu_unpack``, ``cholesky_solve``, ``cholesky_inverse``,
``matrix_exp``), with PyTorch's signatures and structured results, over the ops of
`ops.linalg_lu` and `ops.linalg_solvers`. `linalg_api` re-exports the ``torch.linalg`` ones.

    >>> import numpy as np
    >>> lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]])).pivots
    array([2, 2], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import LinAlgError
from .op_table import OPS
from .return_types import return_type

LuFactorResult = return_type("linalg_lu_factor", ("LU", "pivots"))
LuFactorExResult = return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))
LuResult = return_type("linalg_lu", ("P", "L", "U"))
LuUnpackResult = return_type("lu_unpack", ("P", "L", "U"))


def _op(name: str) -> Any:
    return OPS[name]


def _check_pivot(pivot: bool, name: str) -> None:
    if not pivot:
        raise RuntimeError(f"{name}: LU without pivoting is not implemented on the CPU")


def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """``(LU, pivots, info)``: the packed factors of A = P L U (L's unit diagonal implied),
    LAPACK's 1-based int32 row pivots, and per matrix 0 or the 1-based index of the first zero
    pivot of U (with ``check_errors`` such a matrix raises)."""
    _check_pivot(pivot, "linalg.lu_factor_ex")
    info = _op("linalg_lu_info")(A)
    if check_errors:
        raise_on_info(info, "torch.linalg.lu_factor_ex", "U[{k},{k}] is zero and using it on "
                       "lu_solve would result in a division by zero. If you still want to "
                       "perform the factorization, consider calling linalg.lu(A, pivot) or "
                       "linalg.lu_factor_ex(A, pivot)")
    return LuFactorExResult(_op("linalg_lu_factor")(A), _op("linalg_lu_pivots")(A), info)


def lu_factor(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803
    """``(LU, pivots)`` as `lu_factor_ex`; a matrix with a zero pivot raises, as PyTorch's."""
    _check_pivot(pivot, "linalg.lu_factor")
    result = lu_factor_ex(A, pivot=pivot)
    raise_on_info(result.info, "torch.linalg.lu_factor", "U[{k},{k}] is zero and using it on "
                   "lu_solve would result in a division by zero. If you still want to perform "
                   "the factorization, consider calling linalg.lu(A, pivot) or "
                   "linalg.lu_factor_ex(A, pivot)")
    return LuFactorResult(result.LU, result.pivots)


def raise_on_info(info: Any, name: str, what: str, error: type = RuntimeError) -> None:
    """PyTorch's error for the first matrix whose ``info`` is nonzero (``what`` may name
    ``{k}``, the info value; eager values only: a graph value's info is unknown until it
    runs)."""
    try:
        values = np.asarray(info)
    except (TypeError, ValueError):  # a staged value
        return
    if values.dtype == object or not values.any():
        return
    flat = values.reshape(-1)
    first = int(np.flatnonzero(flat)[0])
    where = f"(Batch element {first}): " if values.ndim else ""
    detail = where + what.format(k=int(flat[first]))
    if error is LinAlgError:
        raise LinAlgError(name, detail)
    raise error(f"{name}: {detail}")


def lu_unpack(LU_data: Any, LU_pivots: Any, unpack_data: bool = True,  # noqa: N803
              unpack_pivots: bool = True) -> Any:
    """``(P, L, U)`` from packed LU factors and pivots: L (m, k) unit lower, U (k, n) upper,
    k = min(m, n); what is not unpacked is an empty tensor."""
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    empty = _op("zeros_like")(_op("getitem")(_op("reshape")(LU_data, shape=(-1,)), slice(0, 0)))
    p = _op("linalg_lu_permutation")(LU_pivots, LU_data) if unpack_pivots else empty
    if not unpack_data:
        return LuUnpackResult(p, empty, empty)
    tall = _op("narrow")(LU_data, -1, 0, k)
    eye = _op("cast")(_op("diagonal_mask")(tall, groups=((len(tall.shape) - 2,
                                                          len(tall.shape) - 1),)),
                      dtype=np.dtype(LU_data.dtype))
    lower = _op("add")(_op("tril")(tall, diagonal=-1), eye)
    upper = _op("triu")(_op("narrow")(LU_data, -2, 0, k))
    return LuUnpackResult(p, lower, upper)


def lu(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803
    """``(P, L, U)`` with A = P L U (a zero pivot does not raise)."""
    _check_pivot(pivot, "linalg.lu_factor")  # PyTorch's message names lu_factor
    return LuResult(*lu_unpack(_op("linalg_lu_factor")(A), _op("linalg_lu_pivots")(A)))


def lu_solve(LU: Any, pivots: Any, B: Any, *, left: bool = True,  # noqa: N803
             adjoint: bool = False) -> Any:
    """X with A X = B (A^T X = B when ``adjoint``; X A = B when not ``left``), from
    `lu_factor`'s output."""
    return _op("linalg_lu_solve")(LU, pivots, B, left=left, adjoint=adjoint)


def matrix_exp(A: Any) -> Any:  # noqa: N803
    """exp(A) of each square matrix."""
    return _op("linalg_matrix_exp")(A)


def cholesky_solve(B: Any, L: Any, upper: bool = False) -> Any:  # noqa: N803
    """``torch.cholesky_solve``: X with (L L^T) X = B, or (U^T U) X = B when ``upper``."""
    return _op("cholesky_solve")(B, L, upper=upper)


def cholesky_inverse(L: Any, upper: bool = False) -> Any:  # noqa: N803
    """``torch.cholesky_inverse``: the inverse of L L^T (U^T U when ``upper``)."""
    return _op("cholesky_inverse")(L, upper=upper)


__all__ = ["lu_factor", "lu_factor_ex", "lu", "lu_solve", "matrix_exp"]
