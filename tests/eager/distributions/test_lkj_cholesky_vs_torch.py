"""LKJCholesky against torch.distributions: onion-method samples from the same seed (Beta and
normal draws in torch's order), log_prob, expand, support and argument checks; and the
corr_cholesky registries."""

from __future__ import annotations

import numpy as np
import pytest
from dist_vs_torch import close, seeded

import eager

torch = pytest.importorskip("torch")


def lkj(L, dim=4):
    return L.distributions.LKJCholesky(dim, L.tensor([0.5, 2.0], dtype=L.float64))


@pytest.mark.parametrize("dim", [2, 4])
def test_samples_and_log_prob(dim):
    e, t = lkj(eager, dim), lkj(torch, dim)
    es, ts = seeded(torch, 0, lambda: e.sample((3,)), lambda: t.sample((3,)))
    close(es, ts)
    close(e.log_prob(es), t.log_prob(ts), rtol=1e-9)
    assert bool(e.support.check(es).all())
    assert repr(e) == repr(t) and repr(e.support) == repr(t.support)
    ee, te = e.expand((5, 2)), t.expand((5, 2))
    assert ee.batch_shape == te.batch_shape and ee.event_shape == te.event_shape
    close(*seeded(torch, 1, ee.sample, te.sample))


def test_dimension_check_and_registries():
    with pytest.raises(ValueError, match="greater than or equal to 2. Found dim=1"):
        eager.distributions.LKJCholesky(1)
    ce = eager.distributions.constraints
    for registry in (eager.distributions.biject_to, eager.distributions.transform_to):
        t = registry(ce.corr_cholesky)
        y = t(eager.tensor(np.linspace(-1.0, 1.0, 6)))
        assert repr(t) == "CorrCholeskyTransform()" and bool(ce.corr_cholesky.check(y))
