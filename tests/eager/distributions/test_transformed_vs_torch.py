"""``LogNormal``, ``TransformedDistribution`` and the elementwise transforms against
``torch.distributions``: samples from the same seed, log-probabilities and their gradients
(through ``rsample`` too), moments, entropy, KL, printing and the shape refusals."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(5)
LOC, SCALE = rng.standard_normal((2, 3)), rng.uniform(0.3, 1.5, (2, 3))
SHIFT, STRETCH = rng.standard_normal(3), rng.uniform(-2.0, 2.0, 3)


def build(L, requires_grad=False):
    """(LogNormal, Normal pushed through an affine map then exp, their parameters) of
    library L, float64."""
    D = L.distributions

    def t(x):
        return L.tensor(np.asarray(x, np.float64), requires_grad=requires_grad)

    loc, scale = t(LOC), t(SCALE)
    affine = D.AffineTransform(t(SHIFT), t(STRETCH))
    flow = D.TransformedDistribution(D.Normal(loc, scale), [affine, D.ExpTransform()])
    return D.LogNormal(loc, scale), flow, (loc, scale)


@pytest.mark.parametrize("which", [0, 1], ids=["lognormal", "affine-exp"])
def test_samples_log_prob_and_gradients(which):
    e, t = build(eager, True)[which], build(torch, True)[which]
    eager.manual_seed(8)
    torch.manual_seed(8)
    es, ts = e.rsample((4,)), t.rsample((4,))
    np.testing.assert_allclose(es.detach().numpy(), ts.detach().numpy(), rtol=1e-12)
    assert not e.sample().requires_grad
    elp, tlp = e.log_prob(es), t.log_prob(ts)
    np.testing.assert_allclose(elp.detach().numpy(), tlp.detach().numpy(), rtol=1e-10)
    elp.sum().backward()
    tlp.sum().backward()
    for ep, tp in zip((e.base_dist.loc, e.base_dist.scale), (t.base_dist.loc, t.base_dist.scale),
                      strict=True):
        np.testing.assert_allclose(ep.grad.numpy(), tp.grad.numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("attr", ["mean", "variance", "mode", "entropy"])
def test_lognormal_moments_and_entropy(attr):
    e, t = build(eager)[0], build(torch)[0]
    ev, tv = getattr(e, attr), getattr(t, attr)
    ev, tv = (ev(), tv()) if callable(ev) else (ev, tv)
    np.testing.assert_allclose(ev.numpy(), tv.numpy(), rtol=1e-12)


def test_kl_repr_support_and_inverse():
    D, TD = eager.distributions, torch.distributions
    e = eager.distributions.kl_divergence(D.LogNormal(eager.tensor(LOC), eager.tensor(SCALE)),
                                          D.LogNormal(eager.tensor(SCALE), eager.tensor(SCALE)))
    t = TD.kl_divergence(TD.LogNormal(torch.tensor(LOC), torch.tensor(SCALE)),
                         TD.LogNormal(torch.tensor(SCALE), torch.tensor(SCALE)))
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-12)
    flow_e, flow_t = build(eager)[1], build(torch)[1]
    assert repr(flow_e) == repr(flow_t) and repr(build(eager)[0]) == repr(build(torch)[0])
    assert repr(flow_e.support) == repr(flow_t.support) == "GreaterThan(lower_bound=0.0)"
    assert flow_e.batch_shape == flow_t.batch_shape and flow_e.event_shape == ()
    x = eager.tensor(LOC)
    exp = D.ExpTransform()
    np.testing.assert_allclose(exp.inv(exp(x)).numpy(), LOC, rtol=1e-12)
    np.testing.assert_array_equal(exp.inv.log_abs_det_jacobian(exp(x), x).numpy(), -LOC)
    with pytest.raises(NotImplementedError):
        D.kl_divergence(flow_e, build(eager)[0])


def test_refusals():
    D = eager.distributions
    with pytest.raises(ValueError, match="transforms must be a Transform or list"):
        D.TransformedDistribution(D.Normal(0.0, 1.0), "exp")
    # an affine map with Tensor parameters broadcasts a scalar base over its shape (torch too)
    flow = D.TransformedDistribution(D.Normal(0.0, 1.0), D.AffineTransform(
        eager.zeros(3), eager.ones(3)))
    assert flow.batch_shape == (3,) and flow.base_dist.batch_shape == (3,)
    with pytest.raises(ValueError, match="within the support"):
        D.LogNormal(0.0, 1.0).log_prob(eager.tensor(-1.0))
