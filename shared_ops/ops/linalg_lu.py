"""The matrix exponential and the LU factorization with partial pivoting (primitives over
NumPy, batched over the leading dims), for ``torch.linalg.matrix_exp``, ``lu_factor``, ``lu``,
``lu_solve`` and ``torch.lu_unpack``.

The LU factorization has three outputs (the packed factors, LAPACK's 1-based row pivots, the
``info`` of each matrix), one primitive each as for the other factorizations
(`linalg_orthogonal`): only the packed factors are differentiable. The kernel is the textbook
right-looking elimination that LAPACK's ``getrf`` performs (same pivot choice: the first entry
of largest magnitude), so pivots agree with PyTorch's; a zero pivot is left in place and
reported in ``info``, not raised.

    >>> import numpy as np
    >>> linalg_lu_pivots(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([2, 2], dtype=int32)
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..registry import primitive
from ._rules import shape_of
from .elementwise import add, neg, sub, unbroadcast
from .fill import zeros_like
from .linalg import matmul, matrix_transpose
from .linalg_decompositions import check_matrix, inv_vjp, known_size, solve_rule, square_rule
from .linalg_functions import linalg_solve_triangular
from .selection import narrow
from .shape_join import concat
from .triangular import tril, triu

# Padé (13, 13) coefficients and the 1-norm bound below which it is accurate to double
# precision (Higham, "The scaling and squaring method for the matrix exponential revisited").
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


# --- matrix exponential: primitive -------------------------------------------------------------
def _expm(a):
    """exp(A) by scaling and squaring with a Padé (13, 13) approximant, in float64."""
    x = np.asarray(a, dtype=np.float64)
    if x.size == 0:
        return np.array(a, copy=True)
    norm = np.abs(x).sum(axis=-2).max(axis=-1)  # the 1-norm of each matrix
    with np.errstate(divide="ignore"):
        s = np.maximum(0, np.ceil(np.log2(norm / _THETA13))).astype(np.int64)
    x = x / np.exp2(s)[..., None, None]
    eye = np.broadcast_to(np.eye(x.shape[-1]), x.shape)
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    b = _PADE13
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2) + b[7] * x6 + b[5] * x4 + b[3] * x2
             + b[1] * eye)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 \
        + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for k in range(int(s.max(initial=0))):  # square each matrix its own number of times
        r = np.where((k < s)[..., None, None], r @ r, r)
    return r.astype(a.dtype)


def _matrix_exp_kernel(a):
    check_matrix("linalg_matrix_exp", Aval(a.shape, a.dtype), square=True)
    return _expm(a)


def _matrix_exp_vjp(g, inputs, out):
    # The adjoint of the Fréchet derivative L(A, .) is L(A^T, .), and L(A^T, G) is the upper
    # right block of exp([[A^T, G], [0, A^T]]) (Mathias's block identity): the rule is the op
    # itself, so it differentiates again.
    (a,) = inputs
    n = known_size("linalg_matrix_exp", a, -1)
    at = matrix_transpose(a)
    block = concat([concat([at, g], axis=-1), concat([zeros_like(at), at], axis=-1)], axis=-2)
    return (narrow(narrow(linalg_matrix_exp(block), -2, 0, n), -1, n, n),)


linalg_matrix_exp = primitive(
    "linalg_matrix_exp", _matrix_exp_kernel, square_rule("linalg_matrix_exp"), _matrix_exp_vjp,
    floating=True, fresh=True, torch_name="LinalgMatrixExpBackward0",
    doc="exp(A) of each square matrix (torch.linalg.matrix_exp).")


# --- LU with partial pivoting: three primitives ------------------------------------------------
def _getrf(a):
    """``(lu, pivots, info)`` of each matrix: P^T A = L U, L unit lower (below the diagonal of
    ``lu``), U upper; pivots 1-based; info the 1-based index of the first zero pivot, or 0."""
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    count = int(np.prod(batch, dtype=np.int64))
    lu = np.array(a, dtype=a.dtype, copy=True).reshape((count, m, n))
    pivots = np.zeros((count, k), dtype=np.int32)
    info = np.zeros(count, dtype=np.int32)
    rows = np.arange(count)
    for j in range(k):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
        pivots[:, j] = p + 1
        top = lu[rows, j].copy()
        lu[rows, j] = lu[rows, p]
        lu[rows, p] = top
        pivot = lu[:, j, j]
        zero = pivot == 0
        info = np.where(zero & (info == 0), j + 1, info).astype(np.int32)
        # LAPACK leaves the column below a zero pivot as it is and goes on.
        lu[:, j + 1:, j] /= np.where(zero, 1, pivot)[:, None]
        lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j:j + 1] * lu[:, j:j + 1, j + 1:]
    return lu.reshape(a.shape), pivots.reshape(batch + (k,)), info.reshape(batch)


def _lu_kernel(part: int):
    def kernel(a):
        check_matrix("linalg_lu_factor", Aval(a.shape, a.dtype), square=False)
        return _getrf(a)[part]

    return kernel


def _lu_rule(a: Aval) -> Aval:
    check_matrix("linalg_lu_factor", a, square=False)
    return a


def _pivots_rule(a: Aval) -> Aval:
    check_matrix("linalg_lu_factor", a, square=False)
    m, n = a.shape[-2:]
    k = None if m is None or n is None else min(m, n)
    return Aval(a.shape[:-2] + (k,), np.dtype(np.int32))


def _info_rule(a: Aval) -> Aval:
    check_matrix("linalg_lu_factor", a, square=False)
    return Aval(a.shape[:-2], np.dtype(np.int32))


def _lu_vjp(g, inputs, out):
    # A = P L U, with gL, gU the strictly lower and upper parts of the packed cotangent (the
    # rule PyTorch's linalg_lu_backward implements). Square A:
    #   gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T.
    # Wide A (m < n, U = [U1 U2]): the square rule on A1 = P L U1 with tril(gU2 U2^T, -1)
    # taken from its middle term, and gA2 = P L^-T gU2. Tall A (m > n, L = [L1; L2]): the
    # square rule on A1 = P L1 U with triu(L2^T gL2) taken from its middle term, and
    # gA2 = P gL2 U^-T (each from d(P^T A) = dL U + L dU, split into the square block and
    # the rest).
    (a,) = inputs
    m, n = shape_of(a)[-2:]
    if m is None or n is None:  # a size unknown until run time: taken as square
        m = n = 0
    k = min(m, n)
    square_out = out if m == n else narrow(narrow(out, -2, 0, k), -1, 0, k)
    square_g = g if m == n else narrow(narrow(g, -2, 0, k), -1, 0, k)
    strict, upper, g_lower = tril(square_out, diagonal=-1), triu(square_out), \
        tril(square_g, diagonal=-1)
    # L = strict + I, so tril(L^T gL, -1) = tril(strict^T gL, -1) + gL.
    lower_term = add(tril(matmul(matrix_transpose(strict), g_lower), diagonal=-1), g_lower)
    upper_term = matmul(triu(square_g), matrix_transpose(upper))
    if m < n:
        g_rest, rest = narrow(g, -1, k, n - k), narrow(out, -1, k, n - k)
        lower_term = sub(lower_term, tril(matmul(g_rest, matrix_transpose(rest)), diagonal=-1))
    elif m > n:
        g_rest, rest = narrow(g, -2, k, m - k), narrow(out, -2, k, m - k)
        upper_term = sub(upper_term, matmul(matrix_transpose(rest), g_rest))
    phi = add(lower_term, triu(upper_term))
    x = linalg_solve_triangular(matrix_transpose(square_out), phi, upper=True, unitriangular=True)
    y = linalg_solve_triangular(matrix_transpose(upper), x, upper=False, left=False)
    if m < n:  # gA2 = P L^-T gU2
        y = concat([y, linalg_solve_triangular(matrix_transpose(square_out), g_rest, upper=True,
                                               unitriangular=True)], axis=-1)
    elif m > n:  # gA2 = P gL2 U^-T
        y = concat([y, linalg_solve_triangular(matrix_transpose(upper), g_rest, upper=False,
                                               left=False)], axis=-2)
    return (matmul(linalg_lu_permutation(linalg_lu_pivots(a), a), y),)


linalg_lu_factor = primitive(
    "linalg_lu_factor", _lu_kernel(0), _lu_rule, _lu_vjp, fresh=True,
    torch_name="LinalgLuFactorExBackward0",
    doc="The packed LU factors of each matrix (L's unit diagonal implied), partial pivoting.")
linalg_lu_pivots = primitive(
    "linalg_lu_pivots", _lu_kernel(1), _pivots_rule, None, fresh=True,
    differentiable_output=False, doc="The 1-based row pivots (int32) of each LU factorization.")
linalg_lu_info = primitive(
    "linalg_lu_info", _lu_kernel(2), _info_rule, None, fresh=True, differentiable_output=False,
    doc="0, or the 1-based index of the first zero pivot, of each LU factorization (int32).")


# --- solve and inverse that do not raise: primitives -------------------------------------------
def _lu_solve_unchecked(a, b):
    """X with A X = B through `_getrf` and two substitutions, with IEEE arithmetic where a
    pivot is zero (inf and nan, as LAPACK's getrs gives PyTorch's ``*_ex`` functions)."""
    lu, pivots, _ = _getrf(a)
    n = a.shape[-1]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    lu = np.broadcast_to(lu, batch + (n, n))
    x = np.array(np.broadcast_to(b, batch + b.shape[-2:]), dtype=np.result_type(a, b))
    pivots = np.broadcast_to(pivots, batch + (n,)) - 1
    index = np.indices(batch)
    for j in range(n):  # the row swaps, in order
        p = pivots[..., j]
        top = x[..., j, :].copy()
        x[..., j, :] = x[(*index, p)]
        x[(*index, p)] = top
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(n):  # L y = P^T B, L unit lower
            x[..., i, :] -= np.einsum("...k,...kc->...c", lu[..., i, :i], x[..., :i, :])
        for i in reversed(range(n)):  # U x = y
            x[..., i, :] -= np.einsum("...k,...kc->...c", lu[..., i, i + 1:], x[..., i + 1:, :])
            x[..., i, :] /= lu[..., i, i, None]
    return x


def _solve_unchecked(a, b):
    check_matrix("linalg_solve_ex", Aval(a.shape, a.dtype), square=True)
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return _lu_solve_unchecked(a, b)


def _solve_ex_vjp(g, inputs, out):
    a, b = inputs
    gb = linalg_solve_ex(matrix_transpose(a), g)  # A^T gB = g
    return unbroadcast(neg(matmul(gb, matrix_transpose(out))), a), unbroadcast(gb, b)


linalg_solve_ex = primitive(
    "linalg_solve_ex", _solve_unchecked, solve_rule, _solve_ex_vjp, promote=True,
    floating=True, fresh=True, torch_name="LinalgSolveExBackward0",
    doc="X with A X = B, as linalg_solve, without raising: a singular A gives inf and nan.")


def _inv_unchecked(a):
    check_matrix("linalg_inv_ex", Aval(a.shape, a.dtype), square=True)
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return _lu_solve_unchecked(a, np.eye(a.shape[-1], dtype=a.dtype))


linalg_inv_ex = primitive(
    "linalg_inv_ex", _inv_unchecked, square_rule("linalg_inv_ex"), inv_vjp, fresh=True,
    torch_name="LinalgInvExBackward0",
    doc="The inverse, as linalg_inv, without raising: a singular matrix gives inf and nan.")


# --- the permutation of a pivot sequence: primitive ---------------------------------------------
def _permutation(pivots, like):
    """P with A = P L U: row i of L U is row perm[i] of A, perm the swaps applied in order."""
    m = like.shape[-2]
    batch = pivots.shape[:-1]
    count = int(np.prod(batch, dtype=np.int64))
    flat = pivots.reshape((count, pivots.shape[-1])).astype(np.int64) - 1
    perm = np.broadcast_to(np.arange(m), (flat.shape[0], m)).copy()
    rows = np.arange(flat.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        top = perm[rows, j].copy()
        perm[rows, j] = perm[rows, p]
        perm[rows, p] = top
    eye = np.eye(m, dtype=like.dtype)
    # P[perm[i], i] = 1: column i of P is unit vector perm[i].
    return np.swapaxes(eye[perm], -1, -2).reshape(batch + (m, m))


def _permutation_rule(pivots: Aval, like: Aval) -> Aval:
    m = like.shape[-2]
    return Aval(pivots.shape[:-1] + (m, m), like.dtype)


linalg_lu_permutation = primitive(
    "linalg_lu_permutation", _permutation, _permutation_rule, None, fresh=True,
    nondiff_inputs=(0, 1), differentiable_output=False,
    doc="The permutation matrix P (A = P L U) of LU pivots, in the dtype and row count of "
        "its second input.")


__all__ = ["linalg_matrix_exp", "linalg_lu_factor", "linalg_lu_pivots", "linalg_lu_info",
           "linalg_lu_permutation", "linalg_solve_ex", "linalg_inv_ex"]
