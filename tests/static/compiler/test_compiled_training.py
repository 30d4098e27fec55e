"""Compiled training steps agree with the reference interpreter, step after step."""

from __future__ import annotations

import numpy as np
import pytest
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile


def _run_both(kind, steps=3, **kw):
    ga = mlp(**kw)
    gb = mlp(**kw)
    comp = compile(ga[0], [ga[3], ga[4]], [ga[1], ga[2]], executor=kind)
    sess = static.Session(gb[0])
    for k in range(steps):
        xb, yb = batch(ga[1], ga[2], seed=k)
        la, none = comp.run({"x": xb, "y": yb})
        lb = sess.run(gb[3], {gb[1]: xb, gb[2]: yb})
        sess.run(gb[4], {gb[1]: xb, gb[2]: yb})
        assert none is None
        np.testing.assert_allclose(la, lb, rtol=1e-5, atol=1e-6)
    for va, vb in zip(ga[0].variables(), gb[0].variables(), strict=True):
        np.testing.assert_allclose(va.value, vb.value, rtol=1e-4, atol=1e-6, err_msg=va.name)
    return comp


@pytest.mark.parametrize("kind", ["compiled", "interpret"])
@pytest.mark.parametrize("loss", ["ce", "bce_logits", "bce"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_training_matches_interpreter(kind, loss, optimizer):
    _run_both(kind, loss=loss, optimizer=optimizer)


def test_linear_composite_with_transposed_weight_trains_the_same():
    _run_both("compiled", linear=True)


def test_fetching_variables_gives_snapshots_before_the_update():
    g, x, y, loss, train, _ = mlp()
    w = g["fc0.weight"]
    comp = compile(g, [w, train, loss], [x, y])
    before = w.value.copy()
    got, _, _ = comp.run({"x": batch(x, y)[0], "y": batch(x, y)[1]})
    np.testing.assert_array_equal(got, before)
    assert not np.array_equal(w.value, before)


def test_fetched_values_are_not_overwritten_by_the_next_step():
    g, x, y, loss, train, logits = mlp()
    comp = compile(g, [logits], [x])
    xb, _ = batch(x, y)
    first = comp(xb)[0]
    kept = first.copy()
    comp(xb * 2)
    np.testing.assert_array_equal(first, kept)


def test_plan_cache_counts_hits_and_misses_per_feed_signature():
    g, x, y, loss, train, _ = mlp()
    comp = compile(g, [loss], [x, y])
    for n in (8, 8, 5, 8, 5):
        comp(*batch(x, y, n=n))
    assert (comp.cache.misses, comp.cache.hits, len(comp.cache)) == (2, 3, 2)


def test_batch_size_change_gives_correct_results():
    g, x, y, loss, train, logits = mlp()
    comp = compile(g, [logits], [x])
    sess = static.Session(g)
    for n in (4, 9, 4):
        xb, _ = batch(x, y, n=n, seed=n)
        np.testing.assert_allclose(comp(xb)[0], sess.run(logits, {x: xb}), rtol=1e-6)


def test_session_can_run_through_the_compiler():
    from static.compiler.executor import CompiledExecutor

    ga, gb = mlp(), mlp()
    sess_c = static.Session(ga[0], executor=CompiledExecutor)
    sess_i = static.Session(gb[0])
    for k in range(2):
        xb, yb = batch(ga[1], ga[2], seed=k)
        la, _ = sess_c.run([ga[3], ga[4]], {"x": xb, "y": yb})
        lb, _ = sess_i.run([gb[3], gb[4]], {"x": xb, "y": yb})
        np.testing.assert_allclose(la, lb, rtol=1e-5)
    assert len(sess_c.executor.compiled) == 1
    _, values = sess_c.run(ga[3], {"x": xb, "y": yb}, trace=True)
    assert "relu" in values


def test_plan_cache_keeps_a_bounded_number_of_plans():
    g, x, y, loss, train, logits = mlp()
    comp = compile(g, [logits], [x])
    comp.cache.max_plans = 2
    for n in (1, 2, 3, 1):
        comp(batch(x, y, n=n)[0])
    assert (len(comp.cache), comp.cache.misses, comp.cache.evictions) == (2, 4, 2)


def test_float64_graphs_compile_and_train_the_same():
    def build():
        with static.Graph() as g:
            x = static.placeholder((None, 3), dtype=np.float64, name="x")
            y = static.placeholder((None, 1), dtype=np.float64, name="y")
            w = static.variable(np.full((3, 1), 0.3), name="w", dtype=np.float64)
            b = static.variable(np.zeros(1), name="b", dtype=np.float64)
            loss = ops.binary_cross_entropy(ops.sigmoid(ops.add(ops.matmul(x, w), b)), y)
            train = static.optim.SGD(0.5).minimize(loss)
        return g, loss, train, w

    (ga, la, ta, wa), (gb, lb, tb, wb) = build(), build()
    rng = np.random.default_rng(0)
    xb, yb = rng.standard_normal((5, 3)), (rng.random((5, 1)) < 0.5) * 1.0
    comp = compile(ga, [la, ta])
    for _ in range(3):
        got = comp.run({"x": xb, "y": yb})[0]
        want = static.Session(gb).run([lb, tb], {"x": xb, "y": yb})[0]
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(wa.value, wb.value, rtol=1e-12)


def test_traced_functions_can_run_through_the_compiler():
    from static.compiler import CompiledExecutor
    from static.trace_cache import function

    def f(x, w):
        return ops.sum(ops.tanh(ops.matmul(x, w)), axis=1)

    fast = function(f, executor=CompiledExecutor)
    rng = np.random.default_rng(0)
    for n in (2, 5):
        x, w = rng.standard_normal((n, 3)).astype(np.float32), np.ones((3, 4), np.float32)
        np.testing.assert_allclose(fast(x, w), np.tanh(x @ w).sum(axis=1), rtol=1e-5)
