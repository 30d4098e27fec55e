"""The regularized incomplete gamma functions as primitives: ``igamma(a, x)`` = P(a, x), the
lower one (``torch.special.gammainc``, the Gamma distribution's CDF), and ``igammac(a, x)`` =
Q(a, x) = 1 - P(a, x), the upper one (``torch.special.gammaincc``).

Both are computed in float64 and rounded to the inputs' dtype: by the power series of P where
``x < a + 1`` (it converges fast there) and by the continued fraction of Q elsewhere (Lentz's
method), each carried until its terms stop changing the sum; the other function is one minus
the first. Edges as PyTorch: P(a, 0) = 0 for a > 0, P(0, x) = 1 for x > 0, P(a, inf) = 1,
nan for a < 0, x < 0, a = x = 0 or a nan.

Gradients: d/dx P = x^(a-1) e^-x / Gamma(a) (and minus that for Q). PyTorch has no gradient
with respect to ``a`` (it raises "the derivative for 'igamma: input' is not implemented" when
one is asked for); here ``a`` is a non-differentiable input, so its ``.grad`` stays None.

    >>> import numpy as np
    >>> igamma(np.array([1.0, 2.0]), np.array([1.0, 2.0])).round(6).tolist()
    [0.632121, 0.593994]
"""

from __future__ import annotations

import numpy as np

from ..registry import primitive
from ._rules import broadcast_binary
from .elementwise import mul, neg, sub, unbroadcast
from .elementwise_math import exp, log
from .special_functions import lgamma

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300
_MAX_TERMS = 100_000  # the series needs ~sqrt(a) terms per unit of x; never reached in float64


def _log_prefactor(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log(x^a e^-x / Gamma(a)), the factor both expansions share."""
    return a * np.log(x) - x - lgamma.kernel(a)


def _lower_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a + 1) ... (a + n)), for x < a + 1."""
    term = np.ones_like(a)
    total = np.ones_like(a)
    denominator = a.copy()
    active = np.ones(a.shape, bool)
    for _ in range(_MAX_TERMS):
        denominator[active] += 1.0
        term[active] *= x[active] / denominator[active]
        total[active] += term[active]
        active &= np.abs(term) > np.abs(total) * _EPS
        if not active.any():
            break
    return total * np.exp(_log_prefactor(a, x)) / a


def _upper_fraction(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) by its continued fraction 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)),
    evaluated with the modified Lentz method, for x >= a + 1."""
    b = x + 1.0 - a
    c = np.full_like(a, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    active = np.ones(a.shape, bool)
    for i in range(1, _MAX_TERMS):
        an = -i * (i - a)
        b = b + 2.0
        d = np.where(active, an * d + b, d)
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = np.where(active, b + an / c, c)
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        delta = np.where(active, d * c, 1.0)
        h *= delta
        active &= np.abs(delta - 1.0) > _EPS
        if not active.any():
            break
    return np.exp(_log_prefactor(a, x)) * h


def _regularized(a, x, upper: bool) -> np.ndarray:
    dtype = np.result_type(a, x)
    a64, x64 = (np.array(np.broadcast_to(v, np.broadcast_shapes(np.shape(a), np.shape(x))),
                         dtype=np.float64) for v in (a, x))
    out = np.full(a64.shape, np.nan)  # a < 0, x < 0, a = x = 0 and nans stay nan
    defined = (a64 >= 0) & (x64 >= 0) & ~((a64 == 0) & (x64 == 0))
    lower_is_one = defined & ((a64 == 0) | np.isposinf(x64))
    lower_is_zero = defined & (x64 == 0)
    out[lower_is_one] = 0.0 if upper else 1.0
    out[lower_is_zero] = 1.0 if upper else 0.0
    general = defined & ~lower_is_one & ~lower_is_zero
    by_series = general & (x64 < a64 + 1.0)
    by_fraction = general & ~by_series
    with np.errstate(all="ignore"):
        if by_series.any():
            p = _lower_series(a64[by_series], x64[by_series])
            out[by_series] = 1.0 - p if upper else p
        if by_fraction.any():
            q = _upper_fraction(a64[by_fraction], x64[by_fraction])
            out[by_fraction] = q if upper else 1.0 - q
    return out.astype(dtype, copy=False)


def _igamma_kernel(a, x):
    return _regularized(a, x, upper=False)


def _igammac_kernel(a, x):
    return _regularized(a, x, upper=True)


def _density(a, x):
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a), the Gamma(a, 1) density."""
    return exp(sub(sub(mul(sub(a, 1.0), log(x)), x), lgamma(a)))


def _igamma_vjp(g, inputs, out):
    a, x = inputs
    return None, unbroadcast(mul(g, _density(a, x)), x, inputs)


def _igammac_vjp(g, inputs, out):
    a, x = inputs
    return None, unbroadcast(neg(mul(g, _density(a, x))), x, inputs)


_FLAGS = dict(elementwise=True, promote=True, floating=True, nondiff_inputs=(0,))
igamma = primitive("igamma", _igamma_kernel, broadcast_binary("igamma"), _igamma_vjp, **_FLAGS,
                   doc="The regularized lower incomplete gamma function P(a, x).")
igammac = primitive("igammac", _igammac_kernel, broadcast_binary("igammac"), _igammac_vjp,
                    **_FLAGS, doc="The regularized upper incomplete gamma function Q(a, x).")

__all__ = ["igamma", "igammac"]
