"""The backward walk's bookkeeping: recording order, the write epoch, fixed ``needs``."""

from __future__ import annotations

import numpy as np
import pytest

import eager
from eager.autograd import engine, versions


def test_walk_visits_every_consumer_before_its_producer():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2.0
    b = a.exp()  # a diamond: a feeds b and c, both feed d
    c = a * a
    d = (b + c).sum()
    order = engine.topological_order([d.grad_fn])
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == 5
    for node in order:
        for t in node.inputs:
            producer = getattr(t, "grad_fn", None)
            if producer is not None:
                assert position[producer] > position[node], node
    d.backward()
    expected = 2.0 * np.exp([2.0, 4.0]) + 8.0 * np.array([1.0, 2.0])
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_every_in_place_write_moves_the_write_epoch():
    t = eager.zeros(3)
    moves = [lambda: t.add_(1.0), lambda: t.fill_(2.0), lambda: t.__setitem__(0, 5.0),
             lambda: t.zero_(), lambda: t._bump_version()]
    for move in moves:
        before = versions.epoch()
        version = t._version
        move()
        assert versions.epoch() != before
        assert t._version == version + 1


def test_version_checks_run_only_after_a_write(monkeypatch):
    checked = []
    real = engine._check_versions
    monkeypatch.setattr(engine, "_check_versions", lambda node: checked.append(node) or real(node))
    w = eager.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert checked == []  # nothing written in place since recording: no node looked at
    other = eager.zeros(1)
    y = (w * w).sum()
    other.add_(1.0)  # a write elsewhere moves the epoch: every node is checked, and passes
    y.backward()
    assert len(checked) == 2
    np.testing.assert_allclose(w.grad.numpy(), [4.0, 8.0])


def test_a_write_to_a_saved_view_is_still_caught_after_the_epoch_moved():
    base = eager.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = base * 1.0
    view = h[1:]
    y = (view * view).sum()
    with eager.no_grad():
        h[0] = 7.0  # writes h's storage: the saved view shares its version counter
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_which_inputs_want_a_gradient_is_fixed_when_the_op_runs():
    # As in PyTorch: the edge to a leaf exists from the moment the op is recorded.
    w = eager.tensor([1.0, 2.0], requires_grad=True)
    y = (w * 3.0).sum()
    w.requires_grad_(False)
    y.backward()
    np.testing.assert_allclose(w.grad.numpy(), [3.0, 3.0])
