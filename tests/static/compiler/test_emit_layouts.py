"""The cheaper operand layouts of generated code (`emit_layouts`) give the interpreter's values:
0-d views of one-element operands, flat views for a batch of one, bias gradients as
``ones @ g``, one-element variable updates as scalar arithmetic, small loss totals as dot
products; and they are used only where they are views of the right arrays."""

from __future__ import annotations

import re

import numpy as np
import pytest
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile


def _train_both(sizes, n, loss="bce", steps=3, optimizer="plain"):
    """Train the same `mlp` compiled and interpreted on ``steps`` batches of ``n`` rows;
    assert losses and variables agree; return the compiled step."""
    ga, gb = mlp(sizes, loss=loss, optimizer=optimizer), mlp(sizes, loss=loss,
                                                             optimizer=optimizer)
    comp = compile(ga[0], [ga[3], ga[4]], [ga[1], ga[2]])
    sess = static.Session(gb[0], executor="interpret")
    for k in range(steps):
        xb, yb = batch(ga[1], ga[2], n=n, seed=k)
        got, _ = comp.run({"x": xb, "y": yb})
        want, _ = sess.run([gb[3], gb[4]], {gb[1]: xb, gb[2]: yb})
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    for va, vb in zip(ga[0].variables(), gb[0].variables(), strict=True):
        np.testing.assert_allclose(va.value, vb.value, rtol=1e-6, atol=1e-7, err_msg=va.name)
    return comp


def test_one_output_unit_uses_0d_bias_scalar_update_and_dot_sums():
    comp = _train_both((6, 5, 1), n=16)
    src = comp.source
    assert "fc1_bias_0d, out=" in src  # (16, 1) + (1,) as (16, 1) + 0-d
    assert "fc1_bias_0d[()] = fc1_bias_0d[()] - " in src  # its SGD update
    assert re.search(r"_dot\(ones_16\w*, sigmoid_grad", src)  # a bias gradient as ones @ g
    assert "_truediv(_dot(v_b" in src and ", 16)" in src  # the BCE total, then the mean


@pytest.mark.parametrize("loss", ["ce", "bce_logits"])
def test_batch_of_one_trains_the_same_on_flat_views(loss):
    comp = _train_both((6, 5, 4, 3), n=1, loss=loss, optimizer="sgd")
    assert "_flat, fc0_bias, out=" in comp.source


def test_large_bias_gradients_keep_the_reduction():
    comp = _train_both((4, 1024, 3), n=300, loss="ce", steps=1)
    src = comp.source
    assert "_add_reduce(" in src  # 300x1024 reduced
    assert re.search(r"_dot\(ones_300\w*, ", src)  # 300x3: ones @ g


def _bias_graph(bias_value):
    """relu(2 x + b) for x of shape (4,) and a variable b of shape (1, 4): same size, so the
    add runs on flat views, b's made once from the variable's storage."""
    g = static.Graph()
    with g:
        x = static.placeholder((4,), name="x")
        b = static.variable(bias_value, name="b")
        y = ops.relu(ops.add(ops.mul(x, 2.0), b))
    return g, x, b, y


def test_flat_views_follow_in_place_changes_of_a_variable():
    g, x, b, y = _bias_graph(np.arange(4, dtype=np.float32).reshape(1, 4))
    comp = compile(g, [y], [x])
    xb = np.ones(4, np.float32)
    np.testing.assert_array_equal(comp(xb)[0], [[2, 3, 4, 5]])
    assert "b_flat, out=" in comp.source
    b.value[...] = -10  # the planned views read the variable's storage itself
    np.testing.assert_array_equal(comp(xb)[0], [[0, 0, 0, 0]])


def test_a_strided_view_of_a_variable_follows_its_updates():
    # broadcast_to of a variable is a plan-time view with a 0 stride, not C-contiguous: only
    # C-contiguous arrays are homes of planned views (a reshape that had to copy would be
    # blind to every later update), so this operand keeps its shape.
    g = static.Graph()
    with g:
        x = static.placeholder((4,), name="x")
        b = static.variable(np.ones(1, np.float32), name="b")
        y = ops.relu(ops.add(ops.mul(x, 2.0), ops.broadcast_to(b, shape=(1, 4))))
    comp = compile(g, [y], [x])
    xb = np.arange(4, dtype=np.float32)
    np.testing.assert_array_equal(comp(xb)[0], [[1, 3, 5, 7]])
    b.value[...] = -2
    np.testing.assert_array_equal(comp(xb)[0], [[0, 0, 2, 4]])
    assert "_flat" not in comp.source


def test_one_element_feed_is_reshaped_at_run_time():
    g = static.Graph()
    with g:
        x = static.placeholder((None, 3), name="x")
        s = static.placeholder((1,), name="s")
        v = static.variable(np.ones((5, 3), np.float32), name="v")
        y = ops.mul(ops.add(x, s), 2.0)
        z = ops.mul(ops.sub(v, s), 3.0)  # intermediates: computed into planned buffers
    comp = compile(g, [y, z], [x, s])
    xb = np.arange(6, dtype=np.float32).reshape(2, 3)
    sb = np.array([0.5], np.float32)
    got = comp(xb, sb)
    want = static.Session(g, executor="interpret").run([y, z], {x: xb, s: sb})
    for a, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, w)
    assert "s.reshape(())" in comp.source
