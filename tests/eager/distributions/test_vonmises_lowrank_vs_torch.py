"""VonMises (Best & Fisher's rejection sampler in float64, log_prob, circular variance) and
LowRankMultivariateNormal (Woodbury densities, its matrices, rsample and its gradients)
against torch.distributions from the same seeds."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def von_mises(L, dtype):
    return L.distributions.VonMises(L.tensor([0.0, 1.0, -2.0], dtype=getattr(L, dtype)),
                                    L.tensor([2.0, 0.01, 30.0], dtype=getattr(L, dtype)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_von_mises_samples_and_density(dtype):
    e, t = von_mises(eager, dtype), von_mises(torch, dtype)
    eager.manual_seed(0)
    torch.manual_seed(0)
    es, ts = e.sample((200,)), t.sample((200,))
    assert es.dtype == getattr(eager, dtype)
    np.testing.assert_allclose(es.numpy(), ts.numpy(), rtol=1e-6, atol=1e-6)
    # the stream is left where torch leaves it (same number of rejection rounds)
    np.testing.assert_array_equal(eager.rand(2).numpy(), torch.rand(2).numpy())
    value = np.linspace(-3, 3, 3)
    np.testing.assert_allclose(e.log_prob(eager.tensor(value, dtype=es.dtype)).numpy(),
                               t.log_prob(torch.tensor(value, dtype=ts.dtype)).numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(e.variance.numpy(), t.variance.numpy(), rtol=1e-6, atol=1e-6)
    assert repr(e) == repr(t) and not e.has_rsample
    assert e.expand((4, 3)).sample().shape == (4, 3)


def lowrank(L, requires_grad=False):
    def t(x):
        return L.tensor(x, dtype=L.float64, requires_grad=requires_grad)

    loc = t([[0.0, 1.0, -1.0], [1.0, 2.0, 0.5]])
    factor = t([[[1.0, 0.2], [0.5, -0.3], [0.0, 1.0]], [[0.3, 0.1], [2.0, 0.0], [1.0, 1.0]]])
    diag = t([1.0, 2.0, 0.5])
    return L.distributions.LowRankMultivariateNormal(loc, factor, diag), (loc, factor, diag)


def test_lowrank_matches_torch():
    (e, pe), (t, pt) = lowrank(eager, True), lowrank(torch, True)
    for attr in ("covariance_matrix", "precision_matrix", "scale_tril", "variance", "mean"):
        np.testing.assert_allclose(getattr(e, attr).detach().numpy(),
                                   getattr(t, attr).detach().numpy(), rtol=1e-10, atol=1e-12)
    eager.manual_seed(3)
    torch.manual_seed(3)
    es, ts = e.rsample((4,)), t.rsample((4,))
    np.testing.assert_allclose(es.detach().numpy(), ts.detach().numpy(), rtol=1e-12)
    (e.log_prob(es).sum() + e.entropy().sum()).backward()
    (t.log_prob(ts).sum() + t.entropy().sum()).backward()
    for ge, gt in zip(pe, pt, strict=True):
        np.testing.assert_allclose(ge.grad.numpy(), gt.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert repr(e) == repr(t)
    assert e.expand((5, 2)).batch_shape == t.expand((5, 2)).batch_shape


def test_lowrank_shape_errors():
    D = eager.distributions
    with pytest.raises(ValueError, match="cov_factor must be a batch of matrices with shape 3"):
        D.LowRankMultivariateNormal(eager.zeros(3), eager.ones(2, 1), eager.ones(3))
    with pytest.raises(ValueError, match="cov_diag must be a batch of vectors"):
        D.LowRankMultivariateNormal(eager.zeros(3), eager.ones(3, 1), eager.ones(2))
    with pytest.raises(ValueError, match="loc must be at least one-dimensional"):
        D.LowRankMultivariateNormal(eager.tensor(0.0), eager.ones(3, 1), eager.ones(3))
