"""sinc, copysign, signbit, sgn, frexp, ldexp, erfc, polygamma and the torch.special namespace
against torch: values, dtypes, gradients (sinc at 0, erfc's tail) and edge values."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(3662)
X = RNG.uniform(-3, 3, (3, 4))
POS = RNG.uniform(0.3, 4.0, (3, 4))


def test_sinc_value_and_gradient_including_zero():
    data = np.array([0.0, 0.5, -1.0, 2.25, 1e-9])
    same(lambda lib, x: lib.sinc(x), data, grad=True)
    same(lambda lib, x: x.sinc(), np.array([0, 1, 2]))
    same(lambda lib, x: lib.special.sinc(x), X.astype(np.float32), grad=True)


def test_copysign_signbit_sgn():
    magnitudes = np.array([1.0, -2.0, 3.0, -0.0, 5.0])
    signs = np.array([-0.0, 0.0, -1.0, 2.0, -np.inf])
    same(lambda lib, x, y: lib.copysign(x, y), magnitudes, signs, grad=True)
    same(lambda lib, x: lib.copysign(x, -0.0), np.array([1, 2]))
    same(lambda lib, x: lib.signbit(x), signs)
    same(lambda lib, x: x.signbit(), np.array([-1, 0, 2]))
    same(lambda lib, x: lib.sgn(x), X)
    same(lambda lib, x: lib.sgn(x), np.array([True, False]))
    same(lambda lib, x: x.sgn(), np.array([-3, 0, 2], np.int32))


def test_frexp_and_ldexp():
    data = np.array([8.0, -0.3, 0.0, 1e-30, 3e30], np.float32)
    same(lambda lib, x: lib.frexp(x), data)
    same(lambda lib, x: x.frexp(), data.astype(np.float64))
    same(lambda lib, x, e: lib.ldexp(x, e), X, np.array([1, -2, 3, 0]))
    # Gradients with exponents >= 0: PyTorch's backward raises 2 to an integer power there,
    # which makes 0 of 2**-2 (ours is 0.25, the derivative).
    same(lambda lib, x, e: lib.ldexp(x, e), X, np.array([1, 2, 3, 0]), grad=True)
    same(lambda lib, x, e: lib.ldexp(x, e), X, np.array([1.0, -2.0, 0.5, 0.0]), grad=True)
    ours, theirs = eager.frexp(eager.tensor([8.0])), torch.frexp(torch.tensor([8.0]))
    assert repr(ours) == repr(theirs)


def test_erfc_central_and_tail():
    same(lambda lib, x: lib.erfc(x), X, grad=True)
    tail = np.array([4.0, 6.0, 9.0, 10.0], np.float32)
    ours = eager.erfc(eager.tensor(tail)).numpy()
    theirs = torch.erfc(torch.tensor(tail)).numpy()
    assert (ours > 0).all()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_polygamma_values_and_gradient(n):
    same(lambda lib, x: lib.polygamma(n, x), POS, grad=n < 4)
    same(lambda lib, x: x.polygamma(n), np.array([0.7, -1.5, 12.0]))
    same(lambda lib, x: lib.special.polygamma(n, x), POS)


ALIASES = ["expit", "erf", "erfc", "erfinv", "gammaln", "digamma", "psi", "log1p", "expm1",
           "exp2", "entr", "ndtr"]
IN_DOMAIN = {"erfinv": RNG.uniform(-0.9, 0.9, (2, 5)), "log1p": POS, "entr": POS,
             "gammaln": POS, "digamma": POS, "psi": POS}


@pytest.mark.parametrize("name", ALIASES)
def test_special_unary(name):
    data = IN_DOMAIN.get(name, X)
    same(lambda lib, x: getattr(lib.special, name)(x), data, grad=True)


def test_special_functions_of_two_inputs_and_dims():
    y = np.array([[np.nan, 0.5, 2.0, -0.5]] * 3)
    x = np.array([[0.0, 0.0, 1.5, -2.0]] * 3)
    same(lambda lib, a, b: lib.special.xlog1py(a, b), x, y)
    same(lambda lib, a, b: lib.special.xlogy(a, b), x, np.abs(y))
    same(lambda lib, a, b: lib.special.xlog1py(a, b), X, POS, grad=True)
    same(lambda lib, a: lib.special.logsumexp(a, 1), X, grad=True)
    same(lambda lib, a: lib.special.softmax(a, 0), X, grad=True)
    same(lambda lib, a: lib.special.log_softmax(a, 1, dtype=lib.float32), X, grad=True)
    same(lambda lib, a: lib.special.logit(a, eps=0.1), RNG.uniform(0, 1, 6), grad=True)
    same(lambda lib, a: lib.special.ndtri(a), RNG.uniform(0.05, 0.95, 6), grad=True)
    same(lambda lib, a: lib.special.multigammaln(a, 3), POS + 1.5, grad=True)
    same(lambda lib, a: lib.special.round(a, decimals=1), X)


def test_ndtri_lower_tail_is_finite_as_torchs():
    tail = np.array([1e-300, 1e-200, 1e-20, 1e-10, 3e-8])
    same(lambda lib, x: lib.special.ndtri(x), tail, grad=True)
    same(lambda lib, x: lib.special.ndtri(x), np.array([1e-30, 1e-8, 0.5], np.float32))


def test_entr_edges():
    same(lambda lib, x: lib.special.entr(x), np.array([0.0, -1.0, 0.5, np.nan, np.inf]))
    # The gradient is -(1 + log x) everywhere: inf at 0, nan below, -inf at inf.
    same(lambda lib, x: lib.special.entr(x), np.array([0.0, -1.0, 0.5, np.inf]), grad=True)


def test_frexp_of_integers_and_trunc_division_of_bools_are_torchs_errors():
    same_error(RuntimeError, lambda lib, x: lib.frexp(x), np.array([1, 2]))
    same_error(NotImplementedError, lambda lib, x: lib.div(x, x, rounding_mode="trunc"),
               np.array([True]))


def test_bessel_i0_and_i1_values_gradients_and_edges():
    data = np.array([-35.0, -3.0, 0.0, 0.4, 14.0, 31.0])
    same(lambda lib, x: lib.i0(x), data, grad=True)
    same(lambda lib, x: lib.special.i0(x), data.astype(np.float32), grad=True)
    same(lambda lib, x: lib.special.i1(x), data, grad=True)
    same(lambda lib, x: x.i0(), np.array([0, 2, -5]))
    edges = np.array([np.inf, -np.inf, np.nan, 720.0])
    same(lambda lib, x: lib.special.i1(x), edges)
    same(lambda lib, x: lib.i0(x), edges)
