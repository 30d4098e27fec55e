"""Regressions: the compiled executor must give the interpreter's values and errors.

Each test pins one bug that differential testing (the compiled executor as the default)
found: a fusion firing on a region that only looks like its pattern, a buffer planned over a
value still to be read, plan-time errors without the user's node, fetched arrays the caller
could not keep.
"""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler import compile

HERE = "test_compiled_matches_interpreter.py"


def _both(g, fetches, feeds):
    """(compiled values, interpreted values) of ``fetches`` for ``feeds``."""
    got = compile(g, fetches, list(feeds)).run(feeds)
    want = static.Session(g, executor="interpret").run(fetches, feeds)
    return got, want


def _ops(c) -> list[str]:
    return [n.op for n in c.graph.nodes]


@pytest.mark.parametrize("loss", ["log_softmax", "cross_entropy"])
def test_backward_recomputation_of_log_softmax_is_not_fused_as_a_forward(loss):
    # logsumexp's gradient rebuilds x - lse (the softmax); fetching only the gradient left
    # that backward copy as the one "log_softmax" in the graph, and fusing it restaged the
    # region's own users as its backward: wrong gradients.
    rng = np.random.default_rng(0)
    xv = rng.standard_normal((4, 5))
    with static.Graph() as g:
        x = static.placeholder((4, 5), dtype="float64", name="x")
        if loss == "log_softmax":
            out = ops.sum(ops.log_softmax(x, axis=1) * rng.standard_normal((4, 5)))
        else:
            out = ops.cross_entropy(x, np.array([0, 3, 1, 4]))
        (gx,) = static.gradients(out, [x])
    got, want = _both(g, [gx], {x: xv})
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12, atol=1e-14)
    # Fetching the loss too: the cotangent is a folded constant and the backward of the
    # region's root is folded as well; the fusion must find the right cotangent or refuse.
    got, want = _both(g, [out, gx], {x: xv})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("loss", ["log_softmax", "cross_entropy"])
def test_fused_loss_gradient_uses_the_roots_cotangent(loss):
    # The cotangent comes from a weighting fed at run time (not foldable): the fusion fires
    # and its restaged gradient must start from that cotangent, not a folded constant.
    rng = np.random.default_rng(4)
    xv, sv = rng.standard_normal((4, 5)), rng.standard_normal(())
    with static.Graph() as g:
        x = static.placeholder((4, 5), dtype="float64", name="x")
        s = static.placeholder((), dtype="float64", name="s")
        if loss == "log_softmax":
            out = ops.sum(ops.log_softmax(x, axis=1) * s)
        else:
            out = ops.cross_entropy(x, np.array([0, 3, 1, 4])) * s
        (gx,) = static.gradients(out, [x])
    c = compile(g, [out, gx], [x, s])
    assert {"fused_log_softmax", "softmax_cross_entropy"} & set(_ops(c))
    got, want = _both(g, [out, gx], {x: xv, s: sv})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("extra", [{"weight": True}, {"pos_weight": True},
                                   {"weight": True, "pos_weight": True}])
def test_weighted_bce_with_logits_is_not_fused_and_matches(extra):
    rng = np.random.default_rng(1)
    xv = rng.standard_normal((4, 3)) * 3
    yv = (rng.random((4, 3)) > 0.5).astype(np.float64)
    kwargs = {k: rng.random(3) + 0.5 for k in extra}
    with static.Graph() as g:
        x = static.placeholder((4, 3), dtype="float64", name="x")
        y = static.placeholder((4, 3), dtype="float64", name="y")
        loss = ops.binary_cross_entropy_with_logits(x, y, **kwargs)
        (gx,) = static.gradients(loss, [x])
    c = compile(g, [loss, gx], [x, y])
    assert "sigmoid_bce" not in _ops(c)
    got, want = _both(g, [loss, gx], {x: xv, y: yv})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_plain_bce_with_logits_still_fuses_with_its_reduction(reduction):
    rng = np.random.default_rng(2)
    xv, yv = rng.standard_normal((4, 3)), rng.random((4, 3))
    with static.Graph() as g:
        x = static.placeholder((4, 3), dtype="float64", name="x")
        y = static.placeholder((4, 3), dtype="float64", name="y")
        loss = ops.binary_cross_entropy_with_logits(x, y, reduction=reduction)
    c = compile(g, [loss], [x, y])
    assert "sigmoid_bce" in _ops(c)
    fused = next(n for n in c.graph.nodes if n.op == "sigmoid_bce")
    assert fused.attrs["reduction"] == reduction
    got, want = _both(g, [loss], {x: xv, y: yv})
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)


