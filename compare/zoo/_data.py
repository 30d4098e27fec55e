"""Data for the zoo: small, fixed, seeded, offline.

Every helper takes the dtype the model trains in and returns batches as
``((inputs...), (targets...))`` tuples of NumPy arrays, so both modes see the same bytes.
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    # scikit-learn ships the 8x8 digits inside the package: no network needed.
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float64) / 16.0, d.target.astype(np.int64)


def digits_batches(dtype: np.dtype, *, batch: int, n_batches: int, image: bool,
                   seed: int = 0) -> list:
    """``n_batches`` shuffled digits batches: (x, ) inputs, (class index,) targets.

    ``image=True`` gives ``(batch, 1, 8, 8)`` images, otherwise ``(batch, 64)`` rows.
    """
    x, y = _digits()
    order = np.random.default_rng(seed).permutation(len(x))[: batch * n_batches]
    out = []
    for k in range(n_batches):
        rows = order[k * batch:(k + 1) * batch]
        xb = x[rows].astype(dtype)
        out.append(((xb.reshape(-1, 1, 8, 8) if image else xb,), (y[rows],)))
    return out


def binary_task(dtype: np.dtype, *, features: int, batch: int, n_batches: int,
                seed: int = 42) -> list:
    """The seed's synthetic binary task: label = [x0 + 0.5 x1 > 0], targets shaped (batch, 1)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_batches):
        x = rng.standard_normal((batch, features))
        y = (x[:, :1] + 0.5 * x[:, 1:2] > 0)
        out.append(((x.astype(dtype),), (y.astype(dtype),)))
    return out


def sequence_batches(dtype: np.dtype, *, features: int, batch: int, lengths: list[int],
                     seed: int = 7) -> list:
    """Sequences ``(batch, T, features)``, one length T per batch; the target says whether
    the first feature summed over time is positive (class 0/1, int64)."""
    rng = np.random.default_rng(seed)
    out = []
    for t in lengths:
        x = rng.standard_normal((batch, t, features))
        y = (x[:, :, 0].sum(axis=1) > 0).astype(np.int64)
        out.append(((x.astype(dtype),), (y,)))
    return out


def padded_sequence_batches(dtype: np.dtype, *, features: int, batch: int, n_batches: int,
                            min_len: int, max_len: int, seed: int = 11) -> list:
    """A realistic epoch of variable-length sequences: ``n_batches`` batches of ``batch``
    sequences whose lengths are drawn from ``min_len..max_len``, each batch zero-padded to its
    longest one. Inputs ``(x (batch, T, features), lengths (batch,) int64)``, T the batch's
    longest length; the target says whether the first feature summed over each sequence's
    true steps is positive (class 0/1, int64)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_batches):
        lengths = rng.integers(min_len, max_len + 1, size=batch).astype(np.int64)
        x = rng.standard_normal((batch, int(lengths.max()), features))
        x[np.arange(x.shape[1]) >= lengths[:, None]] = 0.0  # padding: zeros past each end
        y = (x[:, :, 0].sum(axis=1) > 0).astype(np.int64)
        out.append(((x.astype(dtype), lengths), (y,)))
    return out
