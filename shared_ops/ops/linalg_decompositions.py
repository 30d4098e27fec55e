"""Matrix functions and decompositions of ``torch.linalg``: inverse, determinant, solve,
Cholesky, symmetric eigendecomposition, SVD and QR (primitives over NumPy's LAPACK calls).

Every op acts on the last two dims; leading dims are a batch. Each gradient rule is written
with shared ops, so it differentiates again and stages into static graphs like any other.

A decomposition with several outputs is one primitive per output (``linalg_eigvalsh`` and
``linalg_eigh_vectors``; ``linalg_svd_u``, ``linalg_svdvals`` and ``linalg_svd_vh``;
``linalg_qr_q`` and ``linalg_qr_r``), because an op has one output here. The reverse-mode
rule of a decomposition is linear in the cotangents of its outputs, so each primitive's rule
is that output's share of the whole and the shares add up to PyTorch's gradient. The price:
asking for every output runs the LAPACK routine once per output.

The gradients of Cholesky and ``eigh`` follow PyTorch's convention for inputs that are
symmetric by contract: the routine reads one triangle, and the gradient is the symmetric
matrix that a symmetric perturbation sees (so a finite difference of one off-diagonal entry
alone is not what it measures; tests perturb ``X`` in ``A = f(X)`` symmetric).

    >>> import numpy as np
    >>> linalg_inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import GradientError, LinAlgError, OpValueError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import require_float, shape_of
from .contraction import diagonal_mask
from .elementwise import add, div, mul, neg, sub, unbroadcast
from .elementwise_logic import where
from .linalg import matmul
from .shape import expand_dims, transpose
from .triangular import tril

_EXACT = {"linalg_inv": "the input matrix is singular",
          "linalg_solve": "the input matrix A is singular",
          "linalg_cholesky": "the input is not positive-definite"}


# --- helpers ---------------------------------------------------------------------------------
def _matrix(name: str, a: Aval, *, square: bool) -> None:
    """Check that ``a`` is a float batch of matrices (square ones where ``square``)."""
    require_float(name, a)
    if a.ndim < 2:
        raise ShapeError(name, f"A must have at least 2 dimensions, got shape "
                         f"{describe_shapes(a.shape)}", shapes=[a.shape])
    m, n = a.shape[-2:]
    if square and m is not None and n is not None and m != n:
        raise ShapeError(name, f"A must be batches of square matrices, but they are {m} by {n} "
                         "matrices", shapes=[a.shape])


def _lapack(name: str, compute, *, square: bool = True):
    """``compute`` as a kernel that checks its input as the shape rule does (eager runs kernels
    without the rules) and turns NumPy's LinAlgError into ours, naming the op."""

    def kernel(a, *rest, **attrs):
        _matrix(name, Aval(a.shape, a.dtype), square=square)
        try:
            return compute(a, *rest, **attrs)
        except np.linalg.LinAlgError as e:
            what = _EXACT.get(name, str(e))
            raise LinAlgError(name, f"the {a.shape[-2]} by {a.shape[-1]} matrix could not be "
                              f"decomposed: {what} ({e})", shapes=[a.shape],
                              dtypes=[a.dtype]) from None

    kernel.__name__ = f"{name}_kernel"
    return kernel


def _mT(a):
    """Swap the last two dims."""
    n = len(shape_of(a))
    return transpose(a, axes=tuple(range(n - 2)) + (n - 1, n - 2))


def _size(name: str, a, axis: int) -> int:
    size = shape_of(a)[axis]
    if size is None:
        raise GradientError(name, "the gradient needs the matrix dims known; this one is "
                            "unknown until run time")
    return size


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


def _det_cotangent(g):
    """A cotangent of a batch of scalars, shaped to scale a batch of matrices."""
    return expand_dims(g, axis=(-2, -1))


def _square_rule(name: str):
    def rule(a: Aval, **_) -> Aval:
        _matrix(name, a, square=True)
        return a

    return rule


def _batch_scalar_rule(name: str):
    def rule(a: Aval) -> Aval:
        _matrix(name, a, square=True)
        return Aval(a.shape[:-2], a.dtype)

    return rule


# --- inverse: primitive ------------------------------------------------------------------------
def _inv_vjp(g, inputs, out):
    # d(A^-1) = -A^-1 dA A^-1, so the cotangent is -A^-T g A^-T.
    t = _mT(out)
    return (neg(matmul(matmul(t, g), t)),)


linalg_inv = primitive("linalg_inv", _lapack("linalg_inv", np.linalg.inv),
                       _square_rule("linalg_inv"), _inv_vjp, fresh=True,
                       torch_name="LinalgInvExBackward0",
                       doc="The inverse of each square matrix (torch.linalg.inv).")


# --- determinant and log|det|: primitives ------------------------------------------------------
def _det(a):
    return np.asarray(np.linalg.det(a), dtype=a.dtype)


