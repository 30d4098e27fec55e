"""The benchmark's hand-written NumPy steps do the same work as the compiled steps (so the
ratios it prints compare like with like): the same loss at every step, which after the
first step needs the same updates."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks",
                     "bench_static.py")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_static", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("sizes,batch,loss", [((10, 5, 1), 32, "bce"),
                                              ((12, 8, 8, 4), 16, "ce")])
def test_numpy_opt_step_matches_the_compiled_step(bench, sizes, batch, loss):
    params = bench.init(sizes)
    comp, feeds, _ = bench.static_step(params, sizes, batch, loss)
    ref = bench.numpy_simplenet(params, *feeds) if loss == "bce" else \
        bench.numpy_mlp(params, *feeds)
    for _ in range(3):  # later losses agree only if the updates did
        got = float(comp(*feeds)[0])
        want = float(ref())
        assert got == pytest.approx(want, rel=1e-5)


def test_inference_step_matches(bench):
    sizes = (12, 8, 8, 4)
    params = bench.init(sizes)
    comp, feeds, _ = bench.static_step(params, sizes, 1, "ce", train=False)
    want = bench.numpy_mlp(params, feeds[0], None, train=False)()
    np.testing.assert_allclose(comp(*feeds)[0], want, rtol=1e-5)


@pytest.mark.parametrize("sizes,batch,loss,train", [((10, 5, 1), 32, "bce", True),
                                                    ((12, 8, 8, 4), 16, "ce", True),
                                                    ((12, 8, 8, 4), 1, "ce", False)])
def test_jax_step_does_the_numpy_opt_work(bench, sizes, batch, loss, train):
    jax = pytest.importorskip("jax")
    params = bench.init(sizes)
    _, feeds, _ = bench.static_step(params, sizes, batch, loss, train=train)
    x, y = feeds[0], (feeds[1] if train else None)
    ref = bench.numpy_simplenet(params, x, y) if loss == "bce" else \
        bench.numpy_mlp(params, x, y, train=train)
    step = bench.jax_step(jax, params, x, y, loss, lr=bench.LR, train=train)
    for _ in range(3 if train else 1):  # later losses agree only if the updates did
        bench.check_same_work("test", "jax", step(), ref())


def test_a_peer_computing_something_else_is_refused(bench):
    with pytest.raises(SystemExit, match="not the same step"):
        bench.check_same_work("W1", "jax", np.float32(0.70), np.float32(0.69))
