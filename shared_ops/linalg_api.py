"""The functions of ``torch.linalg``, with PyTorch's signatures and structured results, over
the shared ops (`ops.linalg_decompositions`, `ops.linalg_functions`, `ops.norms`): eager's
``eager.linalg`` and static's ``static.linalg`` are this module, so a call runs eagerly on
Tensors and stages into a graph on graph values.

    >>> import numpy as np
    >>> slogdet(np.array([[0.0, 2.0], [3.0, 0.0]]))
    torch.return_types.linalg_slogdet(
    sign=array(-1.),
    logabsdet=array(1.79175947))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import tensor_api_layout  # noqa: F401, I001 (fills METHODS["diagonal"])
from .errors import LinAlgError, ShapeError, describe_shapes  # noqa: F401 (LinAlgError: re-exported)
from .linalg_api_lu import (  # noqa: F401 (re-exported but raise_on_info)
    lu,
    lu_factor,
    lu_factor_ex,
    lu_solve,
    matrix_exp,
    raise_on_info,
)
from .linalg_api_more import cond, tensorinv, tensorsolve, vander  # noqa: F401 (re-exported)
from .op_table import OPS
from .ops.linalg import matrix_transpose
from .return_types import return_type
from .tensor_api_core import METHODS, scalar_type_name

SlogdetResult = return_type("linalg_slogdet", ("sign", "logabsdet"))
EighResult = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
SvdResult = return_type("linalg_svd", ("U", "S", "Vh"))
QrResult = return_type("linalg_qr", ("Q", "R"))
LstsqResult = return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
InvExResult = return_type("linalg_inv_ex", ("inverse", "info"))
CholeskyExResult = return_type("linalg_cholesky_ex", ("L", "info"))
SolveExResult = return_type("linalg_solve_ex", ("result", "info"))

_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _op(name: str) -> Any:
    return OPS[name]



def _is_vector_rhs(A: Any, B: Any) -> bool:  # noqa: N803
    """PyTorch's rule for B in ``solve``: a (batch of) vector(s) when B is 1-d, or when it has
    one dim fewer than A and its shape is A's without the last dim."""
    return len(B.shape) == 1 or (len(B.shape) == len(A.shape) - 1
                                 and tuple(B.shape) == tuple(A.shape[:-1]))


def _empty_like(x: Any, dtype: Any = None) -> Any:
    """A 1-d value with no elements, of ``x``'s dtype (or ``dtype``), in the mode's type."""
    flat = _op("reshape")(x, shape=(-1,))
    return _op("zeros_like")(_op("getitem")(flat, slice(0, 0)), dtype=dtype)


def inv(A: Any) -> Any:  # noqa: N803
    """The inverse of each square matrix; a singular one raises `LinAlgError`."""
    return _op("linalg_inv")(A)


def inv_ex(A: Any, *, check_errors: bool = False) -> Any:  # noqa: N803
    """``(inverse, info)``: info the LU ``info`` of A (0 where it is invertible, else the
    1-based index of U's first zero pivot); ``check_errors`` raises PyTorch's `LinAlgError`
    for a singular matrix, else its inverse holds LAPACK's inf and nan."""
    info = _op("linalg_lu_info")(A)
    if check_errors:
        raise_on_info(info, "linalg.inv_ex", "The diagonal element {k} is zero, the inversion "
                      "could not be completed because the input matrix is singular.",
                      LinAlgError)
    return InvExResult(_op("linalg_inv_ex")(A), info)


def det(A: Any) -> Any:  # noqa: N803
    """The determinant of each square matrix."""
    return _op("linalg_det")(A)


def slogdet(A: Any) -> Any:  # noqa: N803
    """``(sign, logabsdet)``: det A = sign * exp(logabsdet), without overflow."""
    return SlogdetResult(_op("linalg_det_sign")(A), _op("linalg_logabsdet")(A))


def solve(A: Any, B: Any, *, left: bool = True) -> Any:  # noqa: N803
    """X with A X = B (``left``) or X A = B; B may be a (batch of) vector(s)."""
    return _solve_by("linalg_solve", A, B, left)


