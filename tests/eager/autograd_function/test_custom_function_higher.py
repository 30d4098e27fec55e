"""Custom Functions under ``create_graph`` (double backward), ``gradcheck`` and
``once_differentiable``, against torch."""

from __future__ import annotations

import numpy as np
import pytest
from small_functions import square, times

import eager

torch = pytest.importorskip("torch")

X = np.random.default_rng(7).standard_normal(4)


def _cube(L):
    class Cube(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g  # differentiable ops: double backward works

    return Cube


def _two_outputs(L):
    class SinCos(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x.cos()

        @staticmethod
        def backward(ctx, gs, gc):
            (x,) = ctx.saved_tensors
            return gs * x.cos() - gc * x.sin()

    return SinCos


@pytest.mark.parametrize("which", ["cube", "sincos"])
def test_double_backward_matches_torch(which):
    results = []
    for L in (eager, torch):
        x = L.tensor(X, requires_grad=True)
        if which == "cube":
            y = _cube(L).apply(x).sum()
        else:
            s, c = _two_outputs(L).apply(x)
            y = (s * c).sum()
        (g,) = L.autograd.grad(y, x, create_graph=True)
        assert g.requires_grad
        g.sum().backward()
        results.append((g.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)


def test_gradcheck_and_gradgradcheck_on_a_custom_function():
    x = eager.tensor(X, requires_grad=True)
    assert eager.autograd.gradcheck(_cube(eager).apply, (x,))
    assert eager.autograd.gradgradcheck(_cube(eager).apply, (x,))

    class WrongGrad(eager.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # should be 2 * x * g

    with pytest.raises(RuntimeError):
        eager.autograd.gradcheck(WrongGrad.apply, (x,))


def test_once_differentiable_runs_once_and_refuses_the_second_time():
    messages = []
    for L in (eager, torch):
        Square = square(L, once_differentiable=True)
        x = L.tensor(X, requires_grad=True)
        y = Square.apply(x).sum()
        (g,) = L.autograd.grad(y, x)
        np.testing.assert_allclose(g.numpy(), 2 * X)
        # The gradient flowing in requires grad: the result is marked, differentiating it
        # raises.
        v = L.tensor(np.ones(4), requires_grad=True)
        (g,) = L.autograd.grad(Square.apply(x * 1), x, v, create_graph=True)
        assert g.requires_grad
        with pytest.raises(RuntimeError) as info:
            g.sum().backward()
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_retain_graph_and_hooks_on_custom_outputs():
    Cube = _cube(eager)
    x = eager.tensor(X, requires_grad=True)
    y = Cube.apply(x)
    seen = []
    y.register_hook(lambda g: seen.append(g.numpy().copy()) or g * 2)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 2 * 3 * X ** 2)
    assert len(seen) == 2 and np.array_equal(seen[0], np.ones(4))
    with pytest.raises(RuntimeError, match="second time"):
        y.sum().backward()


def _exp(L):
    class Exp(L.autograd.Function):  # saves its output: double backward runs through it again
        @staticmethod
        def forward(ctx, x, scale=1.0):
            y = (x * scale).exp()
            ctx.save_for_backward(y)
            ctx.scale = scale
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y * ctx.scale, None

    return Exp


def test_saved_output_double_backward_and_keyword_arguments_match_torch():
    results = []
    for L in (eager, torch):
        x = L.tensor(X, requires_grad=True)
        y = _exp(L).apply(x, scale=0.5).sum()
        (g,) = L.autograd.grad(y, x, create_graph=True)
        (g2,) = L.autograd.grad(g.sum(), x)
        results.append((g.detach().numpy(), g2.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)


def test_anomaly_mode_names_the_function_and_the_users_line():
    class Log(eager.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.log()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g / x

    x = eager.tensor([0.0, 1.0], requires_grad=True)
    with eager.autograd.detect_anomaly():
        y = Log.apply(x)
        with pytest.raises(RuntimeError, match=r"Function 'LogBackward' returned inf values in "
                                               r"its 0th output. The forward op was `Log` at "
                                               r".*test_custom_function_higher.py:\d+"):
            y.sum().backward()


def test_vjp_may_stand_for_backward_as_in_torch():
    grads = []
    for L in (eager, torch):
        x = L.tensor(X, requires_grad=True)
        times(L, 3, "Triple", rule="vjp").apply(x).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


def test_several_outputs_with_autograd_grad_subsets_and_retain_graph():
    results = []
    for L in (eager, torch):
        x = L.tensor(X, requires_grad=True)
        w = L.tensor(X[::-1].copy(), requires_grad=True)
        s, c = _two_outputs(L).apply(x * w)
        loss = (s * 2 + c * 3).sum()
        (gw,) = L.autograd.grad(loss, [w], retain_graph=True)  # only w asked
        (gs,) = L.autograd.grad(loss, [s], retain_graph=True)  # a non-leaf output itself
        loss.backward()
        results.append((gw.numpy(), gs.numpy(), x.grad.numpy()))
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
