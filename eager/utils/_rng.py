"""Where nn, optim and data draw randomness from: eager's global generator (`eager.random`).

Kept in one place so ``eager.manual_seed(s)`` fixes everything random that layers and loaders
do: initial weights, dropout masks, shuffling order, all drawn from PyTorch's stream.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..random.generator import engine_of
from ..random.hooks import draws_torch_stream, seed_from_global


def numpy_generator_from(generator: Any) -> np.random.Generator:
    """A NumPy generator from an ``eager.Generator`` or a ``numpy.random.Generator``."""
    if isinstance(generator, np.random.Generator):
        return generator
    engine_of(generator)  # the TypeError for anything else
    return generator.rng


__all__ = ["draws_torch_stream", "numpy_generator_from", "seed_from_global"]
