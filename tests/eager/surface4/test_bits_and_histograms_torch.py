"""gcd, lcm, the shifts (functions, methods and the << >> operators), nextafter, heaviside,
histogram and histogramdd against torch: values, dtypes, edges, weights, densities and
errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(4418)
A = RNG.integers(-40, 40, (3, 4))
B = RNG.integers(-40, 40, (4,))


@pytest.mark.parametrize("name", ["gcd", "lcm"])
def test_gcd_lcm(name):
    same(lambda L, a, b: getattr(L, name)(a, b), A, B)  # broadcasting
    same(lambda L, a, b: getattr(a, name)(b), np.array([0, 7, -12]), np.array([0, 0, 18]))
    same(lambda L, a, b: getattr(L, name)(a, b), A.astype(np.int32), B.astype(np.int32))


def test_gcd_refuses_floats():
    with pytest.raises(TypeError, match='"gcd_cpu" not implemented for \'Float\''):
        eager.gcd(eager.ones(2), eager.ones(2))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8])
def test_shifts(dtype):
    x = np.array([1, 2, 7, 100], dtype)
    amounts = np.array([0, 3, 9, 70], dtype)  # 9 and 70 reach past 8-bit and 64-bit widths
    same(lambda L, a, s: L.bitwise_left_shift(a, s), x, amounts)
    same(lambda L, a, s: L.bitwise_right_shift(a, s), x, amounts)
    same(lambda L, a, s: (a << s, a >> s, a << 1, a >> 2), x, amounts)


def test_shifts_of_negative_numbers_and_reflected_operators():
    same(lambda L, a: (a << 2, a >> 1, a >> 70, 3 << a.abs(), 100 >> a.abs()),
         np.array([1, -2, -8, 5]))
    same(lambda L, a, s: a.bitwise_left_shift(s), A, B % 5)


def test_shift_refuses_floats():
    with pytest.raises(TypeError, match="lshift_cpu"):
        eager.ones(2) << 1


def test_nextafter():
    x = RNG.standard_normal((3, 4))
    same(lambda L, a, b: L.nextafter(a, b), x, x[0] * 0 + 5.0, grad=True)
    same(lambda L, a, b: a.nextafter(b), x.astype(np.float32), np.float32(-1.0) + 0 * x[0]
         .astype(np.float32))
    # Where input == other the gradient is 0, as torch's.
    same(lambda L, a, b: L.nextafter(a, b), np.array([0.0, 1.0]), np.array([1.0, 1.0]),
         grad=True)


def test_heaviside():
    x = np.array([-1.5, 0.0, 2.0, np.nan, -0.0])
    same(lambda L, a, v: L.heaviside(a, v), x, np.array([0.5]))
    same(lambda L, a, v: a.heaviside(v), np.array([1, 0, -2]), np.array([7]))
    # torch raises a RuntimeError; the op's dtype check is the project's DTypeError (a
    # TypeError), raised while a graph is built too.
    with pytest.raises(TypeError, match="different dtypes"):
        eager.heaviside(eager.ones(2), eager.ones(2, dtype=eager.float64))


SAMPLES = RNG.standard_normal(50).astype(np.float32)
WEIGHTS = RNG.uniform(0, 1, 50).astype(np.float32)
EDGES = np.array([-2, -0.5, 0, 0.3, 2.5], np.float32)


@pytest.mark.parametrize("bins", [1, 7, "edges"])
@pytest.mark.parametrize("kw", [{}, {"density": True}, {"weight": True},
                                {"weight": True, "density": True}], ids=str)
def test_histogram(bins, kw):
    def fn(L, x, w, e):
        options = dict(kw, weight=w if kw.get("weight") else None)
        return tuple(L.histogram(x, e if bins == "edges" else bins, **options))

    same(fn, SAMPLES, WEIGHTS, EDGES)


def test_histogram_ranges_and_edges():
    same(lambda L, x: tuple(L.histogram(x, 3, range=(-1.0, 1.0))), SAMPLES)
    same(lambda L, x: tuple(L.histogram(x, 4)), SAMPLES.astype(np.float64))
    same(lambda L, x: tuple(L.histogram(x, 4)), np.ones(3, np.float32))  # one value: +-0.5
    same(lambda L, x: tuple(L.histogram(x, 4)), np.zeros(0, np.float32))
    same(lambda L, x: tuple(L.histogram(x, 4)), SAMPLES.reshape(5, 10))
    same(lambda L, x, w: tuple(x.histogram(5, weight=w, density=True)), SAMPLES, WEIGHTS)
    assert repr(eager.histogram(eager.tensor([1.0, 2.0, 1.0]), 2)) == \
        repr(torch.histogram(torch.tensor([1.0, 2.0, 1.0]), 2))


def test_histogram_errors():
    same_error(RuntimeError, lambda L, x: L.histogram(x, 0), SAMPLES)
    same_error(RuntimeError, lambda L, x: L.histogram(x, 2), np.array([1.0, np.inf]))
    same_error(RuntimeError, lambda L, x: L.histogram(x, 2, range=(2.0, 1.0)), SAMPLES)
    same_error(RuntimeError, lambda L, x, e: L.histogram(x, e), SAMPLES, EDGES.astype(float))
    same_error(NotImplementedError, lambda L, x: L.histogram(x, 2), np.array([1, 2]))


POINTS = RNG.standard_normal((40, 3)).astype(np.float32)


@pytest.mark.parametrize("bins", [3, [2, 3, 4]], ids=str)
@pytest.mark.parametrize("kw", [{}, {"density": True},
                                {"range": [-1.0, 1.0, -2.0, 2.0, 0.0, 1.0]}], ids=str)
def test_histogramdd(bins, kw):
    def fn(L, x):
        hist, edges = L.histogramdd(x, bins, **kw)
        return (hist, *edges)

    same(fn, POINTS)


def test_histogramdd_given_edges_and_weights():
    edges = [np.array([-1, 0, 1], np.float32), np.array([-3, 0, 3], np.float32),
             np.array([-2, -1, 0, 2], np.float32)]

    def fn(L, x, e0, e1, e2):
        return L.histogramdd(x, [e0, e1, e2], weight=x[:, 0].abs()).hist

    same(fn, POINTS, *edges)
    ours = eager.histogramdd(eager.tensor([[1.0, 2.0]]), 2)
    assert repr(ours) == repr(torch.histogramdd(torch.tensor([[1.0, 2.0]]), 2))
