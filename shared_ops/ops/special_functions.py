"""``erfinv``, the inverse error function (primitive, as ``torch.erfinv``): NumPy has none.

The kernel starts from Giles' single-precision polynomial approximation (M. Giles,
"Approximating the erfinv function", GPU Computing Gems, 2010), then takes two Newton steps
in float64: on ``erf(x) = y``, and for ``|y| > 0.9`` on ``log erfc(|x|) = log(1 - |y|)``
(exact there, where ``erf(x) - y`` has lost its digits). Float64 results are within a few
ulps of PyTorch's; ``y = +-1`` gives ``+-inf`` and ``|y| > 1`` nan, as PyTorch.

    >>> import numpy as np
    >>> erfinv(np.array([0.0, 0.5, -1.0])).round(6).tolist()
    [0.0, 0.476936, -inf]
"""

from __future__ import annotations

import math

import numpy as np

from ..registry import primitive
from ._rules import floating_unary
from .elementwise import mul
from .elementwise_math import exp
from .erf_kernel import erf_array

# Giles' coefficients, highest power first: the central branch (w < 5) and the tail branch.
_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
            -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
         -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
# Beyond this |y|, erf(x) - y loses the digits Newton needs; the C library's erfc (per element,
# few values) keeps them.
_TAIL_FROM = 0.9
_TAIL_STEPS = 3  # log erfc is nearly quadratic out there: Newton converges in a few steps
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _erfinv_kernel(y: np.ndarray) -> np.ndarray:
    y64 = np.asarray(y, dtype=np.float64)
    inside = np.abs(y64) < 1.0
    safe = np.where(inside, y64, 0.0)
    w = -np.log((1.0 - safe) * (1.0 + safe))
    central = w < 5.0
    t = np.where(central, w - 2.5, np.sqrt(w) - 3.0)
    p = np.where(central, _CENTRAL[0], _TAIL[0])
    for c, d in zip(_CENTRAL[1:], _TAIL[1:], strict=True):
        p = np.where(central, c, d) + p * t
    x = p * safe
    for _ in range(2):  # Newton on erf(x) - y; erf' = 2/sqrt(pi) exp(-x^2)
        x = x - (erf_array(x) - safe) / (_TWO_OVER_SQRT_PI * np.exp(-x * x))
    tail = inside & (np.abs(y64) > _TAIL_FROM)
    if tail.any():  # near +-1: Newton on log erfc(|x|) = log(1 - |y|), 1 - |y| exact there
        log_gap, xt = np.log(1.0 - np.abs(y64[tail])), np.abs(x[tail])
        for _ in range(_TAIL_STEPS):
            complement = _erfc(xt).astype(np.float64)
            slope = -_TWO_OVER_SQRT_PI * np.exp(-xt * xt) / complement
            xt = xt - (np.log(complement) - log_gap) / slope
        x[tail] = np.copysign(xt, y64[tail])
    x = np.where(inside, x, np.where(np.abs(y64) == 1.0, np.copysign(np.inf, y64), np.nan))
    return x.astype(np.asarray(y).dtype, copy=False)


def _erfinv_vjp(g, inputs, out):
    # d/dy erfinv(y) = sqrt(pi)/2 * exp(erfinv(y)^2)
    return (mul(g, mul(exp(mul(out, out)), 1.0 / _TWO_OVER_SQRT_PI)),)


erfinv = primitive("erfinv", _erfinv_kernel, floating_unary("erfinv"), _erfinv_vjp,
                   elementwise=True, inplace_safe=True, floating=True, fresh=True,
                   doc="The inverse error function: erf(erfinv(y)) = y on (-1, 1).")

__all__ = ["erfinv"]
