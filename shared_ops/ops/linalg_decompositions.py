"""Matrix functions of ``torch.linalg`` from LU and Cholesky factorizations: inverse,
determinant and log|det|, solve, Cholesky (primitives over NumPy's LAPACK calls), and the
checks and LAPACK-error translation every linear-algebra kernel shares (`check_matrix`,
`lapack_kernel`); `linalg_orthogonal` holds eigh, SVD and QR.

Every op acts on the last two dims; leading dims are a batch. Each gradient rule is written
with shared ops, so it differentiates again and stages into static graphs like any other.

Cholesky's gradient follows PyTorch's convention for inputs that are symmetric by contract:
the routine reads one triangle, and the gradient is the symmetric matrix that a symmetric
perturbation sees (so a finite difference of one off-diagonal entry alone is not what it
measures; tests perturb ``X`` in ``A = f(X)`` symmetric).

    >>> import numpy as np
    >>> linalg_inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import GradientError, LinAlgError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import require_float, shape_of
from .elementwise import add, mul, neg, unbroadcast
from .linalg import matmul, matrix_transpose
from .shape import expand_dims
from .triangular import tril

_EXACT = {"linalg_inv": "the input matrix is singular",
          "linalg_solve": "the input matrix A is singular",
          "linalg_cholesky": "the input is not positive-definite"}


# --- helpers ---------------------------------------------------------------------------------
def check_matrix(name: str, a: Aval, *, square: bool) -> None:
    """Check that ``a`` is a float batch of matrices (square ones where ``square``)."""
    require_float(name, a)
    if a.ndim < 2:
        raise ShapeError(name, f"A must have at least 2 dimensions, got shape "
                         f"{describe_shapes(a.shape)}", shapes=[a.shape])
    m, n = a.shape[-2:]
    if square and m is not None and n is not None and m != n:
        raise ShapeError(name, f"A must be batches of square matrices, but they are {m} by {n} "
                         "matrices", shapes=[a.shape])


def lapack_kernel(name: str, compute, *, square: bool = True):
    """``compute`` as a kernel that checks its input as the shape rule does (eager runs kernels
    without the rules) and turns NumPy's LinAlgError into ours, naming the op."""

    def kernel(a, *rest, **attrs):
        check_matrix(name, Aval(a.shape, a.dtype), square=square)
        try:
            return compute(a, *rest, **attrs)
        except np.linalg.LinAlgError as e:
            what = _EXACT.get(name, str(e))
            raise LinAlgError(name, f"the {a.shape[-2]} by {a.shape[-1]} matrix could not be "
                              f"decomposed: {what} ({e})", shapes=[a.shape],
                              dtypes=[a.dtype]) from None

    kernel.__name__ = f"{name}_kernel"
    return kernel



def known_size(name: str, a, axis: int) -> int:
    size = shape_of(a)[axis]
    if size is None:
        raise GradientError(name, "the gradient needs the matrix dims known; this one is "
                            "unknown until run time")
    return size


def _det_cotangent(g):
    """A cotangent of a batch of scalars, shaped to scale a batch of matrices."""
    return expand_dims(g, axis=(-2, -1))


def square_rule(name: str):
    def rule(a: Aval, **_) -> Aval:
        check_matrix(name, a, square=True)
        return a

    return rule


def _batch_scalar_rule(name: str):
    def rule(a: Aval) -> Aval:
        check_matrix(name, a, square=True)
        return Aval(a.shape[:-2], a.dtype)

    return rule


# --- inverse: primitive ------------------------------------------------------------------------
def inv_vjp(g, inputs, out):
    """The inverse's gradient rule (also linalg_lu's unchecked inverse's)."""
    # d(A^-1) = -A^-1 dA A^-1, so the cotangent is -A^-T g A^-T.
    t = matrix_transpose(out)
    return (neg(matmul(matmul(t, g), t)),)


linalg_inv = primitive("linalg_inv", lapack_kernel("linalg_inv", np.linalg.inv),
                       square_rule("linalg_inv"), inv_vjp, fresh=True,
                       torch_name="LinalgInvExBackward0",
                       doc="The inverse of each square matrix (torch.linalg.inv).")


# --- determinant and log|det|: primitives ------------------------------------------------------
def _det(a):
    return np.asarray(np.linalg.det(a), dtype=a.dtype)


def _det_vjp(g, inputs, out):
    # d det(A) = det(A) tr(A^-1 dA): the cotangent is g det(A) A^-T (A must be invertible).
    (a,) = inputs
    return (mul(_det_cotangent(mul(g, out)), matrix_transpose(linalg_inv(a))),)


linalg_det = primitive("linalg_det", lapack_kernel("linalg_det", _det),
                       _batch_scalar_rule("linalg_det"), _det_vjp, fresh=True,
                       torch_name="LinalgDetBackward0",
                       doc="The determinant of each square matrix (torch.linalg.det).")


def _logabsdet(a):
    return np.asarray(np.linalg.slogdet(a)[1], dtype=a.dtype)


def _logabsdet_vjp(g, inputs, out):
    (a,) = inputs
    return (mul(_det_cotangent(g), matrix_transpose(linalg_inv(a))),)


linalg_logabsdet = primitive(
    "linalg_logabsdet", lapack_kernel("linalg_logabsdet", _logabsdet),
    _batch_scalar_rule("linalg_logabsdet"), _logabsdet_vjp, fresh=True,
    torch_name="LinalgSlogdetBackward0",
    doc="log |det A| of each square matrix (slogdet's second output).")


def _det_sign(a):
    return np.asarray(np.linalg.slogdet(a)[0], dtype=a.dtype)


