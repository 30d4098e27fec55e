"""``ctx.mark_dirty``: an input a custom Function modifies in place and returns is rebased
onto the Function's node, as in torch; torch's error where the change corrupts a saved value.
(A dirty input that needs no grad, and a dirty leaf, are in test_custom_function_basics.)"""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

Z = np.array([0.5, -1.0, 2.0], np.float32)


def _in_place(L, method: str, *args, save_output: bool = False):
    """A Function running ``x.<method>(*args)`` in place on its input and marking it dirty;
    its backward scales by 3, or by the output it saved (exp's rule)."""

    class InPlace(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            getattr(x, method)(*args)
            ctx.mark_dirty(x)
            ctx.save_for_backward(x if save_output else None)
            return x

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * (3 if y is None else y)

    return InPlace


def _rebased(L, make):
    z = L.tensor(Z, requires_grad=True)
    a = make(z)
    out = _in_place(L, "add_", 1).apply(a)
    facts = (out is a, type(out.grad_fn).__name__, a._version,
             [type(n).__name__ for n, _ in out.grad_fn.next_functions])
    (out * out).sum().backward()
    return facts, z.grad.numpy(), out.detach().numpy()


@pytest.mark.parametrize("make", [lambda z: z.clone(), lambda z: z * 1, lambda z: z + 0])
def test_dirty_input_is_rebased_as_torch(make):
    got, want = _rebased(eager, make), _rebased(torch, make)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-6)


def _exp_chain(L):
    z = L.tensor(Z, requires_grad=True)
    out = _in_place(L, "exp_", save_output=True).apply(z * 2)
    out.sum().backward()
    return z.grad.numpy()


def test_dirty_output_saved_by_the_function():
    np.testing.assert_allclose(_exp_chain(eager), _exp_chain(torch), rtol=1e-6)


def _exp_then_dirty(L):
    z = L.tensor(Z, requires_grad=True)
    e = z.exp()  # exp's node needs its output, which the Function then changes
    _in_place(L, "add_", 1).apply(e)
    with pytest.raises(RuntimeError) as info:
        e.sum().backward()
    return str(info.value)


def test_dirty_output_needed_by_its_producer_raises_at_backward():
    assert _exp_then_dirty(eager) == _exp_then_dirty(torch)


@pytest.mark.parametrize("L", [eager, torch])
def test_dirty_outside_grad_mode_only_bumps_the_version(L):
    a = L.tensor(Z)
    out = _in_place(L, "add_", 1).apply(a)
    assert out is a and out.grad_fn is None and a._version == 2


def test_dirty_view_is_refused_not_silently_wrong():
    base = eager.tensor(Z, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="mark_dirty: an in-place change of a view"):
        _in_place(eager, "add_", 1).apply(base[:2])
