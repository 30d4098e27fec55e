"""eager.nn layers written with shared ops trace into static graphs (unknown batch size)."""

import numpy as np
import pytest

import eager
import eager.nn as nn

static = pytest.importorskip("static")

X = np.random.default_rng(0).random((5, 4)).astype(np.float32)


@pytest.mark.parametrize("make", [
    lambda: nn.Sequential(nn.Linear(4, 3), nn.GELU(), nn.LayerNorm(3), nn.Linear(3, 2),
                          nn.Softmax(dim=1)),
    lambda: nn.GRUCell(4, 3),
    lambda: nn.LSTMCell(4, 3),
    lambda: nn.RNNCell(4, 3, nonlinearity="relu"),
], ids=["sequential", "gru", "lstm", "rnn"])
def test_traced_module_matches_eager(make):
    eager.manual_seed(0)
    module = make()
    traced = static.trace(module, ((None, 4), np.float32))
    ours, theirs = traced(X), module(eager.from_numpy(X))
    if isinstance(theirs, tuple):
        ours, theirs = ours[0], theirs[0]
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-6)
