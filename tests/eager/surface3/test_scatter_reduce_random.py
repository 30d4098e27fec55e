"""Seeded random scatter_reduce calls against torch, forward and both gradients: every
reduce, with and without the input's values, any dim, small integer-valued data so that ties
(amax/amin share the gradient) and zeros (prod) are common; half the calls with an expanded
index vector (the kernel's sorted-slices path), half with an arbitrary index (ufunc.at)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _random_call(rng):
    nd = int(rng.integers(1, 4))
    shape = tuple(int(n) for n in rng.integers(1, 5, nd))
    dim = int(rng.integers(-nd, nd))
    idx_shape = tuple(int(rng.integers(1, 6)) if i == dim % nd else int(rng.integers(1, n + 1))
                      for i, n in enumerate(shape))
    x = rng.integers(-3, 4, shape).astype(np.float64)
    src = rng.integers(-3, 4, idx_shape).astype(np.float64)
    index = rng.integers(0, shape[dim], idx_shape)
    return x, dim, index, src, rng.standard_normal(shape)


def _expanded(index: np.ndarray, dim: int):
    """One index vector along ``dim`` repeated across the other dims, as ``expand`` makes
    it (message passing's index: the kernel's path by sorted slices)."""
    vector = np.moveaxis(index, dim, 0)[(slice(None),) + (0,) * (index.ndim - 1)]
    shape = [1] * index.ndim
    shape[dim] = -1
    return lambda lib: lib.tensor(vector).reshape(shape).expand(*index.shape)


def _run(lib, x, dim, index, src, reduce, include_self, g):
    tx, ts = lib.tensor(x, requires_grad=True), lib.tensor(src, requires_grad=True)
    index = index(lib) if callable(index) else lib.tensor(index)
    y = tx.scatter_reduce(dim, index, ts, reduce, include_self=include_self)
    (y * lib.tensor(g)).sum().backward()
    return [y.detach().numpy(), tx.grad.numpy(), ts.grad.numpy()]


@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
def test_random_calls_match_torch(reduce, include_self):
    rng = np.random.default_rng(REDUCES.index(reduce) * 2 + include_self)
    for k in range(40):
        x, dim, index, src, g = _random_call(rng)
        if k % 2:
            index = _expanded(index, dim)
        ours = _run(eager, x, dim, index, src, reduce, include_self, g)
        theirs = _run(torch, x, dim, index, src, reduce, include_self, g)
        for what, a, b in zip(("forward", "input grad", "src grad"), ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{what}: {reduce} dim={dim} {x.shape}")
