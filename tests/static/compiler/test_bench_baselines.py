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
