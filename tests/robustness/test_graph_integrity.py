"""Graphs changed behind the executor's back: mutation after compile or after a Session
planned, and cycles, which the builder cannot make and lint / the executor reject."""

from __future__ import annotations

import numpy as np
import pytest

import static
from static.compiler import compile as compile_graph

X = np.arange(6, dtype=np.float32).reshape(2, 3)


def _graph():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = static.exp(x)
        z = static.sum(y, axis=1)
    return g, x, y, z


def test_session_replans_when_nodes_are_added():
    g, x, y, z = _graph()
    sess = static.Session(g)
    np.testing.assert_allclose(sess.run(z, {x: X}), np.exp(X).sum(1), rtol=1e-6)
    version = g.version
    with g:
        w = static.neg(z)
    assert g.version > version
    np.testing.assert_allclose(sess.run(w, {x: X}), -np.exp(X).sum(1), rtol=1e-6)


def test_compiled_step_is_a_snapshot_of_the_graph_at_compile_time():
    g, x, y, z = _graph()
    step = compile_graph(g, [z], [x])
    with g:
        static.neg(z)  # new nodes: the compiled step does not see them
    z.attrs["keepdims"] = True  # an in-place edit of the source graph after compiling
    np.testing.assert_allclose(step(X)[0], np.exp(X).sum(1), rtol=1e-6)
    assert step.graph is not g


def test_in_place_edit_is_caught_by_the_interpreter_and_lint():
    g, x, y, z = _graph()
    sess = static.Session(g, executor="interpret")
    sess.run(z, {x: X})
    z.attrs["keepdims"] = True  # aval still says f32[?]: the kernel now disagrees with it
    with pytest.raises(static.NodeRuntimeError, match=r"sum: produced float32\(2, 1\) where "
                                                      r"the graph says f32\[\?\] \(the op's "
                                                      r"shape rule and kernel disagree\)"):
        sess.run(z, {x: X})
    with pytest.raises(static.LintError, match=r"%sum \(sum\) has aval f32\[\?\] but its shape "
                                               r"rule gives f32\[\?,1\]"):
        static.lint(g)


def test_in_place_edit_is_not_silently_ignored_by_a_compiled_session():
    g, x, y, z = _graph()
    sess = static.Session(g, executor="compiled")
    sess.run(z, {x: X})
    z.attrs["keepdims"] = True
    try:
        out = sess.run(z, {x: X})
    except (static.StaticError, static.LintError):
        return  # refusing the edited graph is fine
    assert out.shape == (2, 1)  # so is running the edited graph


def test_builder_cannot_make_a_cycle():
    g, x, y, z = _graph()
    # Inputs must exist before their user, and a Node's inputs are fixed when it is made:
    # the only way to a cycle is editing node.inputs by hand.
    assert all(g.nodes.index(i) < g.nodes.index(n) for n in g.nodes for i in n.inputs)
    with pytest.raises(AttributeError):
        y.missing_slot = 1  # Nodes have __slots__: no stray state to smuggle edges in


def test_cycle_made_by_hand_is_rejected_by_lint_and_session():
    g, x, y, z = _graph()
    y.inputs = (z,)  # exp(sum(exp(...))): a cycle y -> z -> y
    with pytest.raises(static.LintError, match=r"%exp \(exp\) uses %sum before it is defined "
                                               r"\(order broken or a cycle\)"):
        static.lint(g)
    with pytest.raises(static.NodeRuntimeError, match=r"node %exp uses %sum, which does not come "
                                                      r"before it in the graph .*cycle"):
        static.Session(g, executor="interpret").run(z, {x: X})


@pytest.mark.parametrize("how", ["compile", "session"])
def test_cycle_made_by_hand_is_rejected_by_compile(how):
    g, x, y, z = _graph()
    y.inputs = (z,)
    with pytest.raises((static.LintError, static.StaticError), match="cycle"):
        if how == "compile":
            compile_graph(g, [z], [x])
        else:
            static.Session(g, executor="compiled").run(z, {x: X})


def test_fetch_of_a_removed_node_is_refused():
    g, x, y, z = _graph()
    sess = static.Session(g)
    sess.run(z, {x: X})
    g.remove([z])
    with pytest.raises(static.FetchError, match=r"fetch %sum belongs to another graph"):
        sess.run(z, {x: X})
