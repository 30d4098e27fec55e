"""``eager.utils.checkpoint`` against plain runs and against torch: the same values and
gradients (parameters included), dropout masks reproduced in the recomputation, PyTorch's
grad_fn, requires_grad rule and warnings."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def block(L, p):
    L.manual_seed(3)
    return L.nn.Sequential(L.nn.Linear(4, 8), L.nn.Tanh(), L.nn.Dropout(p), L.nn.Linear(8, 2))


def grads_of(L, p, mode):
    """Output and the gradients of the input and the parameters, with or without
    checkpointing (``mode``: None, True for reentrant, False for non-reentrant)."""
    net = block(L, p)
    x = L.tensor(np.linspace(-1, 1, 12).reshape(3, 4), dtype=L.float32, requires_grad=True)
    L.manual_seed(11)
    out = net(x) if mode is None else L.utils.checkpoint.checkpoint(net, x, use_reentrant=mode)
    (out ** 2).sum().backward()
    return [out.detach().numpy(), x.grad.numpy()] + [q.grad.numpy() for q in net.parameters()]


@pytest.mark.parametrize("mode", [True, False])
def test_checkpointed_gradients_equal_plain_ones_with_dropout(mode):
    for plain, checkpointed in zip(grads_of(eager, 0.5, None), grads_of(eager, 0.5, mode),
                                   strict=True):
        np.testing.assert_array_equal(plain, checkpointed)


@pytest.mark.parametrize("mode", [True, False])
def test_values_and_gradients_are_torchs(mode):
    for ours, theirs in zip(grads_of(eager, 0.0, mode), grads_of(torch, 0.0, mode), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)


def test_grad_fn_and_requires_grad_follow_torch():
    for L in (eager, torch):
        layer = L.nn.Linear(2, 2)
        x = L.ones(1, 2, requires_grad=True)
        reentrant = L.utils.checkpoint.checkpoint(layer, x, use_reentrant=True)
        assert reentrant.grad_fn.name() == "CheckpointFunctionBackward"
        plain = L.utils.checkpoint.checkpoint(layer, x, use_reentrant=False)
        assert plain.grad_fn.name() == "AddmmBackward0"
        with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
            out = L.utils.checkpoint.checkpoint(layer, L.ones(1, 2), use_reentrant=True)
        assert not out.requires_grad
        with pytest.warns(UserWarning, match="use_reentrant parameter should be passed"):
            L.utils.checkpoint.checkpoint(layer, x)


def test_checkpoint_sequential_is_the_plain_sequential():
    net = block(eager, 0.0)
    x = eager.ones(2, 4, requires_grad=True)
    out = eager.utils.checkpoint.checkpoint_sequential(net, 2, x, use_reentrant=True)
    np.testing.assert_allclose(out.detach().numpy(), net(x).detach().numpy())
    out.sum().backward()
    assert x.grad is not None and net[0].weight.grad is not None
