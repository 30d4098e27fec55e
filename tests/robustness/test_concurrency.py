"""Several threads running the same Session or compiled step at once: each call must get its
own results (the executors keep per-step state: buffers, the interpreter's env)."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import static
from static.compiler import compile as compile_graph

THREADS, STEPS = 8, 30


def _mlp():
    rng = np.random.default_rng(0)
    with static.Graph() as g:
        x = static.placeholder((None, 64), name="x")
        w1 = static.variable(rng.standard_normal((64, 128)).astype(np.float32) / 8, name="w1")
        w2 = static.variable(rng.standard_normal((128, 16)).astype(np.float32) / 8, name="w2")
        h = static.tanh(static.matmul(x, w1))
        y = static.exp(static.matmul(h * 2.0, w2))
        out = static.sum(y, axis=1)
    def reference(xv):
        hv = np.tanh(xv @ w1.value)
        return np.exp((hv * 2.0) @ w2.value).sum(1)
    return g, x, out, reference


def _hammer(call, reference) -> list[str]:
    """Run ``call(feed)`` from THREADS threads, STEPS times each; return every mismatch."""
    feeds = [np.random.default_rng(k).standard_normal((32, 64)).astype(np.float32)
             for k in range(THREADS)]
    wants = [reference(f) for f in feeds]
    errors: list[str] = []
    start = threading.Barrier(THREADS)

    def worker(k: int) -> None:
        start.wait()
        for step in range(STEPS):
            try:
                got = call(feeds[k])
            except Exception as e:  # noqa: BLE001 -- reported as a failure below
                errors.append(f"thread {k} step {step}: {type(e).__name__}: {e}")
                return
            if not np.allclose(got, wants[k], rtol=1e-4):
                errors.append(f"thread {k} step {step}: wrong result")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.parametrize("executor", ["interpret", "compiled"])
def test_session_run_from_eight_threads(executor):
    g, x, out, reference = _mlp()
    sess = static.Session(g, executor=executor)
    assert _hammer(lambda f: sess.run(out, {x: f}), reference) == []


def test_session_trace_from_eight_threads_sees_its_own_values():
    g, x, out, reference = _mlp()
    sess = static.Session(g)

    def call(f):
        result, values = sess.run(out, {x: f}, trace=True)
        assert np.array_equal(values["x"], f)  # the env of this call, not another thread's
        return result

    assert _hammer(call, reference) == []


def test_training_steps_from_threads_apply_every_update_once():
    with static.Graph() as g:
        x = static.placeholder((), name="x")
        counter = static.variable(np.zeros((), np.float32), name="counter")
        bump = static.assign(counter, counter + x)
    sess = static.Session(g)

    def call(_):
        sess.run(bump, {x: 1.0})
        return 0.0

    assert _hammer(call, lambda f: 0.0) == []
    assert float(counter.value) == THREADS * STEPS  # no lost update


def test_compiled_step_called_from_eight_threads():
    g, x, out, reference = _mlp()
    step = compile_graph(g, [out], [x])
    step(np.zeros((32, 64), np.float32))  # plan made before the threads start
    assert _hammer(lambda f: step(f)[0], reference) == []


def _in_thread(fn):
    """``fn()`` in a new thread with warnings as errors; returns its result or exception."""
    out: dict = {}

    def work():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                out["value"] = fn()
            except Exception as e:  # noqa: BLE001 -- handed back to the test
                out["error"] = e

    t = threading.Thread(target=work)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def _log_graph():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = static.log(x)
    return g, x, y


@pytest.mark.parametrize("executor", ["interpret", "compiled"])
def test_session_keeps_ieee_semantics_in_worker_threads(executor):
    g, x, y = _log_graph()
    sess = static.Session(g, executor=executor)
    value = _in_thread(lambda: sess.run(y, {x: np.array([0.0, -1.0], np.float32)}))
    assert value[0] == -np.inf and np.isnan(value[1])


def test_compiled_step_keeps_ieee_semantics_in_worker_threads():
    g, x, y = _log_graph()
    step = compile_graph(g, [y], [x])
    value = _in_thread(lambda: step(np.array([0.0, -1.0], np.float32))[0])
    assert value[0] == -np.inf and np.isnan(value[1])


def test_eager_keeps_ieee_semantics_in_worker_threads():
    import eager

    value = _in_thread(lambda: eager.tensor([0.0, -1.0]).log().numpy())
    assert value[0] == -np.inf and np.isnan(value[1])
