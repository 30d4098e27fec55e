"""An exception in the middle of a training step leaves parameters and optimizer state exactly
as they were before the step, in both modes; the next good step then works normally."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim
import static
from static.compiler import compile as compile_graph

# -- eager --------------------------------------------------------------------------------------

def _eager_setup(opt_cls):
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = opt_cls(model.parameters(), lr=0.1)
    x, y = eager.randn(5, 4), eager.randn(5, 2)
    for _ in range(2):  # optimizer state exists (Adam moments, step counts)
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    return model, opt, x, y


def _snapshot(model, opt):
    params = [p.detach().numpy().copy() for p in model.parameters()]
    return params, copy.deepcopy(opt.state_dict())


def _assert_same(before, after):
    for a, b in zip(before[0], after[0], strict=True):
        np.testing.assert_array_equal(a, b)
    sa, sb = before[1]["state"], after[1]["state"]
    assert sa.keys() == sb.keys()
    for k in sa:
        assert sa[k].keys() == sb[k].keys()
        for key in sa[k]:
            np.testing.assert_array_equal(np.asarray(sa[k][key]), np.asarray(sb[k][key]))


@pytest.mark.parametrize("opt_cls", [optim.SGD, optim.Adam])
def test_eager_failure_in_backward_changes_nothing(opt_cls):
    model, opt, x, y = _eager_setup(opt_cls)
    before = _snapshot(model, opt)
    opt.zero_grad()
    hidden = model[1](model[0](x))

    def boom(grad):
        raise RuntimeError("injected failure in backward")

    hidden.register_hook(boom)
    loss = nn.functional.mse_loss(model[2](hidden), y)
    with pytest.raises(RuntimeError, match="injected failure in backward"):
        loss.backward()
    _assert_same(before, _snapshot(model, opt))


@pytest.mark.parametrize("opt_cls", [optim.SGD, optim.Adam])
def test_eager_failure_inside_optimizer_step_changes_nothing(opt_cls):
    class Flaky(opt_cls):
        calls = None  # counting once armed

        def _compute(self, *args, **kwargs):
            if Flaky.calls is not None:
                Flaky.calls += 1
            if Flaky.calls == 3:  # after two parameters were already computed
                raise FloatingPointError("injected failure in step")
            return super()._compute(*args, **kwargs)

    model, opt, x, y = _eager_setup(Flaky)
    Flaky.calls = 0
    before = _snapshot(model, opt)
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    with pytest.raises(FloatingPointError, match="injected failure in step"):
        opt.step()
    _assert_same(before, _snapshot(model, opt))
    Flaky.calls = None
    opt.step()  # the same gradients now apply normally
    assert not np.array_equal(before[0][0], model[0].weight.detach().numpy())


def test_eager_wrong_gradient_shape_in_step_changes_nothing():
    model, opt, x, y = _eager_setup(optim.Adam)
    before = _snapshot(model, opt)
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    model[2].bias.grad = eager.zeros(7)  # the last parameter's gradient is corrupt
    with pytest.raises(RuntimeError, match=r"Adam.step: gradient of shape \(7,\) for a "
                                           r"parameter of shape \(2,\)"):
        opt.step()
    _assert_same(before, _snapshot(model, opt))


# -- static -------------------------------------------------------------------------------------

def _static_setup():
    """A train step whose loss picks one output per row by a fed index: an index out of range
    fails at run time, after the forward matmuls ran and before any update."""
    rng = np.random.default_rng(0)
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = static.placeholder((None, 2), name="y")
        idx = static.placeholder((None, 1), np.int64, name="idx")
        w1 = static.variable(rng.standard_normal((4, 8)).astype(np.float32), name="w1")
        w2 = static.variable(rng.standard_normal((8, 2)).astype(np.float32), name="w2")
        pred = static.matmul(static.tanh(static.matmul(x, w1)), w2)
        diff = pred - y
        picked = static.take_along_axis(pred, idx, axis=1)
        loss = static.mean(diff * diff) + static.mean(picked)
        train = static.optim.Adam(0.1).minimize(loss)
    feeds = {x: rng.standard_normal((5, 4)).astype(np.float32),
             y: rng.standard_normal((5, 2)).astype(np.float32),
             idx: np.zeros((5, 1), np.int64)}
    bad = {**feeds, idx: np.full((5, 1), 7, np.int64)}
    return g, loss, train, feeds, bad


def _variables(g):
    return {v.name: v.value.copy() for v in g.variables()}


def _assert_vars(g, before):
    after = _variables(g)
    assert after.keys() == before.keys()
    for k in before:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)


class _FailLate(static.Interpreter):
    """Raises on the first node of the optimizer update, after forward and backward ran."""

    def run_node(self, node, args):
        if node.meta.get("role") == "update" or node.op == "assign":
            raise FloatingPointError(f"injected failure at %{node.name}")
        return super().run_node(node, args)


@pytest.mark.parametrize("executor", ["interpret", "compiled", _FailLate])
def test_static_failed_step_leaves_variables_and_slots_unchanged(executor):
    g, loss, train, feeds, bad = _static_setup()
    sess = static.Session(g, executor=executor)
    if executor is not _FailLate:
        sess.run([loss, train], feeds)  # Adam slots and step counter are non-zero now
    before = _variables(g)
    assert len(before) >= 5  # w1, w2, two moments each, the step counter
    failing = feeds if executor is _FailLate else bad
    with pytest.raises((static.NodeRuntimeError, ValueError, FloatingPointError)):
        sess.run([loss, train], failing)
    _assert_vars(g, before)
    if executor is not _FailLate:
        sess.run([loss, train], feeds)
        assert not np.array_equal(g["w1"].value, before["w1"])


def test_static_compiled_failed_step_leaves_variables_unchanged():
    g, loss, train, feeds, bad = _static_setup()
    inputs = [g["x"], g["y"], g["idx"]]
    step = compile_graph(g, [loss, train], inputs)
    step(*(feeds[p] for p in inputs))
    before = _variables(g)
    with pytest.raises(static.NodeRuntimeError, match=r"take_along_axis: .*index 7 is out of "
                                                      r"bounds") as info:
        step(*(bad[p] for p in inputs))
    assert "failed at run time in compiled code" in str(info.value)
    _assert_vars(g, before)
    step(*(feeds[p] for p in inputs))
    assert not np.array_equal(g["w1"].value, before["w1"])
