"""Bounded caches of compiled work (static/lru.py): plans per feed shape, compiled steps per
Session, traces per static.function. Each keeps a documented default number of entries
(64), is configurable, drops the least recently used first, and a static.function's ledger
shows every eviction where it shows retraces."""

from __future__ import annotations

import numpy as np
import pytest

import static
from static import lru
from static.compiler import CompiledExecutor
from static.compiler import compile as compile_graph


def _doubling():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = static.relu(x) * 2.0
    return g, x, y


def _rows(n: int) -> np.ndarray:
    return np.ones((n, 3), np.float32)


def test_the_defaults_are_documented_and_64():
    assert lru.MAX_PLANS == lru.MAX_STEPS == lru.MAX_TRACES == 64
    g, x, y = _doubling()
    assert compile_graph(g, [y], [x]).cache.max_plans == 64
    assert static.Session(g).executor.compiled.limit == 64
    assert static.function(lambda a: a * 2.0).max_traces == 64
    assert "MAX_PLANS" in lru.__doc__ and "max_traces" in lru.__doc__


def test_a_compiled_step_keeps_at_most_max_plans_least_recently_used_out():
    g, x, y = _doubling()
    step = compile_graph(g, [y], [x])
    for n in range(1, 71):  # 70 feed shapes: 70 plans made, 64 kept
        step(_rows(n))
    assert (len(step.cache), step.cache.misses, step.cache.evictions) == (64, 70, 6)
    assert (1, 3) not in {key[0][0] for key in step.cache.plans}  # the oldest went first
    step(_rows(7))  # used again: now the most recent...
    step(_rows(100))  # ...so this one evicts the 8-row plan, not the 7-row one
    shapes = {key[0][0] for key in step.cache.plans}
    assert (7, 3) in shapes and (8, 3) not in shapes and step.cache.misses == 71


def test_max_plans_is_a_keyword_and_an_attribute():
    g, x, y = _doubling()
    step = compile_graph(g, [y], [x], max_plans=2)
    for n in (1, 2, 1, 3):  # the 1-row plan was used last but one: the 2-row one goes
        step(_rows(n))
    assert {key[0][0] for key in step.cache.plans} == {(1, 3), (3, 3)}
    step.cache.max_plans = 1
    assert len(step.cache) == 1 and step.cache.evictions == 2
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="max_plans must be an int >= 1"):
            compile_graph(g, [y], [x], max_plans=bad)


def test_a_session_keeps_at_most_max_steps_compiled_steps():
    g, x, y = _doubling()
    with g:
        z = y + 1.0
        w = y * 3.0
    sess = static.Session(g, max_steps=2, max_plans=4)
    for fetch in (y, z, w):
        sess.run(fetch, {x: _rows(2)})
    assert len(sess.executor.compiled) == 2 and sess.executor.compiled.evictions == 1
    assert all(c.cache.max_plans == 4 for c in sess.executor.compiled.values())
    with pytest.raises(ValueError, match="max_steps must be an int >= 1"):
        static.Session(g, max_steps=0)


def test_a_graph_edited_between_runs_keeps_no_stale_steps():
    g, x, y = _doubling()
    sess = static.Session(g)
    for k in range(10):
        with g:
            out = y + float(k)  # each edit makes a new graph version
        sess.run(out, {x: _rows(2)})
    # Steps of older versions can never run again: only the current version's is kept.
    assert len(sess.executor.compiled) == 1
    assert len(sess._inputs) <= lru.MAX_STEPS


def test_evicted_traces_are_in_the_ledger_where_retraces_are_shown():
    f = static.function(lambda a: a * 2.0, max_traces=2)
    for n in (1, 2, 3, 1):
        f(_rows(n))
    ledger = f.ledger
    assert [(e.kind, e.what, e.trace) for e in ledger.evictions] == [
        ("trace", "(a: f32[1,3])", 1), ("trace", "(a: f32[2,3])", 2)]
    assert ledger.evicted == 2 and len(f._cache) == 2
    assert ledger.records[-1].reason == "evicted before (trace 1, max_traces=2)"
    text = str(ledger)
    assert "4 calls (0 hits, 4 misses, 2 evictions)" in text
    assert "evicted trace 1 (a: f32[1,3]) at call 3 (max_traces=2, least recently used)" in text
    assert "hint: 1 retrace of evicted signatures" in text


def test_a_trace_in_use_is_not_the_one_evicted():
    f = static.function(lambda a: a * 2.0, max_traces=2)
    f(_rows(1))
    f(_rows(2))
    f(_rows(1))  # the steady-state fast path: still marks the 1-row trace as used
    f(_rows(3))
    assert [e.what for e in f.ledger.evictions] == ["(a: f32[2,3])"]
    f.max_traces = 1
    assert [e.what for e in f.ledger.evictions][-1] == "(a: f32[1,3])"
    np.testing.assert_allclose(f(_rows(3)), 2 * _rows(3))  # the kept trace still runs


def test_plans_a_trace_evicts_are_in_the_ledger_too():
    f = static.function(lambda a: a * 2.0, shape_policy="dynamic",
                        executor=lambda g: CompiledExecutor(g, max_plans=2))
    for n in (1, 2, 3):  # one trace for every shape, one plan per shape
        f(_rows(n))
    assert f.ledger.traces == 1
    assert [(e.kind, e.what, e.trace) for e in f.ledger.evictions] == [
        ("plan", "(a: f32[1,3])", 1)]
    assert "evicted plan of trace 1" in str(f.ledger)
