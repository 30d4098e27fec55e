"""Every KL pair torch registers among the univariate families eager has, against
torch.distributions.kl_divergence (finite values, the infinite ones, and the pairs neither
implements), plus the low-rank / full multivariate normal pairs."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def families(L):
    D = L.distributions

    def t(x):
        return L.tensor(np.asarray(x), dtype=L.float64)

    a, b = t([0.5, 1.5, 3.0]), t([2.0, 0.7, 1.2])
    loc, p = t([-0.3, 0.2, 0.9]), t([0.2, 0.5, 0.8])
    return {"Normal": D.Normal(loc, b), "Gumbel": D.Gumbel(loc, a), "Exponential":
            D.Exponential(a), "Gamma": D.Gamma(a, b), "Beta": D.Beta(a, b),
            "Uniform": D.Uniform(p * 0.1, p + 0.1), "Laplace": D.Laplace(loc, a),
            "Pareto": D.Pareto(b, a + 2), "ContinuousBernoulli": D.ContinuousBernoulli(probs=p),
            "Cauchy": D.Cauchy(loc, a), "HalfNormal": D.HalfNormal(a), "Poisson": D.Poisson(a),
            "Bernoulli": D.Bernoulli(p), "Binomial": D.Binomial(3, p)}


NAMES = list(families(torch))


@pytest.mark.parametrize("q", NAMES)
@pytest.mark.parametrize("p", NAMES)
def test_kl_pair_matches_torch(p, q):
    e, t = families(eager), families(torch)
    try:
        expected = torch.distributions.kl_divergence(t[p], t[q])
    except NotImplementedError:
        # (torch's message differs where it tries its ExponentialFamily Bregman form first)
        with pytest.raises(NotImplementedError):
            eager.distributions.kl_divergence(e[p], e[q])
        return
    got = eager.distributions.kl_divergence(e[p], e[q])
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-9, atol=1e-12)


def normals(L):
    D = L.distributions
    lowrank = D.LowRankMultivariateNormal(
        L.tensor([[0.0, 1.0], [1.0, 2.0]], dtype=L.float64),
        L.tensor([[[1.0], [0.5]], [[0.3], [2.0]]], dtype=L.float64),
        L.tensor([1.0, 2.0], dtype=L.float64))
    full = D.MultivariateNormal(L.tensor([0.5, -1.0], dtype=L.float64),
                                scale_tril=L.tensor([[1.0, 0.0], [0.4, 0.7]], dtype=L.float64))
    return lowrank, full


@pytest.mark.parametrize("pair", [(0, 0), (0, 1), (1, 0)])
def test_lowrank_kl_pairs(pair):
    e, t = normals(eager), normals(torch)
    got = eager.distributions.kl_divergence(e[pair[0]], e[pair[1]])
    expected = torch.distributions.kl_divergence(t[pair[0]], t[pair[1]])
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-10, atol=1e-12)
