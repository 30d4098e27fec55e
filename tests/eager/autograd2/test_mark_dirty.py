"""``ctx.mark_dirty``: an input a custom Function modifies in place and returns is rebased
onto the Function's node, as in torch; torch's errors where it cannot be."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

Z = np.array([0.5, -1.0, 2.0], np.float32)


def _fns(L):
    class AddOne(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    class ExpInPlace(L.autograd.Function):  # saves the dirty output itself
        @staticmethod
        def forward(ctx, x):
            x.exp_()
            ctx.mark_dirty(x)
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    class AddInto(L.autograd.Function):  # the dirty input needs no grad, the other does
        @staticmethod
        def forward(ctx, x, y):
            x.add_(y)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g, g * 2

    return AddOne, ExpInPlace, AddInto


def _rebased(L, make):
    add_one, _, _ = _fns(L)
    z = L.tensor(Z, requires_grad=True)
    a = make(z)
    out = add_one.apply(a)
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
    _, exp_in_place, _ = _fns(L)
    z = L.tensor(Z, requires_grad=True)
    out = exp_in_place.apply(z * 2)
    out.sum().backward()
    return z.grad.numpy()


def test_dirty_output_saved_by_the_function():
    np.testing.assert_allclose(_exp_chain(eager), _exp_chain(torch), rtol=1e-6)


def _exp_then_dirty(L):
    add_one, _, _ = _fns(L)
    z = L.tensor(Z, requires_grad=True)
    e = z.exp()  # exp's node needs its output, which AddOne then changes
    add_one.apply(e)
    with pytest.raises(RuntimeError) as info:
        e.sum().backward()
    return str(info.value)


def test_dirty_output_needed_by_its_producer_raises_at_backward():
    assert _exp_then_dirty(eager) == _exp_then_dirty(torch)


def _leaf_error(L):
    add_one, _, _ = _fns(L)
    with pytest.raises(RuntimeError) as info:
        add_one.apply(L.tensor(Z, requires_grad=True))
    return str(info.value)


def test_dirty_leaf_requiring_grad_is_torchs_error():
    assert _leaf_error(eager) == _leaf_error(torch)


def _plain_input(L):
    _, _, add_into = _fns(L)
    w = L.ones(3)
    z = L.tensor(Z, requires_grad=True)
    out = add_into.apply(w, z)
    facts = (out is w, w.requires_grad, w.is_leaf, type(out.grad_fn).__name__)
    out.sum().backward()
    return facts, z.grad.numpy(), w.detach().numpy()


def test_dirty_input_not_requiring_grad_joins_the_graph():
    got, want = _plain_input(eager), _plain_input(torch)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2])


def test_dirty_outside_grad_mode_only_bumps_the_version():
    for L in (eager, torch):
        add_one, _, _ = _fns(L)
        a = L.tensor(Z)
        out = add_one.apply(a)
        assert out is a and out.grad_fn is None and a._version == 2


def test_dirty_view_is_refused_not_silently_wrong():
    add_one, _, _ = _fns(eager)
    base = eager.tensor(Z, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="mark_dirty: an in-place change of a view"):
        add_one.apply(base[:2])
