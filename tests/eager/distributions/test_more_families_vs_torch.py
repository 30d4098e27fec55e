"""ContinuousBernoulli, FisherSnedecor, InverseGamma, Multinomial, NegativeBinomial and the
relaxed (Concrete) distributions against torch.distributions: seeded samples, rsample
gradients, log_prob, moments, entropy, cdf/icdf, expand, printing and argument checks."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import check_rsample_gradients, close, float64_tensors, seeded

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(21)
P = np.array([[0.1, 0.4995, 0.7], [0.3, 0.5, 0.95]])  # 0.4995 and 0.5: the Taylor region
DF = rng.uniform(2.5, 9.0, (2, 3))
LOGITS = rng.standard_normal((2, 4))


def build(L, name, requires_grad=False):
    D = L.distributions
    p, df, logits = float64_tensors(L, (P, DF, LOGITS), requires_grad)
    temperature = L.tensor(0.7, dtype=L.float64)
    # torch keeps the two base relaxations out of torch.distributions' namespace
    bern = eager.distributions.relaxed if L is eager else torch.distributions.relaxed_bernoulli
    cat = eager.distributions.relaxed if L is eager else torch.distributions.relaxed_categorical
    made = {
        "cbern": lambda: D.ContinuousBernoulli(probs=p),
        "cbern-logits": lambda: D.ContinuousBernoulli(logits=logits),
        "fisher": lambda: D.FisherSnedecor(df, df + 1),
        "invgamma": lambda: D.InverseGamma(df, df / 2),
        "multinomial": lambda: D.Multinomial(7, logits=logits),
        "negbinom": lambda: D.NegativeBinomial(df, probs=p),
        "relaxed-bern": lambda: D.RelaxedBernoulli(temperature, probs=p),
        "logit-relaxed-bern": lambda: bern.LogitRelaxedBernoulli(temperature, logits=logits),
        "relaxed-cat": lambda: D.RelaxedOneHotCategorical(temperature, logits=logits),
        "exp-relaxed-cat": lambda: cat.ExpRelaxedCategorical(temperature, probs=p.softmax(-1)),
        "logistic-normal": lambda: D.LogisticNormal(df, p),
        "onehot-st": lambda: D.OneHotCategoricalStraightThrough(logits=logits),
    }[name]()
    return made, [v for v in (p, df, logits) if v.requires_grad]


NAMES = ["cbern", "cbern-logits", "fisher", "invgamma", "multinomial", "negbinom",
         "relaxed-bern", "logit-relaxed-bern", "relaxed-cat", "exp-relaxed-cat",
         "logistic-normal", "onehot-st"]
RSAMPLE = ["cbern", "cbern-logits", "fisher", "invgamma", "relaxed-bern",
           "logit-relaxed-bern", "relaxed-cat", "exp-relaxed-cat", "logistic-normal",
           "onehot-st"]
ENTROPY = ["cbern", "cbern-logits", "invgamma", "multinomial"]
MOMENTS = ["cbern", "cbern-logits", "fisher", "invgamma", "multinomial", "negbinom"]


@pytest.mark.parametrize("name", NAMES)
def test_samples_and_log_prob(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    es, ts = seeded(torch, 6, lambda: e.sample((4,)), lambda: t.sample((4,)))
    close(es, ts)
    assert es.dtype == eager.float64
    close(e.log_prob(es), t.log_prob(ts), rtol=1e-9)
    assert repr(e) == repr(t)
    assert e.has_rsample == t.has_rsample


@pytest.mark.parametrize("name", MOMENTS)
def test_moments(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    close(e.mean, t.mean)
    close(e.variance, t.variance)


@pytest.mark.parametrize("name", ENTROPY)
def test_entropy(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    close(e.entropy(), t.entropy(), rtol=1e-9)


@pytest.mark.parametrize("name", RSAMPLE)
def test_rsample_gradients(name):
    (e, pe), (t, pt) = build(eager, name, True), build(torch, name, True)
    check_rsample_gradients(torch, e, pe, t, pt, seed=2)


def test_continuous_bernoulli_cdf_icdf():
    e, t = build(eager, "cbern")[0], build(torch, "cbern")[0]
    u = rng.uniform(0.01, 0.99, (2, 3))
    x = t.icdf(torch.tensor(u))
    close(e.icdf(eager.tensor(u)), x)
    close(e.cdf(eager.tensor(x.numpy())), t.cdf(x), rtol=1e-9)


def generalized_pareto(L, dtype, requires_grad=False):
    def t(x):
        return L.tensor(x, dtype=getattr(L, dtype), requires_grad=requires_grad)

    return L.distributions.GeneralizedPareto(t([0.1, 0.0, 1.0]), t([2.0, 1.0, 0.5]),
                                             t([0.4, 0.0, -0.5]))


def test_generalized_pareto_in_float32():
    e, t = generalized_pareto(eager, "float32", True), generalized_pareto(torch, "float32", True)
    es, ts = seeded(torch, 1, lambda: e.rsample((4,)), lambda: t.rsample((4,)))
    close(es, ts, rtol=1e-5, atol=1e-6)
    for method in ("log_prob", "cdf", "log_survival_function", "log_cdf"):
        value = ts.detach()
        close(getattr(e, method)(eager.tensor(value.numpy())), getattr(t, method)(value),
              rtol=1e-5, atol=1e-6)
    for attr in ("mean", "variance", "mode"):
        close(getattr(e, attr), getattr(t, attr), rtol=1e-6)
    close(e.entropy(), t.entropy(), rtol=1e-6)
    assert repr(e.support) == repr(t.support)


def test_generalized_pareto_density_refuses_float64_as_torch():
    e, t = generalized_pareto(eager, "float64"), generalized_pareto(torch, "float64")
    with pytest.raises(RuntimeError):
        t.log_prob(torch.ones(3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="did not match"):
        e.log_prob(eager.ones(3, dtype=eager.float64))
    close(e.icdf(eager.full((3,), 0.3, dtype=eager.float64)),
          t.icdf(torch.full((3,), 0.3, dtype=torch.float64)))


@pytest.mark.parametrize("name", NAMES)
def test_expand(name):
    (e, _), (t, _) = build(eager, name), build(torch, name)
    shape = (3,) + tuple(t.batch_shape)
    ee, te = e.expand(shape), t.expand(shape)
    assert (ee.batch_shape, ee.event_shape) == (te.batch_shape, te.event_shape)
    close(*seeded(torch, 5, ee.sample, te.sample))


def test_argument_checks():
    D = eager.distributions
    with pytest.raises(NotImplementedError, match="inhomogeneous total_count"):
        D.Multinomial(eager.tensor([3, 4]), probs=eager.tensor([0.5, 0.5]))
    with pytest.raises(ValueError, match="The parameter probs has invalid values"):
        D.ContinuousBernoulli(probs=eager.tensor([1.5]), validate_args=True)
    with pytest.raises(ValueError, match=r"constraint HalfOpenInterval\(lower_bound=0.0, "
                       r"upper_bound=1.0\)"):
        D.NegativeBinomial(3.0, probs=eager.tensor([1.0]), validate_args=True)
    with pytest.raises(ValueError, match="within the support"):
        D.Multinomial(3, probs=eager.tensor([0.5, 0.5]),
                      validate_args=True).log_prob(eager.tensor([-1.0, 4.0]))
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        D.RelaxedBernoulli(eager.tensor(1.0))
