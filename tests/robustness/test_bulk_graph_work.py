"""What keeps big graphs linear beyond call counts: the collector paused during gradients and
the compiler passes (static/gc_pause.py), intermediate graphs of a pass freed at once, unique
names found in one probe each (graph and generated code), renumbering in one walk, and
generated steps with many bound values compiled as globals (CPython compiles k closure cells
in O(k^2))."""

from __future__ import annotations

import gc
import linecache
import threading
import weakref

import numpy as np
import pytest

import shared_ops as ops
import static
from compare.zoo.static_graphs import chain_graph
from static.compiler import codegen, pipeline, source_text
from static.compiler import compile as compile_graph
from static.compiler.rewriter import Rewriter
from static.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def _collector_on():
    assert gc.isenabled()  # every test starts (and must end) with the collector on
    yield
    assert gc.isenabled()


def test_gc_paused_nests_and_leaves_a_disabled_collector_disabled():
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # the program's own choice stands
    finally:
        gc.enable()


def test_gc_paused_overlapping_threads_resume_when_the_last_ends():
    inside, release = threading.Event(), threading.Event()

    def worker():
        with gc_paused():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(10)
    with gc_paused():
        pass
    assert not gc.isenabled()  # this thread's pause ended, the worker's has not
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_gc_paused_resumes_after_an_exception():
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_gradients_and_passes_run_with_the_collector_paused(monkeypatch):
    seen: dict[str, bool] = {}

    def spy(name, fn):
        def wrapper(*args, **kwargs):
            seen[name] = seen.get(name, False) or gc.isenabled()
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(static.autodiff, "_backprop", spy("gradients", static.autodiff._backprop))
    monkeypatch.setattr(pipeline, "PIPELINE", [(n, spy(n, f)) for n, f in pipeline.PIPELINE])
    g, x, w, loss = chain_graph(6)
    (gw,) = static.gradients(loss, [w])
    step = compile_graph(g, [loss, gw], [x])
    step(np.ones(4, np.float32))
    assert {"gradients", "prune", "cse", "fuse", "grad_cleanup"} <= set(seen)
    assert not any(seen.values()), f"collector enabled inside: {seen}"
    assert gc.isenabled()


def test_a_pass_frees_its_intermediate_graphs_without_the_collector(monkeypatch):
    made: list[weakref.ref] = []  # every graph a pass's Rewriter started
    original = Rewriter.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(weakref.ref(self.dst))

    monkeypatch.setattr(Rewriter, "__init__", recording)
    g, x, w, loss = chain_graph(6)
    (gw,) = static.gradients(loss, [w])
    gc.collect()
    gc.disable()  # what is freed now is freed by reference counting alone
    try:
        step = compile_graph(g, [loss, gw], [x])
        kept = {id(r.graph) for r in step.reports}
        alive = [ref().nodes for ref in made if ref() is not None and id(ref()) not in kept]
    finally:
        gc.enable()
    assert len(made) > len(step.reports)  # fuse (one graph per pattern) made intermediates
    assert alive == []


class _Probes(set):
    """A set that counts membership tests."""

    probes = 0

    def __contains__(self, item) -> bool:
        _Probes.probes += 1
        return super().__contains__(item)


class _ProbedDict(dict):
    """A dict that counts membership tests."""

    probes = 0

    def __contains__(self, key) -> bool:
        _ProbedDict.probes += 1
        return super().__contains__(key)


def test_the_kth_generated_name_of_a_base_takes_one_probe():
    names = source_text.Names()
    names.used = _Probes(names.used)
    _Probes.probes = 0
    got = [names.fresh("k_erf") for _ in range(3000)]
    assert got[:3] == ["k_erf", "k_erf_1", "k_erf_2"] and len(set(got)) == 3000
    assert _Probes.probes <= 2 * 3000  # the k-th took k probes before: 4.5 million here


def test_the_kth_node_name_of_a_base_takes_one_probe():
    g = static.Graph()
    g._by_name = _ProbedDict()
    _ProbedDict.probes = 0
    with g:
        nodes = [static.constant(1.0) for _ in range(3000)]
    assert [n.name for n in nodes[:3]] == ["constant", "constant_1", "constant_2"]
    assert _ProbedDict.probes <= 3 * 3000


def test_renumber_closes_gaps_per_base_in_one_walk():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        muls = [x * float(k) for k in range(6)]  # mul, mul_1 ... mul_5 (and constants)
        kept = static.exp(muls[5])
        extra = static.exp(kept)  # exp, exp_1
    assert [m.name for m in muls] == ["mul"] + [f"mul_{k}" for k in range(1, 6)]
    g.remove([muls[2], muls[3], muls[4]])
    g.renumber([muls[5], kept, extra])
    assert [muls[5].name, kept.name, extra.name] == ["mul_2", "exp", "exp_1"]
    static.lint(g)
    assert static.exp(kept).name == "exp_2"  # counting goes on after the renumbered ones


def _failing_cross_entropy():
    rng = np.random.default_rng(0)
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = static.placeholder((None,), dtype=np.int64, name="y")
        w = static.variable(rng.standard_normal((3, 3)).astype(np.float32), name="w")
        loss = ops.cross_entropy(x @ w, y)
        train = static.optim.SGD(0.1).minimize(loss)
    xb = rng.standard_normal((4, 3)).astype(np.float32)
    return g, x, y, w, loss, train, xb


@pytest.mark.parametrize("max_cells", [10_000, 0], ids=["closure", "globals"])
def test_generated_step_as_closure_or_globals_runs_and_explains_failures(monkeypatch,
                                                                         max_cells):
    monkeypatch.setattr(codegen, "_MAX_CELLS", max_cells)
    g, x, y, w, loss, train, xb = _failing_cross_entropy()
    step = compile_graph(g, [loss, train], [x, y])
    reference = static.Session(g, executor="interpret")
    before = w.value.copy()
    (expected, _) = reference.run([loss, train], {x: xb, y: np.array([0, 1, 2, 0])})
    w.value[...] = before
    (got, _) = step(xb, np.array([0, 1, 2, 0]))
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    plan = next(iter(step.cache.plans.values()))
    for line, node in plan.line_nodes.items():  # tracebacks and errors find the right node
        assert f"%{node.name}" in linecache.getline(plan.filename, line)
    after_good_step = w.value.copy()
    with pytest.raises(static.NodeRuntimeError) as info:
        step(xb, np.array([0, 1, 7, 0]))  # class 7 of 3
    assert "out of range" in str(info.value) and plan.filename in str(info.value)
    np.testing.assert_array_equal(w.value, after_good_step)  # the failed step changed nothing
