"""Tape autograd: gradients vs torch, accumulation, higher order, the errors PyTorch gives."""

from __future__ import annotations

import numpy as np
import pytest

import eager

RNG = np.random.default_rng(1)
X = RNG.standard_normal((3, 4))
W = RNG.standard_normal((4, 2))
V = RNG.standard_normal(4)

# Scalar-valued expressions of (x, w, v); gradients w.r.t. all three are compared with torch.
EXPRESSIONS = [
    ("mlp", lambda L, x, w, v: ((x @ w).tanh() ** 2).sum()),
    ("broadcast", lambda L, x, w, v: (x * v + v / (x.abs() + 1)).mean()),
    ("softmax-ce", lambda L, x, w, v: -(x @ w).log_softmax(1)[:, 0].sum()),
    ("max-relu", lambda L, x, w, v: x.max(dim=1)[0].sum() + (x - v).relu().sum()),
    ("reshape-t", lambda L, x, w, v: (x.t().reshape(2, 6) @ x.reshape(6, 2)).sum()),
    ("index", lambda L, x, w, v: (x[1:, ::2] * 3).sum() + x[[0, 0, 2]].sum() + v[v > 0].sum()),
    ("cat-stack", lambda L, x, w, v: (L.cat([x, x * 2]) ** 2).sum()
     + L.stack([v, v.exp()]).sum()),
    ("where-clamp", lambda L, x, w, v: L.where(x > 0, x, x * 0.1).sum()
     + x.clamp(-0.3, 0.3).sum()),
    ("var-lse", lambda L, x, w, v: x.var(1).sum() + L.logsumexp(x, 0).sum()),
    ("reuse", lambda L, x, w, v: (x * x * x).sum() + (x + x).sum()),
    ("sigmoid-sqrt", lambda L, x, w, v: (x.sigmoid() * (v.abs() + 1).sqrt()).sum()),
]


def _grads(L, fn):
    if L is eager:
        leaves = [eager.tensor(a, requires_grad=True) for a in (X, W, V)]
    else:
        leaves = [L.tensor(a, requires_grad=True) for a in (X, W, V)]
    out = fn(L, *leaves)
    out.backward()
    return out, [None if t.grad is None else t.grad.numpy() for t in leaves]


@pytest.mark.parametrize("fn", [f for _, f in EXPRESSIONS], ids=[i for i, _ in EXPRESSIONS])
def test_gradients_match_torch(fn):
    torch = pytest.importorskip("torch")
    ours, g_ours = _grads(eager, fn)
    theirs, g_theirs = _grads(torch, fn)
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    for a, b in zip(g_ours, g_theirs, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_grad_accumulates_in_leaves_and_never_aliases():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = eager.tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()
    # add's gradient rule hands the same array to both inputs: the stored grads must differ.
    assert not np.shares_memory(x.grad.numpy(), y.grad.numpy())
    (x * 3).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0] and y.grad.tolist() == [1.0, 1.0]
    g = eager.tensor([1.0, 1.0])
    x.grad = None
    x.backward(g)
    assert x.grad.tolist() == [1.0, 1.0]
    assert not np.shares_memory(x.grad.numpy(), g.numpy())


def test_leaf_root_and_explicit_gradient():
    x = eager.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * 2).backward(eager.tensor([1.0, 0.0, -1.0]))
    assert x.grad.tolist() == [2.0, 0.0, -2.0]
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(eager.ones(2))


def test_non_scalar_backward_needs_a_gradient():
    x = eager.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs"):
        (x * 2).backward()


def test_backward_of_a_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        eager.ones(2).sum().backward()


def test_second_backward_needs_retain_graph():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="backward through the graph a second time.*"
                                           "retain_graph=True"):
        y.backward()


def test_saved_values_are_freed_after_backward():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    assert node.arrays is None and node.out is None


def test_modified_after_saved_raises_instead_of_a_wrong_gradient():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    c = eager.tensor([3.0, 4.0])
    y = (x * c).sum()
    c.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*version 1; "
                                           "expected version 0"):
        y.backward()
    e = x.exp()  # exp's rule uses its output: changing the output is caught too
    with eager.no_grad():
        e.mul_(2)
    with pytest.raises(RuntimeError, match="output 0 of Exp, "):
        e.backward(eager.ones(2))


def test_no_grad_enable_grad_and_decorators():
    x = eager.ones(2, requires_grad=True)
    with eager.no_grad():
        assert not eager.is_grad_enabled()
        y = x * 2
        with eager.enable_grad():
            z = x * 2
    assert eager.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad

    @eager.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    eager.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        eager.set_grad_enabled(True)
    with eager.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad


def test_double_backward_of_a_cube():
    x = eager.tensor(3.0, requires_grad=True)
    (dy,) = eager.autograd.grad(x ** 3, x, create_graph=True)
    assert dy.item() == 27.0 and dy.requires_grad
    (d2,) = eager.autograd.grad(dy, x, create_graph=True)
    assert d2.item() == 18.0
    (d3,) = eager.autograd.grad(d2, x)
    assert d3.item() == 6.0


