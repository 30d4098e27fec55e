"""Special functions NumPy lacks, as primitives: ``erfinv`` (the inverse error function),
``lgamma`` (log |Gamma(x)|) and ``polygamma`` (the derivatives of log Gamma past the first;
``digamma`` is its order 0), as ``torch.erfinv``, ``torch.lgamma``, ``torch.digamma`` and
``torch.polygamma``; ``ndtri`` (the normal quantile, erfinv's kernel given 1 - |2p - 1|
exactly, so the lower tail stays finite), ``entr`` (-x log x, with PyTorch's gradient),
``erfcx`` (exp(x^2) erfc(x), by Laplace's continued fraction past x = 5), ``log_ndtr``
(a composite over erfcx and erfc, accurate in both tails) and ``zeta`` (Hurwitz's, by
Euler-Maclaurin summation as Cephes, with PyTorch's values at the poles and outside the
domain), as ``torch.special``'s.

``erfinv``:
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

from ..aval import Aval
from ..errors import OpValueError
from ..registry import composite, primitive
from ._rules import broadcast_binary, floating_unary
from ._types import Value
from .elementwise import add, mul, neg, sub, unbroadcast
from .elementwise_logic import lt, where
from .elementwise_math import exp, log, log1p
from .erf_kernel import erf_array
from .float_bits import erfc

# Giles' coefficients, highest power first: the central branch (w < 5) and the tail branch.
_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
            -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
         -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_HALF = math.sqrt(0.5)
# Beyond this |y|, erf(x) - y loses the digits Newton needs; the C library's erfc (per element,
# few values) keeps them.
_TAIL_FROM = 0.9
_TAIL_STEPS = 3  # log erfc is nearly quadratic out there: Newton converges in a few steps
_erfc = np.frompyfunc(math.erfc, 1, 1)
_FAR_GAP, _FAR_STEPS = 1e-8, 6


def _erfinv_kernel(y: np.ndarray) -> np.ndarray:
    y64 = np.asarray(y, dtype=np.float64)
    inside = np.abs(y64) < 1.0
    x = _erfinv_of_magnitude(np.abs(y64), 1.0 - np.abs(y64), inside)
    x = np.where(inside, np.copysign(x, y64),
                 np.where(np.abs(y64) == 1.0, np.copysign(np.inf, y64), np.nan))
    return x.astype(np.asarray(y).dtype, copy=False)


def _erfinv_of_magnitude(a: np.ndarray, gap: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """x >= 0 with erf(x) = a, given ``gap`` = 1 - a (exactly, when the caller has it: near
    a = 1 it carries the digits ``a`` has lost); entries not ``inside`` are left finite."""
    safe_a, safe_gap = np.where(inside, a, 0.0), np.where(inside, gap, 1.0)
    w = -np.log(safe_gap * (2.0 - safe_gap))  # -log((1 - a)(1 + a))
    central = w < 5.0
    t = np.where(central, w - 2.5, np.sqrt(w) - 3.0)
    p = np.where(central, _CENTRAL[0], _TAIL[0])
    for c, d in zip(_CENTRAL[1:], _TAIL[1:], strict=True):
        p = np.where(central, c, d) + p * t
    x = p * safe_a
    with np.errstate(divide="ignore", invalid="ignore"):  # far tail: replaced below
        for _ in range(2):  # Newton on erf(x) - a; erf' = 2/sqrt(pi) exp(-x^2)
            x = x - (erf_array(x) - safe_a) / (_TWO_OVER_SQRT_PI * np.exp(-x * x))
    tail = inside & (safe_gap < 1.0 - _TAIL_FROM)
    if tail.any():  # near 1: Newton on log erfc(x) = log(gap), exact there
        log_gap, xt = np.log(safe_gap[tail]), np.abs(x[tail])
        # Past Giles' range (a gap under 1e-8, which only ndtri's exact gap reaches) start
        # from the asymptote erfc(x) ~ exp(-x^2), and let Newton run longer.
        far = safe_gap[tail] < _FAR_GAP
        xt = np.where(far, np.sqrt(-log_gap), xt)
        for _ in range(_TAIL_STEPS + (_FAR_STEPS if far.any() else 0)):
            complement = _erfc(xt).astype(np.float64)
            slope = -_TWO_OVER_SQRT_PI * np.exp(-xt * xt) / complement
            with np.errstate(divide="ignore", invalid="ignore"):
                xt = xt - (np.log(complement) - log_gap) / slope
        # A gap among the subnormals: erfc underflows on the way, so keep the asymptote's
        # second step, x^2 = -log(gap) - log(x sqrt(pi)) (to about 1e-5).
        start = np.sqrt(-log_gap)
        asymptote = np.sqrt(-log_gap - np.log(start * math.sqrt(math.pi)))
        x[tail] = np.where(np.isnan(xt), asymptote, xt)
    return x


def _erfinv_vjp(g, inputs, out):
    # d/dy erfinv(y) = sqrt(pi)/2 * exp(erfinv(y)^2)
    return (mul(g, mul(exp(mul(out, out)), 1.0 / _TWO_OVER_SQRT_PI)),)


erfinv = primitive("erfinv", _erfinv_kernel, floating_unary("erfinv"), _erfinv_vjp,
                   elementwise=True, inplace_safe=True, floating=True, fresh=True,
                   doc="The inverse error function: erf(erfinv(y)) = y on (-1, 1).")



# --- lgamma, digamma, polygamma: primitives ----------------------------------------------------
_lgamma_scalar = np.frompyfunc(math.lgamma, 1, 1)
# B_2k / (2k)! for k = 1..7: the coefficients of the asymptotic series of the polygammas.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
_SERIES = tuple(b / math.factorial(2 * k) for k, b in enumerate(_BERNOULLI, start=1))


def _poles(x: np.ndarray) -> np.ndarray:
    return (x <= 0) & (x == np.floor(x))


def _lgamma_kernel(x: np.ndarray) -> np.ndarray:
    # The C library's lgamma per element (exact, and NumPy has no ufunc); poles give inf.
    x64 = np.asarray(x, dtype=np.float64)
    finite = np.isfinite(x64) & ~_poles(x64)
    out = np.full(x64.shape, np.inf)
    out[np.isnan(x64)] = np.nan
    if finite.any():
        out[finite] = _lgamma_scalar(x64[finite]).astype(np.float64)
    return out.astype(np.asarray(x).dtype, copy=False)


def _polygamma_float64(x: np.ndarray, n: int) -> np.ndarray:
    """The n-th derivative of digamma (n = 0: digamma) at x that is not a pole: the
    recurrence psi_n(x) = psi_n(x + 1) - (-1)^n n! / x^(n+1) shifts x up to where the
    asymptotic series is exact to float64, then the series."""
    threshold = 10.0 + 2 * n
    shifted, acc = x.copy(), np.zeros_like(x)
    sign_n = -1.0 if n % 2 else 1.0
    while True:
        low = shifted < threshold
        if not low.any():
            break
        acc[low] -= sign_n * math.factorial(n) / shifted[low] ** (n + 1)
        shifted[low] += 1.0
    inv = 1.0 / shifted
    inv2 = inv * inv
    if n == 0:
        series = np.zeros_like(x)
        for k in range(len(_SERIES), 0, -1):
            series = (series + _BERNOULLI[k - 1] / (2 * k)) * inv2
        return acc + np.log(shifted) - 0.5 * inv - series
    # (-1)^(n+1) [(n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)!/(2k)! / x^(2k+n)]
    total = math.factorial(n - 1) * inv ** n + 0.5 * math.factorial(n) * inv ** (n + 1)
    for k, coefficient in enumerate(_SERIES, start=1):
        total = total + coefficient * math.factorial(2 * k + n - 1) * inv ** (2 * k + n)
    return acc - sign_n * total


def _polygamma_kernel(x: np.ndarray, n: int = 0) -> np.ndarray:
    x64 = np.asarray(x, dtype=np.float64)
    poles, finite = _poles(x64), np.isfinite(x64)
    usable = finite & ~poles
    out = np.zeros(x64.shape)
    out[usable] = _polygamma_float64(x64[usable], n)
    if n == 0:  # digamma: -inf at +0 and +inf at -0 (as PyTorch), nan at negative integers
        out[poles] = np.where(x64[poles] == 0, np.copysign(np.inf, -x64[poles]), np.nan)
        out[x64 == np.inf] = np.inf
        out[x64 == -np.inf] = np.nan
    else:  # PyTorch's values at the poles and at +-inf, where its series lands
        odd = n % 2 == 1
        out[poles] = np.inf if odd else -np.inf
        out[x64 == np.inf] = 0.0 if n == 1 else np.nan
        out[x64 == -np.inf] = np.nan if n == 1 else (np.inf if odd else -np.inf)
    out[np.isnan(x64)] = np.nan
    return out.astype(np.asarray(x).dtype, copy=False)


def _polygamma_rule(x: Aval, n: int = 0) -> Aval:
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 0:
        raise OpValueError("polygamma", f"polygamma(n, x) does not support negative n (got "
                           f"{n!r})")
    return floating_unary("polygamma")(x)


def _lgamma_vjp(g, inputs, out):
    (x,) = inputs
    return (mul(g, digamma(x)),)


def _polygamma_vjp(g, inputs, out, n: int = 0):
    (x,) = inputs
    return (mul(g, polygamma(x, n=n + 1)),)


_FLOAT_UNARY = dict(elementwise=True, inplace_safe=True, floating=True, fresh=True)
lgamma = primitive("lgamma", _lgamma_kernel, floating_unary("lgamma"), _lgamma_vjp,
                   doc="log |Gamma(x)| (inf at the poles 0, -1, -2...).", **_FLOAT_UNARY)
polygamma = primitive("polygamma", _polygamma_kernel, _polygamma_rule, _polygamma_vjp,
                      torch_name="PolygammaBackward0",
                      doc="The n-th derivative of digamma (n = 0: digamma itself); the order is "
                          "an attribute, the input x the op's one input.", **_FLOAT_UNARY)


@composite(torch_name="DigammaBackward0")
def digamma(input: Value) -> Value:  # noqa: A002 -- torch's name
    """d/dx lgamma(x): -inf at 0, nan at the negative integers (torch.digamma)."""
    return polygamma(input, n=0)




# --- ndtri: primitive --------------------------------------------------------------------------
def _ndtri_kernel(p: np.ndarray) -> np.ndarray:
    # sqrt 2 erfinv(2p - 1), with 1 - |2p - 1| taken as 2p (below 1/2) rather than from 2p - 1,
    # which rounds to -1 for p under 1e-16: ndtri(1e-300) is -37.05, not -inf.
    p64 = np.asarray(p, dtype=np.float64)
    lower = p64 < 0.5
    gap = np.where(lower, 2.0 * p64, 2.0 * (1.0 - p64))
    inside = (p64 > 0.0) & (p64 < 1.0)
    x = math.sqrt(2.0) * _erfinv_of_magnitude(1.0 - gap, gap, inside)
    x = np.where(inside, np.where(lower, -x, x),
                 np.where(p64 == 0.0, -np.inf, np.where(p64 == 1.0, np.inf, np.nan)))
    return x.astype(np.asarray(p).dtype, copy=False)


def _ndtri_vjp(g, inputs, out):
    # d/dp ndtri(p) = sqrt(2 pi) exp(ndtri(p)^2 / 2)
    return (mul(g, mul(exp(mul(mul(out, out), 0.5)), math.sqrt(2.0 * math.pi))),)


ndtri = primitive("ndtri", _ndtri_kernel, floating_unary("ndtri"), _ndtri_vjp, elementwise=True,
                  floating=True, fresh=True, torch_name="SpecialNdtriBackward0",
                  doc="The standard normal quantile (torch.special.ndtri), accurate in the "
                      "lower tail.")

# --- entr: primitive ---------------------------------------------------------------------------
def _entr_kernel(x: np.ndarray) -> np.ndarray:
    positive = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        value = -x * np.log(np.where(positive, x, 1))
    out = np.where(positive, value, np.where(x == 0, 0.0, -np.inf))
    return np.where(np.isnan(x), x, out).astype(x.dtype, copy=False)


def _entr_vjp(g, inputs, out):
    # -(1 + log x) everywhere, as PyTorch: inf at 0 and nan below (a composite built with
    # where() would give 0 there instead).
    (x,) = inputs
    return (mul(g, neg(add(log(x), 1.0))),)


entr = primitive("entr", _entr_kernel, floating_unary("entr"), _entr_vjp, elementwise=True,
                 floating=True, fresh=True, torch_name="SpecialEntrBackward0",
                 doc="-x log(x) for x > 0, 0 at 0 and -inf below (torch.special.entr).")


# --- erfcx: primitive; log_ndtr: composite ---------------------------------------------------
_ERFCX_PRODUCT_UP_TO = 5.0  # exp(x^2) erfc(x) as a product while x^2 carries few digits away
_ERFCX_FRACTION_TERMS = 80  # Laplace's continued fraction: below 1 ulp from x = 5 on


def _erfcx_kernel(x: np.ndarray) -> np.ndarray:
    x64 = np.asarray(x, dtype=np.float64)
    a = np.abs(x64)
    with np.errstate(over="ignore", invalid="ignore"):
        near = np.minimum(a, _ERFCX_PRODUCT_UP_TO)
        product = np.exp(near * near) * np.asarray(_erfc(near), dtype=np.float64)
        # erfcx(x) = 1 / (sqrt(pi) (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))), from the
        # innermost term out; inf gives 0, as PyTorch.
        far = np.maximum(a, _ERFCX_PRODUCT_UP_TO)
        denominator = far.copy()
        for k in range(_ERFCX_FRACTION_TERMS, 0, -1):
            denominator = far + (k / 2.0) / denominator
        positive = np.where(a <= _ERFCX_PRODUCT_UP_TO, product, 1.0 / (math.sqrt(math.pi)
                                                                       * denominator))
        # erfcx(-x) = 2 exp(x^2) - erfcx(x): overflows to inf below -26.6, as PyTorch's.
        out = np.where(x64 < 0, 2.0 * np.exp(a * a) - positive, positive)
    return np.where(np.isnan(x64), np.nan, out).astype(np.asarray(x).dtype, copy=False)


def _erfcx_vjp(g, inputs, out):
    (x,) = inputs  # erfcx' = 2 x erfcx(x) - 2 / sqrt(pi)
    return (mul(g, add(mul(mul(x, out), 2.0), -_TWO_OVER_SQRT_PI)),)


erfcx = primitive("erfcx", _erfcx_kernel, floating_unary("erfcx"), _erfcx_vjp,
                  elementwise=True, inplace_safe=True, floating=True, fresh=True,
                  torch_name="SpecialErfcxBackward0",
                  doc="The scaled complementary error function exp(x^2) erfc(x).")


@composite(torch_name="SpecialLogNdtrBackward0")
def log_ndtr(input: Value) -> Value:  # noqa: A002 -- torch's name
    """log of the standard normal CDF, accurate in both tails: below -1 through erfcx
    (log(erfcx(-x / sqrt 2) / 2) - x^2 / 2), above through log1p(-erfc(x / sqrt 2) / 2).
    Each branch sees its side of -1 only, so neither overflows into the other's gradient."""
    below = lt(input, -1.0)  # where(), not minimum/maximum: those split the gradient at -1
    low = mul(where(below, input, -1.0), _SQRT_HALF)
    high = mul(where(below, -1.0, input), _SQRT_HALF)
    lower_tail = sub(log(mul(erfcx(neg(low)), 0.5)), mul(low, low))
    return where(below, lower_tail, log1p(mul(erfc(high), -0.5)))


