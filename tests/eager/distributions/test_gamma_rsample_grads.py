"""rsample of the gamma family (Gamma, Chi2, Beta, Dirichlet, StudentT) against torch: the
same draws from one seed and torch's implicit reparameterisation gradients
(``_standard_gamma_grad``, ``_dirichlet_grad``) over every region of their approximations,
in float64 (to rounding) and float32 (within float32 tolerance)."""

from __future__ import annotations

import numpy as np
import pytest

import eager
from eager.random.gamma_grads import dirichlet_grad, standard_gamma_grad

torch = pytest.importorskip("torch")
# small, moderate and large concentrations, so each approximation region is visited
ALPHA = [0.3, 1.5, 4.0, 12.0, 50.0, 0.05]
BETA = [2.0, 0.7, 9.0, 15.0, 1.2, 0.4]


def draw(L, name, dtype):
    D = L.distributions
    L.manual_seed(3)
    a = L.tensor(ALPHA, dtype=getattr(L, dtype), requires_grad=True)
    b = L.tensor(BETA, dtype=getattr(L, dtype), requires_grad=True)
    dist = {"gamma": lambda: D.Gamma(a, b), "chi2": lambda: D.Chi2(a),
            "beta": lambda: D.Beta(a, b),
            "dirichlet": lambda: D.Dirichlet(L.stack([a, b, a * b], -1)),
            "studentt": lambda: D.StudentT(a + 2, b, b)}[name]()
    sample = dist.rsample((100,))
    weights = L.arange(sample.numel(), dtype=sample.dtype).reshape(sample.shape).sin()
    (sample * weights).sum().backward()
    return sample.detach().numpy(), a.grad.numpy(), None if b.grad is None else b.grad.numpy()


@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-9), ("float32", 3e-4)])
@pytest.mark.parametrize("name", ["gamma", "chi2", "beta", "dirichlet", "studentt"])
def test_rsample_and_gradients_match_torch(name, dtype, rtol):
    e, t = draw(eager, name, dtype), draw(torch, name, dtype)
    np.testing.assert_array_equal(e[0], t[0])
    np.testing.assert_allclose(e[1], t[1], rtol=rtol, atol=rtol * 1e-2)
    if t[2] is not None:
        np.testing.assert_allclose(e[2], t[2], rtol=rtol, atol=rtol * 1e-2)


def _digamma(values):
    return torch.digamma(torch.tensor(values)).numpy()


def test_kernels_match_torchs_private_functions():
    rng = np.random.default_rng(0)
    alpha = np.concatenate([rng.uniform(0.01, 1, 50), rng.uniform(1, 8, 50),
                            rng.uniform(8, 200, 50)])
    x = torch._standard_gamma(torch.tensor(alpha)).numpy()
    np.testing.assert_allclose(standard_gamma_grad(alpha, x, _digamma),
                               torch._standard_gamma_grad(torch.tensor(alpha),
                                                          torch.tensor(x)).numpy(), rtol=1e-12)
    total = alpha + rng.uniform(0.05, 40, alpha.size)
    beta_x = np.concatenate([rng.uniform(1e-4, 1 - 1e-4, 100), rng.uniform(0.4, 0.6, 50)])
    expected = torch._dirichlet_grad(*(torch.tensor(v) for v in (beta_x, alpha, total)))
    np.testing.assert_allclose(dirichlet_grad(beta_x, alpha, total, _digamma),
                               expected.numpy(), rtol=1e-10)


def test_has_rsample_and_sample_has_no_gradient():
    D = eager.distributions
    a = eager.tensor([2.0], requires_grad=True)
    for dist in (D.Gamma(a, 1.0), D.Beta(a, a), D.Dirichlet(a.expand(3)), D.Chi2(a),
                 D.StudentT(a)):
        assert dist.has_rsample and dist.rsample().requires_grad
        assert not dist.sample().requires_grad
