"""``torch.randn``'s vectorised path for float32, reproduced to the bit: Box–Muller over blocks
of 16 uniforms through the Cephes-style ``log256_ps`` and ``sincos256_ps`` polynomials that
ATen's AVX2 kernel (``normal_fill_16_AVX2``, also the one AVX-512 machines run) calls.

Found by experiment against torch 2.13 on x86-64: the float32 operations must be done in the
kernel's order and with the fused multiply-adds its compiler formed (GCC contracts the vector
multiply and add intrinsics: every polynomial step, the range reduction, ``y * z + e * q1`` in
the log, ``y * z - z / 2`` in the cosine, ``y * x + x`` in the sine), computed by `fused.fma`
(none of 3 million samples checked differed).

    >>> import numpy as np
    >>> u = np.linspace(0.01, 0.99, 16, dtype=np.float32)
    >>> fill_16(u.reshape(1, 16), 0.0, 1.0).shape
    (1, 16)
"""

from __future__ import annotations

import math

import numpy as np

from .fused import fma as _fma

_F = np.float32
_LOG_P = tuple(_F(c) for c in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1,
                               -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
                               2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1))
_COS_P = tuple(_F(c) for c in (2.443315711809948e-5, -1.388731625493765e-3,
                               4.166664568298827e-2))
_SIN_P = tuple(_F(c) for c in (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1))
_DP = tuple(_F(c) for c in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8))
_TWO_PI = _F(2 * math.pi)


def _bits_where(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.where(mask, a, b)`` for float32 arrays through their bits (NumPy's ``where`` on a
    random mask is ~30 times slower than these three bitwise passes)."""
    select = np.negative(mask.view(np.uint8), dtype=np.uint32)  # all ones where mask
    bits = (a.view(np.uint32) & select) | (b.view(np.uint32) & ~select)
    return bits.view(_F)


def _negated_where(mask: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``x`` with its sign flipped where ``mask`` (an XOR of the sign bit, as the kernel)."""
    return (x.view(np.uint32) ^ (mask.astype(np.uint32) << np.uint32(31))).view(_F)


def _log(x: np.ndarray) -> np.ndarray:
    """``log256_ps``: split off the exponent, then a degree-9 polynomial in the mantissa."""
    x = np.maximum(x, np.finfo(_F).tiny)  # no denormals
    bits = x.view(np.uint32)
    e = ((bits >> np.uint32(23)).astype(np.int32) - 126).astype(_F)
    x = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(_F)  # mantissa in [0.5, 1)
    small = x < _F(0.707106781186547524)
    small_f = small.astype(_F)
    x = (x - _F(1)) + x * small_f  # 2x - 1 below sqrt(1/2), x - 1 above (x * 0/1 is exact)
    e = e - small_f
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = _fma(y, x, p)
    y = _fma(y * x, z, e * _F(-2.12194440e-4))
    y = y - z * _F(0.5)
    return (x + y) + e * _F(0.693359375)


def _sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sincos256_ps``: octant reduction in three steps, then the sine and cosine polynomials."""
    negative = np.signbit(x)
    x = np.abs(x)
    j = (x * _F(1.27323954473516)).astype(np.int32)  # 4 / pi, truncated
    j = (j + 1) & ~1
    y = j.astype(_F)
    for dp in _DP:
        x = _fma(y, dp, x)
    sin_negative = negative ^ ((j & 4) != 0)
    cos_negative = (~(j - 2) & 4) != 0
    sine_first = (j & 2) == 0
    z = x * x
    c = _fma(np.full_like(z, _COS_P[0]), z, _COS_P[1])
    c = _fma(c, z, _COS_P[2]) * z
    c = _fma(c, z, -(z * _F(0.5))) + _F(1)
    s = _fma(np.full_like(z, _SIN_P[0]), z, _SIN_P[1])
    s = _fma(s, z, _SIN_P[2]) * z
    s = _fma(s, x, x)
    sin = _bits_where(sine_first, s, c)
    cos = _bits_where(sine_first, c, s)
    return _negated_where(sin_negative, sin), _negated_where(cos_negative, cos)


def _lanes(uniform: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lanes ``j`` and ``j + 8`` of every block as two flat contiguous arrays (one copy):
    NumPy is many times slower on ``(n, 8)`` strided views."""
    pairs = np.ascontiguousarray(uniform.reshape(-1, 2, 8).transpose(1, 0, 2))
    return pairs[0].reshape(-1), pairs[1].reshape(-1)


def _blocks(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The inverse of `_lanes`: blocks of 16 again."""
    return np.stack([first.reshape(-1, 8), second.reshape(-1, 8)], axis=1).reshape(-1, 16)


def fill_16(uniform: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Normals from float32 uniforms shaped ``(blocks, 16)``: lanes ``j`` and ``j + 8`` of a
    block make one pair (``1 - u_j`` feeds the radius, ``u_{j+8}`` the angle)."""
    u1, u2 = _lanes(uniform)
    radius = np.sqrt(_F(-2) * _log(_F(1) - u1))
    sin, cos = _sincos(_TWO_PI * u2)
    return _blocks(_fma(radius * cos, _F(std), _F(mean)), _fma(radius * sin, _F(std), _F(mean)))


def _libm(fn, x: np.ndarray) -> np.ndarray:
    return np.fromiter(map(fn, x.tolist()), np.float64, x.size)


def fill_16_double(uniform: np.ndarray, mean: float, std: float,
                   exact: bool = True) -> np.ndarray:
    """The float64 form (``normal_fill_16<double>``): libm's log, cos and sin (``exact``, one
    call per value) or NumPy's vectorised ones, which differ from libm's in the last bit for a
    few values in a thousand."""
    u1, u2 = _lanes(uniform)
    u1, theta = 1.0 - u1, 2.0 * math.pi * u2
    if exact:
        radius = np.sqrt(-2.0 * _libm(math.log, u1))
        cos, sin = _libm(math.cos, theta), _libm(math.sin, theta)
    else:
        radius = np.sqrt(-2.0 * np.log(u1))
        cos, sin = np.cos(theta), np.sin(theta)
    return _blocks(_fma(radius * cos, std, mean), _fma(radius * sin, std, mean))


__all__ = ["fill_16", "fill_16_double"]
