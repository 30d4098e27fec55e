"""``static.linalg`` stages the same ops as ``eager.linalg``: a graph with an unknown batch
of matrices computes eager's values and gradients, interpreted and compiled."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import static

rng = np.random.default_rng(3)
X = rng.standard_normal((4, 3, 3)) + 3 * np.eye(3)
B = rng.standard_normal((4, 3, 2))


def objective(L, a, b):
    """A scalar that goes through inv, slogdet, solve, svd, qr, pinv and a triangular solve."""
    sym = a @ a.transpose(-1, -2)
    terms = [L.linalg.inv(a).sum(), L.linalg.slogdet(a).logabsdet.sum(),
             (L.linalg.solve(a, b) ** 2).sum(), L.linalg.svdvals(a).sum(),
             L.linalg.qr(a).R.abs().sum(), L.linalg.pinv(b).sum(),
             L.linalg.eigvalsh(sym).sum(), L.linalg.cholesky(sym).sum(),
             L.linalg.solve_triangular(a, b, upper=True).sum(), a[0].trace()]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


@pytest.mark.parametrize("executor", ["interpret", "compiled"])
def test_graph_with_unknown_batch_matches_eager(executor):
    ea = eager.tensor(X, requires_grad=True)
    eb = eager.tensor(B, requires_grad=True)
    want = objective(eager, ea, eb)
    want.backward()
    with static.Graph() as g:
        a = static.placeholder((None, 3, 3), name="a", dtype=np.float64)
        b = static.placeholder((None, 3, 2), name="b", dtype=np.float64)
        loss = objective(static, a, b)
        ga, gb = static.gradients(loss, [a, b])
    got, got_ga, got_gb = static.Session(g, executor=executor).run([loss, ga, gb],
                                                                   {a: X, b: B})
    np.testing.assert_allclose(got, want.item(), rtol=1e-10)
    np.testing.assert_allclose(got_ga, ea.grad.numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(got_gb, eb.grad.numpy(), rtol=1e-8, atol=1e-10)
