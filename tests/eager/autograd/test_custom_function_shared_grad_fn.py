"""A custom Function's several differentiable outputs share one grad_fn, as PyTorch's
(``a.grad_fn is b.grad_fn``), and gradients still reach each output's hooks, ``retain_grad``,
``autograd.grad`` and double backward exactly as in torch."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

X = np.random.default_rng(4).standard_normal(5)


def _sin_cos(L):
    """``(sin x, cos x, x > 0)`` in the setup_context style; the integer output is not
    differentiable."""
    def forward(x):
        return x.sin(), x.cos(), (x > 0).long()

    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    def backward(ctx, grad_sin, grad_cos, grad_int):
        (x,) = ctx.saved_tensors
        return grad_sin * x.cos() - grad_cos * x.sin()

    return type("SinCos", (L.autograd.Function,), {
        "forward": staticmethod(forward), "setup_context": staticmethod(setup_context),
        "backward": staticmethod(backward)})


@pytest.mark.parametrize("L", [torch, eager], ids=["torch", "eager"])
def test_outputs_share_one_grad_fn(L):
    s, c, i = _sin_cos(L).apply(L.tensor(X, requires_grad=True))
    assert s.grad_fn is c.grad_fn
    assert i.grad_fn is None and not i.requires_grad
    assert s.grad_fn.name() == "SinCosBackward"
    assert len(s.grad_fn.saved_tensors) == 1


def _run(L, create_graph: bool = False):
    """Hooks on each output, retain_grad on one, a loss using both (and one twice)."""
    x = L.tensor(X, requires_grad=True)
    s, c, _ = _sin_cos(L).apply(x)
    seen = []
    s.register_hook(lambda g: seen.append(("s", g.detach().numpy().copy())) or g * 3)
    c.register_hook(lambda g: seen.append(("c", g.detach().numpy().copy())))
    c.retain_grad()
    loss = (s * s).sum() + (c * L.tensor(X)).sum() + c.sum()
    (gx,) = L.autograd.grad(loss, x, create_graph=create_graph, retain_graph=True)
    loss.backward()
    return gx, x.grad, c.grad, seen


def test_gradients_hooks_and_retain_grad_equal_torchs():
    gx_t, xg_t, cg_t, seen_t = _run(torch)
    gx_e, xg_e, cg_e, seen_e = _run(eager)
    np.testing.assert_allclose(gx_e.numpy(), gx_t.numpy(), rtol=1e-12)
    np.testing.assert_allclose(xg_e.numpy(), xg_t.numpy(), rtol=1e-12)
    np.testing.assert_allclose(cg_e.numpy(), cg_t.numpy(), rtol=1e-12)
    assert sorted(n for n, _ in seen_e) == sorted(n for n, _ in seen_t)
    for (name, ge), (_, gt) in zip(sorted(seen_e, key=lambda p: p[0]),
                                   sorted(seen_t, key=lambda p: p[0]), strict=True):
        np.testing.assert_allclose(ge, gt, rtol=1e-12, err_msg=name)


def test_grad_with_respect_to_one_output_and_double_backward():
    results = []
    for L in (torch, eager):
        x = L.tensor(X, requires_grad=True)
        s, c, _ = _sin_cos(L).apply(x)
        loss = (s * c).sum() + (c ** 3).sum()
        g_s, g_c = L.autograd.grad(loss, (s, c), retain_graph=True)
        (gx,) = L.autograd.grad(loss, x, create_graph=True)
        (ggx,) = L.autograd.grad(gx.sum(), x)
        results.append([t.detach().numpy() for t in (g_s, g_c, gx, ggx)])
    for ours, theirs in zip(results[1], results[0], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_only_one_output_used_gives_zeros_for_the_other():
    grads = []
    for L in (torch, eager):
        x = L.tensor(X, requires_grad=True)
        _, c, _ = _sin_cos(L).apply(x)
        c.sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)


def test_in_place_change_of_one_output_keeps_its_place():
    """``c.mul_(2)`` records on a stand-in of ``c``'s old value, still output 1 of the
    shared entry; the gradient of the sum over both outputs is torch's."""
    grads = []
    for L in (torch, eager):
        x = L.tensor(X, requires_grad=True)
        s, c, _ = _sin_cos(L).apply(x)
        c.mul_(2)
        (s.sum() + (c * c).sum()).backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12)
