"""erf on whole arrays: NumPy has none, and calling the C library's per element is slow.

Three pieces, together within 16 float64 ulps (2e-15 relative) of ``math.erf``, the C
library's erf that PyTorch's CPU kernel calls too (tests/shared_ops/test_erf_kernel.py):

* ``|x| < 1``: the Taylor series ``erf x = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))``,
  18 terms (the first one dropped is below 1e-17 at ``|x| = 1``);
* ``1 <= |x| < 6``: ``erf x = 1 - exp(-x^2) erfcx(x)``, where the scaled complement
  ``erfcx(x) = exp(x^2) erfc(x)`` is smooth and slowly varying in ``t = 1/x``: a degree-20
  Chebyshev interpolant in ``t`` over ``[1/6, 1]``, made once from ``math.erfc`` (relative
  error near 1e-14 on erfcx, whose share of erf is at most 0.16);
* ``|x| >= 6``: ``erfc(6)`` is 2e-17, below half an ulp of 1: erf is exactly +-1.

The work is done in float64 and rounded once to the input's dtype (float16 results, and
float64 ones, as above).

float32 inputs take a path in float32 arithmetic (exact GELU runs erf on a transformer's
widest activations; PyTorch's float32 erf is not correctly rounded either): ``|x| < 1``,
``x P(x^2)`` with P a degree-6 Chebyshev interpolant of ``erf(x) / x`` in ``x^2``; ``1 <= |x|``,
``1 - exp(-x^2) R(x)`` with R a degree-12 interpolant of erfcx over ``[1, 4]`` (``|x|`` is
clamped to 4 first: ``erfc(4)`` is below half an ulp of 1). Both are evaluated on the whole
array and picked with ``np.where``, no gathers. Results are within 2 ulps of the correctly
rounded value (1.91 at most over 510,000 test points, ~89% exact), 3x faster than the float64
path (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import functools
import math

import numpy as np

_TAYLOR_TERMS = 18
_TAYLOR = np.array([2.0 / math.sqrt(math.pi) * (-1) ** n / (math.factorial(n) * (2 * n + 1))
                    for n in range(_TAYLOR_TERMS)])
_T_LOW, _T_HIGH = 1.0 / 6.0, 1.0  # t = 1/x for 1 <= x <= 6
_ERFCX_DEGREE = 20


@functools.cache
def _erfcx_coefficients() -> np.ndarray:
    """Power-series coefficients, in ``u`` (``t`` mapped onto [-1, 1]), of the Chebyshev
    interpolant of erfcx(1/t); made on first use (a few dozen math.erfc calls)."""
    from numpy.polynomial import chebyshev  # only here: importing it costs ~10 ms

    def erfcx_of_recip(t: np.ndarray) -> np.ndarray:
        return np.array([math.erfc(1.0 / v) * math.exp(1.0 / (v * v)) for v in t])

    fit = chebyshev.Chebyshev.interpolate(erfcx_of_recip, _ERFCX_DEGREE,
                                          domain=(_T_LOW, _T_HIGH))
    return chebyshev.cheb2poly(fit.coef)


def _horner(coefficients: np.ndarray, u: np.ndarray) -> np.ndarray:
    """sum_k coefficients[k] u^k, evaluated in place from the highest power down."""
    acc = np.full_like(u, coefficients[-1])
    for c in coefficients[-2::-1]:
        acc *= u
        acc += c
    return acc


_F32_SMALL_DEGREE, _F32_LARGE_DEGREE = 6, 12
_F32_CLAMP = 4.0  # erf(x) rounds to +-1 in float32 from |x| = 3.92 on


@functools.cache
def _float32_coefficients() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Power-series coefficients of the float32 path's two interpolants (made on first use):
    ``erf(x) / x`` in ``u = 2 x^2 - 1`` (``x^2`` in [0, 1]) and erfcx in ``u = (2 x - 5) / 3``
    (``x`` in [1, 4]); Python floats, so the arithmetic stays in float32."""
    from numpy.polynomial import chebyshev

    def erf_over_x(s: np.ndarray) -> np.ndarray:
        return np.array([math.erf(math.sqrt(v)) / math.sqrt(v) if v > 0 else
                         2.0 / math.sqrt(math.pi) for v in s])

    def erfcx(x: np.ndarray) -> np.ndarray:
        return np.array([math.erfc(v) * math.exp(v * v) for v in x])

    small = chebyshev.Chebyshev.interpolate(erf_over_x, _F32_SMALL_DEGREE, domain=(0.0, 1.0))
    large = chebyshev.Chebyshev.interpolate(erfcx, _F32_LARGE_DEGREE, domain=(1.0, _F32_CLAMP))
    return (tuple(float(c) for c in chebyshev.cheb2poly(small.coef)),
            tuple(float(c) for c in chebyshev.cheb2poly(large.coef)))


def _erf_float32(x: np.ndarray) -> np.ndarray:
    """erf of a float32 array in float32 arithmetic, within 2 ulps (see the module doc)."""
    small_coefficients, large_coefficients = _float32_coefficients()
    a = np.minimum(np.abs(x), _F32_CLAMP)  # nan stays nan, inf becomes 4 (erf 1)
    s = np.multiply(a, a)
    u = np.multiply(s, 2.0)
    u -= 1.0
    small = _horner(small_coefficients, u)
    small *= a
    np.multiply(a, 2.0 / 3.0, out=u)
    u -= 5.0 / 3.0
    large = _horner(large_coefficients, u)
    np.negative(s, out=s)
    large *= np.exp(s, out=s)
    np.subtract(1.0, large, out=large)
    return np.copysign(np.where(a < 1.0, small, large), x)


def erf_array(x: np.ndarray) -> np.ndarray:
    """The error function of a float array, elementwise, in ``x``'s dtype (0-d included).

        >>> erf_array(np.array([0.0, 0.5, -2.0, np.inf])).round(12).tolist()
        [0.0, 0.520499877813, -0.995322265019, 1.0]
    """
    if x.dtype == np.float32:  # 0-d as one element: its ufuncs would give scalars, not arrays
        return _erf_float32(x.reshape(-1) if x.ndim == 0 else x).reshape(x.shape)
    a = np.abs(x).astype(np.float64)
    out = np.ones_like(a)  # |x| >= 6 (and inf) stays 1
    small = a < 1.0
    xs = a[small]
    out[small] = xs * _horner(_TAYLOR, xs * xs)
    middle = (a >= 1.0) & (a < 6.0)
    xm = a[middle]
    u = (2.0 / xm - (_T_LOW + _T_HIGH)) / (_T_HIGH - _T_LOW)
    out[middle] = 1.0 - np.exp(-xm * xm) * _horner(_erfcx_coefficients(), u)
    out[np.isnan(a)] = np.nan
    return np.copysign(out, x).astype(x.dtype, copy=False)
