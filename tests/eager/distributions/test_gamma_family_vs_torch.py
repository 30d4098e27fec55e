"""The gamma family of ``eager.distributions`` (Gamma, Chi2, Beta, Dirichlet, Poisson,
Binomial) against ``torch.distributions``: the same samples from the same seed, the same
log-probabilities (and their gradients), moments, modes, entropies, KL divergences, printing,
supports and validation errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(16)
CONC = rng.uniform(0.2, 4.0, (2, 3))
RATE = rng.uniform(0.5, 3.0, (2, 3))
COUNT = np.array([[1.0, 10.0, 40.0], [0.0, 25.0, 300.0]])
P01 = rng.uniform(0.05, 0.95, (2, 3))
NAMES = ["gamma", "gamma-scalar", "chi2", "beta", "beta-scalar", "dirichlet", "poisson",
         "binomial-probs", "binomial-logits", "geometric-probs", "geometric-logits", "studentt",
         "studentt-scalar"]


def make(name, L, t, **kw):
    """Distribution ``name`` of library L, parameters made by ``t``."""
    D = L.distributions
    return {
        "gamma": lambda: D.Gamma(t(CONC), t(RATE), **kw),
        "gamma-scalar": lambda: D.Gamma(0.7, 2.0, **kw),
        "chi2": lambda: D.Chi2(t(CONC * 2), **kw),
        "beta": lambda: D.Beta(t(CONC), t(RATE), **kw),
        "beta-scalar": lambda: D.Beta(0.4, 0.4, **kw),
        "dirichlet": lambda: D.Dirichlet(t(CONC), **kw),
        "poisson": lambda: D.Poisson(t(RATE * 5), **kw),
        "binomial-probs": lambda: D.Binomial(t(COUNT), probs=t(P01), **kw),
        "binomial-logits": lambda: D.Binomial(t(COUNT), logits=t(CONC - 2), **kw),
        "geometric-probs": lambda: D.Geometric(probs=t(P01), **kw),
        "geometric-logits": lambda: D.Geometric(logits=t(CONC - 2), **kw),
        "studentt": lambda: D.StudentT(t(CONC * 2 - 0.5), t(RATE - 1), t(RATE), **kw),
        "studentt-scalar": lambda: D.StudentT(3.0, **kw),
    }[name]()


def pair(name, dtype=np.float32, requires_grad=False):
    def t_eager(x):
        return eager.tensor(np.asarray(x, dtype), requires_grad=requires_grad)

    def t_torch(x):
        return torch.tensor(np.asarray(x, dtype), requires_grad=requires_grad)

    return make(name, eager, t_eager), make(name, torch, t_torch)


def close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a.detach().numpy()), b.detach().numpy(),
                               rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_same_samples_from_the_same_seed(name, dtype):
    e, t = pair(name, dtype)
    eager.manual_seed(4)
    torch.manual_seed(4)
    es, ts = e.sample((3,)), t.sample((3,))
    assert tuple(es.shape) == tuple(ts.shape)
    assert str(es.dtype) == str(ts.dtype)
    if name == "dirichlet" and dtype == np.float64:
        # float64 rows are normalised by ATen's SIMD sum: within an ulp or two
        np.testing.assert_array_max_ulp(es.numpy(), ts.numpy(), maxulp=2)
    else:
        np.testing.assert_array_equal(es.numpy(), ts.numpy())
    np.testing.assert_array_equal(eager.rand(4).numpy(), torch.rand(4).numpy())


@pytest.mark.parametrize("name", NAMES)
def test_log_prob_and_its_gradient(name):
    e, t = pair(name, np.float64, requires_grad=True)
    torch.manual_seed(2)
    value = t.sample((2,))
    elp, tlp = e.log_prob(eager.tensor(value.numpy())), t.log_prob(value)
    scalar = name.endswith("scalar")  # numbers become default-dtype (float32) parameters
    close(elp, tlp, rtol=1e-6 if scalar else 1e-10, atol=1e-6 if scalar else 1e-10)
    if scalar:
        assert not elp.requires_grad and not tlp.requires_grad
        return
    elp.sum().backward()
    tlp.sum().backward()
    e_leaves = [v for v in vars(e).values() if isinstance(v, eager.Tensor) and v.is_leaf
                and v.requires_grad]
    t_leaves = [v for v in vars(t).values() if isinstance(v, torch.Tensor) and v.is_leaf
                and v.requires_grad]
    if name.startswith("beta") or name == "chi2":  # parameters held inside (made by ops)
        assert not e_leaves
        return
    assert len(e_leaves) == len(t_leaves) > 0
    for ev, tv in zip(e_leaves, t_leaves, strict=True):
        close(ev.grad, tv.grad, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("attr", ["mean", "variance", "stddev", "mode", "entropy"])
def test_moments_mode_and_entropy(name, attr):
    e, t = pair(name, np.float64)
    if attr == "entropy" and name.startswith("binomial"):
        with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
            e.entropy()
        with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
            t.entropy()
        return
    if attr == "entropy" and name == "poisson":
        with pytest.raises(NotImplementedError):
            e.entropy()
        return
    ev, tv = getattr(e, attr), getattr(t, attr)
    ev, tv = (ev(), tv()) if callable(ev) else (ev, tv)
    tol = 1e-6 if name.endswith("scalar") else 1e-10  # numbers become float32 parameters
    np.testing.assert_allclose(ev.numpy(), tv.numpy(), rtol=tol, atol=tol)


def test_binomial_entropy_and_enumerate_support_with_one_count():
    e = eager.distributions.Binomial(6, probs=eager.tensor([0.2, 0.7], dtype=eager.float64))
    t = torch.distributions.Binomial(6, probs=torch.tensor([0.2, 0.7], dtype=torch.float64))
    close(e.entropy(), t.entropy(), rtol=1e-12)
    np.testing.assert_array_equal(e.enumerate_support().numpy(), t.enumerate_support().numpy())


def test_dirichlet_mode_below_one_is_a_vertex():
    c = np.array([[0.3, 0.6, 0.2], [2.0, 3.0, 1.5]])
    e = eager.distributions.Dirichlet(eager.tensor(c)).mode
    np.testing.assert_allclose(e.numpy(), torch.distributions.Dirichlet(torch.tensor(c)).mode)
    # every shifted concentration is 0 there: the 0/0 ratios are nan, whose argmax is 0
    assert e.numpy()[0].tolist() == [1.0, 0.0, 0.0]


KL_PAIRS = [("gamma", lambda L, t: L.distributions.Gamma(t(RATE), t(CONC))),
            ("beta", lambda L, t: L.distributions.Beta(t(RATE), t(CONC))),
            ("dirichlet", lambda L, t: L.distributions.Dirichlet(t(RATE))),
            ("poisson", lambda L, t: L.distributions.Poisson(t(CONC))),
            ("binomial-probs", lambda L, t: L.distributions.Binomial(t(COUNT), t(1 - P01))),
            ("geometric-probs", lambda L, t: L.distributions.Geometric(t(1 - P01)))]


@pytest.mark.parametrize(("name", "other"), KL_PAIRS, ids=[n for n, _ in KL_PAIRS])
def test_kl_divergence(name, other):
    e, t = pair(name, np.float64)
    eo = other(eager, lambda x: eager.tensor(np.asarray(x, np.float64)))
    to = other(torch, lambda x: torch.tensor(np.asarray(x, np.float64)))
    close(eager.distributions.kl_divergence(e, eo), torch.distributions.kl_divergence(t, to),
          rtol=1e-10, atol=1e-12)


def test_binomial_kl_with_fewer_trials_in_p():
    p = eager.distributions.Binomial(eager.tensor([3.0]), probs=eager.tensor([0.5]))
    q = eager.distributions.Binomial(eager.tensor([5.0]), probs=eager.tensor([0.5]))
    with pytest.raises(NotImplementedError, match="q.total_count > p.total_count"):
        eager.distributions.kl_divergence(p, q)
    assert eager.distributions.kl_divergence(q, p).item() == float("inf")


@pytest.mark.parametrize("name", NAMES)
def test_repr_and_support_print_as_torch(name):
    e, t = pair(name)
    assert repr(e) == repr(t)
    assert repr(e.support) == repr(t.support)
    assert e.batch_shape == t.batch_shape and e.event_shape == t.event_shape


@pytest.mark.parametrize(("name", "bad"), [("gamma", lambda L: L.distributions.Gamma(
    L.tensor([1.0, -1.0]), L.tensor([1.0, 1.0]))), ("dirichlet", lambda L: L.distributions.
    Dirichlet(L.tensor([0.5, 0.0]))), ("poisson", lambda L: L.distributions.Poisson(
        L.tensor([-0.5]))), ("binomial", lambda L: L.distributions.Binomial(
            L.tensor([2.5]), probs=L.tensor([0.5]))), ("geometric", lambda L: L.distributions.
                Geometric(probs=L.tensor([0.0, 0.5]))), ("studentt", lambda L: L.distributions.
                    StudentT(L.tensor([1.0]), 0.0, L.tensor([-1.0])))])
def test_invalid_parameters_raise_torchs_message(name, bad):
    with pytest.raises(ValueError) as theirs:
        bad(torch)
    with pytest.raises(ValueError) as ours:
        bad(eager)
    assert str(ours.value).replace("eager", "torch") == str(theirs.value)


def test_out_of_support_values_and_scalar_dirichlet():
    with pytest.raises(ValueError, match="within the support"):
        eager.distributions.Gamma(1.0, 1.0).log_prob(eager.tensor(-1.0))
    with pytest.raises(ValueError, match="within the support"):
        eager.distributions.Beta(2.0, 2.0).log_prob(eager.tensor(1.5))
    with pytest.raises(ValueError, match="at least one-dimensional"):
        eager.distributions.Dirichlet(eager.tensor(1.0))


@pytest.mark.parametrize("name", ["gamma", "dirichlet", "binomial-probs", "poisson"])
def test_half_precision_as_torch(name):
    e, t = pair(name, np.float16)
    if name == "poisson":  # the one sampler ATen runs in half
        eager.manual_seed(1)
        torch.manual_seed(1)
        np.testing.assert_array_equal(e.sample((2,)).numpy(), t.sample((2,)).numpy())
        return
    with pytest.raises(NotImplementedError) as theirs:
        t.sample()
    with pytest.raises(NotImplementedError, match="not implemented for 'Half'") as ours:
        e.sample()
    assert str(ours.value) == str(theirs.value)
