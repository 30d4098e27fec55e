"""A 0-d index into a 1-d tensor is one element for scatter, scatter_add and gather, as in
torch (the Transforms tutorial's one-hot target ``zeros(10).scatter_(0, tensor(y), value=1)``),
with gather giving a 0-d result and its gradient."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

CALLS = {
    "scatter_ value": lambda L: L.zeros(5).scatter_(0, L.tensor(3), value=1),
    "scatter src": lambda L: L.zeros(5).scatter(0, L.tensor(2), L.tensor(7.0)),
    "scatter_add": lambda L: L.zeros(5).scatter_add(0, L.tensor(1), L.tensor(4.0)),
    "gather": lambda L: L.arange(5.0).gather(0, L.tensor(3)),
    "torch.gather": lambda L: L.gather(L.arange(5.0), 0, L.tensor(-1 + 5)),
}


@pytest.mark.parametrize("name", CALLS)
def test_zero_dim_index_into_a_vector_matches_torch(name):
    ours, theirs = CALLS[name](eager), CALLS[name](torch)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_gather_with_a_zero_dim_index_has_torchs_gradient():
    grads = []
    for lib in (eager, torch):
        x = lib.arange(5.0, requires_grad=True)
        (x.gather(0, lib.tensor(3)) * 2).backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(*grads)
