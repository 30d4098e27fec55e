"""Gumbel, HalfNormal, HalfCauchy, Weibull, Pareto, Kumaraswamy, Cauchy and
MixtureSameFamily against torch.distributions: samples from the same seed, rsample
gradients, log_prob, cdf/icdf, moments, entropy, expand, printing and argument checks."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import check_rsample_gradients, close, float64_tensors, seeded

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(3)
A, B = rng.uniform(0.5, 2.5, (2, 3)), rng.uniform(0.5, 2.5, (2, 3))
LOC = rng.standard_normal((2, 3))


def build(L, name, requires_grad=False):
    D = L.distributions
    a, b, loc = float64_tensors(L, (A, B, LOC), requires_grad)
    dist = {
        "gumbel": lambda: D.Gumbel(loc, a), "halfnormal": lambda: D.HalfNormal(a),
        "halfcauchy": lambda: D.HalfCauchy(a), "weibull": lambda: D.Weibull(a, b),
        "pareto": lambda: D.Pareto(a, b), "kumaraswamy": lambda: D.Kumaraswamy(a, b),
        "cauchy": lambda: D.Cauchy(loc, a),
        "mixture": lambda: D.MixtureSameFamily(D.Categorical(logits=loc),
                                               D.Normal(a, b)),
    }[name]()
    return dist, (a, b, loc)


NAMES = ["gumbel", "halfnormal", "halfcauchy", "weibull", "pareto", "kumaraswamy", "cauchy",
         "mixture"]
RSAMPLE = ["gumbel", "halfnormal", "halfcauchy", "weibull", "pareto", "kumaraswamy", "cauchy"]


@pytest.mark.parametrize("name", NAMES)
def test_samples_log_prob_and_moments(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    es, ts = seeded(torch, 4, lambda: e.sample((5,)), lambda: t.sample((5,)))
    close(es, ts)
    close(e.log_prob(es), t.log_prob(ts))
    for attr in ("mean", "variance"):
        close(getattr(e, attr), getattr(t, attr))
    if name != "mixture":
        close(e.entropy(), t.entropy())
    assert repr(e) == repr(t)


@pytest.mark.parametrize("name", ["gumbel", "halfnormal", "halfcauchy", "cauchy",
                                  "mixture"])
def test_cdf_and_icdf(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    value = np.abs(LOC) + 0.1
    value = value[:, 0] if name == "mixture" else value  # the mixture's batch is (2,)
    close(e.cdf(eager.tensor(value)), t.cdf(torch.tensor(value)), rtol=1e-9)
    if name != "mixture":
        p = rng.uniform(0.05, 0.95, (2, 3))
        close(e.icdf(eager.tensor(p)), t.icdf(torch.tensor(p)), rtol=1e-9)


@pytest.mark.parametrize("name", RSAMPLE)
def test_rsample_gradients(name):
    (e, pe), (t, pt) = build(eager, name, True), build(torch, name, True)
    check_rsample_gradients(torch, e, pe, t, pt, seed=9)


@pytest.mark.parametrize("name", NAMES)
def test_expand(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    shape = (4,) + tuple(t.batch_shape)
    ee, te = e.expand(shape), t.expand(shape)
    assert ee.batch_shape == te.batch_shape and ee.event_shape == te.event_shape
    assert type(ee) is type(e)
    close(*seeded(torch, 1, ee.sample, te.sample))


def test_argument_checks():
    D = eager.distributions
    with pytest.raises(ValueError, match=r"Expected parameter scale .* to satisfy the "
                       r"constraint GreaterThan\(lower_bound=0.0\)"):
        D.HalfNormal(eager.tensor([-1.0]), validate_args=True)
    with pytest.raises(ValueError, match="within the support"):
        D.Pareto(eager.tensor([2.0]), eager.tensor([1.0]),
                 validate_args=True).log_prob(eager.tensor([1.0]))
    with pytest.raises(ValueError, match="does not equal `component_distribution"):
        D.MixtureSameFamily(D.Categorical(logits=eager.zeros(2)),
                            D.Normal(eager.zeros(3), eager.ones(3)))
    with pytest.raises(ValueError, match="needs to be an  instance"):
        D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(eager.zeros(3), eager.ones(3)))