def _solve_by(name: str, A: Any, B: Any, left: bool) -> Any:  # noqa: N803
    """`solve` through the op ``name`` (``linalg_solve``, or ``linalg_solve_ex``: no raise)."""
    if not left:
        return matrix_transpose(_solve_by(name, matrix_transpose(A), matrix_transpose(B), True))
    if _is_vector_rhs(A, B):
        column = _op("expand_dims")(B, axis=-1)
        return _op("squeeze")(_op(name)(A, column), axis=-1)
    return _op(name)(A, B)


def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """``(result, info)``: `solve`'s result and the LU ``info`` of A (0 where A is invertible,
    else the 1-based index of U's first zero pivot); ``check_errors`` raises PyTorch's
    `LinAlgError` for a singular A, else the result holds LAPACK's inf and nan."""
    info = _op("linalg_lu_info")(A)
    if check_errors:
        raise_on_info(info, "torch.linalg.solve_ex", "The solver failed because the input "
                      "matrix is singular.", LinAlgError)
    return SolveExResult(_solve_by("linalg_solve_ex", A, B, left), info)


def cholesky(A: Any, *, upper: bool = False) -> Any:  # noqa: N803
    """The Cholesky factor: lower L with A = L L^T, or upper U = L^T with A = U^T U."""
    lower = _op("linalg_cholesky")(A)
    return matrix_transpose(lower) if upper else lower


def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> Any:  # noqa: N803
    """``(L, info)``: the Cholesky factor and, per matrix, 0 or the order of the first leading
    minor that is not positive-definite (then L is LAPACK's partial factor, as PyTorch's);
    ``check_errors`` raises `LinAlgError` for such a matrix instead."""
    info = _op("linalg_cholesky_info")(A)
    if check_errors:
        raise_on_info(info, "linalg.cholesky_ex", "The factorization could not be completed "
                      "because the input is not positive-definite (the leading minor of order "
                      "{k} is not positive-definite).", LinAlgError)
    lower = _op("linalg_cholesky_ex")(A)
    return CholeskyExResult(matrix_transpose(lower) if upper else lower, info)


def _triangle_of(A: Any, UPLO: str, name: str) -> Any:  # noqa: N803
    if UPLO not in ("L", "U"):
        raise ValueError(f"{name}: Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    # The upper triangle of A is the lower one of A^T.
    return A if UPLO == "L" else matrix_transpose(A)


def eigh(A: Any, UPLO: str = "L") -> Any:  # noqa: N803
    """``(eigenvalues, eigenvectors)`` of each symmetric matrix, ascending; only the ``UPLO``
    triangle is read."""
    a = _triangle_of(A, UPLO, "linalg.eigh")
    return EighResult(_op("linalg_eigvalsh")(a), _op("linalg_eigh_vectors")(a))


def eigvalsh(A: Any, UPLO: str = "L") -> Any:  # noqa: N803
    """The eigenvalues of each symmetric matrix, ascending."""
    return _op("linalg_eigvalsh")(_triangle_of(A, UPLO, "linalg.eigvalsh"))


def svd(A: Any, full_matrices: bool = True, *, driver: str | None = None) -> Any:  # noqa: N803
    """``(U, S, Vh)`` with A = U diag(S) Vh; ``full_matrices=False`` gives the reduced form
    (the one that has a gradient for non-square A, as in PyTorch)."""
    _check_driver(driver)
    return SvdResult(_op("linalg_svd_u")(A, full_matrices=full_matrices),
                     _op("linalg_svdvals")(A),
                     _op("linalg_svd_vh")(A, full_matrices=full_matrices))


def svdvals(A: Any, *, driver: str | None = None) -> Any:  # noqa: N803
    """The singular values of each matrix, descending."""
    _check_driver(driver)
    return _op("linalg_svdvals")(A)


def _check_driver(driver: str | None) -> None:
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on "
                           "CUDA inputs with cuSOLVER backend.")