def _det_vjp(g, inputs, out):
    # d det(A) = det(A) tr(A^-1 dA): the cotangent is g det(A) A^-T (A must be invertible).
    (a,) = inputs
    return (mul(_det_cotangent(mul(g, out)), _mT(linalg_inv(a))),)


linalg_det = primitive("linalg_det", _lapack("linalg_det", _det),
                       _batch_scalar_rule("linalg_det"), _det_vjp, fresh=True,
                       torch_name="LinalgDetBackward0",
                       doc="The determinant of each square matrix (torch.linalg.det).")


def _logabsdet(a):
    return np.asarray(np.linalg.slogdet(a)[1], dtype=a.dtype)


def _logabsdet_vjp(g, inputs, out):
    (a,) = inputs
    return (mul(_det_cotangent(g), _mT(linalg_inv(a))),)


linalg_logabsdet = primitive(
    "linalg_logabsdet", _lapack("linalg_logabsdet", _logabsdet),
    _batch_scalar_rule("linalg_logabsdet"), _logabsdet_vjp, fresh=True,
    torch_name="LinalgSlogdetBackward0",
    doc="log |det A| of each square matrix (slogdet's second output).")


def _det_sign(a):
    return np.asarray(np.linalg.slogdet(a)[0], dtype=a.dtype)


linalg_det_sign = primitive("linalg_det_sign", _lapack("linalg_det_sign", _det_sign),
                            _batch_scalar_rule("linalg_det_sign"), None, fresh=True,
                            differentiable_output=False,
                            doc="The sign of det A: -1, 0 or 1 (slogdet's first output).")


# --- solve: primitive --------------------------------------------------------------------------
def _solve_rule(a: Aval, b: Aval) -> Aval:
    _matrix("linalg_solve", a, square=True)
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
    gb = linalg_solve(_mT(a), g)  # A^T gB = g
    ga = neg(matmul(gb, _mT(out)))  # -gB X^T
    return unbroadcast(ga, a), unbroadcast(gb, b)


linalg_solve = primitive("linalg_solve", _lapack("linalg_solve", np.linalg.solve), _solve_rule,
                         _solve_vjp, promote=True, floating=True, fresh=True,
                         torch_name="LinalgSolveExBackward0",
                         doc="X with A X = B, for a batch of square A and matrices B.")


# --- Cholesky: primitive -----------------------------------------------------------------------
def _cholesky_vjp(g, inputs, out):
    # PyTorch's rule: with P the lower triangle of L^T gL, off-diagonal halves mirrored into a
    # symmetric M, gA = L^-T M L^-1 (two solves against L^T instead of inverting L).
    lower = out
    p = tril(matmul(_mT(lower), g))
    sym = mul(add(p, _mT(tril(p, diagonal=-1))), 0.5)
    y = _mT(linalg_solve(_mT(lower), _mT(sym)))  # M L^-1
    return (linalg_solve(_mT(lower), y),)


linalg_cholesky = primitive(
    "linalg_cholesky", _lapack("linalg_cholesky", np.linalg.cholesky),
    _square_rule("linalg_cholesky"), _cholesky_vjp, fresh=True,
    torch_name="LinalgCholeskyExBackward0",
    doc="The lower Cholesky factor L (A = L L^T) of each symmetric positive-definite matrix; "
        "only the lower triangle of A is read.")


# --- symmetric eigendecomposition: two primitives ----------------------------------------------
def _eigvalsh(a):
    return np.linalg.eigvalsh(a, UPLO="L")


def _eigvalsh_rule(a: Aval) -> Aval:
    _matrix("linalg_eigvalsh", a, square=True)
    return Aval(a.shape[:-1], a.dtype)


def _eigvalsh_vjp(g, inputs, out):
    (a,) = inputs
    vectors = linalg_eigh_vectors(a)
    return (matmul(_scale_columns(vectors, g), _mT(vectors)),)