# --- zeta: primitive (differentiable in q only, as PyTorch) ---------------------------------
# The Euler-Maclaurin correction's divisors (2k)! / B_2k, k = 1..12, as in Cephes' zeta.
_EULER_MACLAURIN = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
                    7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
                    -4.5979787224074726105e15, 1.8152105401943546773e17,
                    -7.1661652561756670113e18)
_EPS = np.finfo(np.float64).eps


def _hurwitz_zeta(x: float, q: float) -> float:
    """sum over k >= 0 of (k + q)^-x, by Euler-Maclaurin summation: direct terms until
    q + k > 9, then the integral, half the last term and the Bernoulli corrections."""
    if x == 1.0:
        return math.inf
    if x < 1.0 or math.isnan(x) or math.isnan(q) or math.isinf(x) or math.isinf(q):
        return math.nan
    if q <= 0.0:
        if q == math.floor(q):
            return math.inf
        if x != math.floor(x):
            return math.nan  # q^-x is not real
    if q > 1e8:
        return (1.0 / (x - 1.0) + 1.0 / (2.0 * q)) * q ** (1.0 - x)
    total, a, i, b = q ** -x, q, 0, 0.0
    while i < 9 or a <= 9.0:
        i, a = i + 1, a + 1.0
        b = a ** -x
        total += b
        if abs(b / total) < _EPS:
            return total
    w = a
    total += b * w / (x - 1.0) - 0.5 * b
    rising, k = 1.0, 0.0
    for divisor in _EULER_MACLAURIN:
        rising *= x + k
        b /= w
        term = rising * b / divisor
        total += term
        if abs(term / total) < _EPS:
            break
        k += 1.0
        rising *= x + k
        b /= w
        k += 1.0
    return total


_zeta_elementwise = np.frompyfunc(_hurwitz_zeta, 2, 1)


def _zeta_kernel(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    dtype = np.result_type(x, q)
    x64, q64 = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(q, np.float64))
    return np.asarray(_zeta_elementwise(x64, q64), dtype=np.float64).astype(dtype, copy=False)


def _zeta_vjp(g, inputs, out):
    x, q = inputs  # d/dq zeta(x, q) = -x zeta(x + 1, q); PyTorch has none in x either
    return None, unbroadcast(mul(g, mul(neg(x), zeta(add(x, 1.0), q))), q, inputs)


zeta = primitive("zeta", _zeta_kernel, broadcast_binary("zeta"), _zeta_vjp,
                 elementwise=True, promote=True, floating=True, fresh=True, nondiff_inputs=(0,),
                 torch_name="SpecialZetaBackward0",
                 doc="The Hurwitz zeta function sum_k (k + q)^-x (torch.special.zeta).")

__all__ = ["erfinv", "lgamma", "polygamma", "digamma", "entr", "ndtri", "erfcx", "log_ndtr",
           "zeta"]
