"""Modified Bessel functions of the first kind of orders 0 and 1, as primitives NumPy lacks
(``np.i0`` has no order 1 and no gradient): ``i0`` (``torch.i0``, ``torch.special.i0``)
and ``i1`` (``torch.special.i1``), each the other's derivative up to a term:
i0' = i1 and i1' = i0 - i1 / x (1/2 at 0), so every order differentiates. ``i0e`` and
``i1e`` (``torch.special``'s) are them times exp(-|x|), finite for any x: the same sums with
the exponential left out of the asymptotic one (so no overflow), 0 at +-inf.

Kernels in float64: the power series sum_k (x/2)^(2k+v) / (k! (k+v)!) up to |x| = 30, then
Hankel's asymptotic expansion e^|x| / sqrt(2 pi |x|) sum_k (-1)^k prod_j (4v^2 - (2j-1)^2)
/ (k! (8|x|)^k), whose terms keep falling until k ~ 2|x|: both are exact to float64 there.
i0 is even, i1 odd; +-inf gives nan, as PyTorch's kernels.

    >>> import numpy as np
    >>> i0(np.array([0.0, 1.0])).round(6).tolist(), i1(np.array([1.0, -20.0])).round(3).tolist()
    ([1.0, 1.266066], [0.565, -42454973.385])
"""

from __future__ import annotations

import math

import numpy as np

from ..registry import primitive
from ._rules import floating_unary
from .elementwise import add, div, mul, sub
from .elementwise_logic import eq, where
from .elementwise_math import sign

_SERIES_UP_TO = 30.0
_SERIES_TERMS = 100  # (15)^(2k) / (k!)^2 is below 1e-17 of the sum well before this
_ASYMPTOTIC_TERMS = 40  # the k-th term is about k! / (2|x|)^k: 1e-23 at |x| = 30


def _bessel_i(x: np.ndarray, order: int, scaled: bool = False) -> np.ndarray:
    x64 = np.asarray(x, dtype=np.float64)
    ax = np.abs(x64)
    small = ax <= _SERIES_UP_TO
    out = np.empty_like(ax)
    h = ax[small] / 2.0
    term = h ** order / math.factorial(order)
    total = term.copy()
    for k in range(1, _SERIES_TERMS):
        term = term * h * h / (k * (k + order))
        total = total + term
    out[small] = total * np.exp(-ax[small]) if scaled else total
    big = ~small & np.isfinite(ax)
    z = ax[big]
    mu = 4.0 * order * order
    term, total = np.ones_like(z), np.ones_like(z)
    for k in range(1, _ASYMPTOTIC_TERMS):
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * z)
        total = total + term
    with np.errstate(over="ignore"):
        growth = 1.0 if scaled else np.exp(z)
        out[big] = growth / np.sqrt(2.0 * np.pi * z) * total
    out[np.isinf(ax) | np.isnan(ax)] = np.nan  # PyTorch's: nan at +-inf too
    if scaled:
        out[np.isinf(ax)] = 0.0  # the scaled ones fall to 0 there
    if order % 2:
        out = np.copysign(out, x64)
    return out.astype(np.asarray(x).dtype, copy=False)


def _i0_vjp(g, inputs, out):
    (x,) = inputs
    return (mul(g, i1(x)),)


def _i1_vjp(g, inputs, out):
    # i1'(x) = i0(x) - i1(x) / x, whose limit at 0 is 1/2 (x = 0 divides a safe 1 instead).
    (x,) = inputs
    at_zero = eq(x, 0.0)
    slope = sub(i0(x), div(out, where(at_zero, 1.0, x)))
    return (mul(g, where(at_zero, 0.5, slope)),)


def _i0e_vjp(g, inputs, out):
    # (i0 e^-|x|)' = i1 e^-|x| - sign(x) i0 e^-|x|
    (x,) = inputs
    return (mul(g, sub(i1e(x), mul(sign(x), out))),)


def _i1e_vjp(g, inputs, out):
    # (i1 e^-|x|)' = i0e - i1e (sign(x) + 1 / x), whose limit at 0 is 1/2, as i1's.
    (x,) = inputs
    at_zero = eq(x, 0.0)
    slope = sub(i0e(x), mul(out, add(sign(x), div(1.0, where(at_zero, 1.0, x)))))
    return (mul(g, where(at_zero, 0.5, slope)),)


_FLOAT_UNARY = dict(elementwise=True, inplace_safe=True, floating=True, fresh=True)
i0 = primitive("i0", lambda x: _bessel_i(x, 0), floating_unary("i0"), _i0_vjp,
               doc="The modified Bessel function of the first kind of order 0.", **_FLOAT_UNARY)
i1 = primitive("i1", lambda x: _bessel_i(x, 1), floating_unary("i1"), _i1_vjp,
               doc="The modified Bessel function of the first kind of order 1.", **_FLOAT_UNARY)

i0e = primitive("i0e", lambda x: _bessel_i(x, 0, scaled=True), floating_unary("i0e"),
                _i0e_vjp, torch_name="SpecialI0EBackward0",
                doc="i0(x) exp(-|x|), finite for every x.", **_FLOAT_UNARY)
i1e = primitive("i1e", lambda x: _bessel_i(x, 1, scaled=True), floating_unary("i1e"),
                _i1e_vjp, torch_name="SpecialI1EBackward0",
                doc="i1(x) exp(-|x|), finite for every x.", **_FLOAT_UNARY)

__all__ = ["i0", "i1", "i0e", "i1e"]
