"""ATen's CPU rejection samplers, element by element in the order PyTorch visits a contiguous
tensor: ``_standard_gamma``, ``_sample_dirichlet``, ``poisson`` and ``binomial``.

Each element draws a variable number of the generator's double uniforms (53-bit) and double
normals (the scalar Box–Muller whose second value is cached in the engine), so the samplers
are scalar loops; they leave the engine exactly where PyTorch leaves its generator.

* gamma (Marsaglia–Tsang): ``alpha < 1`` is boosted to ``alpha + 1`` and the result scaled by
  ``(1 - u) ** (1 / alpha)``; ``d = alpha - 1/3`` (1/3 and ``1 / alpha`` in the parameter's
  dtype, the rest in double); a float32 result is clamped below at float32's smallest normal.
* dirichlet: gammas in float64 (clamped at float64's smallest normal), normalised by their sum
  over the last dim, then clamped into [tiny, nextafter(1, 0)] of the dtype.
* poisson: products of uniforms below ``exp(-rate)`` for rates under 10, Hörmann's transformed
  rejection (PTRS) from 10 on.
* binomial: the inversion of geometric waiting times for ``n * min(p, q) < 10``, Hörmann's
  BTRS beyond (counting failures when ``p > 1/2``); float32 parameters keep float32 arithmetic
  where ATen's template does.

Found by element-wise comparison with torch 2.13 from the same seeds.

    >>> from eager.random.engine import Engine
    >>> standard_gamma(Engine(0), np.array([1.0, 0.5])).round(4).tolist()
    [2.8824, 0.0055]
"""

from __future__ import annotations

import math

import numpy as np

from .engine import Engine
from .kernels import standard_uniform

_F64 = np.dtype(np.float64)
_THIRD = float(np.float32(1.0) / np.float32(3.0))  # ATen writes ``1.0f / 3.0f``
_SQUEEZE = float(np.float32(0.0331))  # ``0.0331f``
_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104113298323113, 0.00925546218271273,
                  0.00833056343336287)


class _Draws:
    """One engine's scalar draws: a double uniform in [0, 1) and a double standard normal.

    Uniforms are read ahead in vectorised blocks (one NumPy call per block, not per draw);
    `finish` then rewinds the engine and moves it on by exactly the words used, so the stream
    stays PyTorch's (12x faster than a NumPy call per draw: docs/PERFORMANCE.md, Kept).
    ``expected``: about how many uniforms the caller will use."""

    def __init__(self, engine: Engine, expected: int) -> None:
        self.engine, self.expected = engine, max(expected, 16)
        self.buffer: list[float] = []
        self.used = 0
        self.saved: dict | None = None

    def uniform(self) -> float:
        if self.used == len(self.buffer):
            if self.saved is None:
                self.saved = self.engine.bits.state
            count = max(self.expected, len(self.buffer))
            self.buffer.extend(standard_uniform(self.engine, count, _F64).tolist())
        self.used += 1
        return self.buffer[self.used - 1]

    def normal(self) -> float:
        """ATen's scalar ``normal_distribution<double>``: the engine's cached value if it holds
        one, else ``r cos t`` of two fresh uniforms, caching ``r sin t`` (libm's functions)."""
        cached = self.engine.next_double_normal
        if cached is not None:
            self.engine.next_double_normal = None
            return cached
        theta = 2.0 * math.pi * self.uniform()
        radius = math.sqrt(-2.0 * math.log1p(-self.uniform()))
        self.engine.next_double_normal = radius * math.sin(theta)
        return radius * math.cos(theta)

    def finish(self) -> None:
        """Leave the engine just after the uniforms used (two words each)."""
        if self.saved is not None:
            self.engine.bits.state = self.saved
            self.engine.random32(2 * self.used)


def _gamma_one(alpha: float, draws: _Draws, single: bool) -> float:
    """One Marsaglia–Tsang draw; ``single``: the parameter's arithmetic is float32."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        inverse = float(np.float32(1) / np.float32(alpha)) if single else 1.0 / alpha
        scale *= math.pow(1.0 - draws.uniform(), inverse)
        alpha = float(np.float32(alpha) + np.float32(1)) if single else alpha + 1.0
    d = float(np.float32(alpha) - np.float32(_THIRD)) if single else alpha - _THIRD
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = draws.normal()
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1.0 - draws.uniform()
        xx = x * x
        if u < 1.0 - _SQUEEZE * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def standard_gamma(engine: Engine, alpha: np.ndarray) -> np.ndarray:
    """``torch._standard_gamma(alpha)``: one Gamma(alpha, 1) draw per element (flat, C order),
    in ``alpha``'s dtype."""
    dtype = alpha.dtype
    single = dtype == np.float32
    draws = _Draws(engine, 3 * alpha.size)
    values = [_gamma_one(a, draws, single) for a in alpha.ravel().tolist()]
    draws.finish()
    out = np.asarray(values, np.float64).astype(dtype)
    return np.maximum(out, np.finfo(dtype).tiny)


