"""Value ranges that keep generated programs inside safe numeric domains.

Every value of a fuzz program carries a conservative interval ``(lo, hi)`` containing all of its
elements. An op is only chosen where its domain holds (``log`` of values >= 0.05, ``exp`` of
values <= 6, a divisor bounded away from 0...), so every program computes finite values with
finite, well-conditioned gradients and a mismatch means a bug, not an overflow race.

    >>> monotone(math.exp)((0.0, 1.0))
    (1.0, 2.718281828459045)
"""

from __future__ import annotations

import math
from collections.abc import Callable

Interval = tuple[float, float]

# Past this magnitude an op's result stops being chosen as an input (sums of products grow
# fast); keeps relative tolerances meaningful.
LIMIT = 1e4


def monotone(f: Callable[[float], float]) -> Callable[[Interval], Interval]:
    """The interval map of an increasing function."""
    return lambda iv: (f(iv[0]), f(iv[1]))


def hull(*ivs: Interval) -> Interval:
    return (min(i[0] for i in ivs), max(i[1] for i in ivs))


def neg(iv: Interval) -> Interval:
    return (-iv[1], -iv[0])


def absval(iv: Interval) -> Interval:
    lo, hi = iv
    if lo >= 0:
        return iv
    if hi <= 0:
        return (-hi, -lo)
    return (0.0, max(-lo, hi))


def relu(iv: Interval) -> Interval:
    return (max(iv[0], 0.0), max(iv[1], 0.0))


def mul(a: Interval, b: Interval) -> Interval:
    ps = [x * y for x in a for y in b]
    return (min(ps), max(ps))


def recip(iv: Interval) -> Interval:
    """1/x for an interval that excludes 0."""
    return (1.0 / iv[1], 1.0 / iv[0])


def div(a: Interval, b: Interval) -> Interval:
    return mul(a, recip(b))


def scale(iv: Interval, n: int) -> Interval:
    """The sum of ``n`` values each in ``iv``."""
    return (min(iv[0] * n, iv[0]), max(iv[1] * n, iv[1])) if n else (0.0, 0.0)


def power(iv: Interval, p: float) -> Interval:
    """x ** p for a constant p (the interval is positive unless p is 2 or 3)."""
    if p == 2.0:
        return mul(absval(iv), absval(iv))
    if p == 3.0:
        return (iv[0] ** 3, iv[1] ** 3)
    ends = [iv[0] ** p, iv[1] ** p]
    return (min(ends), max(ends))


def pow_tensor(base: Interval, e: Interval) -> Interval:
    """base ** e with base > 0: extremes lie at the corners."""
    ps = [b ** x for b in base for x in e]
    return (min(ps), max(ps))


def excludes_zero(iv: Interval, margin: float = 0.2) -> bool:
    return iv[0] >= margin or iv[1] <= -margin


def bounded(iv: Interval) -> bool:
    return iv[0] >= -LIMIT and iv[1] <= LIMIT and not any(map(math.isnan, iv))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
