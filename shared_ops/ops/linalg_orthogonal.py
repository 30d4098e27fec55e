"""The orthogonal factorizations of ``torch.linalg``: the symmetric eigendecomposition, the
SVD and QR (primitives over NumPy's LAPACK calls, checked as `linalg_decompositions` checks).

A factorization with several outputs is one primitive per output (``linalg_eigvalsh`` and
``linalg_eigh_vectors``; ``linalg_svd_u``, ``linalg_svdvals`` and ``linalg_svd_vh``;
``linalg_qr_q`` and ``linalg_qr_r``), because an op has one output here. The reverse-mode
rule of a factorization is linear in the cotangents of its outputs, so each primitive's rule
is that output's share of the whole and the shares add up to PyTorch's gradient. The price:
asking for every output runs the LAPACK routine once per output.

``eigh``'s gradient follows PyTorch's convention for symmetric inputs (the symmetric matrix a
symmetric perturbation sees), as Cholesky's does.

    >>> import numpy as np
    >>> linalg_svdvals(np.array([[3.0, 0.0], [0.0, -4.0]]))
    array([4., 3.])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import GradientError, OpValueError
from ..registry import primitive
from ._rules import shape_of
from .contraction import diagonal_mask
from .elementwise import add, div, mul, neg, sub
from .elementwise_logic import where
from .linalg import matmul, matrix_transpose
from .linalg_decompositions import (
    check_matrix,
    known_size,
    lapack_kernel,
    linalg_solve,
    square_rule,
)
from .shape import expand_dims
from .triangular import tril


def _maybe_taller(a, than: int, axis: int) -> bool:
    """Whether dim ``axis`` of ``a`` may exceed dim ``than`` (True when either is unknown)."""
    shape = shape_of(a)
    return shape[axis] is None or shape[than] is None or shape[axis] > shape[than]


def _reciprocal_gaps(values):
    """``F[..., i, j] = 1 / (values[j] - values[i])`` off the diagonal, 0 on it."""
    gaps = sub(expand_dims(values, axis=-2), expand_dims(values, axis=-1))
    n = len(shape_of(gaps))
    diagonal = diagonal_mask(gaps, groups=((n - 2, n - 1),))
    return where(diagonal, 0.0, div(1.0, where(diagonal, 1.0, gaps)))


def _scale_columns(a, v):
    """``a @ diag(v)``: column j of ``a`` times ``v[j]``."""
    return mul(a, expand_dims(v, axis=-2))


def _scale_rows(v, a):
    """``diag(v) @ a``: row i of ``a`` times ``v[i]``."""
    return mul(expand_dims(v, axis=-1), a)


# --- symmetric eigendecomposition: two primitives ----------------------------------------------
def _eigvalsh(a):
    return np.linalg.eigvalsh(a, UPLO="L")


def _eigvalsh_rule(a: Aval) -> Aval:
    check_matrix("linalg_eigvalsh", a, square=True)
    return Aval(a.shape[:-1], a.dtype)


def _eigvalsh_vjp(g, inputs, out):
    (a,) = inputs
    vectors = linalg_eigh_vectors(a)
    return (matmul(_scale_columns(vectors, g), matrix_transpose(vectors)),)


linalg_eigvalsh = primitive("linalg_eigvalsh", lapack_kernel("linalg_eigvalsh", _eigvalsh),
                            _eigvalsh_rule, _eigvalsh_vjp, fresh=True,
                            torch_name="LinalgEighBackward0",
                            doc="The eigenvalues, ascending, of each symmetric matrix (lower "
                                "triangle read).")


def _eigh_vectors(a):
    return np.linalg.eigh(a, UPLO="L")[1]


def _eigh_vectors_vjp(g, inputs, out):
    # PyTorch's rule: the skew-symmetric part of V^T gV over the eigenvalue gaps, back in A's
    # basis. It is symmetric, and infinite where two eigenvalues coincide (as PyTorch's).
    (a,) = inputs
    vectors = out
    m = matmul(matrix_transpose(vectors), g)
    skew = mul(sub(m, matrix_transpose(m)), 0.5)
    inner = mul(skew, _reciprocal_gaps(linalg_eigvalsh(a)))
    return (matmul(matmul(vectors, inner), matrix_transpose(vectors)),)


linalg_eigh_vectors = primitive("linalg_eigh_vectors",
                                lapack_kernel("linalg_eigh_vectors", _eigh_vectors),
                                square_rule("linalg_eigh_vectors"), _eigh_vectors_vjp,
                                fresh=True, torch_name="LinalgEighBackward0",
                                doc="The orthonormal eigenvectors (columns) of each symmetric "
                                    "matrix, in the order of linalg_eigvalsh.")


# --- SVD: three primitives ---------------------------------------------------------------------
def _svdvals(a):
    return np.linalg.svd(a, compute_uv=False)


def _svd_rule(part: str):
    def rule(a: Aval, full_matrices: bool = False) -> Aval:
        check_matrix(f"linalg_svd_{part}", a, square=False)
        m, n = a.shape[-2:]
        k = None if m is None or n is None else min(m, n)
        batch = a.shape[:-2]
        if part == "vals":
            return Aval(batch + (k,), a.dtype)
        if part == "u":
            return Aval(batch + (m, m if full_matrices else k), a.dtype)
        return Aval(batch + (n if full_matrices else k, n), a.dtype)

    return rule


def _svdvals_vjp(g, inputs, out):
    (a,) = inputs
    return (matmul(_scale_columns(linalg_svd_u(a), g), linalg_svd_vh(a)),)


linalg_svdvals = primitive("linalg_svdvals",
                           lapack_kernel("linalg_svdvals", _svdvals, square=False),
                           _svd_rule("vals"), _svdvals_vjp, fresh=True,
                           torch_name="LinalgSvdBackward0",
                           doc="The singular values, descending, of each matrix.")


def _reduced_only(name: str, a, full_matrices: bool) -> None:
    if not full_matrices:
        return
    m, n = known_size(name, a, -2), known_size(name, a, -1)
    if m != n:
        raise GradientError(name, "the singular vectors of full_matrices=True are not unique "
                            f"for a {m} by {n} matrix, so they have no gradient; use "
                            "full_matrices=False")


def _svd_u(a, full_matrices: bool = False):
    return np.linalg.svd(a, full_matrices=full_matrices)[0]


def _svd_u_vjp(g, inputs, out, full_matrices: bool = False):
    # The U share of the SVD's rule: U [(F o (U^T gU - gU^T U)) S] V^T + (I - U U^T) gU S^-1 V^T,
    # F[i, j] = 1 / (s_j^2 - s_i^2) off the diagonal.
    (a,) = inputs
    _reduced_only("linalg_svd_u", a, full_matrices)
    s, u, vh = linalg_svdvals(a), out, linalg_svd_vh(a)
    utg = matmul(matrix_transpose(u), g)
    j = mul(sub(utg, matrix_transpose(utg)), _reciprocal_gaps(mul(s, s)))
    grad = matmul(matmul(u, _scale_columns(j, s)), vh)
    if _maybe_taller(a, -1, axis=-2):  # U is not square: the part outside its column space
        outside = sub(g, matmul(u, utg))
        grad = add(grad, matmul(_scale_columns(outside, div(1.0, s)), vh))
    return (grad,)


linalg_svd_u = primitive("linalg_svd_u", lapack_kernel("linalg_svd_u", _svd_u, square=False),
                         _svd_rule("u"), _svd_u_vjp, fresh=True, torch_name="LinalgSvdBackward0",
                         doc="U of A = U diag(S) Vh (columns: left singular vectors).")


def _svd_vh(a, full_matrices: bool = False):
    return np.linalg.svd(a, full_matrices=full_matrices)[2]


def _svd_vh_vjp(g, inputs, out, full_matrices: bool = False):
    # The Vh share: U [S (F o (V^T gV - gV^T V))] V^T + U S^-1 gV^T (I - V V^T), gV = g^T.
    (a,) = inputs
    _reduced_only("linalg_svd_vh", a, full_matrices)
    s, u, vh = linalg_svdvals(a), linalg_svd_u(a), out
    vtgv = matmul(vh, matrix_transpose(g))  # V^T gV
    k = mul(sub(vtgv, matrix_transpose(vtgv)), _reciprocal_gaps(mul(s, s)))
    grad = matmul(matmul(u, _scale_rows(s, k)), vh)
    if _maybe_taller(a, -2, axis=-1):  # Vh is not square: the part outside its row space
        outside = sub(g, matmul(matrix_transpose(vtgv), vh))  # gV^T (I - V V^T)
        grad = add(grad, matmul(_scale_columns(u, div(1.0, s)), outside))
    return (grad,)


linalg_svd_vh = primitive("linalg_svd_vh", lapack_kernel("linalg_svd_vh", _svd_vh, square=False),
                          _svd_rule("vh"), _svd_vh_vjp, fresh=True, torch_name="LinalgSvdBackward0",
                          doc="Vh of A = U diag(S) Vh (rows: right singular vectors).")


# --- QR: two primitives ------------------------------------------------------------------------
_QR_MODES = ("reduced", "complete", "r")


def _check_qr_mode(name: str, mode: str) -> None:
    if mode not in _QR_MODES:
        raise OpValueError(name, f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")


def _qr_rule(part: str):
    def rule(a: Aval, mode: str = "reduced") -> Aval:
        name = f"linalg_qr_{part}"
        check_matrix(name, a, square=False)
        _check_qr_mode(name, mode)
        m, n = a.shape[-2:]
        k = None if m is None or n is None else min(m, n)
        batch = a.shape[:-2]
        if part == "q":
            return Aval(batch + (m, m if mode == "complete" else k), a.dtype)
        return Aval(batch + (m if mode == "complete" else k, n), a.dtype)

    return rule


def _qr_q(a, mode: str = "reduced"):
    _check_qr_mode("linalg_qr_q", mode)
    return np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")[0]


def _qr_r(a, mode: str = "reduced"):
    _check_qr_mode("linalg_qr_r", mode)
    return np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")[1]


def _copy_lower_to_upper(m):
    """The symmetric matrix with ``m``'s lower triangle (diagonal included)."""
    return add(tril(m), matrix_transpose(tril(m, diagonal=-1)))


