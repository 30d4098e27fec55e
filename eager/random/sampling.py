"""PyTorch's CPU algorithms for ``randperm`` and ``multinomial`` over an `Engine`'s words.

* ``randperm(n)``: forward swaps ``r[i] <-> r[i + word_i % (n - i)]`` for ``i < n - 1``, one
  32-bit word each (64-bit draws from ``n >= (2**32 - 1) // 20``, as ATen).
* ``multinomial`` without replacement, or one sample: the largest ``num_samples`` of
  ``p / q`` with ``q ~ Exp(1)`` drawn over the whole input (ATen's exponential-races path);
  with replacement: per row, ATen's cumulative distribution in the input's dtype and a binary
  search for each 53-bit uniform double.

    >>> from eager.random.engine import Engine
    >>> randperm(5, Engine(0))  # torch.manual_seed(0); torch.randperm(5)
    [4, 0, 1, 3, 2]
"""

from __future__ import annotations

import math

import numpy as np

from .engine import Engine
from .kernels import neg_log1p, standard_uniform

_RANDPERM_SMALL = (2**32 - 1) // 20


def _swap_targets(n: int, engine: Engine) -> list[int]:
    words = engine.random32(n - 1) if n < _RANDPERM_SMALL else engine.random64(n - 1)
    targets = words % np.arange(n, 1, -1, dtype=np.uint64) + np.arange(n - 1, dtype=np.uint64)
    return targets.tolist()


def randperm(n: int, engine: Engine) -> list[int]:
    """``torch.randperm(n).tolist()``."""
    r = list(range(n))
    if n < 2:
        return r
    for i, j in enumerate(_swap_targets(n, engine)):
        r[i], r[j] = r[j], r[i]  # each swap depends on the last: a plain loop over a list
    return r


def skip_randperm(n: int, engine: Engine) -> None:
    """Draw exactly the words of ``randperm(n)`` without building it."""
    if n >= 2:
        engine.random32((n - 1) * (1 if n < _RANDPERM_SMALL else 2))


def exponential_races(engine: Engine, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``empty(shape, dtype).exponential_(1)``, to the bit (a last-bit difference could flip
    a race)."""
    u = standard_uniform(engine, math.prod(shape), np.dtype(np.float64))
    return neg_log1p(u, dtype, exact=True).astype(dtype).reshape(shape)


def _check_races(p: np.ndarray) -> None:
    if p.shape[-1] == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if not (p.max() < math.inf and p.min() >= 0):  # NaN fails both
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (p.sum(axis=-1) == 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def _check_rows(rows: np.ndarray) -> None:
    bad = ~(rows >= 0) | ~np.isfinite(rows)
    if bad.any():  # ATen checks entry by entry: the first bad one names the problem
        first = rows.reshape(-1)[int(np.argmax(bad.reshape(-1)))]
        problem = "< 0" if not first >= 0 else "= infinity or NaN"
        raise RuntimeError(f"invalid multinomial distribution (encountering probability entry "
                           f"{problem})")


def multinomial(p: np.ndarray, num_samples: int, replacement: bool,
                engine: Engine) -> np.ndarray:
    """``torch.multinomial(p, num_samples, replacement)`` for a 1-d or 2-d floating ``p``, with
    PyTorch's checks and messages (RuntimeError); int64 indices of shape ``p.shape[:-1] +
    (num_samples,)``."""
    if p.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {p.ndim}")
    if p.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{p.dtype}")
    n = p.shape[-1]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    rows = p.reshape(-1, n)
    if not replacement or num_samples == 1:
        _check_races(rows)
        ratio = rows / exponential_races(engine, rows.shape, p.dtype)
        if num_samples == 1:
            out = np.argmax(ratio, axis=1)[:, None]
        else:
            out = np.argsort(-ratio, axis=1, kind="stable")[:, :num_samples]
    else:
        _check_rows(rows)
        cumulative = np.cumsum(rows, axis=1, dtype=p.dtype)  # sequential, as ATen's loop
        total = cumulative[:, -1:].copy()
        if not (total > 0).all():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cumulative /= total
        cumulative[:, -1] = 1
        draws = standard_uniform(engine, rows.shape[0] * num_samples, np.dtype(np.float64))
        draws = draws.reshape(rows.shape[0], num_samples)
        # ATen's binary search: the first bucket whose cumulative mass reaches the draw.
        out = np.stack([np.searchsorted(c.astype(np.float64), d, "left")
                        for c, d in zip(cumulative, draws, strict=True)])
    return out.astype(np.int64).reshape(p.shape[:-1] + (num_samples,))


__all__ = ["exponential_races", "multinomial", "randperm", "skip_randperm"]
