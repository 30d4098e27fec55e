"""Session.run: fetch structures, feeds, subgraph pruning, errors with the user's line,
the interpreter's checks, trace=True, all-or-nothing variable updates, swappable executors."""

from collections import namedtuple

import numpy as np
import pytest
from caller_line import here

import shared_ops as ops
import static
from static.interpreter import Interpreter

HERE = "test_session_static.py"


@pytest.fixture
def model():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="w")
        h = x @ w
        y = ops.sum(h)
        unrelated = ops.exp(static.placeholder((2,), name="other"))
    return g, x, w, h, y, unrelated


def test_fetch_structures_come_back_alike(model):
    g, x, w, h, y, _ = model
    sess = static.Session(g)
    feed = {x: np.ones((2, 3), np.float32)}
    Pair = namedtuple("Pair", "loss weight")
    assert sess.run(y, feed) == 30.0
    assert isinstance(sess.run([y, h], feed), list)
    yv, (hv, wv) = sess.run((y, (h, w)), feed)
    assert yv == 30.0 and hv.shape == (2, 2) and np.array_equal(wv, w.value)
    out = sess.run({"loss": y, "more": [h, "w"]}, feed)
    assert set(out) == {"loss", "more"} and np.array_equal(out["more"][1], w.value)
    pair = sess.run(Pair(y, w), feed)
    assert isinstance(pair, Pair) and pair.loss == 30.0
    assert sess.run("sum", {"x": np.ones((1, 3), np.float32)}) == 15.0  # names work too


def test_only_the_needed_subgraph_runs(model):
    g, x, w, h, y, _ = model
    # %other is never fed: fine, as long as no fetch needs it
    assert np.array_equal(static.Session(g).run(w), w.value)
    results, values = static.Session(g).run(y, {x: np.ones((1, 3), np.float32)}, trace=True)
    assert set(values) == {"x", "w", "matmul", "sum"}
    assert values["matmul"].tolist() == [[6.0, 9.0]] and results == 15.0


def test_default_graph_session():
    with static.Graph() as g:
        c = static.constant(3.0) * 2.0
        sess = static.Session()
    assert sess.graph is g and sess.run(c) == 6.0
    with static.Session(g) as s2:
        assert s2.run(c) == 6.0


def test_feeds_are_converted_to_the_placeholder_dtype(model):
    g, x, *_, y, _ = model
    assert static.Session(g).run(y, {x: [[1.0, 1.0, 1.0]]}) == 15.0  # list, float64 -> f32


def test_bad_feed_shape_names_placeholder_and_lines(model):
    g, x, *_, y, _ = model
    sess = static.Session(g)
    with pytest.raises(static.FeedError) as info:
        line = here() + 1
        sess.run(y, {x: np.ones((2, 4), np.float32)})
    msg = str(info.value)
    assert "%x expects shape (?, 3)" in msg and "fed shape (2, 4)" in msg
    assert f"defined at {HERE}:{x.location.lineno}" in msg
    assert f"{HERE}:{line}" in msg
    assert isinstance(info.value, ValueError)


def test_bad_feed_dtype(model):
    g, x, *_, y, _ = model
    with pytest.raises(static.FeedError, match="%x .* was fed dtype complex128"):
        static.Session(g).run(y, {x: np.ones((2, 3), np.complex128)})
    with static.Graph() as g2:
        i = static.placeholder((2,), dtype="int64", name="i")
    with pytest.raises(static.FeedError, match="was fed dtype float64"):
        static.Session(g2).run(i, {i: np.ones(2)})


def test_missing_feed_names_placeholder_fetch_and_line(model):
    g, x, *_, y, _ = model
    with pytest.raises(static.FeedError) as info:
        line = here() + 1
        static.Session(g).run([y], {})
    msg = str(info.value)
    assert "placeholder %x" in msg and "fetch %sum depends on it" in msg
    assert f"defined at {HERE}:{x.location.lineno}" in msg and f"{HERE}:{line}" in msg


def test_unknown_fetch_is_a_clear_error(model):
    g, *_ = model
    with pytest.raises(static.FetchError) as info:
        line = here() + 1
        static.Session(g).run("sumx")
    msg = str(info.value)
    assert "unknown fetch 'sumx'" in msg and "did you mean 'sum'" in msg
    assert f"{HERE}:{line}" in msg
    with static.Graph():
        stranger = static.constant(1.0, name="stranger")
    with pytest.raises(static.FetchError, match="belongs to another graph"):
        static.Session(g).run(stranger)
    with pytest.raises(static.FetchError, match="cannot fetch int"):
        static.Session(g).run(3)


def test_feeding_a_non_placeholder_is_refused(model):
    g, x, w, *_ = model
    with pytest.raises(static.FeedError, match="cannot feed %w: it is a variable"):
        static.Session(g).run(w, {w: np.zeros((3, 2), np.float32)})
    with pytest.raises(static.FeedError, match="names no node"):
        static.Session(g).run(w, {"nothing": 1.0})


