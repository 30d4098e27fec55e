"""Every distribution's public surface against torch's on one batch of parameters: support
and arg_constraints (as printed), has_rsample / has_enumerate_support, repr, mean, mode,
variance, stddev and entropy (or the same exception), enumerate_support, sample_n."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from dist_vs_torch import univariate_families

import eager

torch = pytest.importorskip("torch")


def families(L):
    """The univariate families plus those over vectors and the combinators."""
    D = L.distributions
    probs = L.tensor([[0.2, 0.8], [0.5, 0.5], [0.1, 0.9]], dtype=L.float64)
    loc, scale = L.tensor([-0.3, 0.2, 0.9], dtype=L.float64), probs[:, 1] + 1
    return {
        **univariate_families(L),
        "Categorical": lambda: D.Categorical(probs),
        "OneHotCategorical": lambda: D.OneHotCategorical(probs),
        "Multinomial": lambda: D.Multinomial(4, probs), "Dirichlet": lambda: D.Dirichlet(probs + 1),
        "RelaxedOneHotCategorical": lambda: D.RelaxedOneHotCategorical(
            L.tensor(0.5, dtype=L.float64), probs=probs),
        "MultivariateNormal": lambda: D.MultivariateNormal(
            probs, scale_tril=L.tensor([[1.0, 0.0], [0.5, 2.0]], dtype=L.float64)),
        "LowRankMultivariateNormal": lambda: D.LowRankMultivariateNormal(
            probs, probs.unsqueeze(-1), probs[0] + 1),
        "Independent": lambda: D.Independent(D.Normal(loc, scale), 1),
        "LogisticNormal": lambda: D.LogisticNormal(loc, scale),
        "GeneralizedPareto": lambda: D.GeneralizedPareto(loc, scale, loc),
        "OneHotCategoricalStraightThrough": lambda: D.OneHotCategoricalStraightThrough(probs),
        "LKJCholesky": lambda: D.LKJCholesky(3, scale),
        "Wishart": lambda: D.Wishart(scale + 2, covariance_matrix=L.eye(2, dtype=L.float64)),
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


@pytest.mark.parametrize("name", NAMES)
def test_expand_matches_torch(name):
    e, t = families(eager)[name](), families(torch)[name]()
    shape = (2,) + tuple(t.batch_shape)
    ee, te = e.expand(shape), t.expand(shape)
    assert type(ee) is type(e) and repr(ee) == repr(te)
    assert (ee.batch_shape, ee.event_shape) == (te.batch_shape, te.event_shape)
    assert ee._validate_args == te._validate_args
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Wishart's redraw warning
        eager.manual_seed(7)
        torch.manual_seed(7)
        es, ts = ee.sample(), te.sample()
    np.testing.assert_allclose(es.numpy(), ts.numpy(), rtol=1e-9, atol=1e-12)
    elp, tlp = outcome(lambda: ee.log_prob(es)), outcome(lambda: te.log_prob(ts))
    if isinstance(tlp, str):  # GeneralizedPareto's float64 density raises in torch
        assert elp == tlp
    else:
        np.testing.assert_allclose(elp.numpy(), tlp.numpy(), rtol=1e-9, atol=1e-12)


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


@pytest.mark.parametrize("L", [eager, torch], ids=["eager", "torch"])
def test_dependent_property_on_a_user_distribution(L):
    constraints = L.distributions.constraints

    class Box(L.distributions.Distribution):
        arg_constraints: dict = {}

        def __init__(self, low, high):
            self.low, self.high = low, high
            super().__init__(validate_args=True)

        @constraints.dependent_property(is_discrete=False, event_dim=0)
        def support(self):
            return constraints.interval(self.low, self.high)

    assert constraints.is_dependent(Box.support) and repr(Box.support) == "DependentProperty()"
    assert (Box.support.is_discrete, Box.support.event_dim) == (False, 0)
    assert repr(Box(0.0, 2.0).support) == "Interval(lower_bound=0.0, upper_bound=2.0)"
    with pytest.raises(NotImplementedError, match="event_dim cannot be determined statically"):
        _ = constraints.dependent.event_dim
    assert constraints.dependent(is_discrete=True, event_dim=1).event_dim == 1


@pytest.mark.parametrize("L", [eager, torch], ids=["eager", "torch"])
def test_a_subclass_expand_in_torchs_pattern(L):
    """A subclass with its own __init__ sets its extras on the instance from
    _get_checked_instance, then lets the base expand the rest."""

    class Tagged(L.distributions.Normal):
        def __init__(self, loc, tag):
            self.tag = tag
            super().__init__(loc, 1.0)

        def expand(self, batch_shape, _instance=None):
            new = self._get_checked_instance(Tagged, _instance)
            new.tag = self.tag + "-expanded"
            return super().expand(batch_shape, _instance=new)

    d = Tagged(L.zeros(3), "t").expand((2, 3))
    assert type(d) is Tagged and d.tag == "t-expanded" and d.loc.shape == (2, 3)
    assert d.sample().shape == (2, 3)
