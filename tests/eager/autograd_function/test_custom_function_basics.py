"""Custom ``autograd.Function``: forward/backward, ctx, outputs and errors, each against torch.

Every case defines the same Function for ``L`` (eager or torch) and compares values, gradients
and error texts.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from small_functions import square, times

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(16)
A = RNG.standard_normal((2, 3)).astype(np.float32)
B = RNG.standard_normal((2, 3)).astype(np.float32)


def _fns(L):
    """The same Functions written for library ``L``."""

    class Scale(L.autograd.Function):  # a non-tensor input, a ctx attribute, a saved input
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x * x * k

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x * ctx.k, None

    class SumDiff(L.autograd.Function):  # two inputs, two outputs
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x + y, x * y

        @staticmethod
        def backward(ctx, gs, gp):
            x, y = ctx.saved_tensors
            return gs + gp * y, gs + gp * x

    class Split(L.autograd.Function):  # the newer style: setup_context
        @staticmethod
        def forward(x, k):
            return x * k, x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]
            ctx.save_for_backward(output[1])

        @staticmethod
        def backward(ctx, ga, gb):
            (e,) = ctx.saved_tensors
            return ga * ctx.k + gb * e, None

    return Scale, SumDiff, Split


def _leaves(L, *arrays):
    return [L.tensor(a, requires_grad=True) for a in arrays]


@pytest.mark.parametrize("case", ["scale", "sumdiff", "split", "one_output_used"])
def test_values_and_gradients_match_torch(case):
    results = {}
    for L in (eager, torch):
        Scale, SumDiff, Split = _fns(L)
        x, y = _leaves(L, A, B)
        if case == "scale":
            out = Scale.apply(x, 1.5).sum()
        elif case == "sumdiff":
            s, p = SumDiff.apply(x, y)
            out = (s * 2 + p.sin()).sum()
        elif case == "split":
            a, b = Split.apply(x, -2.0)
            out = (a * b).sum()
        else:  # only the second output reaches the loss: the first's gradient is zeros
            _, p = SumDiff.apply(x, y)
            out = p.sum()
        out.backward()
        results[L] = (out.item(), x.grad.numpy(), None if y.grad is None else y.grad.numpy())
    ev, tv = results[eager], results[torch]
    np.testing.assert_allclose(ev[0], tv[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ev[1], tv[1], rtol=1e-5, atol=1e-6)
    assert (ev[2] is None) == (tv[2] is None)
    if ev[2] is not None:
        np.testing.assert_allclose(ev[2], tv[2], rtol=1e-5, atol=1e-6)


def test_grad_fn_name_repr_and_ctx():
    names = {}
    for L in (eager, torch):
        Scale, SumDiff, _ = _fns(L)
        x = L.tensor(A, requires_grad=True)
        y = Scale.apply(x, 3)
        fn = y.grad_fn
        names[L] = (fn.name(), type(fn).__name__, re.sub(r"0x[0-9a-f]+", "ADDR", repr(fn)),
                    repr(y).split("grad_fn=")[1], fn.needs_input_grad, fn.k)
        assert fn.saved_tensors[0] is x
        s, p = SumDiff.apply(x, L.tensor(B))
        assert s.grad_fn.name() == p.grad_fn.name() == "SumDiffBackward"
        assert s.grad_fn.needs_input_grad == (True, False)
        h = x * 2  # the outputs' grad_fn lead to the producers of the inputs
        assert len(SumDiff.apply(h, x)[0].grad_fn.next_functions) == 2
        assert SumDiff.apply(h, x)[1].grad_fn.next_functions[0][0].name() == "MulBackward0"
    e, t = names[eager], names[torch]
    assert e[0] == t[0] == e[1] == t[1] == "ScaleBackward"
    assert e[2].split(".")[-1] == t[2].split(".")[-1] == "ScaleBackward object at ADDR>"
    assert e[3:] == t[3:]


def test_no_output_requires_grad_without_grad_inputs():
    for L in (eager, torch):
        Scale, _, _ = _fns(L)
        y = Scale.apply(L.tensor(A), 2.0)
        assert (y.requires_grad, y.grad_fn) == (False, None)
        with L.no_grad():
            y = Scale.apply(L.tensor(A, requires_grad=True), 2.0)
        assert (y.requires_grad, y.grad_fn) == (False, None)


def _error(fn) -> str:
    with pytest.raises(RuntimeError) as info:
        fn()
    return str(info.value)


def _bad_backwards(L):
    class TooFew(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return (g,)

    class GradForNumber(TooFew):
        @staticmethod
        def backward(ctx, g):
            return g, g

    class WrongShape(TooFew):
        @staticmethod
        def backward(ctx, g):
            return g[:1], None

    class TrailingNones(TooFew):
        @staticmethod
        def backward(ctx, g):
            return g * ctx.needs_input_grad[0], None, None

    return TooFew, GradForNumber, WrongShape, TrailingNones


@pytest.mark.parametrize("which", [0, 1, 2])
def test_wrong_gradients_raise_torchs_errors(which):
    messages = []
    for L in (eager, torch):
        fn = _bad_backwards(L)[which]
        x = L.tensor(A, requires_grad=True)
        messages.append(_error(lambda fn=fn, x=x: fn.apply(x, 2.0).sum().backward()))
    assert messages[0] == messages[1]


def test_trailing_nones_are_accepted():
    grads = []
    for L in (eager, torch):
        fn = _bad_backwards(L)[3]
        x = L.tensor(A, requires_grad=True)
        fn.apply(x, 2.0).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


@pytest.mark.parametrize("saved", ["leaf", "intermediate"])
def test_saved_tensor_modified_in_place_raises_torchs_error(saved):
    messages = []
    for L in (eager, torch):
        x = L.tensor(A, requires_grad=True)
        source = x if saved == "leaf" else x * 1
        y = square(L).apply(source)
        with L.no_grad():
            source.add_(1)
        messages.append(_error(lambda y=y: y.sum().backward()))
    assert messages[0] == messages[1]
    assert "is at version 1; expected version 0" in messages[0]


def test_unsaved_input_may_change_and_freed_tensors_raise():
    x = eager.tensor(A, requires_grad=True)
    y = times(eager, 2, "Double").apply(x)
    with eager.no_grad():
        x.add_(1)  # not saved: no error, as in torch
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full_like(A, 2))
    messages = []
    for L in (eager, torch):
        y = square(L).apply(L.tensor(A, requires_grad=True))
        y.sum().backward()
        messages.append(_error(lambda y=y: y.grad_fn.saved_tensors))
    assert messages[0] == messages[1]
    assert messages[0].startswith("Trying to backward through the graph a second time")


def _non_diff(L, materialize: bool):
    seen = []

    class ArgMaxAndDouble(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(materialize)
            idx = x.argmax(1)
            ctx.mark_non_differentiable(idx)
            return x * 2, idx, x * 3

        @staticmethod
        def backward(ctx, g, g_idx, g3):
            seen.append((None if g_idx is None else g_idx.numpy().tolist(),
                         None if g3 is None else g3.numpy().tolist()))
            return g * 2

    return ArgMaxAndDouble, seen


@pytest.mark.parametrize("materialize", [True, False])
def test_non_differentiable_outputs_and_materialize_grads(materialize):
    results = []
    for L in (eager, torch):
        fn, seen = _non_diff(L, materialize)
        x = L.tensor(A, requires_grad=True)
        y, idx, _ = fn.apply(x)
        flags = (idx.requires_grad, idx.grad_fn is None, str(idx.dtype).split(".")[-1])
        y.sum().backward()
        results.append((flags, seen, x.grad.numpy().tolist()))
    assert results[0] == results[1]


def test_input_returned_unchanged_is_a_new_tensor_sharing_storage():
    class Identity(eager.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = eager.tensor(A, requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and y.grad_fn.name() == "IdentityBackward"
    assert np.shares_memory(y.numpy(), x.detach().numpy())
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full_like(A, 5))


def _dirty(L):
    class AddInPlace(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            x.add_(w)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g, g * 3

    return AddInPlace


def test_mark_dirty_matches_torch():
    results = []
    for L in (eager, torch):
        h, w = L.tensor(A), L.tensor(B, requires_grad=True)
        y = _dirty(L).apply(h, w)
        assert y is h and y.grad_fn.name() == "AddInPlaceBackward" and y.requires_grad
        (y * y).sum().backward()
        results.append((y.detach().numpy(), w.grad.numpy()))
        leaf = L.tensor(A, requires_grad=True)
        results.append(_error(lambda L=L, leaf=leaf, w=w: _dirty(L).apply(leaf, w)).split(".")[0])
    np.testing.assert_allclose(results[0][0], results[2][0])
    np.testing.assert_allclose(results[0][1], results[2][1])
    assert results[1] == results[3]


def test_a_gradient_broadcast_to_a_larger_shape_is_summed_back_as_torch():
    grads = []
    for L in (eager, torch):
        twice = times(L, 2, "Twice", grad_shape=(4, 2, 3))  # a new leading dim in the gradient
        x = L.tensor(A, requires_grad=True)
        twice.apply(x).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])
    np.testing.assert_array_equal(grads[0], np.full_like(A, 8))
