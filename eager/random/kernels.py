"""ATen's CPU sampling kernels over an `Engine`'s words, vectorised: each returns a flat
ndarray of ``count`` values in the order PyTorch fills a contiguous tensor, drawing exactly
the words PyTorch draws.

* uniform: float32 keeps the low 24 bits of one word, float64 the low 53 of a 64-bit draw;
  ``u * (to - from) + from`` in the dtype, fused (`fused`).
* normal: 16 or more elements take the vectorised Box–Muller of `box_muller` (all uniforms
  first; a tail that is not a whole block redraws 16 uniforms and recomputes the last 16
  values); fewer take the scalar Box–Muller on 53-bit doubles whose second value is cached in
  the engine for the next call.
* integers: ``word % range + low`` with one word, or a 64-bit draw for ranges from 2**28.
* bernoulli with a scalar ``p``: a 53-bit double below ``p`` (the non-MKL kernel, the one
  PyTorch runs on every non-Intel CPU; see eager/nn/functional_dropout.py).
* exponential: ``-1 / lambda * log1p(-u)`` on 53-bit doubles; cauchy, geometric and
  log-normal by their formulas on the same doubles (log-normal on the scalar normals).
* float64 log/sin/cos/tan/exp/log1p are libm's (``math``, bit-exact) up to `LIBM_LIMIT`
  values, NumPy's vectorised ones (within an ulp) beyond.

    >>> from eager.random.engine import Engine
    >>> uniform(Engine(0), 2, np.dtype(np.float32)).tolist()
    [0.49625658988952637, 0.7682217955589294]
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .box_muller import fill_16, fill_16_double
from .engine import Engine
from .fused import fma

_LOW24 = np.uint64((1 << 24) - 1)
_LOW53 = np.uint64((1 << 53) - 1)
_CHUNK = 1 << 16
# Up to this many float64 values, log/log1p/sin/cos are libm's (math module, bit-exact with
# PyTorch's scalar C code, ~0.15 us a call); beyond it NumPy's vectorised ones (last-bit
# differences in a few values per thousand).
LIBM_LIMIT = 1 << 16


def narrow(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Doubles to ``dtype`` as C++'s ``static_cast`` does: to float16 through float32 (c10's
    Half is made from a float), so a value can round twice."""
    if dtype == np.float16:
        return values.astype(np.float32).astype(np.float16)
    return values.astype(dtype)


def standard_uniform(engine: Engine, count: int, dtype: np.dtype) -> np.ndarray:
    """``count`` draws of ``uniform_real_distribution<T>(0, 1)`` in T's accumulate type
    (float16 draws float32's 24 bits)."""
    if dtype == np.float64:
        return (engine.random64(count) & _LOW53).astype(np.float64) * 2.0**-53
    return (engine.random32(count) & _LOW24).astype(np.float32) * np.float32(2.0**-24)


def uniform(engine: Engine, count: int, dtype: np.dtype, low: float = 0.0,
            high: float = 1.0) -> np.ndarray:
    """``tensor.uniform_(low, high)`` for a floating ``dtype``."""
    acc = np.float64 if dtype == np.float64 else np.float32
    a, b = acc(low), acc(high)
    # ATen's ``u * (to - from) + from`` is compiled to one fused multiply-add.
    values = fma(standard_uniform(engine, count, dtype), b - a, a).astype(dtype, copy=False)
    if dtype == np.float16:  # a value rounded up onto ``to`` becomes ``from`` (by experiment)
        values[values == np.float16(high)] = np.float16(low)
    return values


def _libm(fn: Any, x: np.ndarray, exact: bool, vectorised: Any) -> np.ndarray:
    """``fn`` elementwise: libm's (``math``) when ``exact``, else NumPy's ``vectorised``."""
    if exact:
        return np.fromiter(map(fn, x.tolist()), np.float64, x.size)
    return vectorised(x)


def standard_normals(engine: Engine, count: int) -> np.ndarray:
    """``count`` draws of ATen's scalar ``normal_distribution<double>`` (used below 16
    values, for non-contiguous tensors and by ``log_normal_``), vectorised: a cached value
    first if the engine holds one, then pairs ``r cos t``, ``r sin t`` from two 53-bit doubles,
    an odd count leaving its last sine cached."""
    out = np.empty(count, np.float64)
    start = 0
    if count and engine.next_double_normal is not None:
        out[0], engine.next_double_normal, start = engine.next_double_normal, None, 1
    pairs = (count - start + 1) // 2
    if pairs:
        u = standard_uniform(engine, 2 * pairs, np.dtype(np.float64))
        exact = count <= LIBM_LIMIT
        radius = np.sqrt(-2.0 * _libm(math.log1p, -u[1::2], exact, np.log1p))
        theta = 2.0 * math.pi * u[0::2]
        values = np.empty(2 * pairs, np.float64)
        values[0::2] = radius * _libm(math.cos, theta, exact, np.cos)
        values[1::2] = radius * _libm(math.sin, theta, exact, np.sin)
        out[start:] = values[:count - start]
        if (count - start) % 2:
            engine.next_double_normal = float(values[-1])
    return out


def _scalar_normals(engine: Engine, count: int, mean: float, std: float) -> np.ndarray:
    """`standard_normals` as ``value * std + mean`` (fused, as compiled)."""
    return fma(standard_normals(engine, count), float(std), float(mean))