def test_second_derivatives_through_saved_outputs_match_torch():
    torch = pytest.importorskip("torch")

    def hess_diag(L, a):
        x = L.tensor(a, requires_grad=True)
        y = (x.exp() * x.tanh() + x.sigmoid()).sum()
        (g,) = L.autograd.grad(y, x, create_graph=True)
        (h,) = L.autograd.grad(g.sum(), x)
        return g.detach().numpy(), h.numpy()

    a = np.array([0.3, -1.2, 2.0])
    for ours, theirs in zip(hess_diag(eager, a), hess_diag(torch, a), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_create_graph_backward_leaves_a_differentiable_grad():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    (x ** 2).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.tolist() == [2.0, 4.0]
    g = x.grad
    x.grad = None
    g.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_autograd_grad_leaves_dot_grad_alone_and_checks_unused():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    u = eager.tensor([5.0], requires_grad=True)
    y = (x * x).sum()
    (gx, gu) = eager.autograd.grad(y, [x, u], allow_unused=True, retain_graph=True)
    assert gx.tolist() == [2.0, 4.0] and gu is None and x.grad is None
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        eager.autograd.grad(y, [u])
    h = x * 3
    (gh,) = eager.autograd.grad((h * h).sum(), h)  # a non-leaf input
    assert gh.tolist() == [6.0, 12.0]


def test_backward_inputs_limits_accumulation():
    a = eager.ones(2, requires_grad=True)
    b = eager.ones(2, requires_grad=True)
    (a * b * 2).sum().backward(inputs=[a])
    assert a.grad.tolist() == [2.0, 2.0] and b.grad is None


def test_hooks_see_and_replace_gradients():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: g * 10)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.tolist()))
    y.retain_grad()
    (y * y).sum().backward()
    assert seen == [[4.0, 8.0]]
    assert y.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [80.0, 160.0]
    handle.remove()
    x.grad = None
    (x * 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        eager.ones(1).register_hook(lambda g: g)


def test_grad_fn_names_and_graph_links():
    x = eager.tensor([[1.0, 2.0]], requires_grad=True)
    w = eager.ones(2, 2)
    y = x @ w
    assert y.grad_fn.name() == "MmBackward0"
    assert repr(y.grad_fn).startswith("<MmBackward0 object at 0x")
    assert (y + 1).grad_fn.name() == "AddBackward0"
    assert y.sum().grad_fn.name() == "SumBackward0"
    assert y.sum(1).grad_fn.name() == "SumBackward1"
    assert (1 - y).grad_fn.name() == "RsubBackward1"
    # As torch: a leaf requiring grad shows as its AccumulateGrad node, a constant as None.
    (acc, nr), constant = y.grad_fn.next_functions
    assert type(acc).__name__ == "AccumulateGrad" and acc.variable is x and nr == 0
    assert constant == (None, 0)
    assert (y * 2).grad_fn.next_functions[0][0] is y.grad_fn
    assert x.grad_fn is None and x.is_leaf


def test_a_100k_op_chain_backpropagates_without_recursion():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    zero = eager.zeros(2)
    y = x
    for _ in range(100_000):
        y = y + zero
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
    del y  # freeing the chain must not recurse either


def test_integer_and_comparison_results_carry_no_gradient():
    x = eager.tensor([1.0, -2.0], requires_grad=True)
    assert not (x > 0).requires_grad
    assert not x.argmax().requires_grad
    n = x.long()
    assert not n.requires_grad


def test_retain_grad_keeps_a_private_copy_once():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    y = x + 0
    y.retain_grad()
    y.retain_grad()
    assert y.retains_grad and not x.retains_grad
    y.sum().backward()
    assert y.grad.tolist() == [1.0, 1.0]
    assert not np.shares_memory(y.grad.numpy(), x.grad.numpy())


def test_grad_wrt_a_non_leaf_stops_there_and_keeps_the_rest_of_the_graph():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    y = (h * h).sum()
    (gh,) = eager.autograd.grad(y, h)
    assert np.allclose(gh.numpy(), 2 * np.exp([1.0, 2.0]))
    assert h.grad_fn.arrays is not None  # exp's rule did not run: its saved values remain
    h.sum().backward()
    assert np.allclose(x.grad.numpy(), np.exp([1.0, 2.0]))


def test_backward_inputs_runs_leaf_hooks_once():
    a = eager.ones(2, requires_grad=True)
    a.register_hook(lambda g: g * 10)
    (a * 2).sum().backward(inputs=[a])
    assert a.grad.tolist() == [20.0, 20.0]


def test_set_grad_enabled_as_a_decorator_only_affects_calls():
    @eager.set_grad_enabled(False)
    def f(t):
        return t * 2

    assert eager.is_grad_enabled()
    x = eager.ones(1, requires_grad=True)
    assert not f(x).requires_grad and (x * 2).requires_grad

    @eager.no_grad()
    def gen(t):
        yield t * 2
        yield t * 3

    assert [y.requires_grad for y in gen(x)] == [False, False]
    assert eager.is_grad_enabled()


def test_grad_and_backward_take_any_iterable_of_tensors_as_torch():
    """RL code passes ``model.parameters()`` (a generator) as ``inputs`` straight away."""
    model = eager.nn.Linear(3, 2)
    loss = model(eager.ones(4, 3)).sum()
    grads = eager.autograd.grad(loss, model.parameters(), retain_graph=True)
    assert [tuple(g.shape) for g in grads] == [(2, 3), (2,)]
    np.testing.assert_array_equal(grads[1].numpy(), [4.0, 4.0])
    loss.backward(inputs=iter([model.bias]))
    assert model.weight.grad is None
    np.testing.assert_array_equal(model.bias.grad.numpy(), [4.0, 4.0])


def test_an_input_returned_as_is_and_marked_non_differentiable_does_not_require_grad():
    class PassThrough(eager.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.mark_non_differentiable(x)
            return x, y * 2

        @staticmethod
        def backward(ctx, gx, gy):
            return None, gy * 2

    x = eager.ones(2, requires_grad=True)
    y = eager.ones(2, requires_grad=True)
    a, b = PassThrough.apply(x, y)
    assert (a.requires_grad, b.requires_grad, a is x) == (False, True, False)  # torch's answer
    b.sum().backward()
    assert x.grad is None
    np.testing.assert_array_equal(y.grad.numpy(), [2.0, 2.0])
