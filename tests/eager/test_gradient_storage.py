"""The backward walk stores every ``.grad`` as a private, C-ordered copy: a ``.grad`` never
shares memory with another gradient, a saved value or the caller's array."""

from __future__ import annotations

import numpy as np

import eager


def _leaves(n=2, shape=(3, 4)):
    rng = np.random.default_rng(0)
    return [eager.tensor(rng.standard_normal(shape), requires_grad=True) for _ in range(n)]


def test_a_gradient_handed_to_two_leaves_is_copied():
    a, b = _leaves()
    (a + b).sum().backward()
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


def test_a_training_steps_gradients_are_their_own_arrays():
    model = eager.nn.Sequential(eager.nn.Linear(6, 4), eager.nn.ReLU(), eager.nn.Linear(4, 3))
    loss = eager.nn.CrossEntropyLoss()(model(eager.randn(5, 6)), eager.tensor([0, 2, 1, 1, 0]))
    loss.backward()
    grads = [p.grad.numpy() for p in model.parameters()]
    assert all(g.flags.owndata and g.flags.c_contiguous and g.flags.writeable for g in grads)
    assert not any(np.shares_memory(g, h) for i, g in enumerate(grads) for h in grads[i + 1:])