def sample_dirichlet(engine: Engine, alpha: np.ndarray) -> np.ndarray:
    """``torch._sample_dirichlet(alpha)``: float64 gammas normalised over the last dim."""
    draws = _Draws(engine, 3 * alpha.size)
    flat = alpha.astype(np.float64).ravel().tolist()
    gammas = np.asarray([_gamma_one(a, draws, False) for a in flat], np.float64)
    draws.finish()
    gammas = np.maximum(gammas, np.finfo(np.float64).tiny).reshape(alpha.shape)
    ratio = (gammas / gammas.sum(-1, keepdims=True)).astype(alpha.dtype)
    top = np.nextafter(alpha.dtype.type(1), alpha.dtype.type(0))
    return np.clip(ratio, np.finfo(alpha.dtype).tiny, top)


def _poisson_one(rate: float, draws: _Draws) -> int:
    if rate >= 10:
        slam, loglam = math.sqrt(rate), math.log(rate)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = draws.uniform() - 0.5
            v = draws.uniform()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + rate + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -rate + k * loglam - math.lgamma(k + 1.0)):
                return k
    if rate == 0:
        return 0
    limit, product, count = math.exp(-rate), 1.0, 0
    while True:
        product *= draws.uniform()
        if product <= limit:
            return count
        count += 1


def poisson(engine: Engine, rates: np.ndarray) -> np.ndarray:
    """``torch.poisson(rates)``: one Poisson draw per element, in ``rates``' dtype."""
    draws = _Draws(engine, 3 * rates.size)
    values = []
    try:
        for rate in rates.ravel().tolist():
            if not rate >= 0:
                raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
            values.append(_poisson_one(rate, draws))
    finally:
        draws.finish()  # an error leaves the stream after the elements drawn, as ATen's
    return np.asarray(values, np.float64).astype(rates.dtype)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _inversion(n: np.floating, p: np.floating, draws: _Draws) -> float:
    logprob = float(np.log1p(-p))  # log1p in the parameter's dtype, as ATen's overload
    total, successes = 0.0, 0
    while True:
        total += math.ceil(math.log(draws.uniform()) / logprob)
        if total > n:
            return float(successes)
        successes += 1


def _btrs(n: np.floating, p: np.floating, draws: _Draws) -> float:
    one = n.dtype.type(1)
    stddev = float(np.sqrt(n * p * (one - p)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * float(p)
    c = float(n * p) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(p / (one - p))
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor(float((n + one) * p))
    count = float(n)
    while True:
        u = draws.uniform() - 0.5
        v = draws.uniform()
        us = 0.5 - abs(u)
        k = float(n.dtype.type(math.floor((2 * a / us + b) * u + c)))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= bound:
            return k


def _binomial_one(n: np.floating, p: np.floating, draws: _Draws) -> float:
    if n <= 0 or p <= 0:
        return 0.0
    if p >= 1:
        return float(n)
    if p != p:  # nan: neither side of 1/2, no draw (the inversion loop would never end)
        return math.nan
    flip = p > 0.5
    q = n.dtype.type(1) - p if flip else p
    k = _btrs(n, q, draws) if n * q >= 10 else _inversion(n, q, draws)
    return float(n - n.dtype.type(k)) if flip else k


def binomial(engine: Engine, counts: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """``torch.binomial(counts, probs)``: one draw per element of the broadcast pair."""
    counts, probs = np.broadcast_arrays(counts, probs)
    draws = _Draws(engine, 3 * counts.size)
    values = [_binomial_one(n, p, draws) for n, p in zip(counts.ravel(), probs.ravel(),
                                                         strict=True)]
    draws.finish()
    return np.asarray(values, np.float64).astype(counts.dtype)


__all__ = ["standard_gamma", "sample_dirichlet", "poisson", "binomial"]
