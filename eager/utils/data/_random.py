"""PyTorch's CPU sampling algorithms (``randperm``, ``randint``, ``random_``, ``multinomial``)
written over a stream of 32-bit words drawn from an eager generator.

PyTorch draws every one of these from its generator's stream of 32-bit words (``random()``;
``random64()`` is two words, high first) and the arithmetic on those words is simple. Doing the
same arithmetic here means samplers, ``random_split`` and the DataLoader's seeds consume the
stream the way PyTorch consumes its own: given the same words, they return the same indices.

The words come from ``generator.rng`` (NumPy). ``eager.Generator`` is PCG64, not PyTorch's
MT19937, so with an ``eager.Generator`` the *numbers* differ from PyTorch's; a NumPy generator
over an MT19937 seeded as PyTorch seeds (``init_genrand(seed & 0xffffffff)``) gives PyTorch's
exact indices, which is what the tests check.

    >>> g = eager.Generator(0)
    >>> sorted(randperm(5, g))
    [0, 1, 2, 3, 4]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._rng import global_numpy_generator, numpy_generator_from

_WORD = 2**32
_MANTISSA = np.uint64((1 << 53) - 1)
# randperm switches to 64-bit draws at uint32 max / 20 (integer division), as ATen does.
_RANDPERM_SMALL = (_WORD - 1) // 20


def _stream(generator: Any) -> np.random.Generator:
    return global_numpy_generator() if generator is None else numpy_generator_from(generator)


def random32(generator: Any, count: int) -> np.ndarray:
    """The next ``count`` 32-bit words of ``generator`` (None: eager's global one) as uint64."""
    # integers(0, 2**32, dtype=uint32) is NumPy's unbounded path: one raw 32-bit draw each.
    words = _stream(generator).integers(0, _WORD, size=count, dtype=np.uint32)
    return words.astype(np.uint64)


def random64(generator: Any, count: int) -> np.ndarray:
    """``count`` 64-bit draws, each two words with the first as the high half (ATen's order)."""
    words = random32(generator, 2 * count)
    return (words[0::2] << np.uint64(32)) | words[1::2]


def random_int64(generator: Any) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=g).item()``: in [0, 2**63)."""
    return int(random64(generator, 1)[0] % np.uint64(2**63))


def _swap_targets(n: int, generator: Any) -> np.ndarray:
    """Where ``randperm(n)`` swaps position ``i`` to: ``i + draw_i % (n - i)``."""
    draws = random32(generator, n - 1) if n < _RANDPERM_SMALL else random64(generator, n - 1)
    return draws % np.arange(n, 1, -1, dtype=np.uint64) + np.arange(n - 1, dtype=np.uint64)


def randperm(n: int, generator: Any = None) -> list[int]:
    """``torch.randperm(n, generator=g).tolist()``: forward swaps ``r[i] <-> r[j_i]``."""
    if n < 2:
        return list(range(n))
    r = list(range(n))
    for i, j in enumerate(_swap_targets(n, generator).tolist()):
        r[i], r[j] = r[j], r[i]  # each swap depends on the last: a plain loop over lists
    return r


def skip_randperm(n: int, generator: Any = None) -> None:
    """Consume exactly the draws of ``randperm(n)`` without building the permutation (for a
    permutation PyTorch builds and then slices down to nothing)."""
    if n >= 2:
        random32(generator, (n - 1) * (1 if n < _RANDPERM_SMALL else 2))


def randint(high: int, count: int, generator: Any = None) -> list[int]:
    """``torch.randint(high=high, size=(count,), generator=g).tolist()``."""
    if high <= 0:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from=0 >= "
                           f"to={high}")
    draws = random32(generator, count) if high < _WORD else random64(generator, count)
    return (draws % np.uint64(high)).tolist()


def uniform_double(generator: Any, count: int) -> np.ndarray:
    """``count`` doubles in [0, 1) from the low 53 bits of 64-bit draws."""
    return (random64(generator, count) & _MANTISSA).astype(np.float64) * 2.0**-53


def multinomial(weights: np.ndarray, num_samples: int, replacement: bool,
                generator: Any = None) -> list[int]:
    """``torch.multinomial(weights, num_samples, replacement, generator=g).tolist()`` for a
    1-D float64 ``weights``, with PyTorch's checks and messages (RuntimeError)."""
    n = weights.shape[0]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if not replacement or num_samples == 1:
        # ATen's fast path: argmax / top-k of p / q with q ~ Exp(1) (the Gumbel trick).
        if n == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                               "the operation has no identity.")
        if not (weights.max() < math.inf and weights.min() >= 0):  # NaN fails both
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if weights.sum() == 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        # math.log1p, not np.log1p: NumPy's SIMD log1p differs from libm's in the last bit.
        q = -np.array([math.log1p(-u) for u in uniform_double(generator, n).tolist()])
        ratio = weights / q
        if num_samples == 1:
            return [int(np.argmax(ratio))]
        return np.argsort(-ratio, kind="stable")[:num_samples].tolist()
    bad = ~(weights >= 0) | ~np.isfinite(weights)
    if bad.any():  # ATen checks entry by entry: the first bad one names the problem
        first = weights[int(np.argmax(bad))]
        problem = "< 0" if not first >= 0 else "= infinity or NaN"
        raise RuntimeError(f"invalid multinomial distribution (encountering probability entry "
                           f"{problem})")
    cumulative = np.cumsum(weights)  # sequential, as ATen's loop
    total = cumulative[-1]
    if not total > 0:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cumulative /= total
    cumulative[-1] = 1.0
    # ATen's binary search finds the first bucket whose cumulative mass is >= the draw.
    return np.searchsorted(cumulative, uniform_double(generator, num_samples), "left").tolist()
