"""Compiled training steps agree with the reference interpreter, step after step."""

from __future__ import annotations

import numpy as np
import pytest
from models import batch, mlp

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