def qr(A: Any, mode: str = "reduced") -> Any:  # noqa: N803
    """``(Q, R)`` with A = Q R; ``mode`` 'reduced', 'complete' or 'r' (Q then empty)."""
    r = _op("linalg_qr_r")(A, mode=mode)
    if mode == "r":
        return QrResult(_empty_like(r), r)
    return QrResult(_op("linalg_qr_q")(A, mode=mode), r)


def pinv(A: Any, *, atol: float | None = None, rtol: float | None = None,  # noqa: N803
         hermitian: bool = False) -> Any:
    """The Moore-Penrose pseudo-inverse (singular values at most ``max(atol, rtol * s_max)``
    count as zero)."""
    return _op("linalg_pinv")(A, atol=atol, rtol=rtol, hermitian=hermitian)


def matrix_rank(A: Any, *, atol: float | None = None, rtol: float | None = None,  # noqa: N803
                hermitian: bool = False) -> Any:
    """The number of singular values above ``max(atol, rtol * s_max)`` (int64; rtol defaults
    to eps * max(m, n) when atol is 0 or None)."""
    m, n = A.shape[-2:]
    atol = 0.0 if atol is None else atol
    if rtol is None:
        rtol = np.finfo(np.dtype(A.dtype)).eps * max(m, n) if atol == 0 else 0.0
    s = _op("stop_gradient")(_op("linalg_svdvals")(A))
    if 0 in (m, n):  # no singular values: rank 0
        return _op("sum")(_op("cast")(s, dtype=np.dtype(np.int64)), axis=-1)
    cutoff = _op("maximum")(_op("mul")(_op("max")(s, axis=-1, keepdims=True), rtol), atol)
    return _op("sum")(_op("gt")(s, cutoff), axis=-1)


def lstsq(A: Any, B: Any, rcond: float | None = None, *, driver: str | None = None) -> Any:  # noqa: N803
    """The least-squares solution of A X = B, through the pseudo-inverse (singular values below
    ``rcond * s_max`` dropped; rcond defaults to eps * max(m, n)). As in PyTorch the other
    outputs depend on ``driver`` (default 'gelsy'): the squared residuals per column (all
    drivers but 'gelsy', for tall full-rank A), the rank (all but 'gels') and the singular
    values ('gelsd', 'gelss'); what a driver does not give is empty."""
    driver = "gelsy" if driver is None else driver
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError(f"torch.linalg.lstsq: parameter `driver` should be one of "
                           f"{_LSTSQ_DRIVERS}")
    if len(A.shape) < 2 or len(B.shape) < 1:
        raise ShapeError("linalg_lstsq", f"A must be a batch of matrices, got shapes "
                         f"{describe_shapes(tuple(A.shape), tuple(B.shape))}")
    m, n = A.shape[-2:]
    vector = len(B.shape) == len(A.shape) - 1
    b = _op("expand_dims")(B, axis=-1) if vector else B
    cut = np.finfo(np.dtype(A.dtype)).eps * max(m, n) if rcond is None or rcond < 0 else rcond
    solution = _op("matmul")(_op("linalg_pinv")(A, rtol=cut), b)
    rank = matrix_rank(A, rtol=cut)
    empty = _empty_like(_op("stop_gradient")(solution))
    residuals = empty
    full_rank = bool(np.all(np.asarray(_op("stop_gradient")(rank)) == n)) if m > n else False
    if driver != "gelsy" and full_rank:
        residual = _op("sub")(_op("matmul")(A, solution), b)
        residuals = _op("sum")(_op("mul")(residual, residual), axis=-2)
    values = _op("linalg_svdvals")(A) if driver in ("gelsd", "gelss") else empty
    rank_out = rank if driver != "gels" else _empty_like(rank, dtype=np.dtype(np.int64))
    return LstsqResult(_op("squeeze")(solution, axis=-1) if vector else solution, residuals,
                       rank_out, values)


