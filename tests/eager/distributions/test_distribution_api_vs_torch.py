"""Every distribution's public surface against torch's on one batch of parameters: support
and arg_constraints (as printed), has_rsample / has_enumerate_support, repr, mean, mode,
variance, stddev and entropy (or the same exception), enumerate_support, sample_n."""

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
    probs = t([[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]])
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
        "Categorical": lambda: D.Categorical(probs),
        "OneHotCategorical": lambda: D.OneHotCategorical(probs),
        "Multinomial": lambda: D.Multinomial(4, probs), "Dirichlet": lambda: D.Dirichlet(probs + 1),
        "Chi2": lambda: D.Chi2(a), "StudentT": lambda: D.StudentT(a, loc, b),
        "FisherSnedecor": lambda: D.FisherSnedecor(a, b),
        "InverseGamma": lambda: D.InverseGamma(a, b), "Weibull": lambda: D.Weibull(a, b),
        "Kumaraswamy": lambda: D.Kumaraswamy(a, b), "LogNormal": lambda: D.LogNormal(loc, b),
        "VonMises": lambda: D.VonMises(loc, a),
        "RelaxedBernoulli": lambda: D.RelaxedBernoulli(t(0.5), probs=p),
        "RelaxedOneHotCategorical": lambda: D.RelaxedOneHotCategorical(t(0.5), probs=probs),
        "MultivariateNormal": lambda: D.MultivariateNormal(
            probs, scale_tril=t([[1.0, 0.0], [0.5, 2.0]])),
        "LowRankMultivariateNormal": lambda: D.LowRankMultivariateNormal(
            probs, probs.unsqueeze(-1), t([1.0, 2.0])),
        "Independent": lambda: D.Independent(D.Normal(loc, b), 1),
        "MixtureSameFamily": lambda: D.MixtureSameFamily(D.Categorical(probs),
                                                         D.Normal(probs, probs + 1)),
    }


NAMES = list(families(torch))


def outcome(fn):
    """The value of ``fn()`` or the name of the exception it raises."""
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 (the exception type is the result)
        return type(error).__name__


@pytest.mark.parametrize("name", NAMES)
def test_surface_matches_torch(name):
    e, t = families(eager)[name](), families(torch)[name]()
    assert type(e).__name__ == type(t).__name__
    assert (e.has_rsample, e.has_enumerate_support) == (t.has_rsample, t.has_enumerate_support)
    assert repr(e.support) == repr(t.support)
    assert {k: repr(v) for k, v in e.arg_constraints.items()} == {
        k: repr(v) for k, v in t.arg_constraints.items()}
    assert repr(e) == repr(t)
    for attr in ("mean", "mode", "variance", "stddev", "entropy"):
        ev = outcome(getattr(e, attr) if attr == "entropy" else lambda a=attr: getattr(e, a))
        tv = outcome(getattr(t, attr) if attr == "entropy" else lambda a=attr: getattr(t, a))
        if isinstance(tv, str):
            assert ev == tv, attr
        else:
            np.testing.assert_allclose(ev.numpy(), tv.numpy(), rtol=1e-9, err_msg=attr)
    if t.has_enumerate_support:
        for expand in (True, False):
            np.testing.assert_array_equal(e.enumerate_support(expand).numpy(),
                                          t.enumerate_support(expand).numpy())


def test_sample_n_warns_and_draws_as_sample():
    d = eager.distributions.Normal(eager.zeros(2), eager.ones(2))
    eager.manual_seed(0)
    with pytest.warns(UserWarning, match="sample_n will be deprecated"):
        drawn = d.sample_n(3)
    eager.manual_seed(0)
    np.testing.assert_array_equal(drawn.numpy(), d.sample((3,)).numpy())


def test_expand_of_a_custom_subclass_needs_its_own_expand():
    class Shifted(eager.distributions.Normal):
        def __init__(self, loc):
            super().__init__(loc, 1.0)

    with pytest.raises(NotImplementedError, match="Subclass Shifted of Normal that defines a "
                       "custom __init__ method must also define a custom .expand"):
        Shifted(eager.zeros(2)).expand((3, 2))
