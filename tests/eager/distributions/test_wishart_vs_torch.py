"""Wishart against torch.distributions: Bartlett samples from the same seed (with torch
2.13's redraw and warning), log_prob and entropy with their gradients, moments, the
precision parameterisation, expand, the Bregman entropy, and the df checks."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import close, float64_tensors, seeded

import eager

torch = pytest.importorskip("torch")
TRIL = np.array([[1.0, 0.0, 0.0], [0.3, 0.8, 0.0], [-0.2, 0.1, 1.5]])


def wishart(L, requires_grad=False):
    df, tril = float64_tensors(L, ([3.0, 5.5], TRIL), requires_grad)
    return L.distributions.Wishart(df, scale_tril=tril), (df, tril)


def test_samples_density_and_gradients():
    (e, pe), (t, pt) = wishart(eager, True), wishart(torch, True)
    with pytest.warns(UserWarning, match="Singular sample detected"):
        es, ts = seeded(torch, 0, lambda: e.rsample((2,)), lambda: t.rsample((2,)))
    close(es, ts)
    np.testing.assert_array_equal(eager.rand(2).numpy(), torch.rand(2).numpy())
    assert es.requires_grad
    elp, tlp = e.log_prob(es.detach()), t.log_prob(ts.detach())
    close(elp, tlp, rtol=1e-9)
    (elp.sum() + e.entropy().sum()).backward()
    (tlp.sum() + t.entropy().sum()).backward()
    for ge, gt in zip(pe, pt, strict=True):
        close(ge.grad, gt.grad, rtol=1e-8, atol=1e-10)
    for attr in ("mean", "variance", "mode", "precision_matrix", "covariance_matrix"):
        close(getattr(e, attr), getattr(t, attr), rtol=1e-10)
    assert repr(e) == repr(t)
    assert e.expand((4, 2)).batch_shape == t.expand((4, 2)).batch_shape


def test_precision_parameter_and_bregman_entropy():
    def make(L):
        df, precision = float64_tensors(L, (4.0, [[2.0, 0.5], [0.5, 1.0]]))
        return L.distributions.Wishart(df, precision_matrix=precision)

    e, t = make(eager), make(torch)
    with pytest.warns(UserWarning):
        close(*seeded(torch, 2, e.sample, t.sample))
    close(e.covariance_matrix, t.covariance_matrix)
    close(eager.distributions.ExponentialFamily.entropy(e), t.entropy(), rtol=1e-10)


def test_df_checks():
    with pytest.raises(ValueError, match="expected to be greater than ndim - 1 = 2"):
        eager.distributions.Wishart(eager.tensor(1.5), covariance_matrix=eager.eye(3))
    with pytest.warns(UserWarning, match="Low df values detected"):
        eager.distributions.Wishart(eager.tensor(2.5), covariance_matrix=eager.eye(3))
    with pytest.raises(AssertionError, match="Exactly one of covariance_matrix"):
        eager.distributions.Wishart(eager.tensor(4.0))
