"""Scale and leaks: graph building, differentiation and compilation grow linearly with the
graph (a 10,000-node check here; benchmarks/bench_scale.py prints the growth up to 100,000),
eager backward walks a 100,000-op chain without recursion, and training loops in either
mode hold their memory flat (tapes and plans are freed)."""

from __future__ import annotations

import gc
import time
import tracemalloc
import weakref

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim
import static
from static.compiler import compile as compile_graph


def chain_graph(n_ops: int):
    """A graph of about ``3 * n_ops`` nodes: alternately ``h * c`` (with its constant) and
    ``sin(h)``, then a sum; returns (graph, x, w, loss)."""
    g = static.Graph()
    with g:
        x = static.placeholder((4,), name="x")
        w = static.variable(np.ones(4, np.float32), name="w")
        h = x * w
        for i in range(n_ops):
            h = static.sin(h) if i % 2 else h * 1.0001
        loss = static.sum(h)
    return g, x, w, loss


def _cpu_seconds(n_ops: int, with_compile: bool) -> tuple[float, int]:
    start = time.process_time()  # CPU time: steadier than wall time on a shared machine
    g, x, w, loss = chain_graph(n_ops)
    (gw,) = static.gradients(loss, [w])
    static.Session(g, executor="interpret").run([loss, gw], {x: np.ones(4, np.float32)})
    if with_compile:
        compile_graph(g, [loss, gw], [x])(np.ones(4, np.float32))
    return time.process_time() - start, len(g.nodes)


@pytest.mark.parametrize("with_compile", [False, True], ids=["build+grad+run", "compile"])
def test_ten_thousand_node_graph_costs_linear_time(with_compile):
    _cpu_seconds(200, with_compile)  # warm caches (imports, op lookups)
    small, n_small = _cpu_seconds(850, with_compile)
    large, n_large = _cpu_seconds(3400, with_compile)
    assert n_large >= 10_000
    # 4x the nodes: linear work takes ~4x, quadratic ~16x; allow noise up to 9x.
    assert large / small < 9, f"{n_small} nodes: {small:.2f}s, {n_large} nodes: {large:.2f}s"


def test_graph_users_is_linear_for_a_node_with_many_users():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        outs = [static.mul(x, float(k)) for k in range(10_000)]
    gc.collect()
    gc.disable()  # a full collection of a big test process is not users()'s cost
    try:
        start = time.process_time()
        users = g.users()
        seconds = time.process_time() - start
    finally:
        gc.enable()
    assert len(users[x]) == len(outs) and users[x][0] is outs[0]
    assert seconds < 1.0  # ~0.02 s; the list-based version was quadratic: ~11 s


def _cse_seconds(merges: int) -> float:
    with static.Graph() as g:
        x = static.placeholder((4,), name="x")
        h = x
        for _ in range(merges):
            h = h * 1.0001  # every constant 1.0001 merges into the first one
        loss = static.sum(h)
    # Collector off while timing: a full collection scans the whole test session's heap
    # (~0.1 s), which would be charged to whichever size it happens to land in.
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        compile_graph(g, [loss], [x], passes=["cse"])
        return time.process_time() - start
    finally:
        gc.enable()


def test_cse_merging_many_equal_nodes_is_linear():
    _cse_seconds(200)
    small, large = _cse_seconds(1500), _cse_seconds(6000)
    assert large / small < 8, f"1500 merges: {small:.2f}s, 6000 merges: {large:.2f}s"


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
    rng = np.random.default_rng(0)
    with static.Graph() as g:
        x = static.placeholder((None, 8), name="x")
        y = static.placeholder((None, 2), name="y")
        w1 = static.variable(rng.standard_normal((8, 16)).astype(np.float32) / 3, name="w1")
        w2 = static.variable(rng.standard_normal((16, 2)).astype(np.float32) / 4, name="w2")
        diff = static.matmul(static.relu(static.matmul(x, w1)), w2) - y
        loss = static.mean(diff * diff)
        train = static.optim.Adam(1e-2).minimize(loss)
    return g, x, y, loss, train


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
