"""Test cases of the matrix exponential, the LU factorization and the solves from a factor
(``linalg_lu``, ``linalg_solvers``), walked by ``test_registry_walk.py``.

LU's gradient is checked on square matrices whose pivots do not change under the finite
difference step (a matrix far from a tie in each column); its pivots, info and permutation
have no gradient. ``cholesky_solve``'s gradient treats every entry of the factor as free, as
PyTorch's does, while its forward pass reads one triangle: a finite difference of an entry of
the other triangle does not measure that, so its cases check forward values here and the
gradients in ``tests/eager/linalg/test_linalg_lu_solvers.py``.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase, case_collector

rng = np.random.default_rng(2025)
CASES: list[OpCase] = []
case = case_collector(CASES)


def la(name):
    """torch_fn calling ``torch.linalg.<name>`` on the inputs."""
    return lambda torch, *args, **kw: getattr(torch.linalg, name)(*args, **kw)


def lu_ref(a):
    """The packed LU factors by a plain per-matrix loop (a reference independent of the
    kernel's batching)."""
    out = np.array(a, copy=True).reshape((-1,) + a.shape[-2:])
    for lu in out:
        m, n = lu.shape
        for j in range(min(m, n)):
            p = j + int(np.argmax(np.abs(lu[j:, j])))
            lu[[j, p]] = lu[[p, j]]
            if lu[j, j] != 0:
                lu[j + 1:, j] /= lu[j, j]
            lu[j + 1:, j + 1:] -= np.outer(lu[j + 1:, j], lu[j, j + 1:])
    return out.reshape(a.shape)


def expm_ref(a):
    """exp(A) by its Taylor series after scaling by 2^-6 (the test matrices are small)."""
    x = a / 64.0
    term, total = np.broadcast_to(np.eye(a.shape[-1]), a.shape).copy(), 0.0
    for k in range(1, 30):
        total = total + term
        term = term @ x / k
    result = total
    for _ in range(6):
        result = result @ result
    return result


def perm_ref(pivots, m):
    """P (A = P L U) of one pivot row: the swaps applied to the rows of the identity give
    P^T."""
    pt = np.eye(m)
    for j, p in enumerate(pivots):
        pt[[j, p - 1]] = pt[[p - 1, j]]
    return pt.T


def lu_mat(*shape):
    """Matrices with a clear largest entry in each pivot column."""
    return rng.standard_normal(shape) + 4 * np.eye(*shape[-2:])[::-1]


case("linalg_matrix_exp", rng.standard_normal((3, 3)), ref=expm_ref, torch_fn=la("matrix_exp"))
case("linalg_matrix_exp", 3 * rng.standard_normal((2, 4, 4)), ref=expm_ref,
     torch_fn=la("matrix_exp"), id="batch-scaled")
case("linalg_lu_factor", lu_mat(3, 3), ref=lu_ref,
     torch_fn=lambda torch, a: torch.linalg.lu_factor(a)[0])
case("linalg_lu_factor", lu_mat(2, 4, 4), ref=lu_ref,
     torch_fn=lambda torch, a: torch.linalg.lu_factor(a)[0], id="batch")
case("linalg_lu_factor", rng.standard_normal((3, 5)), ref=lu_ref, grad=False,
     torch_fn=lambda torch, a: torch.linalg.lu_factor(a)[0], id="wide")
case("linalg_lu_factor", rng.standard_normal((5, 2)), ref=lu_ref, grad=False,
     torch_fn=lambda torch, a: torch.linalg.lu_factor(a)[0], id="tall")
case("linalg_lu_pivots", rng.standard_normal((2, 4, 3)), grad=False,
     torch_fn=lambda torch, a: torch.linalg.lu_factor(a)[1])
case("linalg_lu_info", np.array([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 1.0]]]),
     grad=False, ref=lambda a: np.array([2, 0], dtype=np.int32),
     torch_fn=lambda torch, a: torch.linalg.lu_factor_ex(a)[2])
case("linalg_lu_permutation", np.array([[3, 2, 3], [1, 3, 3]], dtype=np.int32),
     np.zeros((2, 3, 3)), grad=False,
     ref=lambda p, like: np.stack([perm_ref(row, 3) for row in p]),
     torch_fn=lambda torch, p, like: torch.lu_unpack(like, p)[0])


def lu_product(lu, pivots):
    """A = P L U of one matrix's packed factors."""
    n = lu.shape[-1]
    return perm_ref(pivots, n) @ (np.tril(lu, -1) + np.eye(n)) @ np.triu(lu)


