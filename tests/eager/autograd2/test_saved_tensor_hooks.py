"""``autograd.graph.saved_tensors_hooks`` / ``save_on_cpu`` / ``disable_saved_tensors_hooks``:
pack runs when a value is saved, unpack at backward, and the gradient uses what unpack
returns; checked against torch where the ops save the same values."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

A = np.random.default_rng(3).standard_normal((2, 3)).astype(np.float32)
B = np.random.default_rng(4).standard_normal(3).astype(np.float32)


def _traced(L, fn):
    log = []

    def pack(t):
        log.append(("pack", tuple(t.shape), t.requires_grad, t.grad_fn is not None))
        return t

    def unpack(t):
        log.append(("unpack", tuple(t.shape)))
        return t

    x = L.tensor(A, requires_grad=True)
    w = L.tensor(B, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = fn(x, w)
    y.sum().backward()
    return sorted(log), x.grad.numpy()


# Ops that save the same values in both (add, sum and views read only their inputs' shapes
# here but pack the inputs: see eager/autograd/saved_hooks.py).
@pytest.mark.parametrize("fn", [lambda x, w: x * w, lambda x, w: x.exp(),
                                lambda x, w: x.sin(), lambda x, w: x @ w,
                                lambda x, w: x.tanh(), lambda x, w: x.sigmoid(),
                                lambda x, w: x.relu()])
def test_pack_and_unpack_calls_match_torch(fn):
    got, want = _traced(eager, fn), _traced(torch, fn)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1], rtol=1e-5, atol=1e-6)


def _scaled(L, fn):
    x = L.tensor(A, requires_grad=True)
    with L.autograd.graph.saved_tensors_hooks(lambda t: t * 3, lambda t: t):
        y = fn(L, x)
    y.sum().backward()
    return x.grad.numpy()


def _square_fn(L):
    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    return Square


@pytest.mark.parametrize("fn", [lambda L, x: x * x, lambda L, x: x.exp(),
                                lambda L, x: _square_fn(L).apply(x)])
def test_gradient_uses_what_was_packed_and_hooks_do_not_reenter(fn):
    np.testing.assert_allclose(_scaled(eager, fn), _scaled(torch, fn), rtol=1e-6)


@pytest.mark.parametrize("L", [eager, torch])
def test_save_on_cpu_is_transparent(L):
    x = L.tensor(A, requires_grad=True)
    with L.autograd.graph.save_on_cpu():
        y = (x.exp() * x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp(A) * (1 + A), rtol=1e-5)


@pytest.mark.parametrize("L", [eager, torch])
def test_disable_saved_tensors_hooks_errors(L):
    graph = L.autograd.graph
    with graph.disable_saved_tensors_hooks("no hooks here"), \
            pytest.raises(RuntimeError, match="no hooks here"), \
            graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        pass
    with graph.saved_tensors_hooks(lambda t: t, lambda t: t), \
            pytest.raises(RuntimeError, match="nor here"), \
            graph.disable_saved_tensors_hooks("nor here"):
        pass


def test_hooks_are_off_outside_the_block_and_after_backward():
    calls = []
    x = eager.tensor(A, requires_grad=True)
    with eager.autograd.graph.saved_tensors_hooks(lambda t: calls.append(1) or t, lambda t: t):
        pass
    (x.exp()).sum().backward()
    assert calls == [] and not eager.autograd.recording.extras
