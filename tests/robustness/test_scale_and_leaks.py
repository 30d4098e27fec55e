"""Scale and leaks: graph building, differentiation and compilation do linearly much work in
the graph's size (function call counts at two sizes; benchmarks/bench_scale.py prints the
times up to 100,000 nodes), eager backward walks a 100,000-op chain without recursion, and
training loops in either mode hold their memory flat (tapes and plans are freed)."""

from __future__ import annotations

import cProfile
import gc
import importlib
import pstats
import sys
import tracemalloc
import weakref
from collections import Counter

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim
import static
from compare.zoo.static_graphs import chain_graph, regression_mlp_graph
from static.compiler import compile as compile_graph


def _wide_graph(k: int):
    """One weight read by ``k`` ops (distinct constants, the generic-kernel ``erf``) whose
    results are summed: a node with ``k`` users, a ``k``-term gradient sum (``add_n``), ``k``
    closure values in the generated step. Returns (graph, x, w, loss)."""
    g = static.Graph()
    with g:
        x = static.placeholder((4,), name="x")
        w = static.variable(np.ones(4, np.float32), name="w")
        total = static.sin(x * w)
        for i in range(k):
            total = total + static.erf(w * (1.0 + i / k))
        loss = static.sum(total)
    return g, x, w, loss


def _every_phase(make_graph, size: int) -> None:
    """Build, differentiate, lint and list, run on the interpreter, compile (all passes) and
    generate code."""
    g, x, w, loss = make_graph(size)
    (gw,) = static.gradients(loss, [w])
    static.lint(g)
    assert str(g).count("\n") == len(g.nodes) - 1
    feed = np.ones(4, np.float32)
    static.Session(g, executor="interpret").run([loss, gw], {x: feed})
    compile_graph(g, [loss, gw], [x])(feed)


def _graph_size(*args, **kwargs) -> int:
    """The size of the graph (or node list) a whole-graph helper was given."""
    first = args[0]
    return len(first.nodes) if isinstance(first, static.Graph) else len(first)


# Helpers that walk a whole graph once (O(n) each): calling one per node, or per pass per
# node, is how a phase goes quadratic while every other function stays linear.
_WHOLE_GRAPH_HELPERS = [("static.interpreter", "required_nodes"),
                        ("static.interpreter", "_check_order"), ("static.lint", "lint"),
                        ("static.autodiff", "_nodes_between"),
                        ("static.compiler.memory_plan", "concrete_avals")]
_GRAPH_METHODS = ["users", "placeholders", "variables", "remove", "renumber"]


def _measure(monkeypatch, make_graph, size: int) -> tuple[dict[tuple, int], Counter]:
    """Run every phase at ``size``: how many times each Python function ran, and how many
    nodes the whole-graph helpers walked in all (per helper)."""
    walked: Counter = Counter()

    def counting(name, original):
        def wrapper(*args, **kwargs):
            walked[name] += _graph_size(*args, **kwargs)
            return original(*args, **kwargs)
        return wrapper

    with monkeypatch.context() as m:
        for module, name in _WHOLE_GRAPH_HELPERS:
            original = getattr(importlib.import_module(module), name)
            wrapper = counting(name, original)
            for mod in list(sys.modules.values()):  # every module that imported it by name
                if getattr(mod, "__name__", "").startswith("static") and \
                        getattr(mod, name, None) is original:
                    m.setattr(mod, name, wrapper)
        for name in _GRAPH_METHODS:
            m.setattr(static.Graph, name, counting(name, getattr(static.Graph, name)))
        prof = cProfile.Profile()
        prof.runcall(_every_phase, make_graph, size)
    calls = {key: row[1] for key, row in pstats.Stats(prof).stats.items()}
    return calls, walked