def _qr_grad(name: str, a, q, r, m, gq=None):
    # For m >= n: gA = (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q; one share per cotangent.
    rows, cols = known_size(name, a, -2), known_size(name, a, -1)
    if rows < cols:
        raise GradientError(name, f"the QR gradient is provided for tall or square matrices "
                            f"only (this one is {rows} by {cols})")
    b = matmul(q, _copy_lower_to_upper(m))
    if gq is not None:
        b = add(gq, b)
    return matrix_transpose(linalg_solve(r, matrix_transpose(b)))  # b R^-T


def _qr_q_vjp(g, inputs, out, mode: str = "reduced"):
    (a,) = inputs
    r = linalg_qr_r(a, mode=mode)
    return (_qr_grad("linalg_qr_q", a, out, r, neg(matmul(matrix_transpose(g), out)), gq=g),)


def _qr_r_vjp(g, inputs, out, mode: str = "reduced"):
    (a,) = inputs
    q = linalg_qr_q(a, mode=mode)
    return (_qr_grad("linalg_qr_r", a, q, out, matmul(out, matrix_transpose(g))),)


linalg_qr_q = primitive("linalg_qr_q", lapack_kernel("linalg_qr_q", _qr_q, square=False),
                        _qr_rule("q"), _qr_q_vjp, fresh=True, torch_name="LinalgQrBackward0",
                        doc="Q of A = Q R (orthonormal columns).")
linalg_qr_r = primitive("linalg_qr_r", lapack_kernel("linalg_qr_r", _qr_r, square=False),
                        _qr_rule("r"), _qr_r_vjp, fresh=True, torch_name="LinalgQrBackward0",
                        doc="R of A = Q R (upper triangular).")

__all__ = ["linalg_eigvalsh", "linalg_eigh_vectors", "linalg_svdvals", "linalg_svd_u",
           "linalg_svd_vh", "linalg_qr_q", "linalg_qr_r"]
