"""Where nn, optim and data draw randomness from: eager's global generator.

Kept in one place so ``eager.manual_seed(s)`` fixes everything random that layers and loaders
do: initial weights, dropout masks, shuffling order. It is also eager's seed source for
``shared_ops.dropout(tensor, p=...)`` without a seed (`shared_ops.fresh_seed`); a static graph
has its own per-step source (``static/rng.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops

from .. import creation

_SEED_HIGH = 2**63 - 1


def global_numpy_generator() -> np.random.Generator:
    """The NumPy generator behind ``eager.default_generator`` (looked up on every call:
    ``manual_seed`` replaces it)."""
    return creation.default_generator.rng


def seed_from_global() -> int:
    """A fresh 63-bit seed drawn from the global generator (for dropout masks, epochs)."""
    return int(creation.default_generator.rng.integers(0, _SEED_HIGH))


def numpy_generator_from(generator: Any) -> np.random.Generator:
    """A NumPy generator from an ``eager.Generator`` or a ``numpy.random.Generator``."""
    if isinstance(generator, np.random.Generator):
        return generator
    rng = getattr(generator, "rng", None)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"generator must be an eager.Generator or a numpy.random.Generator, got "
                    f"{type(generator).__name__}")


# `shared_ops.fresh_seed` on an eager Tensor: one draw from the global generator per call.
shared_ops.register_seed_source("eager", lambda _x: seed_from_global())
