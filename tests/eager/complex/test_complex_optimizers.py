"""Optimizers on complex parameters update them as torch does, as their (real, imag) pairs
(Adam's second moment per part, not of the complex square)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta",
         "ASGD", "Rprop"]


def _trained(L, name):
    q = L.nn.Parameter(L.tensor([[1 + 1j, 2 - 1j], [0.5j, -0.25]]))
    extra = {"momentum": 0.9} if name == "SGD" else {}
    opt = getattr(L.optim, name)([q], lr=0.1, **extra)
    for _ in range(3):
        loss = (q * q.conj()).real.sum() + (q * (1 + 2j)).imag.sum() + q.abs().pow(3).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return q.detach().numpy()


@pytest.mark.parametrize("name", NAMES)
def test_complex_parameters_follow_torch(name):
    np.testing.assert_allclose(_trained(eager, name), _trained(torch, name), rtol=1e-5,
                               atol=1e-6)
