"""Helpers of the distribution tests that compare eager with torch: closeness, draws from one
seed on both sides, rsample gradients, and one batch of univariate families built alike in
either library."""

from __future__ import annotations

import numpy as np

import eager


def close(e, t, rtol=1e-10, atol=1e-12):
    """eager's Tensor ``e`` equals torch's ``t`` within ``rtol``/``atol``."""
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=rtol, atol=atol)


def seeded(torch, seed, e_draw, t_draw):
    """``e_draw()`` and ``t_draw()``, each right after seeding its library with ``seed``."""
    eager.manual_seed(seed)
    torch.manual_seed(seed)
    return e_draw(), t_draw()


def check_rsample_gradients(torch, e, e_params, t, t_params, seed, rtol=1e-8):
    """rsample draws agree and so do the parameters' gradients of a loss through them and
    through log_prob."""
    es, ts = seeded(torch, seed, lambda: e.rsample((3,)), lambda: t.rsample((3,)))
    close(es, ts)
    ((es * es.detach().cos()).sum() + e.log_prob(es.detach()).sum()).backward()
    ((ts * ts.detach().cos()).sum() + t.log_prob(ts.detach()).sum()).backward()
    for ge, gt in zip(e_params, t_params, strict=True):
        assert (ge.grad is None) == (gt.grad is None)
        if gt.grad is not None:
            close(ge.grad, gt.grad, rtol=rtol)


def float64_tensors(L, arrays, requires_grad=False):
    """Each of ``arrays`` as a float64 Tensor of library ``L``."""
    return [L.tensor(a, dtype=L.float64, requires_grad=requires_grad) for a in arrays]


def univariate_families(L):
    """Constructors of one float64 batch (3,) of each univariate family, in library ``L``."""
    D = L.distributions

    def t(x):
        return L.tensor(np.asarray(x), dtype=L.float64)

    a, b = t([0.5, 1.5, 3.0]), t([2.0, 0.7, 1.2])
    loc, p = t([-0.3, 0.2, 0.9]), t([0.2, 0.5, 0.8])
    return {
        "Normal": lambda: D.Normal(loc, b), "Gumbel": lambda: D.Gumbel(loc, a),
        "Exponential": lambda: D.Exponential(a), "Gamma": lambda: D.Gamma(a, b),
        "Beta": lambda: D.Beta(a, b), "Uniform": lambda: D.Uniform(p * 0.1, p + 0.1),
        "Laplace": lambda: D.Laplace(loc, a), "Pareto": lambda: D.Pareto(b, a + 2),
        "ContinuousBernoulli": lambda: D.ContinuousBernoulli(probs=p),
        "Cauchy": lambda: D.Cauchy(loc, a), "HalfNormal": lambda: D.HalfNormal(a),
        "HalfCauchy": lambda: D.HalfCauchy(a), "Poisson": lambda: D.Poisson(a),
        "Bernoulli": lambda: D.Bernoulli(p), "Binomial": lambda: D.Binomial(3, p),
        "Geometric": lambda: D.Geometric(p), "NegativeBinomial": lambda: D.NegativeBinomial(a, p),
        "Chi2": lambda: D.Chi2(a), "StudentT": lambda: D.StudentT(a, loc, b),
        "FisherSnedecor": lambda: D.FisherSnedecor(a, b),
        "InverseGamma": lambda: D.InverseGamma(a, b), "Weibull": lambda: D.Weibull(a, b),
        "Kumaraswamy": lambda: D.Kumaraswamy(a, b), "LogNormal": lambda: D.LogNormal(loc, b),
        "VonMises": lambda: D.VonMises(loc, a),
        "RelaxedBernoulli": lambda: D.RelaxedBernoulli(t(0.5), probs=p),
    }
