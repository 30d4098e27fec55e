"""``eager.distributions`` against ``torch.distributions``: from the same seed the same
samples; the same log-probabilities, moments, entropies, KL divergences and gradients; the
same printing and validation errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(11)
LOC, SCALE = rng.standard_normal((2, 3)), rng.uniform(0.5, 2.0, (2, 3))
PROBS = rng.dirichlet(np.ones(4), size=2)
P01 = rng.uniform(0.05, 0.95, (2, 3))
COV = (lambda x: x @ x.T + 3 * np.eye(3))(rng.standard_normal((3, 3)))


def make(name, L, t):
    """Distribution ``name`` of library L, parameters made by ``t``."""
    D = L.distributions
    return {
        "normal": lambda: D.Normal(t(LOC), t(SCALE)),
        "normal-scalar": lambda: D.Normal(0.5, 2.0),
        "categorical-probs": lambda: D.Categorical(probs=t(PROBS)),
        "categorical-logits": lambda: D.Categorical(logits=t(np.log(PROBS) + 1.5)),
        "onehot": lambda: D.OneHotCategorical(probs=t(PROBS)),
        "bernoulli-probs": lambda: D.Bernoulli(probs=t(P01)),
        "bernoulli-logits": lambda: D.Bernoulli(logits=t(LOC)),
        "uniform": lambda: D.Uniform(t(LOC), t(LOC + SCALE)),
        "exponential": lambda: D.Exponential(t(SCALE)),
        "laplace": lambda: D.Laplace(t(LOC), t(SCALE)),
        "independent": lambda: D.Independent(D.Normal(t(LOC), t(SCALE)), 1),
        "mvn-cov": lambda: D.MultivariateNormal(t(LOC), covariance_matrix=t(COV)),
        "mvn-tril": lambda: D.MultivariateNormal(t(LOC[0]), scale_tril=t(np.linalg.cholesky(COV))),
        "mvn-precision": lambda: D.MultivariateNormal(t(LOC), precision_matrix=t(COV)),
    }[name]()


NAMES = ["normal", "normal-scalar", "categorical-probs", "categorical-logits", "onehot",
         "bernoulli-probs", "bernoulli-logits", "uniform", "exponential", "laplace",
         "independent", "mvn-cov", "mvn-tril", "mvn-precision"]


def tensors(L, dtype, leaves=None):
    def t(x):
        value = L.tensor(x, dtype=dtype)
        if leaves is not None and value.dtype.is_floating_point:
            value.requires_grad_(True)
            leaves.append(value)
        return value
    return t


def assert_same(ours, theirs, rtol=1e-6):
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=1e-6)


def each_library(name, seed, dtype):
    """``(library, distribution)``: eager's, then torch's, each made right after seeding."""
    for L in (eager, torch):
        L.manual_seed(seed)
        yield L, make(name, L, tensors(L, getattr(L, dtype)))


@pytest.mark.parametrize("name", NAMES)
def test_samples_from_the_same_seed_are_torchs(name):
    draws = [(d.sample(), d.sample((2, 3)), d.rsample((4,)) if d.has_rsample else d.sample((4,)))
             for _, d in each_library(name, 5, "float32")]
    for ours, theirs in zip(*draws, strict=True):
        assert_same(ours, theirs)


@pytest.mark.parametrize("name", NAMES)
def test_log_prob_moments_and_entropy_match_torch(name):
    results = []
    for L, d in each_library(name, 1, "float64"):
        value = d.sample((3,))
        out = {"log_prob": d.log_prob(value), "entropy": d.entropy(), "mean": d.mean,
               "variance": d.variance, "stddev": d.stddev}
        if name not in ("uniform", "categorical-probs", "categorical-logits"):
            out["mode"] = d.mode
        if name in ("normal", "uniform", "exponential", "laplace"):
            out["cdf"] = d.cdf(value)
            out["icdf"] = d.icdf(L.tensor(0.3, dtype=L.float64))
        out["shapes"] = (tuple(d.batch_shape), tuple(d.event_shape))
        results.append(out)
    ours, theirs = results
    assert ours["shapes"] == theirs["shapes"]
    for key in ours:
        if key != "shapes":
            assert_same(ours[key], theirs[key], rtol=1e-10)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "normal-scalar"])
def test_gradients_of_log_prob_and_rsample_match_torch(name):
    grads = []
    for L in (eager, torch):
        L.manual_seed(2)
        leaves: list = []
        d = make(name, L, tensors(L, L.float64, leaves))
        with L.no_grad():
            value = d.sample((2,))
        total = d.log_prob(value).sum() + d.entropy().sum()
        if d.has_rsample:
            total = total + (d.rsample((3,)) ** 2).sum()
        grads.append(L.autograd.grad(total, leaves, allow_unused=True))
    for ours, theirs in zip(*grads, strict=True):
        if theirs is None:
            assert ours is None or not np.any(ours.numpy())
        else:
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-8, atol=1e-10)


KL_PAIRS = [("uniform", "categorical-probs"), ("normal", "normal"),
            ("categorical-probs", "categorical-logits"),
            ("onehot", "onehot"), ("bernoulli-probs", "bernoulli-logits"),
            ("exponential", "exponential"), ("laplace", "laplace"),
            ("independent", "independent"), ("mvn-cov", "mvn-precision")]


@pytest.mark.parametrize("p, q", KL_PAIRS)
def test_kl_divergence_matches_torch(p, q):
    out = []
    for L in (eager, torch):
        t = tensors(L, L.float64)
        try:
            out.append(L.distributions.kl_divergence(make(p, L, t), make(q, L, t)))
        except NotImplementedError as e:
            out.append(str(e))
    if isinstance(out[1], str):
        assert out[0] == out[1]
    else:
        assert_same(out[0], out[1], rtol=1e-10)


def test_uniform_kl_is_infinite_outside_the_support_as_torchs():
    for L in (eager, torch):
        U = L.distributions.Uniform
        kl = L.distributions.kl_divergence(U(L.tensor([0.0, 0.0]), L.tensor([1.0, 1.0])),
                                           U(L.tensor([0.5, -1.0]), L.tensor([2.0, 2.0])))
        assert np.isinf(kl.numpy()[0]) and np.isclose(kl.numpy()[1], np.log(3.0))


@pytest.mark.parametrize("build", [
    lambda L: L.distributions.Normal(0.0, 1.0),
    lambda L: L.distributions.Normal(L.zeros(2), L.ones(2)),
    lambda L: L.distributions.Normal(L.zeros(1), L.ones(1)),
    lambda L: L.distributions.Independent(L.distributions.Normal(L.zeros(2), L.ones(2)), 1),
    lambda L: L.distributions.Categorical(logits=L.zeros(3)),
    lambda L: L.distributions.Bernoulli(0.3),
])
def test_repr_is_torchs(build):
    assert repr(build(eager)) == repr(build(torch))


@pytest.mark.parametrize("bad", [
    lambda L: L.distributions.Normal(0.0, -1.0),
    lambda L: L.distributions.Normal(L.zeros(2), L.ones(2)).log_prob(1.0),
    lambda L: L.distributions.Bernoulli(0.3).log_prob(L.tensor(0.5)),
    lambda L: L.distributions.Categorical(probs=L.tensor([0.5, 0.5])).log_prob(L.tensor(3)),
    lambda L: L.distributions.Categorical(),
    lambda L: L.distributions.Uniform(1.0, 0.0),
    lambda L: L.distributions.Uniform(L.zeros(2), L.tensor([1.0, -1.0])),
    lambda L: L.distributions.Normal(L.zeros(2), L.ones(2)).log_prob(L.zeros(3)),
    lambda L: L.distributions.MultivariateNormal(L.zeros(2)),
], ids=["scale", "not-tensor", "support", "category", "neither", "uniform", "uniform-batch",
        "shape", "mvn"])
def test_invalid_arguments_raise_torchs_error(bad):
    errors = []
    for L in (eager, torch):
        with pytest.raises(Exception) as info:
            bad(L)
        errors.append(info.value)
    assert type(errors[0]) is type(errors[1]) and str(errors[0]) == str(errors[1])


def test_validation_can_be_switched_off():
    d = eager.distributions.Normal(eager.zeros(2), eager.ones(2), validate_args=False)
    assert d.log_prob(eager.tensor([float("nan"), 0.0])).isnan().tolist() == [True, False]


@pytest.mark.parametrize("name", ["categorical-probs", "bernoulli-probs", "onehot"])
def test_enumerate_support_matches_torch(name):
    supports = [make(name, L, tensors(L, L.float32)).enumerate_support(expand=expand)
                for L in (eager, torch) for expand in (True, False)]
    assert_same(supports[0], supports[2])
    assert_same(supports[1], supports[3])
