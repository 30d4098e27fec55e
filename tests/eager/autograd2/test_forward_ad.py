"""``autograd.forward_ad``: tangents through ops, functional calls and modules agree with
torch's forward mode; the level's rules and errors as torch's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import eager
import eager.autograd.forward_ad as efw

torch = pytest.importorskip("torch")
tfw = torch.autograd.forward_ad
# torch's first make_dual loads its jvp decompositions, through a deprecated torch.jit.script.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with tfw.dual_level():
        tfw.make_dual(torch.zeros(1), torch.zeros(1))

X = np.array([1.0, 2.0, 3.0], np.float32)
T = np.array([1.0, 0.5, -1.0], np.float32)
FW = {eager: efw, torch: tfw}

CASES = {
    "poly": lambda L, d: d ** 3 - 2 * d + 1,
    "exp_div": lambda L, d: d.exp() / (1 + d),
    "softmax": lambda L, d: L.nn.functional.softmax(d, dim=0),
    "log_softmax": lambda L, d: L.nn.functional.log_softmax(d, 0),
    "tanh": lambda L, d: L.tanh(d),
    "sum": lambda L, d: d.sum(),
    "mean": lambda L, d: (d * d).mean(),
    "matmul": lambda L, d: L.ones(2, 3) @ d,
    "relu": lambda L, d: L.nn.functional.relu(d - 2),
    "slices": lambda L, d: d[1:] * d[:-1],
    "cat": lambda L, d: L.cat([d, d * 2]),
    "where": lambda L, d: L.where(d > 1.5, d, -d),
    "max": lambda L, d: d.max(),
    "reshape": lambda L, d: d.reshape(3, 1) * d,
}


def _tangent(L, case):
    with FW[L].dual_level():
        d = FW[L].make_dual(L.tensor(X), L.tensor(T))
        primal, tangent = FW[L].unpack_dual(CASES[case](L, d))
        return primal.detach().numpy(), tangent.detach().numpy()


@pytest.mark.parametrize("case", list(CASES))
def test_tangents_match_torch(case):
    got, want = _tangent(eager, case), _tangent(torch, case)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-5, atol=1e-6)


def _module(L):
    L.manual_seed(3)
    net = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 2))
    with FW[L].dual_level():
        out = net(FW[L].make_dual(L.tensor(X), L.tensor(T)))
        tangent = FW[L].unpack_dual(out).tangent
        with L.no_grad():  # forward mode does not depend on grad mode
            plain = FW[L].unpack_dual(net(FW[L].make_dual(L.tensor(X), L.tensor(T)))).tangent
        # forward over reverse: the tangent is differentiable w.r.t. the weights
        tangent.sum().backward()
    return tangent.detach().numpy(), plain.requires_grad, plain.numpy(), \
        net[0].weight.grad.numpy()


def test_module_tangent_and_forward_over_reverse_match_torch():
    got, want = _module(eager), _module(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5, atol=1e-6)
    assert got[1] == want[1] is False
    np.testing.assert_allclose(got[2], want[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], want[3], rtol=1e-5, atol=1e-6)


def _levels(L):
    fw = FW[L]
    x = L.tensor(X)
    with fw.dual_level():
        d = fw.make_dual(x, L.tensor(T))
        facts = [repr(d), fw.unpack_dual(x).tangent, d.requires_grad, d is x,
                 type(fw.unpack_dual(d)).__name__]
        with L.no_grad():
            facts.append(fw.unpack_dual(d * 3).tangent.tolist())
        facts.append(fw.unpack_dual(L.ones(3) * 2).tangent)
    facts += [fw.unpack_dual(d).tangent, repr(d)]
    return facts


def test_levels_printing_and_unpacking_match_torch():
    assert _levels(eager) == _levels(torch)


def _errors(L):
    fw = FW[L]
    messages = []

    def caught(call):
        try:
            call()
        except (RuntimeError, ValueError) as e:
            messages.append((type(e).__name__, str(e)))

    caught(lambda: fw.make_dual(L.tensor(X), L.tensor(T)))  # no level open
    with fw.dual_level():
        caught(lambda: fw.make_dual(L.tensor(X), L.ones(2)))
        caught(lambda: fw.make_dual(L.tensor([1, 2]), L.tensor([1, 2])))
        caught(fw.enter_dual_level)  # nested
    return messages


def test_errors_match_torch():
    got = _errors(eager)
    assert len(got) == 4 and got == _errors(torch)


def _custom_function(L):
    fw = FW[L]
    seen = []

    class Cubic(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            seen.append(fw.unpack_dual(x).tangent)  # forward sees the primal only
            ctx.save_for_forward(x)
            return x * x * k + y

        @staticmethod
        def jvp(ctx, tx, tk, ty):
            seen.append((tx.tolist(), tk, ty.tolist()))
            (x,) = ctx.saved_tensors
            return 2 * x * tx * 3 + ty

        @staticmethod
        def backward(ctx, g):
            return g, None, g

    class NoJvp(Cubic):  # the same Function without a jvp
        jvp = L.autograd.Function.jvp

    with fw.dual_level():
        d = fw.make_dual(L.tensor(X), L.tensor(T))
        primal, tangent = fw.unpack_dual(Cubic.apply(d, 3.0, L.ones(3)))
        with pytest.raises(NotImplementedError) as info:
            NoJvp.apply(d, 3.0, L.ones(3))
    return seen, primal.tolist(), tangent.tolist(), str(info.value)


def test_custom_function_jvp_matches_torch():
    assert _custom_function(eager) == _custom_function(torch)


IN_PLACE = {
    "mul_": lambda L, d: (d * 1).mul_(3),
    "add_into_plain": lambda L, d: L.ones(3).add_(d),
    "zero_": lambda L, d: (d * 1).zero_(),
    "copy_constant": lambda L, d: (d * 1).copy_(L.ones(3)),
    "setitem_constant": lambda L, d: _assigned(d * 1, 1, 5.0),
    "setitem_dual": lambda L, d: _assigned(L.zeros(3), 0, d[2]),
    "iadd_recorded": lambda L, d: _iadd(L, d),
}


def _assigned(t, key, value):
    t[key] = value
    return t


def _iadd(L, d):
    w = L.ones(3, requires_grad=True)
    y = d * w  # recorded: the in-place write rebases the graph and keeps the tangent
    y += d
    return y


@pytest.mark.parametrize("case", list(IN_PLACE))
def test_in_place_writes_carry_tangents_as_torch(case):
    results = []
    for L in (eager, torch):
        with FW[L].dual_level():
            d = FW[L].make_dual(L.tensor(X), L.tensor(T))
            out = IN_PLACE[case](L, d)
            primal, tangent = FW[L].unpack_dual(out)
            results.append((primal.detach().numpy(), tangent.detach().numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)
