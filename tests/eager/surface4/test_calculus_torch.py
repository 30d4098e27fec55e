"""trapezoid, trapz, cumulative_trapezoid and gradient against torch: values (as torch rounds
them), dtypes, float64 gradients, sample points, edge orders and errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(4417)
Y = RNG.standard_normal((3, 5))
XS = np.sort(RNG.uniform(0, 3, 5))
X2 = np.sort(RNG.uniform(0, 3, (3, 5)), axis=1)


@pytest.mark.parametrize("name", ["trapezoid", "trapz", "cumulative_trapezoid"])
def test_integration(name):
    for y in (Y, Y.astype(np.float32), np.arange(15).reshape(3, 5)):
        same(lambda L, v: getattr(L, name)(v), y)
        same(lambda L, v: getattr(L, name)(v, dx=0.3, dim=0), y)
    same(lambda L, v, x: getattr(L, name)(v, x), Y, XS, grad=True)
    same(lambda L, v, x: getattr(L, name)(v, x), Y, X2, grad=True)
    same(lambda L, v: getattr(L, name)(v), np.ones((3, 1)))
    same(lambda L, v: getattr(L, name)(v), np.ones((3, 0)))
    same_error(RuntimeError, lambda L, v, x: getattr(L, name)(v, x), Y, XS[:3])


SPACINGS = [{}, {"dim": 1}, {"dim": [0, 2]}, {"spacing": 2.0},
            {"spacing": [0.5, 2.0], "dim": [0, -1]}]


@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("kw", SPACINGS, ids=str)
def test_gradient(edge_order, kw):
    f = RNG.standard_normal((4, 5, 3))
    same(lambda L, v: L.gradient(v, edge_order=edge_order, **kw), f, grad=True)
    same(lambda L, v: L.gradient(v, edge_order=edge_order, **kw), f.astype(np.float32))
    same(lambda L, v: L.gradient(v, edge_order=edge_order, **kw), np.arange(60).reshape(4, 5, 3))


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_on_coordinates(edge_order):
    f = RNG.standard_normal((4, 5))
    coords = np.sort(RNG.uniform(0, 4, 4))
    same(lambda L, v, c: L.gradient(v, spacing=[c], dim=0, edge_order=edge_order), f, coords,
         grad=True)


def test_gradient_errors():
    same_error(RuntimeError, lambda L, v: L.gradient(v, edge_order=2), np.ones((2, 5)))
    same_error(RuntimeError, lambda L, v: L.gradient(v, edge_order=3), np.ones((4, 5)))
    same_error(RuntimeError, lambda L, v: L.gradient(v, spacing=[2.0]), np.ones((4, 5)))
    same_error(RuntimeError, lambda L, v: L.gradient(v, spacing=[2.0, 1.0], dim=1),
               np.ones((4, 5)))


def test_gradient_of_squares():
    ours = eager.gradient(eager.tensor([1.0, 4.0, 9.0, 16.0]))
    assert isinstance(ours, tuple)
    assert ours[0].tolist() == torch.gradient(torch.tensor([1.0, 4.0, 9.0, 16.0]))[0].tolist()