linalg_eigvalsh = primitive("linalg_eigvalsh", _lapack("linalg_eigvalsh", _eigvalsh),
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
    m = matmul(_mT(vectors), g)
    skew = mul(sub(m, _mT(m)), 0.5)
    inner = mul(skew, _reciprocal_gaps(linalg_eigvalsh(a)))
    return (matmul(matmul(vectors, inner), _mT(vectors)),)


linalg_eigh_vectors = primitive("linalg_eigh_vectors",
                                _lapack("linalg_eigh_vectors", _eigh_vectors),
                                _square_rule("linalg_eigh_vectors"), _eigh_vectors_vjp,
                                fresh=True, torch_name="LinalgEighBackward0",
                                doc="The orthonormal eigenvectors (columns) of each symmetric "
                                    "matrix, in the order of linalg_eigvalsh.")


# --- SVD: three primitives ---------------------------------------------------------------------
def _svdvals(a):
    return np.linalg.svd(a, compute_uv=False)


def _svd_rule(part: str):
    def rule(a: Aval, full_matrices: bool = False) -> Aval:
        _matrix(f"linalg_svd_{part}", a, square=False)
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


linalg_svdvals = primitive("linalg_svdvals", _lapack("linalg_svdvals", _svdvals, square=False),
                           _svd_rule("vals"), _svdvals_vjp, fresh=True,
                           torch_name="LinalgSvdBackward0",
                           doc="The singular values, descending, of each matrix.")


def _reduced_only(name: str, a, full_matrices: bool) -> None:
    if not full_matrices:
        return
    m, n = _size(name, a, -2), _size(name, a, -1)
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
    utg = matmul(_mT(u), g)
    j = mul(sub(utg, _mT(utg)), _reciprocal_gaps(mul(s, s)))
    grad = matmul(matmul(u, _scale_columns(j, s)), vh)
    if _maybe_taller(a, -1, axis=-2):  # U is not square: the part outside its column space
        outside = sub(g, matmul(u, utg))
        grad = add(grad, matmul(_scale_columns(outside, div(1.0, s)), vh))
    return (grad,)


linalg_svd_u = primitive("linalg_svd_u", _lapack("linalg_svd_u", _svd_u, square=False),
                         _svd_rule("u"), _svd_u_vjp, fresh=True, torch_name="LinalgSvdBackward0",
                         doc="U of A = U diag(S) Vh (columns: left singular vectors).")


def _svd_vh(a, full_matrices: bool = False):
    return np.linalg.svd(a, full_matrices=full_matrices)[2]


def _svd_vh_vjp(g, inputs, out, full_matrices: bool = False):
    # The Vh share: U [S (F o (V^T gV - gV^T V))] V^T + U S^-1 gV^T (I - V V^T), gV = g^T.
    (a,) = inputs
    _reduced_only("linalg_svd_vh", a, full_matrices)
    s, u, vh = linalg_svdvals(a), linalg_svd_u(a), out
    vtgv = matmul(vh, _mT(g))  # V^T gV
    k = mul(sub(vtgv, _mT(vtgv)), _reciprocal_gaps(mul(s, s)))
    grad = matmul(matmul(u, _scale_rows(s, k)), vh)
    if _maybe_taller(a, -2, axis=-1):  # Vh is not square: the part outside its row space
        outside = sub(g, matmul(_mT(vtgv), vh))  # gV^T (I - V V^T)
        grad = add(grad, matmul(_scale_columns(u, div(1.0, s)), outside))
    return (grad,)


linalg_svd_vh = primitive("linalg_svd_vh", _lapack("linalg_svd_vh", _svd_vh, square=False),
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
        _matrix(name, a, square=False)
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
    return add(tril(m), _mT(tril(m, diagonal=-1)))


def _qr_grad(name: str, a, q, r, m, gq=None):
    # For m >= n: gA = (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q; one share per cotangent.
    rows, cols = _size(name, a, -2), _size(name, a, -1)
    if rows < cols:
        raise GradientError(name, f"the QR gradient is provided for tall or square matrices "
                            f"only (this one is {rows} by {cols})")
    b = matmul(q, _copy_lower_to_upper(m))
    if gq is not None:
        b = add(gq, b)
    return _mT(linalg_solve(r, _mT(b)))  # b R^-T


def _qr_q_vjp(g, inputs, out, mode: str = "reduced"):
    (a,) = inputs
    r = linalg_qr_r(a, mode=mode)
    return (_qr_grad("linalg_qr_q", a, out, r, neg(matmul(_mT(g), out)), gq=g),)


def _qr_r_vjp(g, inputs, out, mode: str = "reduced"):
    (a,) = inputs
    q = linalg_qr_q(a, mode=mode)
    return (_qr_grad("linalg_qr_r", a, q, out, matmul(out, _mT(g))),)


linalg_qr_q = primitive("linalg_qr_q", _lapack("linalg_qr_q", _qr_q, square=False),
                        _qr_rule("q"), _qr_q_vjp, fresh=True, torch_name="LinalgQrBackward0",
                        doc="Q of A = Q R (orthonormal columns).")
linalg_qr_r = primitive("linalg_qr_r", _lapack("linalg_qr_r", _qr_r, square=False),
                        _qr_rule("r"), _qr_r_vjp, fresh=True, torch_name="LinalgQrBackward0",
                        doc="R of A = Q R (upper triangular).")

__all__ = ["linalg_inv", "linalg_det", "linalg_logabsdet", "linalg_det_sign", "linalg_solve",
           "linalg_cholesky", "linalg_eigvalsh", "linalg_eigh_vectors", "linalg_svdvals",
           "linalg_svd_u", "linalg_svd_vh", "linalg_qr_q", "linalg_qr_r"]
