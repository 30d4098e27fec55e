"""fold_step_size: plain SGD's learning rate moves into the backward seed, and only when the
backward is provably linear in that seed (anything else leaves the graph as it was)."""

from __future__ import annotations

import numpy as np
import pytest
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile


def _report(c):
    return next(r for r in c.reports if r.name == "fold_step_size")


def _train_both(loss_kind, steps=3, **compile_kw):
    """Losses and final weights of the same model trained by the compiled step and by the
    interpreter (each on its own copy of the graph)."""
    out = []
    for executor in ("compiled", "interpret"):
        g, x, y, loss, train, _ = mlp(optimizer="plain", loss=loss_kind)
        xb, yb = batch(x, y)
        c = compile(g, [loss, train], [x, y], executor=executor, **compile_kw)
        losses = [float(c(xb, yb)[0]) for _ in range(steps)]
        out.append((c, losses, [v.value.copy() for v in g.variables()]))
    return out


@pytest.mark.parametrize("loss_kind", ["ce", "bce"])
def test_sgd_updates_lose_their_multiply_and_train_the_same(loss_kind):
    (c, losses, weights), (_, want_losses, want_weights) = _train_both(loss_kind)
    assert _report(c).rewrites["fold_step_size"] == 6  # one multiply per parameter
    assert _report(c).rewrites["scale_seed"] == 1
    updates = [n.inputs[1] for n in c.graph.nodes if n.op == "assign"]
    assert all(u.op == "sub" and u.inputs[1].op != "mul" for u in updates)
    seed = next(n for n in c.graph.nodes if n.name == "ones")
    assert seed.value == np.float32(0.1)  # the step size, where the backward starts
    np.testing.assert_allclose(losses, want_losses, rtol=1e-5)
    for got, want in zip(weights, want_weights, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert "_subtract(fc0_weight, matmul" in c.source  # w -= g, the gradient pre-scaled


def test_switching_the_pass_off_keeps_the_multiplies():
    g, x, y, loss, train, _ = mlp(optimizer="plain")
    c = compile(g, [loss, train], [x, y], passes={"fold_step_size": False})
    assert sum(n.op == "mul" and n.meta.get("role") == "update" for n in c.graph.nodes) == 6


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_optimizers_that_use_the_gradient_otherwise_are_left_alone(optimizer):
    g, x, y, loss, train, _ = mlp(optimizer=optimizer)
    c = compile(g, [loss, train], [x, y])
    assert not _report(c).rewrites
    assert _report(c).nodes_before == _report(c).nodes_after


def _linear_model():
    rng = np.random.default_rng(3)
    g = static.Graph()
    with g:
        x = static.placeholder((4, 3), name="x")
        w = static.variable(rng.standard_normal((3, 2)).astype(np.float32), name="w")
        b = static.variable(rng.standard_normal(2).astype(np.float32), name="b")
        loss = ops.sum(ops.tanh(x @ w + b))
    return g, x, w, b, loss, rng.standard_normal((4, 3)).astype(np.float32)


def test_a_fetched_gradient_keeps_its_true_value():
    g, x, w, b, loss, xb = _linear_model()
    with g:
        gw, gb = static.gradients(loss, [w, b])
        train = static.group(static.assign(w, w - gw * 0.5), static.assign(b, b - gb * 0.5))
    c = compile(g, [gw, train], [x])
    assert not _report(c).rewrites  # gw is fetched: scaling it would change what we return
    want = static.Session(g, executor="interpret").run([gw], {x: xb})[0]
    np.testing.assert_allclose(c(xb)[0], want, rtol=1e-6)


def test_different_step_sizes_or_a_nonlinear_use_are_not_folded():
    g, x, w, b, loss, xb = _linear_model()
    with g:
        gw, gb = static.gradients(loss, [w, b])
        two_rates = static.group(static.assign(w, w - gw * 0.5), static.assign(b, b - gb * 0.25))
        # Clipping by the gradient's norm: the update is no longer linear in the seed.
        clipped = static.assign(w, w - ops.mul(ops.div(gw, ops.sqrt(ops.sum(gw * gw))), 0.5))
    assert not _report(compile(g, [two_rates], [x])).rewrites
    c = compile(g, [clipped], [x])
    assert not _report(c).rewrites
    before = w.value.copy()
    c(xb)
    assert not np.allclose(w.value, before)


def test_weight_decay_is_not_folded_and_still_trains_the_same():
    g, x, w, b, loss, xb = _linear_model()
    with g:
        train = static.optim.SGD(0.1, weight_decay=0.01).minimize(loss)
    c = compile(g, [loss, train], [x])
    assert not _report(c).rewrites  # g + wd * w is affine in the seed, not linear


def test_zero_terms_and_both_operand_orders_still_fold():
    g, x, w, b, loss, xb = _linear_model()
    with g:
        gw, gb = static.gradients(loss, [w, b])
        zero = static.constant(np.zeros((3, 2), np.float32), name="zero")
        train = static.group(static.assign(w, w - ops.mul(0.5, ops.add(gw, zero))),
                             static.assign(b, b - gb * 0.5))
    c = compile(g, [loss, train], [x])
    assert _report(c).rewrites["fold_step_size"] == 2
    want_w = w.value - 0.5 * static.Session(g, executor="interpret").run([gw], {x: xb})[0]
    c(xb)
    np.testing.assert_allclose(w.value, want_w, rtol=1e-6)
