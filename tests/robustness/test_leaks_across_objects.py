"""Memory held flat across many short-lived objects: Sessions and compiled steps made, run once
and dropped; one Session over a graph edited between runs; instances of a class whose
method is a ``static.function``. Over 1000 of them after a warm-up, the process's resident
memory may grow by at most 20 MB (each object here holds a few hundred KB of plans, buffers
or weights: a leak shows as hundreds of MB), and the generated sources registered for
tracebacks leave with their steps."""

from __future__ import annotations

import gc
import linecache
import os
import weakref
from collections.abc import Callable

import numpy as np
import pytest

import static
from static.compiler import compile as compile_graph

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/statm"),
                                reason="reads the resident memory from /proc")
LIMIT_MB = 20


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _rss_growth(make_and_drop: Callable[[], object], times: int = 1000,
                warmup: int = 100) -> float:
    """MB of resident memory gained over ``times`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        make_and_drop()
    gc.collect()
    before = _rss_mb()
    for _ in range(times):
        make_and_drop()
    gc.collect()
    return _rss_mb() - before


def _sources() -> int:
    return sum(k.startswith("<dualgraph-compiled-") for k in linecache.cache)


def _layer():
    """relu(x @ w) * 2 on 256 rows: each plan holds buffers of 64 KB."""
    with static.Graph() as g:
        x = static.placeholder((None, 64), name="x")
        w = static.variable(np.full((64, 64), 0.01, np.float32), name="w")
        y = static.relu(static.matmul(x, w)) * 2.0
    return g, x, y, np.ones((256, 64), np.float32)


def test_a_thousand_sessions_and_compiled_steps_hold_memory_flat():
    g, x, y, xv = _layer()
    sources = _sources()
    grown = _rss_growth(lambda: static.Session(g).run(y, {x: xv}))
    assert grown < LIMIT_MB, f"1000 Sessions made, run once and dropped: +{grown:.1f} MB"
    grown = _rss_growth(lambda: compile_graph(g, [y], [x])(xv))
    assert grown < LIMIT_MB, f"1000 compiled steps made, run once and dropped: +{grown:.1f} MB"
    assert _sources() == sources  # every generated source left linecache with its step


def test_a_session_over_a_graph_edited_between_runs_holds_memory_flat():
    g, x, y, xv = _layer()
    sess = static.Session(g)

    def edit_and_run():
        with g:
            out = y + 1.0  # a new graph version: the steps of older ones can never run again
        sess.run(out, {x: xv})

    grown = _rss_growth(edit_and_run)
    assert grown < LIMIT_MB, f"1000 runs of an edited graph: +{grown:.1f} MB"
    assert len(sess.executor.compiled) == 1


class _Scaler:
    def __init__(self):
        self.payload = np.ones((256, 256), np.float32)  # 256 KB that a leak would keep

    @static.function
    def scale(self, a):
        return a * 2.0


def test_instances_whose_method_is_a_function_are_freed():
    xv = np.ones((2, 3), np.float32)
    refs = []
    for _ in range(20):
        s = _Scaler()
        np.testing.assert_allclose(s.scale(xv), 2 * xv)
        assert s.scale is s.scale and s.scale.ledger.traces == 1  # one Function per instance
        refs.append(weakref.ref(s))
    del s
    np.testing.assert_allclose(_Scaler().scale(xv), 2 * xv)  # a temporary instance lives on
    step = _Scaler().scale  # while its bound Function is held
    np.testing.assert_allclose(step(xv), 2 * xv)
    del step
    gc.collect()
    assert [r() for r in refs] == [None] * 20
    assert len(_Scaler.__dict__["scale"]._bound) == 0  # no Function kept for a dead instance
