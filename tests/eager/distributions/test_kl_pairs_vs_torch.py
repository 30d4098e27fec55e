"""Every KL pair torch registers among the univariate families eager has, against
torch.distributions.kl_divergence (finite values, the infinite ones, and the pairs neither
implements), plus the low-rank / full multivariate normal pairs."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import float64_tensors, univariate_families

import eager
from eager.distributions.kl_more import bregman_kl

torch = pytest.importorskip("torch")
NAMES = list(univariate_families(torch))


@pytest.mark.parametrize("p", NAMES)
def test_kl_from_p_to_every_family_matches_torch(p):
    e_families, t_families = univariate_families(eager), univariate_families(torch)
    e_p, t_p = e_families[p](), t_families[p]()
    for q in NAMES:
        try:
            expected = torch.distributions.kl_divergence(t_p, t_families[q]())
        except NotImplementedError as refusal:
            with pytest.raises(NotImplementedError) as ours:
                eager.distributions.kl_divergence(e_p, e_families[q]())
            assert str(ours.value) == str(refusal), f"KL({p} || {q})"
            continue
        got = eager.distributions.kl_divergence(e_p, e_families[q]())
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=f"KL({p} || {q})")


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


def two_of(L, name):
    """Two members of the family ``name`` with different parameters."""
    D = L.distributions
    a, b = float64_tensors(L, ([0.5, 1.5, 3.0], [2.0, 0.7, 1.2]))
    make = {"Normal": D.Normal, "Gamma": D.Gamma, "Beta": D.Beta,
            "Bernoulli": lambda x, y: D.Bernoulli(x / (x + y)),
            "ContinuousBernoulli": lambda x, y: D.ContinuousBernoulli(x / (x + y)),
            "Exponential": lambda x, y: D.Exponential(x), "Poisson": lambda x, y: D.Poisson(x),
            "Dirichlet": lambda x, y: D.Dirichlet(L.stack([x, y], -1))}[name]
    return make(a, b), make(b, a)


@pytest.mark.parametrize("name", ["Normal", "Bernoulli", "Exponential", "Gamma", "Beta",
                                  "ContinuousBernoulli", "Poisson", "Dirichlet"])
def test_exponential_family_bregman_forms(name):
    """The generic ExponentialFamily entropy and same-family KL (the Bregman divergence of the
    log-normalizer) agree with torch's closed forms for each family."""
    (ep, eq), (tp, tq) = two_of(eager, name), two_of(torch, name)
    assert isinstance(ep, eager.distributions.ExponentialFamily)
    np.testing.assert_allclose(bregman_kl(ep, eq).detach().numpy(),
                               torch.distributions.kl_divergence(tp, tq).numpy(), rtol=1e-9)
    if name in ("Poisson", "Beta", "Dirichlet"):  # no mean carrier measure, as in torch
        with pytest.raises(NotImplementedError):
            eager.distributions.ExponentialFamily.entropy(ep)
        return
    got = eager.distributions.ExponentialFamily.entropy(ep)
    np.testing.assert_allclose(got.detach().numpy(), tp.entropy().numpy(), rtol=1e-9)
