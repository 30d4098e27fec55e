"""Fused multiply-add on NumPy arrays, rounded once as the hardware FMA rounds: ATen's sampling
kernels are compiled with FMA contraction (GCC's default), so ``u * (to - from) + from`` and
``n * std + mean`` round once, and reproducing them to the bit needs the same.

float32: the product of two floats is exact in a double, so the double sum rounded to float32
is the FMA except where that sum itself rounded onto a float32 halfway point (vanishingly rare).
float64: Dekker's exact product and Knuth's two-sum give ``a * b + c`` as a double-double,
rounded once at the end (exact but for halfway cases of the low part, equally rare).

    >>> import numpy as np
    >>> float(fma(np.array([0.1]), 3.0, -0.3)[0]) == 0.1 * 3.0 - 0.3
    False
"""

from __future__ import annotations

import numpy as np

_SPLIT = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = _SPLIT * a
    high = t - (t - a)
    return high, a - high


def _wide(v: float | np.ndarray) -> float | np.ndarray:
    return v.astype(np.float64) if isinstance(v, np.ndarray) else float(v)


def fma(a: np.ndarray, b: float | np.ndarray, c: float | np.ndarray) -> np.ndarray:
    """``a * b + c`` rounded once, in ``a``'s dtype (float32 or float64)."""
    if a.dtype == np.float32:
        # Every operand widened first: NumPy's mixed-dtype in-place ufuncs are ~50x slower.
        wide = a.astype(np.float64)
        wide *= _wide(b)  # exact: a float times a float
        wide += _wide(c)
        return wide.astype(np.float32)
    b = np.asarray(b, np.float64)
    product = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    product_err = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total = product + c
    virtual = total - product
    sum_err = (product - (total - virtual)) + (c - virtual)
    return total + (product_err + sum_err)


__all__ = ["fma"]