def test_add_n_does_not_accumulate_into_a_term_it_reads_twice():
    # layer_norm's gradient sums add_n(a, b, b); writing into b's buffer first made the
    # second b read the partial sum.
    rng = np.random.default_rng(3)
    xv, gv = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    with static.Graph() as g:
        x = static.placeholder((None, 3, 4), dtype="float64", name="x")
        y = ops.layer_norm(x, (3, 4), eps=1e-3)
        (gx,) = static.gradients([y], [x], grad_ys=[static.constant(gv)])
    got, want = _both(g, [y, gx], {x: xv})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    with static.Graph() as g2:
        a = static.placeholder((3,), dtype="float64", name="a")
        b = ops.exp(a)
        total = ops.add_n([ops.sin(a), b, b])
    got, want = _both(g2, [total], {a: np.array([0.0, 1.0, 2.0])})
    np.testing.assert_allclose(got[0], want[0], rtol=1e-15)


def test_bounded_while_with_a_captured_value_plans_its_shapes():
    with static.Graph() as g:
        a = static.placeholder((), name="a")
        (p,) = static.while_loop(lambda p: p < 100, lambda p: (p * a,), (a * 1.0,),
                                 maximum_iterations=10)  # `a` is captured by the body
        (ga,) = static.gradients(p, [a])
    got, want = _both(g, [p, ga], {a: np.float32(3.0)})
    for u, v in zip(got, want, strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-6)


def test_plan_time_shape_error_names_the_users_node_and_changes_nothing():
    with static.Graph() as g:
        a = static.placeholder((None,), name="a")
        b = static.placeholder((None,), name="b")
        w = static.variable(np.zeros(2, np.float32), name="w")
        bump = static.assign(w, w + 1.0)
        c = a + b  # only the fed shapes can show they differ
        step = static.group(bump, ops.sum(c))
    compiled = compile(g, [step], [a, b])
    with pytest.raises(static.NodeRuntimeError) as info:
        compiled(np.ones(3, np.float32), np.ones(4, np.float32))
    msg = str(info.value)
    assert msg.startswith("add: shapes (3,) and (4,) cannot broadcast")
    assert f"failed at run time in node %{c.name}: f32[?] = add(%a, %b)" in msg
    assert f"{HERE}:" in msg and info.value.node is c
    assert w.value.tolist() == [0.0, 0.0]
    compiled(np.ones(3, np.float32), np.ones(3, np.float32))
    assert w.value.tolist() == [1.0, 1.0]


def test_code_time_error_inside_a_composite_names_it_and_the_users_node():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        idx = static.placeholder((None,), dtype="int64", name="idx")
        picked = ops.getitem(x, idx)
    with pytest.raises(static.NodeRuntimeError, match=r"\(inside getitem\)") as info:
        compile(g, [picked], [x, idx])(np.ones((2, 2), np.float32), np.array([5]))
    assert info.value.node.graph is g and f"{HERE}:" in str(info.value)


def test_fetched_feeds_and_constants_are_the_callers_copies():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        k = static.constant([1.0, 2.0], name="k")
    fed = np.zeros(2, np.float32)
    xv, kv = compile(g, [x, k], [x])(fed)
    xv[0] = kv[0] = 9.0
    assert fed[0] == 0.0 and k.value.tolist() == [1.0, 2.0]


def test_a_value_fetched_twice_gives_two_arrays():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        e1, e2 = ops.exp(x), ops.exp(x)  # CSE merges them into one node
    first, again, other = compile(g, [e1, e1, e2], [x])(np.zeros(2, np.float32))
    first[0] = 5.0
    assert again.tolist() == [1.0, 1.0] and other.tolist() == [1.0, 1.0]


def test_pass_through_gradient_read_under_a_simplified_name_is_not_double_counted():
    # simplify drops sum_to(x, shape=x.shape); autodiff's accumulation add(g, ...) still says
    # "grad of %sum_to", so fusion could not see that it passes log_softmax's cotangent
    # through, and added the fused gradient on top of it. (Found by tests/fuzz.)
    xv, w = np.array([-0.92]), np.array([1.0118])
    with static.Graph() as g:
        x = static.placeholder((1,), dtype="float64", name="x")
        y = ops.softmax(ops.sum_to(x, shape=(1,)), axis=0)
        loss = ops.sum(y * w)
        (gx,) = static.gradients(loss, [x])
    got, want = _both(g, [y, loss, gx], {x: xv})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