linalg_det_sign = primitive("linalg_det_sign", lapack_kernel("linalg_det_sign", _det_sign),
                            _batch_scalar_rule("linalg_det_sign"), None, fresh=True,
                            differentiable_output=False,
                            doc="The sign of det A: -1, 0 or 1 (slogdet's first output).")


# --- solve: primitive --------------------------------------------------------------------------
def solve_rule(a: Aval, b: Aval) -> Aval:
    """The shape rule of X with A X = B (also linalg_lu's unchecked solve's)."""
    check_matrix("linalg_solve", a, square=True)
    if b.ndim < 2:
        raise ShapeError("linalg_solve", f"B must be a batch of matrices (n, k), got shape "
                         f"{describe_shapes(b.shape)}", shapes=[a.shape, b.shape])
    n, rows = a.shape[-1], b.shape[-2]
    if n is not None and rows is not None and n != rows:
        raise ShapeError("linalg_solve", f"incompatible shapes of A and B for the equation AX = "
                         f"B ({describe_shapes(a.shape, b.shape)})", shapes=[a.shape, b.shape])
    batch = broadcast_shapes("linalg_solve", a.shape[:-2], b.shape[:-2])
    return Aval(batch + (a.shape[-2], b.shape[-1]), a.dtype)


def _solve_vjp(g, inputs, out):
    a, b = inputs
    gb = linalg_solve(matrix_transpose(a), g)  # A^T gB = g
    ga = neg(matmul(gb, matrix_transpose(out)))  # -gB X^T
    return unbroadcast(ga, a), unbroadcast(gb, b)


linalg_solve = primitive("linalg_solve", lapack_kernel("linalg_solve", np.linalg.solve),
                         solve_rule, _solve_vjp, promote=True, floating=True, fresh=True,
                         torch_name="LinalgSolveExBackward0",
                         doc="X with A X = B, for a batch of square A and matrices B.")


# --- Cholesky: primitive -----------------------------------------------------------------------
def _cholesky_vjp(g, inputs, out):
    # PyTorch's rule: with P the lower triangle of L^T gL, off-diagonal halves mirrored into a
    # symmetric M, gA = L^-T M L^-1 (two solves against L^T instead of inverting L).
    lower = out
    p = tril(matmul(matrix_transpose(lower), g))
    sym = mul(add(p, matrix_transpose(tril(p, diagonal=-1))), 0.5)
    y = matrix_transpose(linalg_solve(matrix_transpose(lower), matrix_transpose(sym)))  # M L^-1
    return (linalg_solve(matrix_transpose(lower), y),)


linalg_cholesky = primitive(
    "linalg_cholesky", lapack_kernel("linalg_cholesky", np.linalg.cholesky),
    square_rule("linalg_cholesky"), _cholesky_vjp, fresh=True,
    torch_name="LinalgCholeskyExBackward0",
    doc="The lower Cholesky factor L (A = L L^T) of each symmetric positive-definite matrix; "
        "only the lower triangle of A is read.")


# --- Cholesky with info: two primitives ---------------------------------------------------------
def _potf2(a):
    """``(L, info)`` of each matrix without raising: LAPACK's unblocked column-by-column
    factorization, which stops at the first non-positive pivot j (info j + 1), leaving it on
    the diagonal and the columns after it as A's lower triangle (what PyTorch returns)."""
    try:
        return np.linalg.cholesky(a), np.zeros(a.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        pass
    n = a.shape[-1]
    count = int(np.prod(a.shape[:-2], dtype=np.int64))
    lower = np.tril(a).reshape((count, n, n)).copy()
    info = np.zeros(count, dtype=np.int32)
    for j in range(n):
        active = info == 0
        pivot = lower[:, j, j] - np.sum(lower[:, j, :j] ** 2, axis=-1)
        bad = active & ~(pivot > 0)  # NaN is not positive either
        lower[bad, j, j] = pivot[bad]
        info[bad] = j + 1
        good = active & ~bad
        root = np.sqrt(pivot[good])
        lower[good, j, j] = root
        rest = lower[good, j + 1:, j] - np.einsum("bik,bk->bi", lower[good, j + 1:, :j],
                                                  lower[good, j, :j])
        lower[good, j + 1:, j] = rest / root[:, None]
    return lower.reshape(a.shape), info.reshape(a.shape[:-2])


def _cholesky_ex_kernel(part: int):
    def kernel(a):
        check_matrix("linalg_cholesky_ex", Aval(a.shape, a.dtype), square=True)
        return _potf2(a)[part]

    return kernel


linalg_cholesky_ex = primitive(
    "linalg_cholesky_ex", _cholesky_ex_kernel(0), square_rule("linalg_cholesky_ex"),
    _cholesky_vjp, fresh=True, torch_name="LinalgCholeskyExBackward0",
    doc="The lower Cholesky factor, as linalg_cholesky, without raising: a matrix that is not "
        "positive-definite gets LAPACK's partial factor.")
def _info_rule(a: Aval) -> Aval:
    check_matrix("linalg_cholesky_ex", a, square=True)
    return Aval(a.shape[:-2], np.dtype(np.int32))


linalg_cholesky_info = primitive(
    "linalg_cholesky_info", _cholesky_ex_kernel(1), _info_rule, None, fresh=True,
    differentiable_output=False,
    doc="0, or the order of the first leading minor that is not positive-definite (int32).")


__all__ = ["linalg_inv", "linalg_det", "linalg_logabsdet", "linalg_det_sign", "linalg_solve",
           "linalg_cholesky", "linalg_cholesky_ex", "linalg_cholesky_info"]