def matrix_power(A: Any, n: int) -> Any:  # noqa: N803
    """A^n for an integer n (n = 0: the identity; n < 0: the inverse's power)."""
    return _op("linalg_matrix_power")(A, n)


def multi_dot(tensors: list) -> Any:
    """The product of a chain of matrices (a first 1-d operand is a row vector, a last one a
    column vector), left to right."""
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    _check_chain(tensors)
    result = tensors[0]
    for t in tensors[1:]:
        result = _op("matmul")(result, t)
    return result


def _check_chain(tensors: list) -> None:
    """PyTorch's checks of a ``multi_dot`` chain: no batches (matmul would broadcast them) and
    one dtype (matmul would promote)."""
    last = len(tensors) - 1
    for k, t in enumerate(tensors):
        ndim = len(t.shape)
        if k in (0, last) and ndim not in (1, 2):
            which = "first" if k == 0 else "last"
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got "
                               f"{ndim}D")
        if 0 < k < last and ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {k} must be 2D but got {ndim}D")
        if np.dtype(t.dtype) != np.dtype(tensors[0].dtype):
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but "
                               f"tensor 0 is {scalar_type_name(tensors[0].dtype).lower()} "
                               f"and tensor {k} {scalar_type_name(t.dtype).lower()}")


def cross(input: Any, other: Any, *, dim: int = -1) -> Any:  # noqa: A002
    """The cross product of 3-vectors along ``dim``, broadcasting."""
    return _op("linalg_cross")(input, other, dim=dim)


def vecdot(x: Any, y: Any, *, dim: int = -1) -> Any:
    """The dot product of vectors along ``dim``, broadcasting."""
    return _op("sum")(_op("mul")(x, y), axis=dim)


def solve_triangular(A: Any, B: Any, *, upper: bool, left: bool = True,  # noqa: N803
                     unitriangular: bool = False) -> Any:
    """X with T X = B (or X T = B), T the upper or lower triangle of A."""
    return _op("linalg_solve_triangular")(A, B, upper=upper, left=left,
                                          unitriangular=unitriangular)


def diagonal(A: Any, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:  # noqa: N803
    """The ``offset`` diagonal of the matrices over (dim1, dim2), as a new last dim."""
    return METHODS["diagonal"](A, offset, dim1, dim2)  # the method table's one definition


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002, N803
         dtype: Any = None) -> Any:
    """A vector norm (one dim, or all when neither ord nor dim is given) or a matrix norm."""
    return _op("linalg_norm")(A, ord=ord, dim=dim, keepdim=keepdim, dtype=dtype)


def vector_norm(x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Any:
    """The ``ord``-norm of vectors along ``dim`` (all dims flattened when None)."""
    return _op("vector_norm")(x, ord=ord, dim=dim, keepdim=keepdim, dtype=dtype)


def matrix_norm(A: Any, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Any:
    """The ``ord`` norm of the matrices over ``dim``."""
    return _op("matrix_norm")(A, ord=ord, dim=dim, keepdim=keepdim, dtype=dtype)


def householder_product(A: Any, tau: Any) -> Any:  # noqa: N803
    """The first n columns of the product of the Householder reflectors stored in A's columns
    below the diagonal, with scales ``tau`` (the Q of ``geqrf``'s compact QR)."""
    return _op("linalg_householder_product")(A, tau)


def matmul(input: Any, other: Any) -> Any:  # noqa: A002
    """The matrix product (``torch.matmul``)."""
    return _op("matmul")(input, other)


__all__ = ["LinAlgError", "inv", "inv_ex", "det", "slogdet", "solve", "solve_ex", "cholesky",
           "cholesky_ex", "lu", "lu_factor", "lu_factor_ex", "lu_solve", "matrix_exp", "cond",
           "tensorinv", "tensorsolve", "vander", "householder_product",
           "eigh", "eigvalsh", "svd", "svdvals", "qr", "pinv", "matrix_rank", "lstsq",
           "matrix_power", "multi_dot", "cross", "vecdot", "solve_triangular", "diagonal",
           "norm", "vector_norm", "matrix_norm", "matmul"]