def chol_ref(b, factor, upper=False):
    lower = np.swapaxes(np.triu(factor), -1, -2) if upper else np.tril(factor)
    return np.linalg.solve(lower @ np.swapaxes(lower, -1, -2), b)


lower_factor = np.tril(rng.standard_normal((3, 3))) + 3 * np.eye(3)
case("cholesky_solve", rng.standard_normal((3, 2)), lower_factor, ref=chol_ref, grad=False,
     torch_fn=lambda torch, b, f: torch.cholesky_solve(b, f))
case("cholesky_solve", rng.standard_normal((2, 3, 1)), lower_factor.T.copy(), upper=True,
     grad=False,
     ref=chol_ref, torch_fn=lambda torch, b, f, upper: torch.cholesky_solve(b, f, upper=upper),
     id="upper-batch")
case("cholesky_inverse", lower_factor, ref=lambda f: np.linalg.inv(f @ f.T), grad=False,
     torch_fn=lambda torch, f: torch.cholesky_inverse(f))
case("linalg_lu_solve", lu_mat(3, 3), np.array([3, 2, 3], dtype=np.int32),
     rng.standard_normal((3, 2)),
     ref=lambda lu, p, b: np.linalg.solve(lu_product(lu, p), b),
     torch_fn=lambda torch, lu, p, b: torch.linalg.lu_solve(lu, p, b))
case("linalg_lu_solve", lu_mat(2, 3, 3), np.array([[1, 2, 3], [2, 3, 3]], dtype=np.int32),
     rng.standard_normal((3, 3)), adjoint=True, left=False,
     torch_fn=lambda torch, lu, p, b, **kw: torch.linalg.lu_solve(lu, p, b, **kw),
     id="right-adjoint-batch")


def householder_ref(a, tau):
    """Q = H_1 ... H_k applied to the first n columns of the identity, one matrix."""
    m, n = a.shape
    q = np.eye(m)
    for i in range(tau.shape[-1]):
        v = np.concatenate([np.zeros(i), [1.0], a[i + 1:, i]])
        q = q @ (np.eye(m) - tau[i] * np.outer(v, v))
    return q[:, :n]


# Batched: the walk's unknown dim is then a batch dim (the composite needs m and n known).
case("linalg_householder_product", rng.standard_normal((1, 5, 3)), rng.standard_normal((1, 2)),
     ref=lambda a, tau: householder_ref(a[0], tau[0])[None],
     torch_fn=la("householder_product"))
case("linalg_householder_product", rng.standard_normal((2, 4, 4)), rng.standard_normal((2, 4)),
     torch_fn=la("householder_product"), id="batch")

# Cholesky with info: forward values only here (its gradient is linalg_cholesky's rule, checked
# through a symmetric parametrization in tests/eager/linalg/test_linalg_lu_solvers.py).
not_pd = np.array([[[4.0, 2.0, 1.0], [2.0, 1.0, 0.0], [1.0, 0.0, 5.0]], 4 * np.eye(3)])
case("linalg_cholesky_ex", not_pd, grad=False,
     ref=lambda a: np.stack([[[2.0, 0, 0], [1, 0, 0], [0.5, 0, 5]], 2 * np.eye(3)]),
     torch_fn=lambda torch, a: torch.linalg.cholesky_ex(a).L)
case("linalg_cholesky_info", not_pd, grad=False, ref=lambda a: np.array([2, 0], np.int32),
     torch_fn=lambda torch, a: torch.linalg.cholesky_ex(a).info)

# The solve and inverse that do not raise: LAPACK's inf and nan where a pivot is zero.
singular = np.array([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])
case("linalg_inv_ex", lu_mat(2, 3, 3), ref=np.linalg.inv,
     torch_fn=lambda torch, a: torch.linalg.inv_ex(a).inverse)
case("linalg_inv_ex", singular, grad=False, id="singular",
     torch_fn=lambda torch, a: torch.linalg.inv_ex(a).inverse)
case("linalg_solve_ex", lu_mat(2, 3, 3), rng.standard_normal((3, 2)), ref=np.linalg.solve,
     torch_fn=lambda torch, a, b: torch.linalg.solve_ex(a, b).result)
case("linalg_solve_ex", singular, np.ones((2, 1)), grad=False, id="singular",
     torch_fn=lambda torch, a, b: torch.linalg.solve_ex(a, b).result)