def normal(engine: Engine, count: int, dtype: np.dtype, mean: float = 0.0, std: float = 1.0,
           contiguous: bool = True) -> np.ndarray:
    """``tensor.normal_(mean, std)`` for a floating ``dtype`` (``contiguous=False``: PyTorch's
    element-wise path, which a non-contiguous tensor takes)."""
    if count < 16 or not contiguous or dtype not in (np.float16, np.float32, np.float64):
        return narrow(_scalar_normals(engine, count, float(mean), float(std)), dtype)
    acc = np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)
    fill = (functools.partial(fill_16_double, exact=count <= LIBM_LIMIT)
            if dtype == np.float64 else fill_16)
    whole = count - count % 16
    # float16 draws uniforms for the whole blocks only, then the tail's 16 (by experiment).
    data = standard_uniform(engine, whole if dtype == np.float16 else count, acc)
    out = np.empty(count, acc)
    # In chunks of 64K values: the temporaries stay in cache and on the heap (whole-tensor
    # temporaries made every step page-fault fresh memory, several times slower).
    for start in range(0, whole, _CHUNK):
        stop = min(start + _CHUNK, whole)
        out[start:stop] = fill(data[start:stop].reshape(-1, 16), mean, std).reshape(-1)
    if whole != count:  # ATen redraws the last 16 uniforms and recomputes those values
        tail = standard_uniform(engine, 16, acc)
        out[count - 16:] = fill(tail.reshape(1, 16), mean, std).reshape(-1)
    return out.astype(dtype, copy=False)


def integers(engine: Engine, count: int, low: int, high: int, dtype: np.dtype) -> np.ndarray:
    """``random_(low, high)`` (``randint``): ``word % (high - low) + low``; ranges of 2**28
    or more take 64-bit draws (found by experiment on torch 2.13, every dtype: it keeps the
    modulo's bias small)."""
    span = high - low
    words = engine.random64(count) if span >= 2**28 else engine.random32(count)
    values = (words % np.uint64(span)).astype(np.int64) + np.int64(low)
    return values.astype(dtype)


def full_range(engine: Engine, count: int, dtype: np.dtype) -> np.ndarray:
    """``random_()`` without bounds: [0, 2**mantissa] for floats, [0, max] for integers."""
    wide = dtype in (np.float64, np.int64)
    words = engine.random64(count) if wide else engine.random32(count)
    if dtype == np.bool_:
        return (words & np.uint64(1)).astype(np.bool_)
    if dtype.kind == "f":
        modulus = (1 << (np.finfo(dtype).nmant + 1)) + 1
    else:
        modulus = int(np.iinfo(dtype).max) + 1
    return (words % np.uint64(modulus)).astype(dtype)


def bernoulli_scalar(engine: Engine, count: int, p: float) -> np.ndarray:
    """``bernoulli_(p)`` with a float ``p``: True where a 53-bit uniform double is below p."""
    return standard_uniform(engine, count, np.dtype(np.float64)) < p


def bernoulli_tensor(engine: Engine, p: np.ndarray) -> np.ndarray:
    """``bernoulli(p)`` with a tensor of probabilities: one uniform in p's precision each."""
    acc = np.dtype(np.float64) if p.dtype == np.float64 else np.dtype(np.float32)
    flat = p.reshape(-1)
    return (standard_uniform(engine, flat.size, acc) < flat).reshape(p.shape)


def neg_log1p(u: np.ndarray, dtype: np.dtype, exact: bool | None = None) -> np.ndarray:
    """``-log1p(-u)`` for doubles ``u``, rounded to ``dtype``. float32 rounds NumPy's value,
    which always agrees with libm's; float64 takes libm's own (``math.log1p``) up to
    `LIBM_LIMIT` values or when ``exact``, else NumPy's SIMD log1p, which may differ from
    libm's in the last bit."""
    exact = dtype == np.float64 and (exact or (exact is None and u.size <= LIBM_LIMIT))
    return -_libm(math.log1p, -u, exact, np.log1p)


def exponential(engine: Engine, count: int, dtype: np.dtype, lambd: float = 1.0) -> np.ndarray:
    """``exponential_(lambd)``: ``-1 / lambd * log1p(-u)`` on 53-bit doubles, then the dtype."""
    u = standard_uniform(engine, count, np.dtype(np.float64))
    return narrow((1.0 / lambd) * neg_log1p(u, dtype), dtype)


def cauchy(engine: Engine, count: int, dtype: np.dtype, median: float = 0.0,
           sigma: float = 1.0) -> np.ndarray:
    """``cauchy_(median, sigma)``: ``median + sigma * tan(pi * (u - 0.5))``, u a double."""
    u = standard_uniform(engine, count, np.dtype(np.float64))
    tan = _libm(math.tan, math.pi * (u - 0.5), count <= LIBM_LIMIT, np.tan)
    return narrow(median + sigma * tan, dtype)


def geometric(engine: Engine, count: int, dtype: np.dtype, p: float) -> np.ndarray:
    """``geometric_(p)``: ``ceil(log(u) / log1p(-p))``, u a double."""
    u = standard_uniform(engine, count, np.dtype(np.float64))
    log = _libm(math.log, u, count <= LIBM_LIMIT, np.log)
    return narrow(np.ceil(log / math.log1p(-p)), dtype)


def log_normal(engine: Engine, count: int, dtype: np.dtype, mean: float = 1.0,
               std: float = 2.0) -> np.ndarray:
    """``log_normal_(mean, std)``: ``exp`` of the scalar normals (every size: ATen's kernel is
    the element-wise one), the engine's cached normal included."""
    normal_values = _scalar_normals(engine, count, mean, std)
    return narrow(_libm(math.exp, normal_values, count <= LIBM_LIMIT, np.exp), dtype)


__all__ = ["bernoulli_scalar", "bernoulli_tensor", "cauchy", "exponential", "full_range",
           "geometric", "integers", "log_normal", "narrow", "neg_log1p", "normal",
           "standard_normals", "standard_uniform", "uniform"]
