"""The backward walk stores a gradient rule's own result as ``.grad`` without copying it only
when nothing else can reach that array (engine._private); every other case gets a copy, so a
``.grad`` never shares memory with another gradient, a saved value or the caller's array."""

from __future__ import annotations

import numpy as np
import pytest

import eager
from eager.autograd import engine


@pytest.fixture
def decisions(monkeypatch):
    seen: list[bool] = []
    original = engine._private

    # The spy's own argument is one more reference than a direct call holds.
    monkeypatch.setattr(engine, "_WALK_REFS", engine._WALK_REFS + 1)

    def spy(data):
        verdict = original(data)
        seen.append(verdict)
        return verdict

    monkeypatch.setattr(engine, "_private", spy)
    return seen


def _leaves(n=2, shape=(3, 4)):
    rng = np.random.default_rng(0)
    return [eager.tensor(rng.standard_normal(shape), requires_grad=True) for _ in range(n)]


def test_fresh_gradients_are_adopted(decisions):
    a, b = _leaves()
    (a * b).sum().backward()
    assert decisions == [True, True]
    np.testing.assert_allclose(a.grad.numpy(), b.detach().numpy())


def test_a_gradient_handed_to_two_leaves_is_copied(decisions):
    a, b = _leaves()
    (a + b).sum().backward()
    assert decisions == [False, False]
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    a.grad.numpy()[...] = 7.0  # an in-place change to one gradient leaves the other alone
    np.testing.assert_array_equal(b.grad.numpy(), np.ones((3, 4)))


def test_the_callers_gradient_array_is_never_adopted():
    (a,) = _leaves(1, (3,))
    g = np.ones(3)
    (a + 0.0).backward(gradient=g)
    assert not np.shares_memory(a.grad.numpy(), g)


def test_saved_values_kept_by_retain_graph_are_not_adopted():
    (a,) = _leaves(1, (3,))
    y = eager.exp(a)  # exp's rule returns g * out, a fresh array; `out` itself stays saved
    y.backward(gradient=np.ones(3), retain_graph=True)
    assert not np.shares_memory(a.grad.numpy(), y.detach().numpy())
    first = a.grad.numpy().copy()
    y.backward(gradient=np.ones(3))
    np.testing.assert_allclose(a.grad.numpy(), 2 * first)


def test_views_are_copied_into_c_order():
    w = eager.tensor(np.random.default_rng(1).standard_normal((4, 3)), requires_grad=True)
    x = eager.ones(2, 3)
    (x @ w.t()).sum().backward()  # the rule's result arrives transposed (a view)
    assert w.grad.numpy().flags.c_contiguous and w.grad.numpy().flags.owndata


class _CountingNumpy:
    """NumPy, except that ``array`` (the engine's copy) is counted."""

    def __init__(self):
        self.copies: list[tuple] = []

    def __getattr__(self, name):
        return getattr(np, name)

    def array(self, a, *args, **kwargs):
        self.copies.append(np.shape(a))
        return np.array(a, *args, **kwargs)


def test_a_training_step_copies_no_gradient(monkeypatch):
    # No spy in the walk this time: what the engine does on its own, observed from outside.
    counting = _CountingNumpy()
    monkeypatch.setattr(engine, "np", counting)
    model = eager.nn.Sequential(eager.nn.Linear(6, 4), eager.nn.ReLU(), eager.nn.Linear(4, 3))
    loss = eager.nn.CrossEntropyLoss()(model(eager.randn(5, 6)), eager.tensor([0, 2, 1, 1, 0]))
    loss.backward()
    assert counting.copies == []
    assert all(p.grad is not None for p in model.parameters())
