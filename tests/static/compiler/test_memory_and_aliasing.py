"""Memory planning: buffers are reused without breaking views, variables update atomically,
and the steady state allocates (almost) nothing."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile


def _agree(g, fetches, feeds):
    got = compile(g, fetches).run(feeds)
    want = static.Session(g).run(fetches, feeds)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    return got


def test_a_buffer_is_not_reused_while_a_view_of_it_is_live():
    with static.Graph() as g:
        x = static.placeholder((3, 4), name="x")
        a = ops.exp(x)
        t = ops.transpose(a)              # a view of a's buffer
        r = ops.reshape(a, shape=(4, 3))  # another view
        b = ops.mul(a, 2.0)               # a's last direct use: must not overwrite a
        c = ops.add(ops.neg(b), ops.transpose(t))
        y = ops.add(ops.reshape(c, shape=(4, 3)), r)
    _agree(g, [y], {x: np.arange(12, dtype=np.float32).reshape(3, 4) / 10})


def test_broadcast_views_and_in_place_chains():
    with static.Graph() as g:
        x = static.placeholder((4,), name="x")
        b = ops.broadcast_to(ops.exp(x), shape=(3, 4))
        y = ops.tanh(ops.mul(ops.add(b, 1.0), ops.sigmoid(b)))
    _agree(g, [y, b], {x: np.linspace(-1, 1, 4, dtype=np.float32)})


def test_every_node_reads_old_variable_values_and_updates_land_at_the_end():
    with static.Graph() as g:
        w = static.variable(np.ones(3, np.float32), name="w")
        v = static.variable(np.full(3, 5.0, np.float32), name="v")
        up = static.group(static.assign(w, v), static.assign(v, w))  # a swap
        after = ops.mul(w, 2.0)  # built after the assign: still the old w in this step
    got = compile(g, [after, up]).run({})
    np.testing.assert_array_equal(got[0], [2, 2, 2])
    np.testing.assert_array_equal(w.value, [5, 5, 5])
    np.testing.assert_array_equal(v.value, [1, 1, 1])


def test_in_place_update_of_a_variable_keeps_old_value_for_fetches():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        w = static.variable(np.zeros(3, np.float32), name="w")
        step = static.assign(w, ops.sub(w, x))
        read = ops.add(w, 0.5)
    c = compile(g, [read, step, w])
    r, s, old = c.run({x: np.ones(3, np.float32)})
    np.testing.assert_array_equal(r, [0.5] * 3)
    np.testing.assert_array_equal(s, [-1] * 3)
    np.testing.assert_array_equal(old, [0] * 3)
    np.testing.assert_array_equal(w.value, [-1] * 3)


def test_training_step_is_done_in_place_with_reused_buffers():
    g, x, y, loss, train, _ = mlp(sizes=(20, 16, 16, 3))
    c = compile(g, [loss, train], [x, y])
    c(*batch(x, y, n=32))
    src = c.source
    assert "_subtract(fc0_weight, " in src and "out=fc0_weight)" in src
    plan = c.cache.plans[next(iter(c.cache.plans))].plan
    assert len(plan.buffers) < len(plan.buffer_of)  # buffers are shared between values
    assert plan.inplace  # and some ops write over a dying input


def test_steady_state_allocates_almost_nothing():
    g, x, y, loss, train, _ = mlp(sizes=(64, 64, 64, 10))
    c = compile(g, [loss, train], [x, y])
    xb, yb = batch(x, y, n=64)
    for _ in range(3):
        c(xb, yb)
    step = c.cache.plans[next(iter(c.cache.plans))]
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for _ in range(5):
            c(xb, yb)
        gc.collect()  # garbage of other tests' making, freed by chance mid-measurement
        first, peak = tracemalloc.get_traced_memory()
        for _ in range(20):
            c(xb, yb)
        gc.collect()
        later = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert later - first < 1024  # nothing accumulates from step to step
    # The most a step holds at once beyond its planned buffers: the fused loss kernels'
    # (64, 10) temporaries and the fetched scalar, against ~75 kB of planned buffers.
    assert peak < 0.5 * step.plan.bytes()


def test_a_fetched_view_of_a_variable_keeps_the_value_before_the_update():
    with static.Graph() as g:
        w = static.variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="w")
        row = w[0]  # basic indexing: a view of w's storage
        up = static.assign(w, ops.mul(w, 10.0))
    got, _ = compile(g, [row, up]).run({})
    np.testing.assert_array_equal(got, [0, 1, 2])
    np.testing.assert_array_equal(w.value[0], [0, 10, 20])