def test_runtime_failure_shows_node_and_users_line():
    with static.Graph() as g:
        a = static.placeholder((None,), name="a")
        b = static.placeholder((None,), name="b")
        line = here() + 1
        c = a + b  # both dims unknown: only the data can show they differ
        d = ops.exp(c)
    with pytest.raises(static.NodeRuntimeError) as info:
        static.Session(g).run(d, {a: np.ones(3, np.float32), b: np.ones(4, np.float32)})
    msg = str(info.value)
    assert msg.startswith("add: shapes (3,) and (4,) cannot broadcast")
    assert "failed at run time in node %add: f32[?] = add(%a, %b)" in msg
    assert f"{HERE}:{line}" in msg
    assert info.value.node is c


def test_a_failed_step_leaves_variables_unchanged():
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        w = static.variable(np.ones(3, np.float32), name="w")
        bump = static.assign(w, w + 1.0)
        bad = ops.sum(x + static.placeholder((None,), name="z"))
        step = static.group(bump, bad)
    sess = static.Session(g)
    with pytest.raises(static.NodeRuntimeError):
        sess.run(step, {"x": np.ones(2, np.float32), "z": np.ones(5, np.float32)})
    assert w.value.tolist() == [1.0, 1.0, 1.0]
    assert sess.run(step, {"x": np.ones(2, np.float32), "z": np.ones(2, np.float32)}) is None
    assert w.value.tolist() == [2.0, 2.0, 2.0]


def test_assignments_land_after_the_step_and_in_place():
    with static.Graph() as g:
        w = static.variable(np.zeros(2, np.float32), name="w")
        new = static.assign(w, w + 1.0)
    storage = w.value
    sess = static.Session(g)
    old_value, assigned = sess.run([w, new])
    assert old_value.tolist() == [0.0, 0.0] and assigned.tolist() == [1.0, 1.0]
    assert w.value is storage and storage.tolist() == [1.0, 1.0]  # updated in place
    sess.run(new)
    assert old_value.tolist() == [0.0, 0.0]  # fetched values are snapshots


def test_interpreter_checks_values_against_avals():
    class Wrong(Interpreter):
        def call_op(self, node, args):
            out = super().call_op(node, args)
            return out[:, :1] if node.op == "exp" else out

    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        y = ops.exp(x)
    static.register_executor("wrong", Wrong)
    with pytest.raises(static.NodeRuntimeError, match=r"where the graph says f32\[\?,2\]"):
        static.Session(g, executor="wrong").run(y, {x: np.ones((3, 2), np.float32)})


def test_run_node_is_overridable_and_executor_swappable():
    seen = []

    class Recording(Interpreter):
        def run_node(self, node, args):
            value = super().run_node(node, args)
            seen.append((node.name, None if value is None else np.shape(value)))
            return value

    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = ops.sum(x * 2.0)
    assert static.Session(g, executor=Recording).run(y, {x: [1.0, 2.0]}) == 6.0
    assert seen == [("x", (2,)), ("constant", ()), ("mul", (2,)), ("sum", ())]
    with pytest.raises(ValueError, match="unknown executor 'nope'"):
        static.Session(g, executor="nope")


def test_failure_in_a_backward_node_names_its_forward_node():
    class Failing(Interpreter):
        def call_op(self, node, args):
            if node.meta["role"] == "backward" and node.op == "mul":
                raise FloatingPointError("injected")
            return super().call_op(node, args)

    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        line = here() + 1
        y = ops.sum(ops.exp(x))
        (gx,) = static.gradients(y, [x])
    with pytest.raises(static.NodeRuntimeError) as info:
        static.Session(g, executor=Failing).run(gx, {x: [0.0, 1.0]})
    msg = str(info.value)
    assert "FloatingPointError: injected" in msg
    assert f"part of the gradient of %exp ({HERE}:{line})" in msg


def test_nodes_refuse_to_become_arrays():
    with static.Graph():
        x = static.placeholder((2,), name="x")
    with pytest.raises(TypeError, match="has no value while the graph is being built"):
        np.asarray(x)


def test_fetched_values_belong_to_the_caller():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        c = static.constant([1.0, 2.0], name="c")
        b = ops.broadcast_to(c, shape=(3, 2))
    fed = np.zeros(2, np.float32)
    xv, cv, bv = static.Session(g).run([x, c, b], {x: fed})
    xv[0] = cv[0] = bv[0, 0] = 9.0  # writable, and writing changes nothing in the graph
    assert fed[0] == 0.0 and c.value.tolist() == [1.0, 2.0]


def test_failure_inside_a_composite_names_it():
    with static.Graph() as g:
        a = static.placeholder((None,), name="a")
        b = static.placeholder((None,), name="b")
        line = here() + 1
        m = ops.maximum(ops.clip(a, min=0.0), b)
    with pytest.raises(static.NodeRuntimeError) as info:
        static.Session(g).run(m, {a: np.ones(2, np.float32), b: np.ones(3, np.float32)})
    assert "in node %maximum" in str(info.value) and f"{HERE}:{line}" in str(info.value)
    with static.Graph() as g2:
        x = static.placeholder((None, 2), name="x")
        idx = static.placeholder((None,), dtype="int64", name="idx")
        picked = ops.getitem(x, idx)
    with pytest.raises(static.NodeRuntimeError, match=r"\(inside getitem\)"):
        static.Session(g2).run(picked, {x: np.ones((2, 2), np.float32), idx: np.array([5])})
