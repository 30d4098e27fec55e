"""ATen's implicit reparameterisation gradients of the gamma family, as NumPy kernels over
float64: ``_standard_gamma_grad`` (d x / d alpha of a standard Gamma(alpha) draw x, i.e.
``-(d cdf / d alpha) / pdf``) and ``_dirichlet_grad`` (the same for a Beta(alpha, total -
alpha) draw, scaled by ``1 / (1 - x)``), each choosing among ATen's approximations by region:

* gamma: a Taylor series of the incomplete gamma function for ``x < 0.8``; Rice's saddle-point
  expansion for ``alpha > 8``; else a bivariate rational fit in ``log(x / alpha)`` and
  ``log(alpha)`` (Martin & Fritz's coefficients, as ATen's).
* beta: Taylor series near 0 and near 1, a saddle-point expansion when both parameters pass 6,
  else a rational correction to an analytic approximation.

``digamma`` is passed in (eager's own, so these kernels need no SciPy). The results equal
torch's to float64 rounding where ATen computes in double (the CPU accumulates in double).

    >>> standard_gamma_grad(np.array([2.0]), np.array([1.0]), digamma=np.negative).round(4)
    array([0.7507])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_GAMMA_UV = np.array([
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343,
     1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758,
     0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
     0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07]])

_BETA_C = np.array([
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]]])

Digamma = Callable[[np.ndarray], np.ndarray]


def _gamma_small_x(alpha: np.ndarray, x: np.ndarray, digamma: Digamma) -> np.ndarray:
    # d/dalpha of the regularised lower incomplete gamma by its series in x, over the pdf
    numer, denom = np.ones_like(x), alpha.copy()
    series1, series2 = numer / denom, numer / (denom * denom)
    for i in range(1, 6):
        numer = numer * (-x / i)
        denom = denom + 1
        series1 = series1 + numer / denom
        series2 = series2 + numer / (denom * denom)
    pow_x_alpha = x ** alpha
    pdf = x ** (alpha - 1) * np.exp(-x)
    cdf_alpha = (np.log(x) - digamma(alpha)) * pow_x_alpha * series1 - pow_x_alpha * series2
    result = -cdf_alpha / pdf
    return np.where(np.isnan(result), 0.0, result)


def _gamma_large_alpha(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    near = (0.9 * alpha <= x) & (x <= 1.1 * alpha)
    numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
    numer_2 = (1440 * alpha * alpha + 6 * x * (53 - 120 * x) - 65 * x * x / alpha
               + alpha * (107 + 3600 * x))
    at_mode = numer_1 * numer_2 / (1244160 * alpha ** 4)
    denom = np.sqrt(8 * alpha)
    term2 = denom / (alpha - x)
    term3 = (x - alpha - alpha * np.log(x / alpha)) ** -1.5
    term23 = np.where(x < alpha, term2 - term3, term2 + term3)
    term1 = (np.log(x / alpha) * term23
             - np.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x)))
    stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
    return np.where(near, at_mode, -stirling * x * term1 / denom)


def _gamma_rational(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    u, v = np.log(x / alpha), np.log(alpha)
    coef = [_GAMMA_UV[0, i] + u * (_GAMMA_UV[1, i] + u * _GAMMA_UV[2, i]) for i in range(8)]
    p = coef[0] + v * (coef[1] + v * (coef[2] + v * coef[3]))
    q = coef[4] + v * (coef[5] + v * (coef[6] + v * coef[7]))
    return np.exp(p / q)


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray, digamma: Digamma) -> np.ndarray:
    """``torch._standard_gamma_grad(alpha, x)`` in float64: ``dx/dalpha`` of Gamma(alpha, 1)
    draws ``x``."""
    alpha, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(x, np.float64))
    with np.errstate(all="ignore"):
        small = _gamma_small_x(alpha, x, digamma)
        large = _gamma_large_alpha(alpha, x)
        rational = _gamma_rational(alpha, x)
    return np.where(x < 0.8, small, np.where(alpha > 8.0, large, rational))


def _beta_alpha_small(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
                      digamma: Digamma) -> np.ndarray:
    factor = digamma(alpha) - digamma(alpha + beta) - np.log(x)
    numer = np.ones_like(x)
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer = numer * ((i - beta) * x / i)
        denom = alpha + i
        series = series + numer / denom * (factor + 1 / denom)
    result = x * (1 - x) ** -beta * series
    return np.where(np.isnan(result), 0.0, result)


def _beta_beta_small(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
                     digamma: Digamma) -> np.ndarray:
    factor = digamma(alpha + beta) - digamma(beta)
    numer, betas, dbetas = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
    series = factor / alpha
    for i in range(1, 9):
        numer = numer * (-x / i)
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series = series + numer / (alpha + i) * (dbetas + factor * betas)
    result = -(1 - x) ** (1 - beta) * series
    return np.where(np.isnan(result), 0.0, result)


def _beta_alpha_mid(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    total = alpha + beta
    mean = alpha / total
    std = np.sqrt(alpha * beta / (total + 1)) / total
    near = (mean - 0.1 * std <= x) & (x <= mean + 0.1 * std)
    b2 = beta * beta
    poly = 47 * x * b2 * b2 + alpha * (
        (43 + 20 * (16 + 27 * beta) * x) * b2 * beta + alpha * (
            3 * (59 + 180 * beta - 90 * x) * b2 + alpha * (
                (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                    8 * (1 - x) * (135 * beta - 11)))))
    prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
    prefactor_den = 12960 * alpha ** 3 * b2 * (1 + 12 * total)
    at_mean = prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / np.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * b2))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * alpha * alpha * (x - 1) + alpha * beta * (x - 1) - x * b2
    axbx = alpha * (x - 1) + beta * x
    term1 = term1_num / (np.sqrt(2 * alpha / beta) * total ** 1.5 * axbx * axbx)
    term2 = 0.5 * np.log(alpha / (total * x))
    term3 = np.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = (beta * np.log(beta / (total * (1 - x)))
             + alpha * np.log(alpha / (total * x))) ** -1.5
    term1234 = term1 + term2 * (term3 + np.where(x < mean, term4, -term4))
    return np.where(near, at_mean, stirling * prefactor * term1234)


def _beta_rational(x: np.ndarray, alpha: np.ndarray, total: np.ndarray,
                   digamma: Digamma) -> np.ndarray:
    u = np.log(x)
    a = np.log(alpha) - u
    b = np.log(total) - a
    p, q = np.zeros_like(x), np.zeros_like(x)
    for i, pow_u in enumerate((1.0, u, u * u)):
        for j, pow_a in enumerate((1.0, a, a * a)):
            ua = pow_u * pow_a
            cp, cq = _BETA_C[0, i, j], _BETA_C[1, i, j]
            p = p + ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])))
            q = q + ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])))
    approx = x * (digamma(total) - digamma(alpha)) / (total - alpha)
    return p / q * approx


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray,
                   digamma: Digamma) -> np.ndarray:
    """``torch._dirichlet_grad(x, alpha, total)`` in float64: ``-(d cdf / d alpha) / pdf /
    (1 - x)`` of Beta(alpha, total - alpha) at ``x``."""
    x, alpha, total = np.broadcast_arrays(*(np.asarray(a, np.float64) for a in
                                            (x, alpha, total)))
    beta = total - alpha
    boundary = total * x * (1 - x)
    with np.errstate(all="ignore"):
        near_zero = _beta_alpha_small(x, alpha, beta, digamma)
        near_one = -_beta_beta_small(1 - x, beta, alpha, digamma)
        mid = _beta_alpha_mid(x, alpha, beta)
        rational = _beta_rational(x, alpha, total, digamma)
    return np.where((x <= 0.5) & (boundary < 2.5), near_zero,
                    np.where((x >= 0.5) & (boundary < 0.75), near_one,
                             np.where((alpha > 6) & (beta > 6), mid, rational)))


__all__ = ["standard_gamma_grad", "dirichlet_grad"]
