"""The vectorized erf kernel against the C library's erf (math.erf), piece by piece."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shared_ops.ops.erf_kernel import erf_array

_C_ERF = np.frompyfunc(math.erf, 1, 1)


def _reference(x: np.ndarray) -> np.ndarray:
    return np.asarray(_C_ERF(x.astype(np.float64)), dtype=np.float64)


@pytest.mark.parametrize("points", [
    np.linspace(-7.0, 7.0, 200_001),                      # every piece and both boundaries
    np.geomspace(1e-300, 1.0, 5_000),                     # tiny values: relative accuracy
    np.array([0.9999999999999999, 1.0, 5.999999999999999, 6.0, 5e-324]),
])
def test_float64_within_16_ulps_of_the_c_library(points):
    got, want = erf_array(points), _reference(points)
    assert np.all(np.abs(got - want) <= 16 * np.spacing(np.abs(want)))


@pytest.mark.parametrize("x", [
    (np.random.default_rng(0).standard_normal(100_000) * 3).astype(np.float32),
    np.linspace(-5.0, 5.0, 100_001, dtype=np.float32),  # both pieces, the clamp at 4
    np.geomspace(1e-40, 1.0, 5_000, dtype=np.float32),   # tiny values, subnormals included
], ids=["normal", "grid", "tiny"])
def test_float32_is_within_two_ulps_of_the_correctly_rounded_value(x):
    got, rounded = erf_array(x), _reference(x).astype(np.float32)
    assert got.dtype == np.float32
    # Neighbouring float32 values of one sign have neighbouring integer bit patterns.
    distance = np.abs(got.view(np.int32).astype(np.int64) - rounded.view(np.int32))
    assert distance.max() <= 2


def test_float32_is_mostly_the_correctly_rounded_value():
    x = (np.random.default_rng(1).standard_normal(100_000) * 3).astype(np.float32)
    assert np.mean(erf_array(x) == _reference(x).astype(np.float32)) > 0.85


def test_float32_special_values_and_shapes():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -4.0], np.float32)
    got = erf_array(x)
    assert got[0] == 0.0 and not np.signbit(got[0]) and np.signbit(got[1])
    assert got[[2, 3, 5, 6]].tolist() == [1.0, -1.0, 1.0, -1.0] and np.isnan(got[4])
    assert erf_array(np.array(0.5, np.float32)).shape == ()
    assert erf_array(np.zeros((2, 0), np.float32)).shape == (2, 0)


def test_special_values_and_shapes():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 40.0, -40.0])
    got = erf_array(x)
    assert got[0] == 0.0 and not np.signbit(got[0]) and np.signbit(got[1])
    assert got[2:4].tolist() == [1.0, -1.0] and np.isnan(got[4])
    assert got[5:].tolist() == [1.0, -1.0]
    assert erf_array(np.array(0.5)).shape == ()
    assert erf_array(np.zeros((2, 0, 3), np.float32)).shape == (2, 0, 3)
    assert erf_array(np.ones((2, 3))).shape == (2, 3)
