"""The LU family, the matrix exponential, the solves from a factor and the composites of
``linalg_api_more`` against torch: values and dtypes, structured results and their printing,
``info`` values, gradients (against torch and, through a parametrization that makes them
well defined, finite differences), errors, and static graphs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from linalg_support import eager_t, torch_t, values

import eager
import static

torch = pytest.importorskip("torch")
rng = np.random.default_rng(11)

A = rng.standard_normal((2, 3, 3)) + 2 * np.eye(3)
B = rng.standard_normal((2, 3, 2))
WIDE = rng.standard_normal((3, 5))
SPD = A @ np.swapaxes(A, -1, -2) + 3 * np.eye(3)
T4 = rng.standard_normal((24, 24)).reshape(4, 6, 8, 3)
SINGULAR = np.array([[[1.0, 2.0], [2.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]])


def lu_of(L, t):
    return L.linalg.lu_factor(t(A))


CALLS = {
    "lu_factor": lambda L, t: tuple(L.linalg.lu_factor(t(A))),
    "lu_factor_ex-singular": lambda L, t: tuple(L.linalg.lu_factor_ex(t(SINGULAR))),
    "lu-wide": lambda L, t: tuple(L.linalg.lu(t(WIDE))),
    "lu-tall": lambda L, t: tuple(L.linalg.lu(t(WIDE.T))),
    "lu_unpack": lambda L, t: tuple(L.lu_unpack(*L.linalg.lu_factor(t(WIDE)))),
    "lu_unpack-pivots-only": lambda L, t: tuple(L.lu_unpack(*lu_of(L, t), unpack_data=False)),
    "lu_solve": lambda L, t: L.linalg.lu_solve(*lu_of(L, t), t(B)),
    "lu_solve-adjoint": lambda L, t: L.linalg.lu_solve(*lu_of(L, t), t(B), adjoint=True),
    "lu_solve-right": lambda L, t: L.linalg.lu_solve(*lu_of(L, t), t(B).mT, left=False),
    "matrix_exp": lambda L, t: L.linalg.matrix_exp(t(4 * A)),
    "torch.matrix_exp": lambda L, t: L.matrix_exp(t(A[0])),
    "solve_ex": lambda L, t: tuple(L.linalg.solve_ex(t(A), t(B))),
    "solve_ex-singular-vector": lambda L, t: tuple(L.linalg.solve_ex(t(SINGULAR),
                                                                     t(np.ones(2)))),
    "solve_ex-singular-right": lambda L, t: tuple(L.linalg.solve_ex(t(SINGULAR),
                                                                    t(np.ones((3, 2))),
                                                                    left=False)),
    "inv_ex-singular": lambda L, t: tuple(L.linalg.inv_ex(t(SINGULAR))),
    "inv_ex-zero": lambda L, t: tuple(L.linalg.inv_ex(t(np.zeros((2, 2))))),
    "inv_ex": lambda L, t: tuple(L.linalg.inv_ex(t(A))),
    "cholesky_solve": lambda L, t: L.cholesky_solve(t(B), L.linalg.cholesky(t(SPD))),
    "cholesky_solve-upper": lambda L, t: t(B).cholesky_solve(
        L.linalg.cholesky(t(SPD), upper=True), upper=True),
    "cholesky_inverse": lambda L, t: L.cholesky_inverse(L.linalg.cholesky(t(SPD[0]))),
    "tensorinv": lambda L, t: L.linalg.tensorinv(t(T4), ind=2),
    "tensorsolve": lambda L, t: L.linalg.tensorsolve(t(T4), t(B[0, :, :2].repeat(2, 0)[:4]
                                                             @ np.ones((2, 6)))),
    "tensorsolve-dims": lambda L, t: L.linalg.tensorsolve(t(T4.reshape(-1)[:36].reshape(6, 2, 3)),
                                                          t(np.ones((2, 3))), dims=(0,)),
    "householder_product": lambda L, t: L.linalg.householder_product(t(WIDE.T), t(B[0, :, 0])),
    "vander-int": lambda L, t: L.linalg.vander(L.tensor([1, 2, 3])),
    "vander-N": lambda L, t: L.linalg.vander(t(B[0]), N=4),
    "lu-legacy": lambda L, t: tuple(L.lu(t(A), get_infos=True)),
    "lu_solve-legacy": lambda L, t: L.lu_solve(t(B), *L.lu(t(A))),
    "triangular_solve": lambda L, t: tuple(L.triangular_solve(t(B), t(A), transpose=True)),
    "triangular_solve-lower-unit": lambda L, t: tuple(
        L.triangular_solve(t(B), t(A), upper=False, unitriangular=True)),
}
for _p in (None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2):
    CALLS[f"cond-{_p}"] = lambda L, t, p=_p: L.linalg.cond(t(A), p)
CALLS["cond-wide"] = lambda L, t: L.linalg.cond(t(WIDE))
CALLS["cond-singular"] = lambda L, t: L.linalg.cond(t(SINGULAR), 1)  # inf, not an error


def quietly(call, L, t):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(L, t)


@pytest.mark.parametrize("name", list(CALLS))
def test_value_and_dtype_match_torch(name):
    ours = values(quietly(CALLS[name], eager, eager_t))
    theirs = values(quietly(CALLS[name], torch, torch_t))
    flat = list(zip(ours, theirs, strict=True)) if isinstance(ours, list) else [(ours, theirs)]
    for (o, od), (t, td) in flat:
        assert od == td and o.shape == t.shape, name
        np.testing.assert_allclose(o, t, rtol=1e-9, atol=1e-10)  # nan and inf where torch's


@pytest.mark.parametrize("call", [
    lambda L, t: L.linalg.lu_factor(t(A[0])), lambda L, t: L.linalg.lu_factor_ex(t(SINGULAR)),
    lambda L, t: L.linalg.lu(t(A[0])), lambda L, t: L.lu_unpack(*L.linalg.lu_factor(t(A[0]))),
    lambda L, t: L.linalg.solve_ex(t(A[0]), t(B[0])),
    lambda L, t: L.linalg.inv_ex(t(A[0])),
    lambda L, t: L.triangular_solve(t(B[0]), t(A[0])),
    lambda L, t: L.lu(t(A[0]), get_infos=True),
], ids=["lu_factor", "lu_factor_ex", "lu", "lu_unpack", "solve_ex", "inv_ex",
        "triangular_solve", "lu-legacy"])
def test_structured_results_print_as_torch(call):
    assert repr(quietly(call, eager, eager_t)) == repr(quietly(call, torch, torch_t))


GRADS = {
    "matrix_exp": lambda L, x: L.linalg.matrix_exp(x),
    "lu": lambda L, x: L.linalg.lu(x)[1] * 2 + L.linalg.lu(x)[2] ** 2,
    "lu_factor": lambda L, x: L.linalg.lu_factor(x)[0] ** 3,
    "lu_solve": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x), x ** 2),
    "lu_solve-adjoint-right": lambda L, x: L.linalg.lu_solve(*L.linalg.lu_factor(x), x.sin(),
                                                             adjoint=True, left=False),
    # A factor with its other triangle nonzero: PyTorch's gradient treats it as free.
    "cholesky_solve": lambda L, x: L.cholesky_solve(x.cos(), x + 3 * L.eye(3, dtype=x.dtype)),
    "cholesky_solve-upper": lambda L, x: L.cholesky_solve(x, x.mT + 3 * L.eye(3, dtype=x.dtype),
                                                          upper=True),
    "cholesky_inverse": lambda L, x: L.cholesky_inverse(x + 3 * L.eye(3, dtype=x.dtype)),
    "tensorinv": lambda L, x: L.linalg.tensorinv(x.reshape(3, 3, 1), ind=1),
    "inv_ex": lambda L, x: L.linalg.inv_ex(x).inverse,
    "solve_ex": lambda L, x: L.linalg.solve_ex(x, x.cos(), left=False).result,
    "householder_product": lambda L, x: L.linalg.householder_product(x, x[0]),
    "cond-2": lambda L, x: L.linalg.cond(x),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_gradient_matches_torch(name):
    x0 = A[0]
    grads = []
    for L, make in ((eager, eager_t), (torch, torch_t)):
        x = make(x0).requires_grad_(True)
        out = GRADS[name](L, x)
        (out * make(np.cos(np.arange(out.numel())).reshape(tuple(out.shape)))).sum().backward()
        grads.append(x.grad.numpy() if L is eager else x.grad.detach().numpy())
    np.testing.assert_allclose(*grads, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", ["cholesky_solve", "lu"])
def test_gradient_matches_finite_differences_through_a_factor(name):
    """Through L = tril(X) + 3 I (the factor one triangle of which is read) and A = X + 3 I."""
    losses = {
        "cholesky_solve": lambda x: eager.cholesky_solve(
            eager_t(B[0]), x.tril() + 3 * eager.eye(3, dtype=eager.float64)).pow(2).sum(),
        "lu": lambda x: sum((p * (k + 1)).sin().sum()
                            for k, p in enumerate(eager.linalg.lu(x + 3 * eager.eye(
                                3, dtype=eager.float64))[1:])),
    }
    loss, x0 = losses[name], rng.standard_normal((3, 3))
    x = eager_t(x0).requires_grad_(True)
    loss(x).backward()
    h, fd = 1e-6, np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        step = np.zeros_like(x0)
        step[idx] = h
        fd[idx] = (loss(eager_t(x0 + step)).item() - loss(eager_t(x0 - step)).item()) / (2 * h)
    np.testing.assert_allclose(x.grad.numpy(), fd, rtol=1e-5, atol=1e-6)


def test_info_values_are_torchs():
    singular = torch_t(SINGULAR)
    ours, theirs = eager.linalg.lu_factor_ex(eager_t(SINGULAR)), torch.linalg.lu_factor_ex(singular)
    assert ours.info.tolist() == theirs.info.tolist() == [2, 0]
    assert quietly(lambda L, t: L.lu(t(SINGULAR), get_infos=True), eager,
                   eager_t)[2].tolist() == [2, 0]


@pytest.mark.parametrize("call", [
    lambda L, t: L.linalg.lu_factor(t(SINGULAR)),
    lambda L, t: L.linalg.lu_factor(t(SINGULAR[0])),
    lambda L, t: L.linalg.lu_factor(t(A), pivot=False),
    lambda L, t: L.linalg.lu(t(A), pivot=False),
    lambda L, t: L.linalg.lu_factor_ex(t(SINGULAR), check_errors=True),
    lambda L, t: L.linalg.cond(t(WIDE), 1),
    lambda L, t: L.linalg.cond(t(A), 3),
    lambda L, t: L.linalg.tensorinv(t(np.ones((2, 3, 6))), ind=1),
    lambda L, t: L.linalg.vander(t(np.ones(1))),
], ids=["singular-batch", "singular", "no-pivot", "lu-no-pivot", "check_errors",
        "cond-wide", "cond-ord", "tensorinv", "vander"])
def test_errors_are_torchs(call):
    messages = []
    for L, t in ((eager, eager_t), (torch, torch_t)):
        with pytest.raises(RuntimeError) as info:
            call(L, t)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_shape_errors_name_the_op():
    with pytest.raises(ValueError, match="linalg_matrix_exp: A must be batches of square"):
        eager.linalg.matrix_exp(eager.ones(2, 3))
    with pytest.raises(ValueError, match="cholesky_solve: Incompatible matrix sizes"):
        eager.cholesky_solve(eager.ones(2, 1), eager.eye(3))


@pytest.mark.parametrize("executor", ["interpret", "compiled"])
def test_static_graph_with_unknown_batch_matches_torch(executor):
    with static.Graph() as g:
        a = static.placeholder((None, 3, 3), name="a", dtype=np.float64)
        b = static.placeholder((None, 3, 2), name="b", dtype=np.float64)
        lu, piv = static.linalg.lu_factor(a)
        x = static.linalg.lu_solve(lu, piv, b)
        e = static.linalg.matrix_exp(a)
        c = static.cholesky_solve(b, static.linalg.cholesky(a @ a.mT))
        loss = (x * x).sum() + e.sum() + c.sum()
        (grad,) = static.gradients(loss, [a])
    got = static.Session(g, executor=executor).run([x, e, c, grad], {a: A, b: B})
    ta = torch_t(A).requires_grad_(True)
    tx = torch.linalg.lu_solve(*torch.linalg.lu_factor(ta), torch_t(B))
    te = torch.linalg.matrix_exp(ta)
    tc = torch.cholesky_solve(torch_t(B), torch.linalg.cholesky(ta @ ta.mT))
    ((tx * tx).sum() + te.sum() + tc.sum()).backward()
    for ours, theirs in zip(got, (tx, te, tc, ta.grad), strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-8, atol=1e-10)


NOT_PD = [np.array([[1.0, 2.0], [2.0, 1.0]]), np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]),
          -np.eye(3), np.array([[4.0, 2.0, 1.0], [2.0, 1.0, 0.0], [1.0, 0.0, 5.0]]), SPD]


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("k", range(len(NOT_PD)))
def test_cholesky_ex_gives_torchs_info_and_partial_factor(k, upper):
    ours = eager.linalg.cholesky_ex(eager_t(NOT_PD[k]), upper=upper)
    theirs = torch.linalg.cholesky_ex(torch_t(NOT_PD[k]), upper=upper)
    assert ours.info.dtype == eager.int32 and ours.info.tolist() == theirs.info.tolist()
    np.testing.assert_allclose(ours.L.numpy(), theirs.L.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("call", [
    lambda L, t: L.linalg.cholesky_ex(t(NOT_PD[0]), check_errors=True),
    lambda L, t: L.linalg.cholesky_ex(t(NOT_PD[1]), check_errors=True),
    lambda L, t: L.linalg.inv_ex(t(SINGULAR), check_errors=True),
    lambda L, t: L.linalg.inv_ex(t(SINGULAR[0]), check_errors=True),
    lambda L, t: L.linalg.solve_ex(t(SINGULAR[::-1].copy()), t(np.ones((2, 2, 1))),
                                   check_errors=True),
], ids=["cholesky_ex", "cholesky_ex-batch", "inv_ex-batch", "inv_ex", "solve_ex-batch"])
def test_check_errors_raise_torchs_linalg_error(call):
    messages = []
    for L, t in ((eager, eager_t), (torch, torch_t)):
        with pytest.raises(L.linalg.LinAlgError) as info:
            call(L, t)
        messages.append(str(info.value))
    assert messages[0].startswith(messages[1])  # ours adds the user's line


def test_cholesky_ex_gradient_is_choleskys():
    grads = []
    for factor in (lambda a: eager.linalg.cholesky_ex(a).L, eager.linalg.cholesky):
        x = eager_t(A[0]).requires_grad_(True)
        (factor(x @ x.mT + 3 * eager.eye(3, dtype=eager.float64)) ** 3).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(*grads, rtol=1e-12)