@pytest.mark.parametrize("make_graph", [chain_graph, _wide_graph], ids=["chain", "wide"])
def test_every_phase_does_linearly_much_work(monkeypatch, make_graph):
    """Operation counts, not seconds: at 4x the graph, no function may run more than 4x as
    often and the whole-graph helpers may walk at most 4x as many nodes. A helper called per
    node makes its walked count grow 16x; a generator over the graph's nodes counts each
    step, so a quadratic scan inside one function shows in the call counts too."""
    _every_phase(make_graph, 20)  # first-call work (op lookups, caches) out of the way
    small_calls, small_walked = _measure(monkeypatch, make_graph, 100)
    large_calls, large_walked = _measure(monkeypatch, make_graph, 400)
    assert large_walked["required_nodes"] > 0 and large_walked["users"] > 0  # wrappers ran
    walked = {name: (small_walked[name], n) for name, n in large_walked.items()
              if n > 4 * small_walked[name] + 64}
    assert not walked, f"nodes walked at 100 -> 400 links grew more than 4x: {walked}"
    calls = {f"{path.rsplit('/', 1)[-1]}:{line}({name})": (small_calls.get((path, line, name),
                                                                          0), n)
             for (path, line, name), n in large_calls.items()
             if n > 4 * small_calls.get((path, line, name), 0) + 64}
    assert not calls, f"calls at 100 -> 400 links grew more than 4x: {calls}"


def test_graph_users_is_linear_for_a_node_with_many_users(monkeypatch):
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        outs = [static.mul(x, float(k)) for k in range(10_000)]
    # A list-based version tested membership with ==, one comparison per earlier user
    # (quadratic, ~11 s here): count the comparisons instead of timing them.
    comparisons = Counter()
    equal = static.graph.Node.__eq__

    def counting_eq(self, other):
        comparisons["eq"] += 1
        return equal(self, other)

    monkeypatch.setattr(static.graph.Node, "__eq__", counting_eq)
    users = g.users()
    assert comparisons["eq"] == 0
    assert len(users[x]) == len(outs) and users[x][0] is outs[0]


def _cse_peak(merges: int) -> int:
    """Peak bytes the CSE pass allocates for ``merges`` merges of equal nodes into one (each
    merge adds the dropped node's provenance to the survivor's: as set unions, the whole
    growing set was copied at every merge)."""
    with static.Graph() as g:
        x = static.placeholder((4,), name="x")
        h = x
        for _ in range(merges):
            h = h * 1.0001  # every constant 1.0001 merges into the first one
        loss = static.sum(h)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        compile_graph(g, [loss], [x], passes=["cse"])
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_cse_merging_many_equal_nodes_is_linear():
    small = _cse_peak(1500)
    large = _cse_peak(6000)
    assert 0 < large < 5 * small, f"1500 merges: peak {small} bytes, 6000 merges: {large}"


def test_eager_backward_over_a_100k_op_chain():
    x = eager.tensor([1.0, 2.0], requires_grad=True)
    h = x
    for i in range(100_000):
        h = h * 1.00001 if i % 2 else h + 0.5
    h.sum().backward()  # iterative: no RecursionError at any depth
    factor = float(np.float32(1.00001)) ** 50_000  # the float32 constant, 50,000 times
    np.testing.assert_allclose(x.grad.numpy(), [factor] * 2, rtol=1e-3)


# -- memory over a training loop -----------------------------------------------------------------

def _growth(step, warmup: int = 20, steps: int = 150) -> int:
    """Bytes still allocated after ``steps`` more calls of ``step`` than after warmup."""
    for _ in range(warmup):
        step()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            step()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()


def _data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((16, 8)).astype(np.float32), \
        rng.standard_normal((16, 2)).astype(np.float32)


def test_eager_training_loop_holds_memory_flat():
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = optim.Adam(model.parameters(), lr=1e-2)
    xv, yv = _data()
    x, y = eager.from_numpy(xv), eager.from_numpy(yv)
    losses: list[weakref.ref] = []

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(weakref.ref(loss))

    assert _growth(step) < 32 * 1024
    gc.collect()
    assert all(r() is None for r in losses)  # each step's graph (tape) was freed


def _static_train():
    return regression_mlp_graph(np.random.default_rng(0), (8, 16, 2), (3, 4), lr=1e-2)


@pytest.mark.parametrize("executor", ["interpret", "compiled"])
def test_static_session_training_loop_holds_memory_flat(executor):
    g, x, y, loss, train = _static_train()
    sess = static.Session(g, executor=executor)
    xv, yv = _data()
    assert _growth(lambda: sess.run([loss, train], {x: xv, y: yv})) < 32 * 1024


def test_compiled_training_loop_holds_memory_flat_and_plans_once():
    g, x, y, loss, train = _static_train()
    step = compile_graph(g, [loss, train], [x, y])
    xv, yv = _data()
    assert _growth(lambda: step(xv, yv)) < 32 * 1024
    assert len(step.cache) == 1 and step.cache.misses == 1
