"""log2/log10, rounding, frac, clamp_min/max, lerp, logical ops, isclose, addcmul/addcdiv:
functions and methods against torch (values, dtypes, gradients, errors)."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(1601)
X = RNG.uniform(0.2, 3.0, (3, 4)).astype(np.float32)
S = RNG.standard_normal((3, 4)) * 3  # float64, signs mixed
INTS = np.array([1, 8, 100, 3])
BOOLS = np.array([True, False, True, True])


@pytest.mark.parametrize("name", ["log2", "log10"])
@pytest.mark.parametrize("data", [X, np.float64(4.0), INTS, BOOLS],
                         ids=["f32", "0d", "int", "bool"])
def test_logarithms_as_function_and_method(name, data):
    same(lambda lib, x: getattr(lib, name)(x), data, grad=True)
    same(lambda lib, x: getattr(x, name)(), data)


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "round", "fix"])
def test_rounding_values_dtypes_and_zero_gradients(name):
    same(lambda lib, x: getattr(lib, name)(x), S, grad=True)
    same(lambda lib, x: getattr(x, name)(), INTS)  # integers unchanged, still int64
    same(lambda lib, x: getattr(lib, name)(x), np.float32(-2.5))


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "round"])
def test_rounding_refuses_bool_as_torch(name):
    same_error(NotImplementedError, lambda lib, x: getattr(lib, name)(x), BOOLS,
               match_message=False)


def test_round_with_decimals_rounds_half_to_even():
    data = np.array([1.25, 2.5, -0.5, 1234.5678, 0.125, -7.45], np.float32)
    for decimals in (0, 1, 2, -1, -2):
        same(lambda lib, x, d=decimals: lib.round(x, decimals=d), data, grad=True)
        same(lambda lib, x, d=decimals: x.round(decimals=d), data.astype(np.float64))


def test_frac_keeps_the_sign_and_refuses_integers():
    same(lambda lib, x: lib.frac(x), S, grad=True)
    same(lambda lib, x: x.frac(), np.float32(-1.75))
    same_error(NotImplementedError, lambda lib, x: lib.frac(x), INTS)
    same_error(NotImplementedError, lambda lib, x: lib.frac(x), BOOLS)


def test_clamp_min_and_max_with_numbers_and_tensors():
    same(lambda lib, x: lib.clamp_min(x, 0.5), S, grad=True)
    same(lambda lib, x: x.clamp_max(-0.5), S, grad=True)
    same(lambda lib, x, b: lib.clamp_min(x, b), S, S[0] * 0.5, grad=True)
    same(lambda lib, x: lib.clamp_max(x, 3), INTS)


def test_lerp_with_scalar_and_broadcast_tensor_weights():
    start, end = S, RNG.standard_normal((4,))
    same(lambda lib, a, b: lib.lerp(a, b, 0.25), start, end, grad=True)
    same(lambda lib, a, b, w: a.lerp(b, w), start, end, RNG.uniform(0, 1, (3, 1)), grad=True)
    same(lambda lib, a, b: lib.lerp(a, b, 0.5), np.float32(1.0), X)


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_binary_logical_ops_give_bool_for_any_dtypes(name):
    floats = np.array([0.0, -1.5, 0.0, 2.0])
    same(lambda lib, a, b: getattr(lib, name)(a, b), floats, INTS - 1)
    same(lambda lib, a, b: getattr(a, name)(b), BOOLS, floats)
    same(lambda lib, a, b: getattr(lib, name)(a, b), S, np.float64(0.0))


def test_logical_not_function():
    same(lambda lib, x: lib.logical_not(x), np.array([0.0, 2.0, -1.0]))
    same(lambda lib, x: lib.logical_not(x), INTS - 1)


def test_isclose_at_infinities_nans_and_tolerances():
    a = np.array([1.0, np.inf, -np.inf, np.nan, 1.0 + 1e-6, 1.0, 0.0, 1e-9])
    b = np.array([1.0, np.inf, np.inf, np.nan, 1.0, 1.1, 1e-9, 0.0])
    same(lambda lib, x, y: lib.isclose(x, y), a, b)
    same(lambda lib, x, y: x.isclose(y, equal_nan=True), a, b)
    same(lambda lib, x, y: lib.isclose(x, y, rtol=0.2, atol=0.0), a, b)
    same(lambda lib, x, y: lib.isclose(x, y), a[:4, None], b[:4])  # broadcasting
    same(lambda lib, x, y: lib.isclose(x, y), INTS, INTS + np.array([0, 1, 0, 1]))


def test_allclose_agrees():
    for tol in (1e-8, 1e-3):
        theirs = torch.allclose(torch.tensor(X), torch.tensor(X + 1e-4), atol=tol)
        assert eager.allclose(eager.tensor(X), eager.tensor(X + 1e-4), atol=tol) == theirs


def test_addcmul_and_addcdiv_broadcast_and_scale():
    a, b, c = S, RNG.standard_normal((4,)), RNG.uniform(0.5, 2.0, (3, 1))
    same(lambda lib, x, y, z: lib.addcmul(x, y, z), a, b, c, grad=True)
    same(lambda lib, x, y, z: x.addcmul(y, z, value=-0.5), a, b, c, grad=True)
    same(lambda lib, x, y, z: lib.addcdiv(x, y, z, value=2), a, b, c, grad=True)
    same(lambda lib, x, y, z: lib.addcmul(x, y, z, value=2), INTS, INTS, INTS)


def test_addcdiv_refuses_integer_division():
    same_error(RuntimeError, lambda lib, x: lib.addcdiv(x, x, x), INTS)
